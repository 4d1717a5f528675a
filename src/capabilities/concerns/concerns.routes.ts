import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { staffActor, type Actor } from '../../platform/auth/actor.js';
import { requireAnyPermission, requireStaff } from '../../platform/auth/auth.plugin.js';
import { can } from '../../platform/auth/permissions.js';
import { parseForm, type FieldError } from '../../platform/forms.js';
import { paths, type ConcernAction } from '../../platform/paths.js';
import type { Translate } from '../../platform/i18n/index.js';
import type { Services } from '../../services.js';
import type { QueueRequest } from './concerns.service.js';
import {
  assignForm,
  noteForm,
  queueQuery,
  recordForm,
  redactForm,
  replyForm,
  shareForm,
  statusForm,
  STATUS_FILTERS,
  QUEUE_SORTS,
  type QueueQuery,
  type RecordForm,
} from './concerns.schema.js';
import { NOT_ENGLISH } from './concerns.repository.js';
import {
  DETECTABLE_LANGUAGES,
  languageDisplayName,
  mayNeedTranslation,
  undeterminedScript,
} from './written-language.js';
import { formatReference, formatTrackingCode, normaliseReference } from './reference.js';
import {
  AFFECTED_GROUPS,
  CHANNELS,
  EQUALITY_QUESTIONS,
  KINDS,
  RECORDED_CHANNELS,
  TOPICS,
} from './vocabulary.js';

/** Route patterns come from the same builders as links, with a placeholder where the reference goes. */
const REF = '__ref__';
export const refRoute = (url: string) => url.replace(REF, ':ref');

/** The staff who may open the queue: those who see every concern, or those who see shared ones. */
export const QUEUE_PERMISSIONS = ['concerns.viewAll', 'concerns.viewShared', 'concerns.work'] as const;

/** A written-language tag as staff read it: "Dari", or "a language in Cyrillic script" when undetermined. */
function writtenName(t: Translate, tag: string): string {
  const script = undeterminedScript(tag);
  return script ? t('concerns.written.undetermined', { script }) : languageDisplayName(tag);
}

/**
 * What triage is told about the language: what was written, how that was found, the page language
 * chosen, and whether translation may be needed. Older concerns have no written language recorded.
 */
export function writtenLanguageView(
  t: Translate,
  concern: { language: string; writtenLanguage: string | null; writtenLanguageSource: string | null },
) {
  const { writtenLanguage: tag, writtenLanguageSource: source } = concern;
  const name = tag ? writtenName(t, tag) : undefined;
  return {
    pageLanguage: languageDisplayName(concern.language),
    text:
      source === null
        ? t('concerns.written.notRecorded')
        : name === undefined
          ? t('concerns.written.nothing')
          : t('concerns.written.value', { name, how: t(`concerns.written.source.${source}`) }),
    name,
    mayNeedTranslation: mayNeedTranslation(tag),
  };
}

/** The queue's "Written language" choices: not English, then every language the detector names. */
function writtenFilterOptions(t: Translate) {
  return [
    { value: NOT_ENGLISH, text: t('concerns.queue.notEnglish') },
    ...DETECTABLE_LANGUAGES.map((tag) => ({ value: tag, text: languageDisplayName(tag) })).sort((x, y) =>
      x.text.localeCompare(y.text, 'en'),
    ),
  ];
}

const FLASH_COOKIE = 'heard_concerns_flash';
const flashSchema = z.object({
  message: z.string(),
  reference: z.string().optional(),
  trackingCode: z.string().optional(),
});
type Flash = z.infer<typeof flashSchema>;

type Outcome = { ok: true } | { ok: false; problem: string };

/** One action form on the concern page: how to read it, what to call, where each refusal is shown. */
interface ActionDefinition<S extends z.ZodType> {
  action: Extract<ConcernAction, 'share' | 'assign' | 'status' | 'note' | 'redact' | 'reply'>;
  schema: S;
  /** Element ids of each field (forms share a page, so ids are prefixed by the action). */
  ids: Record<string, string>;
  run(actor: Actor, reference: string, value: z.output<S>): Promise<Outcome>;
  /** The success message's translation key. */
  done(value: z.output<S>): string;
  /** The field a refusal is shown against; anything unlisted goes against the first field. */
  problemFields?: Record<string, string>;
}

export function queueRequest(q: QueueQuery, limit = 25): QueueRequest {
  return {
    filters: {
      status: q.status === 'any' ? undefined : q.status,
      topic: q.topic,
      areaId: q.area,
      leadOrganisationId: q.lead,
      channel: q.channel,
      urgent: q.urgent ? true : undefined,
      overdue: q.overdue ? true : undefined,
      writtenLanguage: q.written,
    },
    sort: q.sort,
    cursor: q.cursor,
    limit,
  };
}

export function recordInput(v: RecordForm) {
  const named = v.contactMode === 'named';
  return {
    kind: v.kind,
    topic: v.topic,
    description: v.description,
    areaId: v.areaId,
    placeDescription: v.placeDescription,
    whenText: v.whenText,
    affectedGroups: v.affectedGroups,
    forGroup: false,
    anonymous: !named,
    contactName: named ? v.contactName : undefined,
    contactEmail: named ? v.contactEmail : undefined,
    contactPhone: named ? v.contactPhone : undefined,
    preferredContact: named ? (v.preferredContact ?? (v.contactEmail ? 'email' : 'phone')) : undefined,
    consentToShare: v.consentToShare === 'yes',
    channel: v.channel,
    source: v.source,
    // Staff record in English, whatever language the person spoke.
    language: 'en',
  } as const;
}

export function concernPages(app: FastifyInstance, services: Services, secureCookies: boolean) {
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);

  function setFlash(reply: FastifyReply, flash: Flash) {
    reply.setCookie(FLASH_COOKIE, JSON.stringify(flash), {
      path: '/staff',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      signed: true,
      maxAge: 5 * 60,
    });
  }

  /** A message for the page after a redirect, shown once. */
  function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash | undefined {
    const raw = request.cookies[FLASH_COOKIE];
    if (!raw) return undefined;
    reply.clearCookie(FLASH_COOKIE, { path: '/staff' });
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || !unsigned.value) return undefined;
    try {
      const parsed = flashSchema.safeParse(JSON.parse(unsigned.value));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The triage queue
  // ---------------------------------------------------------------------------------------------

  app.get(
    paths.staff.concerns.queue(),
    { preHandler: requireAnyPermission(...QUEUE_PERMISSIONS) },
    async (request, reply) => {
      const q = queueQuery.parse(request.query ?? {});
      const a = actor(request);
      const result = await services.concerns.queue(a, queueRequest(q));
      const choices = await services.concerns.choices(a);
      // The filters as query values, to carry into the next page's link.
      const current: Record<string, string | undefined> = {
        status: q.status,
        topic: q.topic,
        area: q.area,
        lead: q.lead,
        channel: q.channel,
        urgent: q.urgent,
        overdue: q.overdue,
        written: q.written,
        sort: q.sort,
      };
      return reply.view('concerns/views/queue.njk', {
        pageTitle: request.t('concerns.queue.title'),
        q,
        statusFilters: STATUS_FILTERS,
        sorts: QUEUE_SORTS,
        topics: TOPICS,
        channels: CHANNELS,
        writtenOptions: writtenFilterOptions(request.t),
        organisations: choices.organisations,
        areas: choices.areas,
        items: result.items.map((item) => ({
          ...item,
          reference: formatReference(item.reference),
          href: paths.staff.concerns.show(formatReference(item.reference)),
          // Named only when translation may be needed: an English tag on most rows would be noise.
          writtenName:
            item.writtenLanguage && mayNeedTranslation(item.writtenLanguage)
              ? writtenName(request.t, item.writtenLanguage)
              : undefined,
        })),
        count: result.count,
        countCapped: result.countCapped,
        nextUrl: result.nextCursor
          ? paths.staff.concerns.queue({ ...current, cursor: result.nextCursor })
          : undefined,
        firstUrl: q.cursor ? paths.staff.concerns.queue(current) : undefined,
        // Downloading the list (insight capability) is for those who see every concern.
        exportUrl:
          can(a.roles, 'concerns.export') && can(a.roles, 'concerns.viewAll')
            ? paths.insight.exportFile({ list: 'queue', ...current })
            : undefined,
      });
    },
  );

  // ---------------------------------------------------------------------------------------------
  // Recording on someone's behalf (registered before /:ref; static routes win anyway)
  // ---------------------------------------------------------------------------------------------

  async function renderRecord(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) {
    const choices = await services.concerns.choices(actor(request));
    return reply.view('concerns/views/record.njk', {
      pageTitle: request.t('concerns.record.title'),
      channels: RECORDED_CHANNELS,
      kinds: KINDS,
      topics: TOPICS,
      groups: AFFECTED_GROUPS,
      areas: choices.areas,
      values: {},
      ...extra,
    });
  }

  app.get(
    paths.staff.concerns.record(),
    { preHandler: requireStaff('concerns.record') },
    async (request, reply) => {
      const flash = takeFlash(request, reply);
      if (flash?.message === 'recorded' && flash.reference) {
        // The officer cannot open the new concern, so this is their only chance to read out its details.
        return reply.view('concerns/views/recorded.njk', {
          pageTitle: request.t('concerns.recorded.title'),
          reference: formatReference(flash.reference),
          trackingCode: flash.trackingCode ? formatTrackingCode(flash.trackingCode) : undefined,
        });
      }
      return renderRecord(request, reply);
    },
  );

  app.post(
    paths.staff.concerns.record(),
    { preHandler: requireStaff('concerns.record') },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const ids = {
        channel: 'channel',
        kind: 'kind',
        topic: 'topic',
        affectedGroups: 'affectedGroups',
        contactMode: 'contactMode',
        preferredContact: 'preferredContact',
        consentToShare: 'consentToShare',
      };
      const parsed = parseForm(recordForm, body, request.t, ids);
      if (!parsed.ok) {
        reply.code(400);
        return renderRecord(request, reply, {
          values: body,
          errors: parsed.errors,
          fieldErrors: parsed.byField,
        });
      }
      const outcome = await services.concerns.record(actor(request), recordInput(parsed.value));
      if (!outcome.ok) {
        if (outcome.problem === 'forbidden') return reply.sendError('forbidden');
        const text = request.t('concerns.errors.areaInvalid');
        reply.code(400);
        return renderRecord(request, reply, {
          values: body,
          errors: [{ href: '#areaId', text }],
          fieldErrors: { areaId: text },
        });
      }
      const { created, visible } = outcome;
      setFlash(reply, {
        message: 'recorded',
        reference: created.reference,
        trackingCode: created.trackingCode,
      });
      return reply.redirect(
        visible
          ? paths.staff.concerns.show(formatReference(created.reference))
          : paths.staff.concerns.record(),
      );
    },
  );

  // ---------------------------------------------------------------------------------------------
  // The concern page and its actions
  // ---------------------------------------------------------------------------------------------

  async function renderConcern(
    request: FastifyRequest,
    reply: FastifyReply,
    reference: string,
    extra: Record<string, unknown> = {},
  ) {
    const detail = await services.concerns.detail(actor(request), reference);
    // Not found and not allowed look the same, so references cannot be probed.
    if (!detail.ok) return reply.sendError('notFound');
    const ref = formatReference(detail.concern.reference);
    // The email conversation is shown only to those who may see the person's contact details.
    const mail = await services.notifications.correspondence(actor(request), reference);
    const files = await services.email.listForConcern(actor(request), reference);
    // The triage classifier's suggestion, for those who triage (undefined for everyone else).
    const suggestion = await services.suggestions.forConcern(actor(request), reference);
    const shared = new Set(detail.shares.map((s) => s.organisationId));
    const equality = detail.equality
      ? (Object.keys(EQUALITY_QUESTIONS) as (keyof typeof EQUALITY_QUESTIONS)[])
          .filter((q) => detail.equality![q])
          .map((q) => ({ question: q, answer: detail.equality![q]! }))
      : undefined;
    return reply.view('concerns/views/concern.njk', {
      pageTitle: request.t('concerns.show.title', { reference: ref }),
      ref,
      concern: detail.concern,
      written: writtenLanguageView(request.t, detail.concern),
      contact: detail.contact,
      contactHidden: detail.contactHidden,
      equality,
      redactions: detail.redactions,
      lead: detail.shares.find((s) => s.role === 'lead'),
      supporting: detail.shares.filter((s) => s.role === 'supporting'),
      events: detail.events.map((e) =>
        e.kind === 'merged_in' && typeof e.details.reference === 'string'
          ? { ...e, details: { ...e.details, reference: formatReference(e.details.reference) } }
          : e,
      ),
      linked: detail.linked.map((l) => ({
        ...l,
        reference: formatReference(l.reference),
        href: paths.staff.concerns.show(formatReference(l.reference)),
        isTarget: l.id === detail.concern.duplicateOfId,
      })),
      organisations: detail.organisations.map((o) => ({ ...o, shared: shared.has(o.id) })),
      assignable: detail.assignable,
      nextStatuses: detail.nextStatuses,
      may: detail.may,
      open: detail.concern.closedAt === null,
      groups: AFFECTED_GROUPS,
      auditUrl: paths.staff.concerns.audit(ref),
      correspondence: mail.ok ? mail : { visible: false, items: [], mayReply: false },
      attachments: files.ok ? files.attachments : [],
      suggestion,
      // The programme panel: themes and linked actions (programme/views/_concern-programme.njk).
      programme: await services.programme.concernPanel(actor(request), reference),
      values: {},
      fieldErrors: {},
      ...extra,
    });
  }

  app.get(
    refRoute(paths.staff.concerns.show(REF)),
    { preHandler: requireStaff() },
    async (request, reply) => {
      const { ref } = request.params as { ref: string };
      const flash = takeFlash(request, reply);
      return renderConcern(request, reply, ref, {
        flash: flash
          ? {
              ...flash,
              reference: flash.reference ? formatReference(flash.reference) : undefined,
              trackingCode: flash.trackingCode ? formatTrackingCode(flash.trackingCode) : undefined,
            }
          : undefined,
      });
    },
  );

  function action<S extends z.ZodType>(def: ActionDefinition<S>) {
    app.post(
      refRoute(paths.staff.concerns.action(REF, def.action)),
      { preHandler: requireStaff() },
      async (request, reply) => {
        const { ref } = request.params as { ref: string };
        const reference = normaliseReference(ref);
        if (!reference) return reply.sendError('notFound');
        const body = (request.body ?? {}) as Record<string, unknown>;
        const rerender = (status: number, errors: FieldError[], byField: Record<string, string>) => {
          reply.code(status);
          return renderConcern(request, reply, reference, {
            errors,
            fieldErrors: { [def.action]: byField },
            values: { [def.action]: body },
          });
        };
        const parsed = parseForm(def.schema, body, request.t, def.ids);
        if (!parsed.ok) return rerender(400, parsed.errors, parsed.byField);
        const outcome = await def.run(actor(request), reference, parsed.value);
        if (!outcome.ok) {
          if (outcome.problem === 'notFound') return reply.sendError('notFound');
          const field = def.problemFields?.[outcome.problem] ?? Object.keys(def.ids)[0]!;
          const text = request.t(`concerns.problems.${outcome.problem}`);
          return rerender(
            outcome.problem === 'forbidden' ? 403 : 400,
            [{ href: `#${def.ids[field]}`, text }],
            {
              [field]: text,
            },
          );
        }
        setFlash(reply, { message: def.done(parsed.value) });
        return reply.redirect(paths.staff.concerns.show(formatReference(reference)));
      },
    );
  }

  action({
    action: 'share',
    schema: shareForm,
    ids: { lead: 'share-lead', supporting: 'share-supporting' },
    run: (a, ref, v) => services.concerns.share(a, ref, v.lead, v.supporting),
    done: () => 'shared',
  });

  action({
    action: 'assign',
    schema: assignForm,
    ids: { staffId: 'assign-staffId' },
    run: (a, ref, v) => services.concerns.assign(a, ref, v.staffId),
    done: () => 'assigned',
  });

  action({
    action: 'status',
    schema: statusForm,
    ids: {
      to: 'status-to',
      reason: 'status-reason',
      referredTo: 'status-referredTo',
      duplicateOf: 'status-duplicateOf',
    },
    run: (a, ref, v) => services.concerns.transition(a, ref, v),
    done: (v) => (v.to === 'duplicate' ? 'merged' : 'status'),
    problemFields: {
      reasonRequired: 'reason',
      referredToRequired: 'referredTo',
      duplicateOfRequired: 'duplicateOf',
      duplicateNotFound: 'duplicateOf',
    },
  });

  action({
    action: 'note',
    schema: noteForm,
    ids: { body: 'note-body', visibility: 'note-visibility' },
    run: (a, ref, v) => services.concerns.addNote(a, ref, v.body, v.visibility),
    done: (v) => (v.visibility === 'public' ? 'publicUpdate' : 'note'),
  });

  action({
    action: 'reply',
    schema: replyForm,
    ids: { body: 'reply-body' },
    run: (a, ref, v) => services.notifications.replyByEmail(a, ref, v.body),
    done: () => 'emailed',
  });

  action({
    action: 'redact',
    schema: redactForm,
    ids: { replacement: 'redact-replacement', reason: 'redact-reason' },
    run: (a, ref, v) => services.concerns.redact(a, ref, v.replacement, v.reason),
    done: () => 'redacted',
  });

  // ---------------------------------------------------------------------------------------------
  // The audit trail
  // ---------------------------------------------------------------------------------------------

  app.get(
    refRoute(paths.staff.concerns.audit(REF)),
    { preHandler: requireStaff('audit.view') },
    async (request, reply) => {
      const { ref } = request.params as { ref: string };
      const result = await services.concerns.auditTrail(actor(request), ref);
      if (!result.ok) return reply.sendError(result.problem === 'forbidden' ? 'forbidden' : 'notFound');
      const reference = formatReference(result.reference);
      return reply.view('concerns/views/audit.njk', {
        pageTitle: request.t('concerns.audit.title', { reference }),
        reference,
        backUrl: paths.staff.concerns.show(reference),
        trail: result.trail,
      });
    },
  );
}
