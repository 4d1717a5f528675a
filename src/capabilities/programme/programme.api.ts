import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { problemResponse } from '../concerns/concerns.schema.js';
import {
  actionDetailResponse,
  actionListResponse,
  apiLinkBody,
  apiProgressBody,
  apiUpdateBody,
  idParams,
  okResponse,
  packResponse,
  prioritiesResponse,
  updatedResponse,
} from './programme.schema.js';
import type { ProgrammeService } from './programme.service.js';

const ID = '__id__';
const TAGS = ['Programme'];
const errors = { 400: problemResponse, 401: problemResponse, 403: problemResponse, 404: problemResponse };
const route = (url: string) => url.replace(ID, ':id');

type Decorated = Extract<Awaited<ReturnType<ProgrammeService['mine']>>, { ok: true }>['led'][number];

function summary(a: Decorated) {
  return {
    id: a.id,
    priority: a.priorityTitle,
    title: a.title,
    description: a.description,
    leadOrganisation: a.leadOrganisationName,
    leadOfficer: a.leadStaffName,
    partnerOrganisationIds: a.partnerOrganisationIds,
    status: a.status,
    statusReason: a.statusReason,
    progress: a.progress,
    rag: a.rag,
    ragReason: a.ragReason,
    startDate: a.startDate,
    dueDate: a.dueDate,
    overdue: a.overdue,
    public: a.public,
    linkedConcerns: a.linkedConcerns,
    milestones: a.milestones.map((m) => ({
      id: m.id,
      title: m.title,
      dueDate: m.dueDate,
      done: m.doneAt !== null,
      overdue: m.overdue,
    })),
  };
}

function refuse(request: FastifyRequest, reply: FastifyReply, problem: string) {
  if (problem === 'notFound') return reply.sendError('notFound');
  return reply.code(problem === 'forbidden' ? 403 : 400).send({
    error: problem === 'forbidden' ? 'forbidden' : 'badRequest',
    problem,
    message: request.t(`programme.problems.${problem}`),
    correlationId: request.correlationId,
  });
}

/** The programme as JSON: priorities and themes, actions, the meeting pack, and updating an action. */
export function programmeApi(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const svc = services.programme;
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);

  api.get(
    paths.api.programmePriorities(),
    {
      onRequest: requireStaff('programme.view'),
      schema: {
        tags: TAGS,
        summary: 'Priorities and the themes that roll up to them',
        response: { 200: prioritiesResponse, ...errors },
      },
    },
    async (request) => {
      const result = await svc.priorities(actor(request));
      return { items: result };
    },
  );

  api.get(
    paths.api.programmeActions(),
    {
      onRequest: requireStaff('programme.view'),
      schema: {
        tags: TAGS,
        summary: 'Every action in the programme',
        response: { 200: actionListResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await svc.overview(actor(request));
      if (!result.ok) return refuse(request, reply, result.problem);
      return { items: result.priorities.flatMap((p) => p.actions.map(summary)) };
    },
  );

  api.get(
    route(paths.api.programmeAction(ID)),
    {
      onRequest: requireStaff('programme.view'),
      schema: {
        tags: TAGS,
        summary: 'One action, its updates, and counts of what shaped it by theme and area',
        params: idParams,
        response: { 200: actionDetailResponse, ...errors },
      },
    },
    async (request, reply) => {
      const d = await svc.action(actor(request), request.params.id);
      if (!d.ok) return refuse(request, reply, d.problem);
      return {
        ...summary(d.action),
        updates: d.updates.map((u) => ({
          id: u.id,
          body: u.body,
          visibility: u.visibility,
          links: u.links,
          figures: u.figures,
          by: u.staffName,
          at: u.createdAt.toISOString(),
        })),
        shapedBy: { total: d.linked.length, byTheme: d.byTheme, byArea: d.byArea },
      };
    },
  );

  api.post(
    route(paths.api.programmeActionDo(ID, 'progress')),
    {
      onRequest: requireStaff('programme.view'),
      schema: {
        tags: TAGS,
        summary: 'Set status, progress and RAG',
        description:
          'For the action’s lead officer, its lead organisation, and admins. A RAG other than green needs a reason; dropping needs a reason.',
        params: idParams,
        body: apiProgressBody,
        response: { 200: okResponse, ...errors },
      },
    },
    async (request, reply) => {
      const outcome = await svc.setProgress(actor(request), request.params.id, request.body);
      if (!outcome.ok) return refuse(request, reply, outcome.problem);
      return { ok: true as const };
    },
  );

  api.post(
    route(paths.api.programmeActionDo(ID, 'updates')),
    {
      onRequest: requireStaff('programme.view'),
      schema: {
        tags: TAGS,
        summary: 'Add an update with evidence',
        description:
          'A public update appears on “You said, we did” and is emailed to every resident who raised a linked concern and chose email.',
        params: idParams,
        body: apiUpdateBody,
        response: { 201: updatedResponse, ...errors },
      },
    },
    async (request, reply) => {
      const outcome = await svc.addUpdate(actor(request), request.params.id, request.body);
      if (!outcome.ok) return refuse(request, reply, outcome.problem);
      return reply.code(201).send({ ok: true as const, updateId: outcome.updateId, told: outcome.told });
    },
  );

  api.post(
    route(paths.api.programmeActionDo(ID, 'links')),
    {
      onRequest: requireStaff('programme.link'),
      schema: {
        tags: TAGS,
        summary: 'Link a concern to the action, or unlink it',
        params: idParams,
        body: apiLinkBody,
        response: { 200: okResponse, ...errors },
      },
    },
    async (request, reply) => {
      const outcome = request.body.unlink
        ? await svc.unlink(actor(request), request.params.id, request.body.reference)
        : await svc.link(actor(request), request.params.id, request.body.reference);
      if (!outcome.ok) return refuse(request, reply, outcome.problem);
      return { ok: true as const };
    },
  );

  api.get(
    paths.api.programmePack(),
    {
      onRequest: requireStaff('programme.view'),
      schema: {
        tags: TAGS,
        summary: 'The meeting pack: RAG, progress and overdue milestones of every action',
        response: { 200: packResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await svc.pack(actor(request));
      if (!result.ok) return refuse(request, reply, result.problem);
      return { generatedOn: result.generatedOn, rows: result.rows };
    },
  );
}
