import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { staffActor } from '../../platform/auth/actor.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { requireTension } from './tension.routes.js';
import {
  apiCloseBody,
  apiPictureQuery,
  apiReportsQuery,
  apiTensionBody,
  apiTensionPatch,
  closedResponse,
  createdResponse,
  editedResponse,
  idParams,
  pictureResponse,
  problemResponse,
  reportDetailJson,
  reportsResponse,
} from './tension.schema.js';
import type {
  TensionAssessment,
  TensionCategory,
  TensionCloseReason,
  TensionLevel,
  TensionSource,
} from './vocabulary.js';

const TAGS = ['Community tension'];
const errors = { 400: problemResponse, 401: problemResponse, 403: problemResponse, 404: problemResponse };
/** Refused because the report changed or was closed since it was read. */
const CONFLICTS = new Set(['stale', 'closed', 'alreadyClosed']);

interface ReportLike {
  id: string;
  areaId: string;
  reportedOn: string;
  source: string;
  category: string;
  assessment: string;
  level: string;
  summary: string;
  actions?: string | null;
  reviewDate: string;
  escalatedAt: Date | null;
  version: number;
  updatedAt: Date | null;
  closedAt: Date | null;
  closedReason: string | null;
  closedNote: string | null;
  mergedIntoId: string | null;
}

function reportToJson(r: ReportLike, areaName: string) {
  return {
    id: r.id,
    area: { id: r.areaId, name: areaName },
    reportedOn: r.reportedOn,
    source: r.source as TensionSource,
    category: r.category as TensionCategory,
    assessment: r.assessment as TensionAssessment,
    level: r.level as TensionLevel,
    summary: r.summary,
    actions: r.actions ?? null,
    reviewDate: r.reviewDate,
    escalated: r.escalatedAt !== null,
    version: r.version,
    updatedAt: r.updatedAt?.toISOString() ?? null,
    closed: r.closedAt
      ? {
          at: r.closedAt.toISOString(),
          reason: r.closedReason as TensionCloseReason,
          note: r.closedNote,
          mergedIntoId: r.mergedIntoId,
        }
      : null,
  };
}

function refuse(request: FastifyRequest, reply: FastifyReply, problem: string) {
  if (problem === 'notFound') return reply.sendError('notFound');
  const code = problem === 'forbidden' ? 403 : CONFLICTS.has(problem) ? 409 : 400;
  return reply.code(code).send({
    error: problem === 'forbidden' ? 'forbidden' : code === 409 ? 'conflict' : 'badRequest',
    problem,
    message: request.t(`tension.problems.${problem}`),
    correlationId: request.correlationId,
  });
}

/**
 * Community tension's JSON API. Only cohesion officers, partnership leads and police officers get in
 * (the same guard as the pages); every read is audited by the service.
 */
export function tensionApi(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);
  const guard = requireTension(services);

  api.get(
    paths.api.tensionPicture(),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'The weekly tension picture: each area with tension, its level per week and its trend',
        querystring: apiPictureQuery,
        response: { 200: pictureResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await services.tension.picture(actor(request), request.query.weeks);
      if (!result.ok) return refuse(request, reply, result.problem);
      return {
        weeks: result.weeks,
        areas: result.areas.map((a) => ({
          areaId: a.areaId,
          area: a.areaName,
          levels: a.levels,
          current: a.current,
          trend: a.trend,
        })),
      };
    },
  );

  api.get(
    paths.api.tensionReports(),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Tension reports, most recent first',
        querystring: apiReportsQuery,
        response: { 200: reportsResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await services.tension.list(actor(request), request.query);
      if (!result.ok) return refuse(request, reply, result.problem);
      return { items: result.items.map((r) => reportToJson(r, r.areaName)) };
    },
  );

  api.post(
    paths.api.tensionReports(),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Add a tension report',
        description:
          'A report that raises its area to high or critical emails every partnership lead at once (escalated: true).',
        body: apiTensionBody,
        response: { 201: createdResponse, ...errors },
      },
    },
    async (request, reply) => {
      const outcome = await services.tension.report(actor(request), request.body);
      if (!outcome.ok) return refuse(request, reply, outcome.problem);
      return reply
        .code(201)
        .send({ id: outcome.id, escalated: outcome.escalated, leadsNotified: outcome.notified });
    },
  );

  api.get(
    paths.api.tensionReport('__id__').replace('__id__', ':id'),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'One tension report, with its history of edits and closure',
        params: idParams,
        response: { 200: reportDetailJson, ...errors },
      },
    },
    async (request, reply) => {
      const result = await services.tension.detail(actor(request), request.params.id);
      if (!result.ok) return refuse(request, reply, result.problem);
      return {
        ...reportToJson(result.report, result.areaName),
        history: result.history.map((e) => ({
          kind: e.kind as 'edited' | 'closed',
          at: e.createdAt.toISOString(),
          by: e.staffName,
          // Areas by id, as everywhere else in the API.
          changes: e.changes,
          reason: e.reason as TensionCloseReason | null,
          note: e.note,
          mergedIntoId: e.mergedIntoId,
          escalated: e.escalated,
        })),
      };
    },
  );

  api.patch(
    paths.api.tensionReport('__id__').replace('__id__', ':id'),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Edit a tension report',
        description:
          'Send only the fields to change, and the version you read (a report changed since is refused with 409, as is a closed report). ' +
          'Each edit is kept in the report’s history. An edit that raises its area to high or critical emails every partnership lead, once (escalated: true).',
        params: idParams,
        body: apiTensionPatch,
        response: { 200: editedResponse, 409: problemResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { version, ...changes } = request.body;
      const outcome = await services.tension.edit(actor(request), request.params.id, changes, { version });
      if (!outcome.ok) return refuse(request, reply, outcome.problem);
      return {
        id: outcome.id,
        version: outcome.version,
        changed: outcome.changed,
        escalated: outcome.escalated,
        leadsNotified: outcome.notified,
      };
    },
  );

  api.post(
    paths.api.tensionReportClose('__id__').replace('__id__', ':id'),
    {
      onRequest: guard,
      schema: {
        tags: TAGS,
        summary: 'Close a tension report',
        description:
          'Resolved, no longer relevant, or merged into another open report (mergedIntoId). A closed report stays in the list, ' +
          'marked closed, and no longer counts in the weekly picture from the week it was closed. A report already closed gets 409.',
        params: idParams,
        body: apiCloseBody,
        response: { 200: closedResponse, 409: problemResponse, ...errors },
      },
    },
    async (request, reply) => {
      const outcome = await services.tension.close(actor(request), request.params.id, request.body);
      if (!outcome.ok) return refuse(request, reply, outcome.problem);
      return { id: outcome.id, closedAt: outcome.closedAt.toISOString(), version: outcome.version };
    },
  );
}
