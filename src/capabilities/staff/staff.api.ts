import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { staffActor } from '../../platform/auth/actor.js';
import { requireStaff } from '../../platform/auth/auth.plugin.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import type { ApiToken, Member } from './staff.service.js';
import {
  createdTokenOut,
  idParams,
  inviteBody,
  meOut,
  memberOut,
  problemOut,
  tokenBody,
  tokenOut,
} from './staff.schema.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function memberJson(m: Member) {
  return {
    id: m.id,
    name: m.name,
    email: m.email,
    organisation: { id: m.organisationId, name: m.organisationName },
    roles: m.roles,
    active: m.active,
    mfaSetUp: m.mfaSetUp,
    invitationPending: m.invitationPending,
    lastSignInAt: iso(m.lastSignInAt),
    createdAt: m.createdAt.toISOString(),
  };
}

function tokenJson(t: ApiToken) {
  return {
    id: t.id,
    name: t.name,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: iso(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
  };
}

/** The problems every route here can answer with, so OpenAPI lists them. */
const problems = { 400: problemOut, 401: problemOut, 403: problemOut };
const problemsWithNotFound = { ...problems, 404: problemOut };

function conflict(request: FastifyRequest, reply: FastifyReply, message: string) {
  return reply.code(409).send({ error: 'conflict', message, correlationId: request.correlationId });
}

/**
 * The JSON API for your own account and API tokens, and for staff administration. Each route's zod
 * schema validates it and documents it at /api/docs.
 */
export function staffApi(app: FastifyInstance, services: Services) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const actor = (request: FastifyRequest) => staffActor(request.staff!, request.correlationId);
  const manage = requireStaff('staff.manage');

  api.get(
    paths.api.me(),
    {
      preHandler: requireStaff(),
      schema: {
        tags: ['Account'],
        summary: 'Who you are signed in as',
        response: { 200: meOut, ...problems },
      },
    },
    async (request) => {
      const s = request.staff!;
      return {
        id: s.id,
        name: s.name,
        email: s.email,
        organisation: { id: s.organisationId, name: s.organisationName },
        partnership: { id: request.partnership.id, name: request.partnership.name },
        roles: s.roles,
        via: s.via,
      };
    },
  );

  api.get(
    paths.api.staff(),
    {
      preHandler: manage,
      schema: {
        tags: ['Staff'],
        summary: 'List staff in your partnership',
        description: 'Needs the partnership administrator role.',
        response: { 200: memberOut.array(), ...problems },
      },
    },
    async (request) => (await services.staff.list(actor(request))).map(memberJson),
  );

  api.post(
    paths.api.staff(),
    {
      preHandler: manage,
      schema: {
        tags: ['Staff'],
        summary: 'Invite a staff member',
        description:
          'Creates the account and emails them a link (valid for 7 days) to choose a password and set up an authenticator app.',
        body: inviteBody,
        response: { 201: memberOut, ...problems, 409: problemOut },
      },
    },
    async (request, reply) => {
      const outcome = await services.staff.invite(actor(request), request.body, {
        t: request.t,
        partnershipName: request.partnership.name,
      });
      if (!outcome.ok) {
        if (outcome.problem === 'emailTaken')
          return conflict(request, reply, request.t('staff.errors.emailTaken'));
        return reply.sendError('badRequest', request.t('staff.errors.organisationUnknown'));
      }
      return reply.code(201).send(memberJson(outcome.member));
    },
  );

  const actions = [
    {
      name: 'deactivate',
      run: services.staff.deactivate,
      summary: 'Deactivate a staff member (and end their sessions)',
    },
    { name: 'reactivate', run: services.staff.reactivate, summary: 'Reactivate a staff member' },
    {
      name: 'reset-mfa',
      run: services.staff.resetMfa,
      summary: 'Reset a staff member’s authenticator app (and end their sessions)',
    },
  ] as const;

  for (const action of actions) {
    api.post(
      decodeURIComponent(paths.api.staffAction(':id', action.name)),
      {
        preHandler: manage,
        schema: {
          tags: ['Staff'],
          summary: action.summary,
          params: idParams,
          response: { 200: memberOut, ...problemsWithNotFound, 409: problemOut },
        },
      },
      async (request, reply) => {
        const outcome = await action.run(actor(request), request.params.id);
        if (!outcome.ok) {
          if (outcome.problem === 'notFound') return reply.sendError('notFound');
          return conflict(request, reply, request.t('staff.errors.self'));
        }
        return memberJson(outcome.member);
      },
    );
  }

  api.get(
    paths.api.apiTokens(),
    {
      preHandler: requireStaff(),
      schema: {
        tags: ['Account'],
        summary: 'Your API tokens',
        response: { 200: tokenOut.array(), ...problems },
      },
    },
    async (request) => (await services.staff.tokens(actor(request))).map(tokenJson),
  );

  api.post(
    paths.api.apiTokens(),
    {
      preHandler: requireStaff(),
      schema: {
        tags: ['Account'],
        summary: 'Create an API token',
        description:
          'Only from a signed-in session (with the X-CSRF-Token header), not with another API token. The secret is returned once.',
        body: tokenBody,
        response: { 201: createdTokenOut, ...problems },
      },
    },
    async (request, reply) => {
      const outcome = await services.staff.createToken(actor(request), request.body.name, request.staff!.via);
      if (!outcome.ok) return reply.sendError('forbidden', request.t('staff.errors.needsSession'));
      reply.header('Cache-Control', 'no-store');
      return reply.code(201).send({ token: tokenJson(outcome.token), secret: outcome.secret });
    },
  );

  api.post(
    decodeURIComponent(paths.api.apiTokenRevoke(':id')),
    {
      preHandler: requireStaff(),
      schema: {
        tags: ['Account'],
        summary: 'Revoke one of your API tokens',
        params: idParams,
        response: { 200: tokenOut, ...problemsWithNotFound },
      },
    },
    async (request, reply) => {
      const outcome = await services.staff.revokeToken(actor(request), request.params.id);
      if (!outcome.ok) return reply.sendError('notFound');
      return tokenJson(outcome.token);
    },
  );
}
