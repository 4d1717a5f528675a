import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { isApiRequest } from '../http/errors.js';
import { paths } from '../paths.js';
import type { PartnershipDirectory } from '../tenancy/tenancy.service.js';
import type { StaffPrincipal } from './actor.js';
import type { AuthService, ResolvedSession } from './auth.service.js';
import { SESSION_IDLE_MS } from './auth.service.js';
import { can, type Permission } from './permissions.js';

export const SESSION_COOKIE = 'heard_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member (second factor done), or null. */
    staff: StaffPrincipal | null;
    /** A session that has passed the password but still owes its second factor. */
    pendingSession: ResolvedSession | null;
  }
  interface FastifyReply {
    setSessionCookie(token: string, maxAgeMs?: number): FastifyReply;
    clearSessionCookie(): FastifyReply;
  }
}

/**
 * Works out who is calling: a session cookie (pages, and the API from the browser) or a personal
 * API token in `Authorization: Bearer`. Sessions live in the database, so any app server can serve
 * any request. A signed-in request is re-pointed at the staff member's own partnership.
 */
export const authentication = fp<{
  auth: AuthService;
  partnerships: PartnershipDirectory;
  secureCookies: boolean;
}>(
  async (app, opts) => {
    app.decorateRequest('staff', null);
    app.decorateRequest('pendingSession', null);
    app.decorateReply(
      'setSessionCookie',
      function (this: FastifyReply, token: string, maxAgeMs = SESSION_IDLE_MS) {
        return this.setCookie(SESSION_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: opts.secureCookies,
          maxAge: Math.floor(maxAgeMs / 1000),
        });
      },
    );
    app.decorateReply('clearSessionCookie', function (this: FastifyReply) {
      return this.clearCookie(SESSION_COOKIE, { path: '/' });
    });

    app.addHook('onRequest', async (request) => {
      const authz = request.headers.authorization;
      if (authz?.startsWith('Bearer ')) {
        request.staff = (await opts.auth.resolveApiToken(authz.slice('Bearer '.length).trim())) ?? null;
      } else {
        const token = request.cookies[SESSION_COOKIE];
        if (token) {
          const session = await opts.auth.resolveSession(token);
          if (session?.stage === 'full') request.staff = session.principal;
          else if (session) request.pendingSession = session;
        }
      }
      if (request.staff) {
        const own = await opts.partnerships.byId(request.staff.partnershipId);
        if (own) request.partnership = own;
      }
    });
  },
  { name: 'authentication', dependencies: ['request-context', '@fastify/cookie'] },
);

function deny(request: FastifyRequest, reply: FastifyReply, kind: 'unauthorised' | 'forbidden') {
  if (kind === 'unauthorised' && !isApiRequest(request)) {
    return reply.redirect(paths.staff.signIn());
  }
  return reply.sendError(kind);
}

/** preHandler guard: signed in, and (if given) holding a role with this permission. */
export function requireStaff(permission?: Permission): preHandlerAsyncHookHandler {
  return async function guard(request, reply) {
    if (!request.staff) return deny(request, reply, 'unauthorised');
    if (permission && !can(request.staff.roles, permission)) return deny(request, reply, 'forbidden');
  };
}

export function requireAnyPermission(...permissions: Permission[]): preHandlerAsyncHookHandler {
  return async function guard(request, reply) {
    if (!request.staff) return deny(request, reply, 'unauthorised');
    if (!permissions.some((p) => can(request.staff!.roles, p))) return deny(request, reply, 'forbidden');
  };
}
