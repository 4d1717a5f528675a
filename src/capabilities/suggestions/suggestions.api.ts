import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { paths } from '../../platform/paths.js';
import { okResponse, problemResponse, refParams } from '../concerns/concerns.schema.js';
import { refRoute } from '../concerns/concerns.routes.js';
import { formatReference } from '../concerns/reference.js';
import { apiDecideBody, modelResponse, suggestionResponse } from './suggestions.schema.js';
import type { SuggestionsService } from './suggestions.service.js';
import type { HeadEvaluation } from './model.js';

const REF = '__ref__';
const TAGS = ['Triage suggestions'];
const errors = { 400: problemResponse, 401: problemResponse, 403: problemResponse, 404: problemResponse };

/** The JSON API: a concern's suggestion and the decision on it, and the classifier's accuracy. */
export function suggestionsApi(app: FastifyInstance, suggestions: SuggestionsService) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);
  const one = refRoute(paths.api.suggestion(REF));

  api.get(
    one,
    {
      onRequest: requireStaff('concerns.triage'),
      schema: {
        tags: TAGS,
        summary: "A concern's suggested topic and lead organisation, with confidences",
        params: refParams,
        response: { 200: suggestionResponse, ...errors },
      },
    },
    async (request, reply) => {
      const s = await suggestions.forConcern(actor(request), request.params.ref);
      if (!s) return reply.sendError('notFound');
      return {
        reference: formatReference(request.params.ref),
        topic: s.topic ? { value: s.topic, confidence: s.topicConfidence! } : null,
        leadOrganisation: s.lead ? { id: s.lead.id, name: s.lead.name, confidence: s.leadConfidence! } : null,
        withheldReason: s.withheldReason as 'noModel' | 'unfamiliarText' | 'lowConfidence' | null,
        decision: s.decision,
        decidedTopic: s.decidedTopic,
        decidedLeadOrganisationId: s.decidedLead?.id ?? null,
        decidedAt: s.decidedAt ? s.decidedAt.toISOString() : null,
      };
    },
  );

  api.post(
    one,
    {
      onRequest: requireStaff('concerns.triage'),
      schema: {
        tags: TAGS,
        summary: 'Accept, change or dismiss the suggestion',
        description:
          'Accepting sets the suggested topic and lead; changing sets the given ones. Both go through the same rules and audit as triage on the concern page. Deciding twice changes nothing.',
        params: refParams,
        body: apiDecideBody,
        response: { 200: okResponse, ...errors },
      },
    },
    async (request, reply) => {
      const outcome = await suggestions.decide(actor(request), request.params.ref, request.body);
      if (!outcome.ok) {
        if (outcome.problem === 'notFound') return reply.sendError('notFound');
        return reply.code(outcome.problem === 'forbidden' ? 403 : 400).send({
          error: outcome.problem === 'forbidden' ? 'forbidden' : 'badRequest',
          problem: outcome.problem,
          message: request.t(`suggestions.problems.${outcome.problem}`),
          correlationId: request.correlationId,
        });
      }
      return { ok: true as const, reference: formatReference(request.params.ref) };
    },
  );

  const modelJson = async (request: FastifyRequest) => {
    const result = await suggestions.overview(actor(request));
    if (!result.ok) return undefined;
    const m = result.models[0];
    const head = (e: HeadEvaluation | undefined) => e ?? null;
    return {
      model: m
        ? {
            id: m.id,
            trainedAt: m.createdAt.toISOString(),
            trigger: m.trigger,
            examples: m.examples,
            heldOut: m.heldOut,
            topic: head(m.evaluation.heads.topic),
            lead: head(m.evaluation.heads.lead),
          }
        : null,
      decisionsLast90Days: {
        accepted: result.decisions.accepted ?? 0,
        changed: result.decisions.changed ?? 0,
        dismissed: result.decisions.dismissed ?? 0,
      },
    };
  };

  api.get(
    paths.api.suggestionsModel(),
    {
      onRequest: requireStaff('suggestions.manage'),
      schema: {
        tags: TAGS,
        summary: 'The classifier in use and its accuracy on held-back concerns',
        response: { 200: modelResponse, ...errors },
      },
    },
    async (request, reply) => (await modelJson(request)) ?? reply.sendError('forbidden'),
  );

  api.post(
    paths.api.suggestionsRetrain(),
    {
      onRequest: requireStaff('suggestions.manage'),
      schema: {
        tags: TAGS,
        summary: "Retrain the classifier now on the partnership's triaged concerns",
        response: { 200: modelResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await suggestions.retrainNow(actor(request));
      if (!result.ok) return reply.sendError('forbidden');
      return (await modelJson(request)) ?? reply.sendError('forbidden');
    },
  );
}
