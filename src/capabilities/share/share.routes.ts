import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
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
import { firstMissingStep, STEPS, type Step } from './share.service.js';

export const DRAFT_COOKIE = 'heard_share';
export const CONFIRMATION_COOKIE = 'heard_confirmation';

/** Question pages: a generous limit (people correct mistakes), but bounded. */
const QUESTION_LIMIT = { max: 120, timeWindow: '10 minutes' };
/** Submitting a concern: a handful per person per ten minutes. */
const SUBMIT_LIMIT = { max: 10, timeWindow: '10 minutes' };

interface StepDefinition {
  schema: z.ZodType;
  /** Ids of the first input of radio or checkbox groups, so the error summary can link to them. */
  ids?: Record<string, string>;
  toAnswers(value: Record<string, unknown>): Record<string, unknown>;
}

const STEP_DEFINITIONS: Record<Step, StepDefinition> = {
  kind: { schema: kindPage, ids: { kind: 'kind' }, toAnswers: (v) => v },
  topic: { schema: topicPage, ids: { topic: 'topic' }, toAnswers: (v) => v },
  details: { schema: detailsPage, toAnswers: (v) => ({ description: v.description, whenText: v.whenText }) },
  where: {
    schema: wherePage,
    toAnswers: (v) => ({ areaId: v.areaId, placeDescription: v.placeDescription, whereAnswered: true }),
  },
  groups: { schema: groupsPage, ids: { affectedGroups: 'affectedGroups' }, toAnswers: (v) => v },
  who: {
    schema: whoPage,
    ids: { forGroup: 'forGroup' },
    toAnswers: (v) => ({ forGroup: v.forGroup, groupName: v.forGroup === 'yes' ? v.groupName : undefined }),
  },
  contact: {
    schema: contactPage,
    ids: { contactMode: 'contactMode', preferredContact: 'preferredContact' },
    // Choosing anonymous wipes anything typed before, so it is never stored.
    toAnswers: (v) => ({
      contactMode: v.contactMode,
      contactName: v.contactName,
      contactEmail: v.contactEmail,
      contactPhone: v.contactPhone,
      preferredContact: v.preferredContact,
    }),
  },
  consent: { schema: consentPage, ids: { consentToShare: 'consentToShare' }, toAnswers: (v) => v },
  equality: {
    schema: equalityPage,
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

export function shareRoutes(app: FastifyInstance, services: Services, secureCookies: boolean) {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secureCookies };

  function draftToken(request: FastifyRequest): string | undefined {
    return request.cookies[DRAFT_COOKIE];
  }

  async function stepContext(request: FastifyRequest, step: Step, answers: Record<string, unknown>) {
    const base = {
      step,
      answers,
      values: answers,
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
    const t = reply.request.t;
    return reply.view(`share/views/${step}.njk`, {
      pageTitle: t(`share.${step}.title`, {
        kind: String((context.answers as Record<string, unknown>).kind ?? 'concern'),
      }),
      ...context,
    });
  }

  app.get(paths.home(), async (_request, reply) =>
    reply.view('share/views/start.njk', { pageTitle: reply.request.t('share.start.title') }),
  );

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

    app.post(stepPath(step), { config: { rateLimit: QUESTION_LIMIT } }, async (request, reply) => {
      const body = request.body as Record<string, unknown> | undefined;
      // "Skip these questions" on the equality page stores nothing from that page.
      const skipped = step === 'equality' && body?.skip === 'yes';
      const parsed = parseForm(def.schema, skipped ? {} : body, request.t, def.ids);
      let token = draftToken(request);
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
        reply.setCookie(DRAFT_COOKIE, token, { ...cookieOptions, maxAge: 7 * 24 * 60 * 60 });
      }
      const answers = await services.share.save(
        request.partnership.id,
        token,
        def.toAnswers(parsed.value as Record<string, unknown>),
      );
      const missing = firstMissingStep(answers);
      return reply.redirect(answers.reviewed || !missing ? paths.share.check() : stepPath(missing));
    });
  }

  app.get(paths.share.check(), async (request, reply) => {
    const token = draftToken(request);
    const answers = await services.share.load(request.partnership.id, token);
    const missing = firstMissingStep(answers);
    if (missing) return reply.redirect(stepPath(missing));
    if (!answers.reviewed && token)
      await services.share.save(request.partnership.id, token, { reviewed: true });
    const areas = await services.share.areas(request.partnership.id);
    const area = areas.find((a) => a.id === answers.areaId);
    return reply.view('share/views/check.njk', {
      pageTitle: request.t('share.check.title'),
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
    return reply.view('share/views/confirmation.njk', {
      pageTitle: request.t('share.confirmation.title', { kind: c.kind }),
      confirmation: {
        ...c,
        reference: formatReference(c.reference),
        trackingCode: c.trackingCode ? formatTrackingCode(c.trackingCode) : undefined,
      },
    });
  });

  app.get(paths.progress.form(), async (request, reply) =>
    reply.view('share/views/progress.njk', { pageTitle: request.t('share.progress.title'), values: {} }),
  );

  app.post(paths.progress.form(), { config: { rateLimit: PROGRESS_LIMIT } }, async (request, reply) => {
    const parsed = parseForm(progressForm, request.body, request.t);
    const values = request.body as Record<string, unknown>;
    if (!parsed.ok) {
      reply.code(400);
      return reply.view('share/views/progress.njk', {
        pageTitle: request.t('share.progress.title'),
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
      const text = request.t('share.progress.errors.noMatch');
      reply.code(400);
      return reply.view('share/views/progress.njk', {
        pageTitle: request.t('share.progress.title'),
        values,
        errors: [{ href: '#reference', text }],
        fieldErrors: { reference: text },
      });
    }
    return reply.view('share/views/progress-result.njk', {
      pageTitle: request.t('share.progress.resultTitle'),
      view: { ...result.view, reference: formatReference(result.view.reference) },
    });
  });
}
