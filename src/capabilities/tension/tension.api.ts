import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { staffActor } from '../../platform/auth/actor.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { requireTension } from './tension.routes.js';
import {
  apiPictureQuery,
  apiReportsQuery,
  apiTensionBody,
  createdResponse,
  idParams,
  pictureResponse,
  problemResponse,
  reportJson,
  reportsResponse,
} from './tension.schema.js';
import type { TensionAssessment, TensionCategory, TensionLevel, TensionSource } from './vocabulary.js';

const TAGS = ['Community tension'];
const errors = { 400: problemResponse, 401: problemResponse, 403: problemResponse, 404: problemResponse };

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
  };
}

function refuse(request: FastifyRequest, reply: FastifyReply, problem: string) {
  if (problem === 'notFound') return reply.sendError('notFound');
  return reply.code(problem === 'forbidden' ? 403 : 400).send({
    error: problem === 'forbidden' ? 'forbidden' : 'badRequest',
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
        summary: 'One tension report',
        params: idParams,
        response: { 200: reportJson, ...errors },
      },
    },
    async (request, reply) => {
      const result = await services.tension.detail(actor(request), request.params.id);
      if (!result.ok) return refuse(request, reply, result.problem);
      return reportToJson(result.report, result.areaName);
    },
  );
}
