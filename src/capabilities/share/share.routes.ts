import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { z } from 'zod';
import { intlLocale, type Translate } from '../../platform/i18n/index.js';
import { parseForm } from '../../platform/forms.js';
import { paths } from '../../platform/paths.js';
import { newSecretToken } from '../../platform/auth/tokens.js';
import { PROGRESS_LIMIT } from '../../platform/http/rate-limit.js';
import type { Services } from '../../services.js';
import { formatReference, formatTrackingCode } from '../concerns/reference.js';
import { AFFECTED_GROUPS, EQUALITY_QUESTIONS, KINDS, TOPICS } from '../concerns/vocabulary.js';
import {
  consentPage,
  contactPage,
  detailsPage,
  equalityPage,
  groupsPage,
  kindPage,
  progressForm,
  topicPage,
  wherePage,
  whoPage,
} from './share.schema.js';
import { firstMissingStep, pendingFor, STEPS, type Step } from './share.service.js';

export const DRAFT_COOKIE = 'heard_share';
export const CONFIRMATION_COOKIE = 'heard_confirmation';
/** The resident chose the Easy Read version: a preference, not personal data. */
export const EASY_COOKIE = 'heard_easy';
/** The secret of the resume link given to this browser (signed), so saving again gives the same link. */
export const RESUME_COOKIE = 'heard_resume';

const DRAFT_MAX_AGE = 7 * 24 * 60 * 60;
const EASY_MAX_AGE = 30 * 24 * 60 * 60;

// The link's secret has 256 bits, so no rate makes guessing it feasible: the limit only bounds load,
// and is generous enough for a family sharing one connection, or a library's public computers.
export const RESUME_LIMIT = { max: 60, timeWindow: '10 minutes' };
/** Emailing yourself the link. */
const EMAIL_LINK_LIMIT = { max: 5, timeWindow: '10 minutes' };
const RESUME_SECRET = /^[A-Za-z0-9_-]{20,100}$/;

/** What is kept as typed from a page saved for later: bounded, strings only. */
const PENDING_MAX_CHARS = 10_000;
const PENDING_MAX_ITEMS = 30;

/** Question pages: a generous limit (people correct mistakes), but bounded. */
const QUESTION_LIMIT = { max: 120, timeWindow: '10 minutes' };
/** Submitting a concern: a handful per person per ten minutes. */
const SUBMIT_LIMIT = { max: 10, timeWindow: '10 minutes' };

interface StepDefinition {
  schema: z.ZodType;
  /** Ids of the first input of radio or checkbox groups, so the error summary can link to them. */
  ids?: Record<string, string>;
  /** The page's fields, kept as typed when it is saved for later before it passes its rules. */
  fields: readonly string[];
  toAnswers(value: Record<string, unknown>): Record<string, unknown>;
}

const STEP_DEFINITIONS: Record<Step, StepDefinition> = {
  kind: { schema: kindPage, ids: { kind: 'kind' }, fields: ['kind'], toAnswers: (v) => v },
  topic: { schema: topicPage, ids: { topic: 'topic' }, fields: ['topic'], toAnswers: (v) => v },
  details: {
    schema: detailsPage,
    fields: ['description', 'whenText'],
    toAnswers: (v) => ({ description: v.description, whenText: v.whenText }),
  },
  where: {
    schema: wherePage,
    fields: ['areaId', 'placeDescription'],
    toAnswers: (v) => ({ areaId: v.areaId, placeDescription: v.placeDescription, whereAnswered: true }),
  },
  groups: {
    schema: groupsPage,
    ids: { affectedGroups: 'affectedGroups' },
    fields: ['affectedGroups'],
    toAnswers: (v) => v,
  },
  who: {
    schema: whoPage,
    fields: ['forGroup', 'groupName'],
    ids: { forGroup: 'forGroup' },
    toAnswers: (v) => ({ forGroup: v.forGroup, groupName: v.forGroup === 'yes' ? v.groupName : undefined }),
  },
  contact: {
    schema: contactPage,
    ids: { contactMode: 'contactMode', preferredContact: 'preferredContact' },
    fields: ['contactMode', 'contactName', 'contactEmail', 'contactPhone', 'preferredContact'],
    // Choosing anonymous wipes anything typed before, so it is never stored.
    toAnswers: (v) => ({
      contactMode: v.contactMode,
      contactName: v.contactName,
      contactEmail: v.contactEmail,
      contactPhone: v.contactPhone,
      preferredContact: v.preferredContact,
    }),
  },
  consent: {
    schema: consentPage,
    ids: { consentToShare: 'consentToShare' },
    fields: ['consentToShare'],
    toAnswers: (v) => v,
  },
  equality: {
    schema: equalityPage,
    fields: Object.keys(EQUALITY_QUESTIONS),
    toAnswers: (v) => ({
      equality: Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string' && x !== '')),
      equalityAnswered: true,
    }),
  },
};

function stepPath(step: Step): string {
  return paths.share[step]();
}

function previousPath(step: Step): string {
  const i = STEPS.indexOf(step);
  return i === 0 ? paths.home() : stepPath(STEPS[i - 1]!);
}

/**
 * Easy Read error messages: the same rules, in Easy Read words. `share.errors.x` becomes
 * `share.easy.errors.x` (and the Check progress page's likewise); every other key is unchanged.
 */
export function easyTranslator(t: Translate): Translate {
  return (key, vars) => t(key.replace(/^share\.((?:progress\.)?errors\.)/, 'share.easy.$1'), vars);
}

/** The fields of a page as typed: known names only, strings only, bounded. */
function typedFields(fields: readonly string[], body: Record<string, unknown> | undefined) {
  const kept: Record<string, string | string[]> = {};
  for (const name of fields) {
    const v = body?.[name];
    if (typeof v === 'string' && v.trim() !== '') kept[name] = v.slice(0, PENDING_MAX_CHARS);
    else if (Array.isArray(v))
      kept[name] = v
        .filter((x): x is string => typeof x === 'string')
        .slice(0, PENDING_MAX_ITEMS)
        .map((x) => x.slice(0, 200));
  }
  return kept;
}

export function shareRoutes(app: FastifyInstance, services: Services, secureCookies: boolean) {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secureCookies };

  // The Easy Read pictures and stylesheet, from this capability's own folder (same origin, no CSP change).
  void app.register(fastifyStatic, {
    root: path.resolve(import.meta.dirname, 'static'),
    prefix: '/static/share/',
    decorateReply: false,
  });

  function draftToken(request: FastifyRequest): string | undefined {
    return request.cookies[DRAFT_COOKIE];
  }

  const isEasy = (request: FastifyRequest) => request.cookies[EASY_COOKIE] === '1';
  /** Translates form errors in the words of the version the resident is reading. */
  const formT = (request: FastifyRequest) => (isEasy(request) ? easyTranslator(request.t) : request.t);

  /** One page, two presentations: share/views/<name>.njk, or share/views/easy/<name>.njk in Easy Read. */
  function page(
    reply: FastifyReply,
    name: string,
    titleKey: string,
    context: Record<string, unknown> = {},
    vars: Record<string, string> = {},
  ) {
    const easy = isEasy(reply.request);
    return reply.view(easy ? `share/views/easy/${name}.njk` : `share/views/${name}.njk`, {
      pageTitle: reply.request.t(easy ? `share.easy.${titleKey}` : `share.${titleKey}`, vars),
      easy,
      ...context,
    });
  }

  function readResumeCookie(request: FastifyRequest): string | undefined {
    const raw = request.cookies[RESUME_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    return unsigned?.valid && unsigned.value && RESUME_SECRET.test(unsigned.value)
      ? unsigned.value
      : undefined;
  }

  /** The resume link on the host the resident is using, so it reaches the same partnership. */
  function resumeUrl(request: FastifyRequest, secret: string): string {
    return `${request.protocol}://${request.host}${paths.share.resume(secret)}`;
  }

  // "?format=easy-read" or "?format=standard" on any of these pages switches version, then shows the
  // same page without the parameter (so a bookmark or a shared link does not carry it).
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET') return;
    const format = (request.query as Record<string, unknown> | undefined)?.format;
    if (format !== 'easy-read' && format !== 'standard') return;
    if (format === 'easy-read') reply.setCookie(EASY_COOKIE, '1', { ...cookieOptions, maxAge: EASY_MAX_AGE });
    else reply.clearCookie(EASY_COOKIE, { path: '/' });
    const url = new URL(request.url, 'http://heard.invalid');
    url.searchParams.delete('format');
    return reply.redirect(`${url.pathname}${url.search}`);
  });

  async function stepContext(request: FastifyRequest, step: Step, answers: Record<string, unknown>) {
    const base = {
      step,
      answers,
      // What was typed on this page and saved for later, before it passed, is shown again as typed.
      values: { ...answers, ...pendingFor(answers, step) },
      backLink: answers.reviewed ? paths.share.check() : previousPath(step),
      kinds: KINDS,
      topics: TOPICS,
      groups: AFFECTED_GROUPS,
      equalityQuestions: EQUALITY_QUESTIONS,
      action: stepPath(step),
    };
    if (step === 'where') return { ...base, areas: await services.share.areas(request.partnership.id) };
    return base;
  }

  function render(reply: FastifyReply, step: Step, context: Record<string, unknown>) {
    const kind = String((context.answers as Record<string, unknown>).kind ?? 'concern');
    // Easy Read titles name the kind in their own words rather than through a {kind} placeholder.
    const easyKind = kind === 'suggestion' ? 'suggestion' : 'concern';
    const titleKey =
      isEasy(reply.request) && step === 'details' ? `details.title.${easyKind}` : `${step}.title`;
    return page(reply, step, titleKey, context, { kind });
  }

  app.get(paths.home(), async (_request, reply) => page(reply, 'start', 'start.title'));

  app.get(paths.share.start(), async (request, reply) => {
    const answers = await services.share.load(request.partnership.id, draftToken(request));
    const missing = firstMissingStep(answers);
    return reply.redirect(missing ? stepPath(missing) : paths.share.check());
  });

  for (const step of STEPS) {
    const def = STEP_DEFINITIONS[step];

    app.get(stepPath(step), async (request, reply) => {
      const answers = await services.share.load(request.partnership.id, draftToken(request));
      return render(reply, step, await stepContext(request, step, answers));
    });

    app.post(
      stepPath(step),
      { config: { rateLimit: QUESTION_LIMIT, csrfRedisplay: true } },
      async (request, reply) => {
        const body = request.body as Record<string, unknown> | undefined;
        let token = draftToken(request);
        if (request.csrfFailed) {
          // The page was open a long time, or its cookie went: show it again with what was typed, and a
          // fresh token, so the resident only has to press the button again. Nothing is stored.
          const answers = await services.share.load(request.partnership.id, token);
          reply.code(403);
          return render(reply, step, {
            ...(await stepContext(request, step, answers)),
            values: { ...answers, ...typedFields(def.fields, body) },
            sendAgain: true,
          });
        }
        // "Save and come back later": what passes is stored as answers, the rest kept as typed.
        if (body?.save === 'later') {
          const parsedLater = parseForm(def.schema, body, request.t, def.ids);
          if (!token) {
            token = newSecretToken();
            reply.setCookie(DRAFT_COOKIE, token, { ...cookieOptions, maxAge: DRAFT_MAX_AGE });
          }
          await services.share.save(
            request.partnership.id,
            token,
            parsedLater.ok ? def.toAnswers(parsedLater.value as Record<string, unknown>) : {},
            { step, pending: parsedLater.ok ? undefined : typedFields(def.fields, body) },
          );
          const link = await services.share.resumeLink(
            request.partnership.id,
            token,
            readResumeCookie(request),
          );
          if (link) {
            reply.setCookie(RESUME_COOKIE, link.secret, {
              ...cookieOptions,
              signed: true,
              maxAge: DRAFT_MAX_AGE,
            });
          }
          return reply.redirect(paths.share.saved());
        }
        // "Skip these questions" on the equality page stores nothing from that page.
        const skipped = step === 'equality' && body?.skip === 'yes';
        const parsed = parseForm(def.schema, skipped ? {} : body, formT(request), def.ids);
        if (!parsed.ok) {
          const answers = await services.share.load(request.partnership.id, token);
          reply.code(400);
          return render(reply, step, {
            ...(await stepContext(request, step, answers)),
            values: { ...answers, ...body },
            errors: parsed.errors,
            fieldErrors: parsed.byField,
          });
        }
        if (!token) {
          token = newSecretToken();
          reply.setCookie(DRAFT_COOKIE, token, { ...cookieOptions, maxAge: DRAFT_MAX_AGE });
        }
        const answers = await services.share.save(
          request.partnership.id,
          token,
          def.toAnswers(parsed.value as Record<string, unknown>),
          { step },
        );
        const missing = firstMissingStep(answers);
        return reply.redirect(answers.reviewed || !missing ? paths.share.check() : stepPath(missing));
      },
    );
  }

  app.get(paths.share.saved(), async (request, reply) => {
    const secret = readResumeCookie(request);
    const saved = secret ? await services.share.savedDraft(request.partnership.id, secret) : undefined;
    if (!secret || !saved) return reply.redirect(paths.share.start());
    const query = request.query as Record<string, unknown>;
    return page(reply, 'saved', 'saved.title', {
      resumeUrl: resumeUrl(request, secret),
      expiresAt: saved.expiresAt,
      email: saved.email,
      emailed: query.emailed === '1' && saved.email !== undefined,
      backLink: paths.share.start(),
    });
  });

  app.post(paths.share.savedEmail(), { config: { rateLimit: EMAIL_LINK_LIMIT } }, async (request, reply) => {
    const secret = readResumeCookie(request);
    if (!secret) return reply.redirect(paths.share.start());
    const saved = await services.share.savedDraft(request.partnership.id, secret);
    if (!saved) return reply.redirect(paths.share.start());
    const dateFormat = new Intl.DateTimeFormat(intlLocale(request.lang), {
      dateStyle: 'long',
      timeZone: 'Europe/London',
    });
    const outcome = await services.share.emailResumeLink(request.partnership.id, secret, {
      url: resumeUrl(request, secret),
      lang: request.lang,
      dir: request.dir,
      t: request.t,
      date: dateFormat.format(saved.expiresAt),
    });
    return reply.redirect(outcome.ok ? `${paths.share.saved()}?emailed=1` : paths.share.saved());
  });

  /** The same page, whatever was wrong with the link: unknown, expired, sent already or mistyped. */
  function linkNotWorking(reply: FastifyReply) {
    reply.code(404);
    return page(reply, 'resume-invalid', 'resumeInvalid.title');
  }

  // Opening the link shows a page with a button rather than taking over the draft at once: link
  // checkers in mail systems open links too, and another site cannot make a browser adopt a draft.
  app.get('/share/resume/:secret', { config: { rateLimit: RESUME_LIMIT } }, async (request, reply) => {
    const { secret } = request.params as { secret: string };
    const saved = RESUME_SECRET.test(secret)
      ? await services.share.savedDraft(request.partnership.id, secret)
      : undefined;
    if (!saved) return linkNotWorking(reply);
    return page(reply, 'resume', 'resume.title', {
      action: paths.share.resume(secret),
      expiresAt: saved.expiresAt,
    });
  });

  app.post('/share/resume/:secret', { config: { rateLimit: RESUME_LIMIT } }, async (request, reply) => {
    const { secret } = request.params as { secret: string };
    const resumed = RESUME_SECRET.test(secret)
      ? await services.share.resume(request.partnership.id, secret)
      : undefined;
    if (!resumed) return linkNotWorking(reply);
    reply.setCookie(DRAFT_COOKIE, resumed.token, { ...cookieOptions, maxAge: DRAFT_MAX_AGE });
    reply.setCookie(RESUME_COOKIE, secret, { ...cookieOptions, signed: true, maxAge: DRAFT_MAX_AGE });
    const missing = firstMissingStep(resumed.answers);
    return reply.redirect(missing ? stepPath(missing) : paths.share.check());
  });

  app.get(paths.share.check(), async (request, reply) => {
    const token = draftToken(request);
    const answers = await services.share.load(request.partnership.id, token);
    const missing = firstMissingStep(answers);
    if (missing) return reply.redirect(stepPath(missing));
    if (!answers.reviewed && token)
      await services.share.save(request.partnership.id, token, { reviewed: true });
    const areas = await services.share.areas(request.partnership.id);
    const area = areas.find((a) => a.id === answers.areaId);
    return page(reply, 'check', 'check.title', {
      answers,
      areaName: area?.name,
      backLink: stepPath('equality'),
    });
  });

  app.post(paths.share.check(), { config: { rateLimit: SUBMIT_LIMIT } }, async (request, reply) => {
    const outcome = await services.share.submit(
      request.partnership.id,
      draftToken(request),
      request.lang,
      request.correlationId,
    );
    if (!outcome.ok) {
      // No draft usually means it was already sent (a second click) or it expired: start again.
      return reply.redirect(outcome.problem === 'incomplete' ? stepPath(outcome.step) : paths.share.start());
    }
    const { created, answers } = outcome;
    reply.clearCookie(DRAFT_COOKIE, { path: '/' });
    reply.clearCookie(RESUME_COOKIE, { path: '/' });
    const confirmation = {
      reference: created.reference,
      trackingCode: created.trackingCode,
      urgent: created.urgent,
      kind: answers.kind,
      anonymous: answers.contactMode === 'anonymous',
      email: answers.contactEmail,
    };
    reply.setCookie(CONFIRMATION_COOKIE, JSON.stringify(confirmation), {
      ...cookieOptions,
      signed: true,
      maxAge: 60 * 60,
    });
    return reply.redirect(paths.share.confirmation());
  });

  app.get(paths.share.confirmation(), async (request, reply) => {
    const raw = request.cookies[CONFIRMATION_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    if (!unsigned?.valid || !unsigned.value) return reply.redirect(paths.home());
    const c = JSON.parse(unsigned.value) as {
      reference: string;
      trackingCode?: string;
      urgent: boolean;
      kind: string;
      anonymous: boolean;
      email?: string;
    };
    // Titles name the kind in each language's own words: a {kind} placeholder would show a code word.
    const titleKind = c.kind === 'suggestion' ? 'suggestion' : 'concern';
    return page(
      reply,
      'confirmation',
      `confirmation.title.${titleKind}`,
      {
        confirmation: {
          ...c,
          reference: formatReference(c.reference),
          trackingCode: c.trackingCode ? formatTrackingCode(c.trackingCode) : undefined,
        },
      },
      { kind: c.kind },
    );
  });

  app.get(paths.progress.form(), async (_request, reply) =>
    page(reply, 'progress', 'progress.title', { values: {} }),
  );

  app.post(paths.progress.form(), { config: { rateLimit: PROGRESS_LIMIT } }, async (request, reply) => {
    const parsed = parseForm(progressForm, request.body, formT(request));
    const values = request.body as Record<string, unknown>;
    if (!parsed.ok) {
      reply.code(400);
      return page(reply, 'progress', 'progress.title', {
        values,
        errors: parsed.errors,
        fieldErrors: parsed.byField,
      });
    }
    const result = await services.concerns.progress(request.partnership.id, parsed.value.reference, {
      email: parsed.value.email,
      trackingCode: parsed.value.trackingCode,
    });
    if (!result.ok) {
      // One neutral message, whichever part was wrong.
      const text = formT(request)('share.progress.errors.noMatch');
      reply.code(400);
      return page(reply, 'progress', 'progress.title', {
        values,
        errors: [{ href: '#reference', text }],
        fieldErrors: { reference: text },
      });
    }
    return page(reply, 'progress-result', 'progress.resultTitle', {
      view: { ...result.view, reference: formatReference(result.view.reference) },
    });
  });
}
