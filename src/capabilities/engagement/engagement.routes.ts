import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { parseForm, type FieldError } from '../../platform/forms.js';
import { dateInputAnchor } from '../../platform/forms/date-input.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { formatReference } from '../concerns/reference.js';
import { TOPICS } from '../concerns/vocabulary.js';
import { londonToday } from './engagement.dates.js';
import { coverageQuery, engagementForm, engagementFromForm, referralForm } from './engagement.schema.js';
import {
  COMMON_LANGUAGES,
  ENGAGEMENT_TYPES,
  ISSUE_OUTCOMES,
  ISSUE_SLOTS,
  REFERRAL_SLOTS,
  REFERRAL_STATUSES,
} from './vocabulary.js';

const ID = '__id__';
const RID = '__rid__';
const route = (url: string) => url.replace(ID, ':id').replace(RID, ':referralId');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The draft-keeping script, read once: a small file served from 'self', as the CSP allows. */
const STATIC = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');
const DRAFT_SCRIPT = readFileSync(path.join(STATIC, 'draft.js'), 'utf8');
/** Also used by the tension pages, whose tables scroll the same way on a phone. */
const STYLESHEET = readFileSync(path.join(STATIC, 'engagement.css'), 'utf8');

interface ReferralErrors {
  referralId: string;
  values: Record<string, string>;
  errors: FieldError[];
  byField: Record<string, string>;
}

export function engagementPages(app: FastifyInstance, services: Services) {
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);

  app.get(paths.staff.engagement.draftScript(), async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'no-cache').send(DRAFT_SCRIPT),
  );

  app.get(paths.staff.engagement.stylesheet(), async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('Cache-Control', 'no-cache').send(STYLESHEET),
  );

  app.get(
    paths.staff.engagement.home(),
    { preHandler: requireStaff('engagement.view') },
    async (request, reply) => {
      const result = await services.engagement.dashboard(actor(request));
      if (!result.ok) return reply.sendError('forbidden');
      return reply.view('engagement/views/home.njk', {
        pageTitle: request.t('engagement.home.title'),
        ...result,
        mayLog: request.staff!.roles.includes('cohesion_officer'),
      });
    },
  );

  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) {
    const choices = await services.engagement.choices(actor(request));
    return reply.view('engagement/views/new.njk', {
      pageTitle: request.t('engagement.new.title'),
      areas: choices.areas,
      organisations: choices.organisations,
      types: ENGAGEMENT_TYPES,
      outcomes: ISSUE_OUTCOMES,
      topics: TOPICS,
      languageChoices: COMMON_LANGUAGES,
      issueSlots: Array.from({ length: ISSUE_SLOTS }, (_, i) => i + 1),
      referralSlots: Array.from({ length: REFERRAL_SLOTS }, (_, i) => i + 1),
      values: { idempotencyKey: randomUUID(), occurredDate: londonToday() },
      draftState: 'fresh',
      ...extra,
    });
  }

  app.get(paths.staff.engagement.new(), { preHandler: requireStaff('engagement.log') }, (request, reply) =>
    renderForm(request, reply),
  );

  app.post(
    paths.staff.engagement.new(),
    { preHandler: requireStaff('engagement.log') },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const ids: Record<string, string> = { type: 'type', languages: 'languages' };
      for (let i = 1; i <= ISSUE_SLOTS; i++) ids[`issue${i}Outcome`] = `issue${i}Outcome`;
      const rerender = (errors: { href: string; text: string }[], byField: Record<string, string>) => {
        reply.code(400);
        // Keep the key the officer's browser holds: the corrected form is the same engagement.
        const key =
          typeof body.idempotencyKey === 'string' && body.idempotencyKey ? body.idempotencyKey : randomUUID();
        return renderForm(request, reply, {
          values: { ...body, idempotencyKey: key },
          errors,
          fieldErrors: byField,
          draftState: 'errors',
        });
      };
      const parsed = parseForm(engagementForm, body, request.t, ids);
      if (!parsed.ok) return rerender(parsed.errors, parsed.byField);
      const outcome = await services.engagement.log(actor(request), engagementFromForm(parsed.value));
      if (!outcome.ok) {
        if (outcome.problem === 'forbidden') return reply.sendError('forbidden');
        const field = outcome.field ?? 'areaId';
        const text = request.t(`engagement.problems.${outcome.problem}`);
        // A date is three boxes: the link goes to the first.
        const anchor = field === 'occurredDate' ? dateInputAnchor(field) : field;
        return rerender([{ href: `#${anchor}`, text }], { [field]: text });
      }
      return reply.redirect(
        paths.staff.engagement.show(outcome.id, { saved: outcome.replayed ? 'again' : 'yes' }),
      );
    },
  );

  app.get(
    paths.staff.engagement.coverage(),
    { preHandler: requireStaff('engagement.view') },
    async (request, reply) => {
      const q = coverageQuery.parse(request.query ?? {});
      const result = await services.engagement.coverage(actor(request), q);
      if (!result.ok) return reply.sendError('forbidden');
      return reply.view('engagement/views/coverage.njk', {
        pageTitle: request.t('engagement.coverage.title'),
        ...result,
        monthLabels: result.months.map((m) =>
          new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
            new Date(`${m}-01T00:00:00Z`),
          ),
        ),
        q,
      });
    },
  );

  /** One engagement; with a referral's rejected update (400), that referral's form shows its errors. */
  async function renderShow(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { saved?: string; referralErrors?: ReferralErrors } = {},
  ) {
    const result = await services.engagement.detail(actor(request), id);
    if (!result.ok) return reply.sendError(result.problem === 'forbidden' ? 'forbidden' : 'notFound');
    const rejected = extra.referralErrors;
    return reply.view('engagement/views/show.njk', {
      pageTitle: request.t('engagement.show.title'),
      ...result,
      issues: result.issues.map((i) => ({
        ...i,
        reference: i.concernReference ? formatReference(i.concernReference) : undefined,
      })),
      referrals: result.referrals.map((r) => ({
        ...r,
        // The referral's form shows what was sent when it was refused, else the saved values.
        values: rejected?.referralId === r.id ? rejected.values : { followUpDue: r.followUpDue ?? '' },
        formStatus: rejected?.referralId === r.id ? (rejected.values.status ?? r.status) : r.status,
        fieldErrors: rejected?.referralId === r.id ? rejected.byField : {},
      })),
      errors: rejected?.errors,
      statuses: REFERRAL_STATUSES,
      saved: extra.saved === 'yes' || extra.saved === 'again' ? extra.saved : undefined,
      today: londonToday(),
    });
  }

  app.get(
    route(paths.staff.engagement.show(ID)),
    { preHandler: requireStaff('engagement.view') },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!GUID.test(id)) return reply.sendError('notFound');
      const saved = (request.query as { saved?: string } | undefined)?.saved;
      return renderShow(request, reply, id, { saved });
    },
  );

  app.post(
    route(paths.staff.engagement.referral(ID, RID)),
    { preHandler: requireStaff('engagement.log') },
    async (request, reply) => {
      const { id, referralId } = request.params as { id: string; referralId: string };
      if (!GUID.test(id) || !GUID.test(referralId)) return reply.sendError('notFound');
      const body = (request.body ?? {}) as Record<string, string>;
      // Each referral has its own form on the page, so its fields' ids carry the referral's id.
      const ids = { status: `status-${referralId}`, followUpDue: `followUpDue-${referralId}` };
      const parsed = parseForm(referralForm, body, request.t, ids);
      if (!parsed.ok) {
        reply.code(400);
        return renderShow(request, reply, id, {
          referralErrors: { referralId, values: body, errors: parsed.errors, byField: parsed.byField },
        });
      }
      const outcome = await services.engagement.updateReferral(actor(request), id, referralId, parsed.value);
      if (!outcome.ok) return reply.sendError(outcome.problem === 'forbidden' ? 'forbidden' : 'notFound');
      return reply.redirect(paths.staff.engagement.show(id, { updated: 'referral' }));
    },
  );

  app.post(
    route(paths.staff.engagement.followUpDone(ID)),
    { preHandler: requireStaff('engagement.log') },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!GUID.test(id)) return reply.sendError('notFound');
      const outcome = await services.engagement.completeFollowUp(actor(request), id);
      if (!outcome.ok) return reply.sendError(outcome.problem === 'forbidden' ? 'forbidden' : 'notFound');
      return reply.redirect(paths.staff.engagement.home());
    },
  );
}
