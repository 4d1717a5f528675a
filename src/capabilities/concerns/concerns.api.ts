import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { staffActor } from '../../platform/auth/actor.js';
import { requireAnyPermission, requireStaff } from '../../platform/auth/auth.plugin.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import {
  apiAssignBody,
  apiNoteBody,
  apiQueueQuery,
  apiRecordBody,
  apiRedactBody,
  apiShareBody,
  apiStatusBody,
  auditResponse,
  detailResponse,
  okResponse,
  problemResponse,
  queueResponse,
  recordedResponse,
  refParams,
  type ApiRecordBody,
} from './concerns.schema.js';
import type { ConcernsService } from './concerns.service.js';
import { QUEUE_PERMISSIONS, refRoute } from './concerns.routes.js';
import { formatReference, formatTrackingCode, normaliseReference } from './reference.js';

const REF = '__ref__';
const TAGS = ['Concerns'];
const errors = { 400: problemResponse, 401: problemResponse, 403: problemResponse, 404: problemResponse };

type Detail = Extract<Awaited<ReturnType<ConcernsService['detail']>>, { ok: true }>;
const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

function detailJson(d: Detail) {
  const c = d.concern;
  return {
    reference: formatReference(c.reference),
    kind: c.kind,
    topic: c.topic,
    description: c.description,
    redacted: c.redacted,
    language: c.language,
    writtenLanguage: c.writtenLanguage,
    writtenLanguageSource: c.writtenLanguageSource,
    urgent: c.urgent,
    urgentSignals: c.urgentSignals,
    status: c.status,
    closureReason: c.closureReason,
    referredTo: c.referredTo,
    area: c.areaId ? { id: c.areaId, name: c.areaName } : null,
    placeDescription: c.placeDescription,
    whenText: c.whenText,
    affectedGroups: c.affectedGroups,
    forGroup: c.forGroup,
    groupName: c.groupName,
    channel: c.channel,
    source: c.source,
    recordedBy: c.recordedByName,
    anonymous: c.anonymous,
    consentToShare: c.consentToShare,
    contact: d.contact ?? null,
    contactHidden: d.contactHidden,
    equality: d.equality ?? null,
    leadOrganisation: c.leadOrganisationId
      ? { id: c.leadOrganisationId, name: c.leadOrganisationName }
      : null,
    organisations: d.shares.map((s) => ({ id: s.organisationId, name: s.name, role: s.role })),
    assignee: c.assignedStaffId ? { id: c.assignedStaffId, name: c.assigneeName } : null,
    createdAt: iso(c.createdAt),
    acknowledgeDueAt: iso(c.acknowledgeDueAt),
    respondDueAt: iso(c.respondDueAt),
    firstResponseAt: isoOrNull(c.firstResponseAt),
    closedAt: isoOrNull(c.closedAt),
    overdue: c.overdue,
    events: d.events.map((e) => ({
      kind: e.kind,
      visibility: e.visibility,
      body: e.body,
      details: e.details,
      by: e.staffName,
      organisation: e.organisationName,
      at: iso(e.createdAt),
    })),
    linked: d.linked.map((l) => ({
      reference: formatReference(l.reference),
      status: l.status,
      createdAt: iso(l.createdAt),
    })),
    redactions: d.redactions.map((r) => ({
      originalDescription: r.originalDescription,
      reason: r.reason,
      by: r.staffName,
      at: iso(r.createdAt),
    })),
    assignable: d.assignable.map((s) => ({ id: s.id, name: s.name, organisation: s.organisationName })),
    nextStatuses: [...d.nextStatuses],
    may: d.may,
  };
}

function recordInput(body: ApiRecordBody) {
  const named = !body.anonymous;
  return {
    kind: body.kind,
    topic: body.topic,
    description: body.description,
    areaId: body.areaId,
    placeDescription: body.placeDescription || undefined,
    whenText: body.whenText || undefined,
    affectedGroups: body.affectedGroups,
    forGroup: false,
    anonymous: body.anonymous,
    contactName: named ? body.contact?.name : undefined,
    contactEmail: named ? body.contact?.email : undefined,
    contactPhone: named ? body.contact?.phone : undefined,
    preferredContact: named
      ? (body.contact?.preferred ?? (body.contact?.email ? 'email' : 'phone'))
      : undefined,
    consentToShare: body.consentToShare,
    channel: body.channel,
    source: body.source || undefined,
    language: 'en',
  } as const;
}

/** A refused action: 404 for anything the caller may not see, 403 for not allowed, else 400 saying why. */
function refuse(request: FastifyRequest, reply: FastifyReply, problem: string) {
  if (problem === 'notFound') return reply.sendError('notFound');
  return reply.code(problem === 'forbidden' ? 403 : 400).send({
    error: problem === 'forbidden' ? 'forbidden' : 'badRequest',
    problem,
    message: request.t(`concerns.problems.${problem}`),
    correlationId: request.correlationId,
  });
}

/**
 * The JSON API: everything the concern pages do, described by zod schemas so it appears at /api/docs.
 * Guards run on request, before validation and CSRF, so a caller with no credentials always gets 401.
 */
export function concernsApi(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);
  const one = refRoute(paths.api.concern(REF));

  api.get(
    paths.api.concerns(),
    {
      onRequest: requireAnyPermission(...QUEUE_PERMISSIONS),
      schema: {
        tags: TAGS,
        summary: 'List concerns (the triage queue)',
        description:
          'Triage officers and admins see every concern; other staff see those shared with their organisation.',
        querystring: apiQueueQuery,
        response: { 200: queueResponse, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const result = await services.concerns.queue(actor(request), {
        filters: {
          status: q.status === 'any' ? undefined : q.status,
          topic: q.topic,
          areaId: q.areaId,
          leadOrganisationId: q.leadOrganisationId,
          channel: q.channel,
          urgent: q.urgent,
          overdue: q.overdue,
          writtenLanguage: q.writtenLanguage,
        },
        sort: q.sort,
        cursor: q.cursor,
        limit: q.limit,
      });
      return {
        items: result.items.map((i) => ({
          reference: formatReference(i.reference),
          kind: i.kind,
          topic: i.topic,
          status: i.status,
          urgent: i.urgent,
          overdue: i.overdue,
          channel: i.channel,
          description: i.description,
          writtenLanguage: i.writtenLanguage,
          areaName: i.areaName,
          leadOrganisationName: i.leadOrganisationName,
          createdAt: iso(i.createdAt),
          acknowledgeDueAt: iso(i.acknowledgeDueAt),
          respondDueAt: iso(i.respondDueAt),
          closedAt: isoOrNull(i.closedAt),
        })),
        count: result.count,
        countCapped: result.countCapped,
        nextCursor: result.nextCursor ?? null,
      };
    },
  );

  api.post(
    paths.api.concerns(),
    {
      onRequest: requireStaff('concerns.record'),
      schema: {
        tags: TAGS,
        summary: 'Record a concern on someone’s behalf',
        body: apiRecordBody,
        response: { 201: recordedResponse, ...errors },
      },
    },
    async (request, reply) => {
      const outcome = await services.concerns.record(actor(request), recordInput(request.body));
      if (!outcome.ok) return refuse(request, reply, outcome.problem);
      const { created, visible } = outcome;
      return reply.code(201).send({
        reference: formatReference(created.reference),
        trackingCode: created.trackingCode ? formatTrackingCode(created.trackingCode) : null,
        urgent: created.urgent,
        visible,
      });
    },
  );

  api.get(
    one,
    {
      onRequest: requireStaff(),
      schema: {
        tags: TAGS,
        summary: 'A concern, with its history',
        description: 'Contact details and equality answers appear only for those allowed to see them.',
        params: refParams,
        response: { 200: detailResponse, ...errors },
      },
    },
    async (request, reply) => {
      const detail = await services.concerns.detail(actor(request), request.params.ref);
      if (!detail.ok) return reply.sendError('notFound');
      return detailJson(detail);
    },
  );

  const ok = (ref: string) => ({
    ok: true as const,
    reference: formatReference(normaliseReference(ref) ?? ref),
  });

  api.post(
    `${one}/share`,
    {
      onRequest: requireStaff('concerns.triage'),
      schema: {
        tags: TAGS,
        summary: 'Share with a lead organisation and supporting organisations',
        params: refParams,
        body: apiShareBody,
        response: { 200: okResponse, ...errors },
      },
    },
    async (request, reply) => {
      const r = await services.concerns.share(
        actor(request),
        request.params.ref,
        request.body.lead,
        request.body.supporting,
      );
      return r.ok ? ok(request.params.ref) : refuse(request, reply, r.problem);
    },
  );

  api.post(
    `${one}/assign`,
    {
      onRequest: requireStaff(),
      schema: {
        tags: TAGS,
        summary: 'Assign to a member of staff',
        params: refParams,
        body: apiAssignBody,
        response: { 200: okResponse, ...errors },
      },
    },
    async (request, reply) => {
      const r = await services.concerns.assign(actor(request), request.params.ref, request.body.staffId);
      return r.ok ? ok(request.params.ref) : refuse(request, reply, r.problem);
    },
  );

  api.post(
    `${one}/status`,
    {
      onRequest: requireStaff(),
      schema: {
        tags: TAGS,
        summary: 'Change the status (close, refer, merge as a duplicate, reopen…)',
        params: refParams,
        body: apiStatusBody,
        response: { 200: okResponse, ...errors },
      },
    },
    async (request, reply) => {
      const r = await services.concerns.transition(actor(request), request.params.ref, {
        to: request.body.to,
        reason: request.body.reason || undefined,
        referredTo: request.body.referredTo || undefined,
        duplicateOf: request.body.duplicateOf || undefined,
      });
      return r.ok ? ok(request.params.ref) : refuse(request, reply, r.problem);
    },
  );

  api.post(
    `${one}/notes`,
    {
      onRequest: requireStaff(),
      schema: {
        tags: TAGS,
        summary: 'Add an internal note or a public update',
        params: refParams,
        body: apiNoteBody,
        response: { 200: okResponse, ...errors },
      },
    },
    async (request, reply) => {
      const r = await services.concerns.addNote(
        actor(request),
        request.params.ref,
        request.body.body,
        request.body.visibility,
      );
      return r.ok ? ok(request.params.ref) : refuse(request, reply, r.problem);
    },
  );

  api.post(
    `${one}/redact`,
    {
      onRequest: requireStaff('concerns.triage'),
      schema: {
        tags: TAGS,
        summary: 'Redact the description (the original is kept for partnership admins)',
        params: refParams,
        body: apiRedactBody,
        response: { 200: okResponse, ...errors },
      },
    },
    async (request, reply) => {
      const r = await services.concerns.redact(
        actor(request),
        request.params.ref,
        request.body.replacement,
        request.body.reason,
      );
      return r.ok ? ok(request.params.ref) : refuse(request, reply, r.problem);
    },
  );

  api.get(
    `${one}/audit`,
    {
      onRequest: requireStaff('audit.view'),
      schema: {
        tags: TAGS,
        summary: 'The audit trail of a concern (partnership admins)',
        params: refParams,
        response: { 200: auditResponse, ...errors },
      },
    },
    async (request, reply) => {
      const r = await services.concerns.auditTrail(actor(request), request.params.ref);
      if (!r.ok) return reply.sendError(r.problem === 'forbidden' ? 'forbidden' : 'notFound');
      return {
        reference: formatReference(r.reference),
        trail: r.trail.map((row) => ({
          at: iso(row.at),
          actor: row.actorLabel,
          staffId: row.actorStaffId,
          organisation: row.organisationName,
          action: row.action,
          correlationId: row.correlationId,
          details: row.details,
        })),
      };
    },
  );
}
