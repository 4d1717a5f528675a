import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { formatReference } from '../concerns/reference.js';
import {
  apiCoverageQuery,
  apiEngagementBody,
  apiListQuery,
  apiReferralBody,
  coverageResponse,
  engagementFromApi,
  followUpsResponse,
  idParams,
  listResponse,
  problemResponse,
  referralParams,
  savedResponse,
  engagementJson,
} from './engagement.schema.js';
import type { EngagementService } from './engagement.service.js';
import type { EngagementType, ReferralStatus } from './vocabulary.js';

const TAGS = ['Engagement log'];
const ID = '__id__';
const RID = '__rid__';
const route = (url: string) => url.replace(ID, ':id').replace(RID, ':referralId');
const errors = { 400: problemResponse, 401: problemResponse, 403: problemResponse, 404: problemResponse };

type Detail = Extract<Awaited<ReturnType<EngagementService['detail']>>, { ok: true }>;

function detailJson(d: Detail) {
  const e = d.engagement;
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    area: { id: e.areaId, name: d.areaName },
    place: e.place,
    type: e.type as EngagementType,
    officer: d.officerName,
    groupsMet: e.groupsMet,
    peopleEstimate: e.peopleEstimate,
    languages: e.languages,
    notes: e.notes,
    followUpDue: e.followUpDue,
    followUpNote: e.followUpNote,
    followUpDone: e.followUpDoneAt !== null,
    issues: d.issues.map((i) => ({
      summary: i.summary,
      outcome: i.outcome,
      concern: i.concernReference
        ? { reference: formatReference(i.concernReference), kind: i.concernKind!, status: i.concernStatus! }
        : null,
    })),
    referrals: d.referrals.map((r) => ({
      id: r.id,
      to: r.organisationName ?? r.serviceName,
      organisationId: r.organisationId,
      reason: r.reason,
      status: r.status as ReferralStatus,
      followUpDue: r.followUpDue,
    })),
    createdAt: e.createdAt.toISOString(),
  };
}

function refuse(request: FastifyRequest, reply: FastifyReply, problem: string, field?: string) {
  if (problem === 'notFound') return reply.sendError('notFound');
  return reply.code(problem === 'forbidden' ? 403 : 400).send({
    error: problem === 'forbidden' ? 'forbidden' : 'badRequest',
    problem,
    ...(field ? { field } : {}),
    message: request.t(`engagement.problems.${problem}`),
    correlationId: request.correlationId,
  });
}

/** The engagement log's JSON API: what the pages do, described for /api/docs. */
export function engagementApi(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);

  api.get(
    paths.api.engagements(),
    {
      onRequest: requireStaff('engagement.view'),
      schema: {
        tags: TAGS,
        summary: 'List engagements, most recent first',
        querystring: apiListQuery,
        response: { 200: listResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await services.engagement.list(actor(request), request.query);
      if (!result.ok) return refuse(request, reply, result.problem);
      return {
        items: result.items.map((i) => ({
          id: i.id,
          occurredAt: i.occurredAt.toISOString(),
          area: i.areaName,
          place: i.place,
          type: i.type as EngagementType,
          officer: i.officerName,
          issues: Number(i.issues),
          referrals: Number(i.referrals),
        })),
      };
    },
  );

  api.post(
    paths.api.engagements(),
    {
      onRequest: requireStaff('engagement.log'),
      schema: {
        tags: TAGS,
        summary: 'Log an engagement (idempotent by idempotencyKey)',
        description:
          'Issues with outcome concern or suggestion become concerns (channel engagement) in the same transaction. ' +
          'Sending the same idempotencyKey again returns the saved engagement with status 200 and replayed: true.',
        body: apiEngagementBody,
        response: { 200: savedResponse, 201: savedResponse, ...errors },
      },
    },
    async (request, reply) => {
      const a = actor(request);
      const outcome = await services.engagement.log(a, engagementFromApi(request.body));
      if (!outcome.ok) return refuse(request, reply, outcome.problem, outcome.field);
      const detail = await services.engagement.detail(a, outcome.id);
      if (!detail.ok) return refuse(request, reply, detail.problem);
      return reply
        .code(outcome.replayed ? 200 : 201)
        .send({ replayed: outcome.replayed, engagement: detailJson(detail) });
    },
  );

  api.get(
    paths.api.engagementFollowUps(),
    {
      onRequest: requireStaff('engagement.view'),
      schema: {
        tags: TAGS,
        summary: "Your follow-ups due and open referrals (the officer's view)",
        response: { 200: followUpsResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await services.engagement.dashboard(actor(request));
      if (!result.ok) return refuse(request, reply, result.problem);
      return {
        followUps: result.followUps,
        openReferrals: result.openReferrals.map((r) => ({
          id: r.id,
          engagementId: r.engagementId,
          to: r.organisationName ?? r.serviceName,
          organisationId: r.organisationId,
          reason: r.reason,
          status: r.status as ReferralStatus,
          followUpDue: r.followUpDue,
          area: r.areaName,
        })),
      };
    },
  );

  api.get(
    paths.api.engagementCoverage(),
    {
      onRequest: requireStaff('engagement.view'),
      schema: {
        tags: TAGS,
        summary:
          "Coverage by area and type per month, and areas with no contact in N weeks (the manager's view)",
        querystring: apiCoverageQuery,
        response: { 200: coverageResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await services.engagement.coverage(actor(request), request.query);
      if (!result.ok) return refuse(request, reply, result.problem);
      return {
        months: result.months,
        weeks: result.weeks,
        byArea: result.byArea.map((r) => ({
          areaId: r.area.id,
          area: r.area.name,
          perMonth: r.perMonth,
          total: r.total,
        })),
        byType: result.byType,
        noContact: result.noContact.map((n) => ({
          areaId: n.area.id,
          area: n.area.name,
          lastContact: n.lastContact ? n.lastContact.toISOString() : null,
        })),
      };
    },
  );

  api.get(
    route(paths.api.engagement(ID)),
    {
      onRequest: requireStaff('engagement.view'),
      schema: {
        tags: TAGS,
        summary: 'One engagement',
        params: idParams,
        response: { 200: engagementJson, ...errors },
      },
    },
    async (request, reply) => {
      const result = await services.engagement.detail(actor(request), request.params.id);
      if (!result.ok) return refuse(request, reply, result.problem);
      return detailJson(result);
    },
  );

  api.post(
    route(paths.api.engagementReferral(ID, RID)),
    {
      onRequest: requireStaff('engagement.log'),
      schema: {
        tags: TAGS,
        summary: "Update a referral's follow-up status",
        params: referralParams,
        body: apiReferralBody,
        response: { 200: engagementJson, ...errors },
      },
    },
    async (request, reply) => {
      const a = actor(request);
      const outcome = await services.engagement.updateReferral(
        a,
        request.params.id,
        request.params.referralId,
        request.body,
      );
      if (!outcome.ok) return refuse(request, reply, outcome.problem);
      const detail = await services.engagement.detail(a, request.params.id);
      if (!detail.ok) return refuse(request, reply, detail.problem);
      return detailJson(detail);
    },
  );
}
