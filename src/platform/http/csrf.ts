import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The token every form carries in its `_csrf` field. */
    csrfToken(): string;
    /** A CSRF cookie minted during this request, set on its response. */
    pendingCsrfCookie: string | undefined;
    /** Set instead of refusing, on routes with `csrfRedisplay`: the handler must change nothing. */
    csrfFailed: boolean;
  }
  interface FastifyContextConfig {
    /** Set on the rare POST that authenticates another way (none yet); never on a form. */
    skipCsrf?: boolean;
    /**
     * A form where losing what was typed would hurt (a resident's long description): a failed check
     * does not refuse the request but sets `request.csrfFailed`, and the handler shows the same form
     * again with what was sent and a fresh token, storing nothing. Showing a form back to the browser
     * that sent it gives another site nothing it could not already do.
     */
    csrfRedisplay?: boolean;
  }
}

export const CSRF_COOKIE = 'heard_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Signed double-submit tokens: a random value in an HttpOnly cookie, and in each form its HMAC under
 * the server secret. A page on another site can neither read the cookie nor forge the HMAC. Requests
 * with a bearer API token carry no ambient credential, so they need no token.
 */
export const csrfProtection = fp<{ secret: string; secureCookies: boolean }>(
  async (app, opts) => {
    const sign = (value: string) =>
      createHmac('sha256', opts.secret).update(`csrf:${value}`).digest('base64url');

    app.decorateRequest('pendingCsrfCookie', undefined);
    app.decorateRequest('csrfFailed', false);
    app.decorateRequest('csrfToken', function csrfToken(this: FastifyRequest) {
      let value = this.cookies[CSRF_COOKIE];
      if (!value) {
        value = randomBytes(24).toString('base64url');
        this.cookies[CSRF_COOKIE] = value;
        this.pendingCsrfCookie = value;
      }
      return sign(value);
    });

    app.addHook('onSend', async (request, reply) => {
      if (request.pendingCsrfCookie) {
        reply.setCookie(CSRF_COOKIE, request.pendingCsrfCookie, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: opts.secureCookies,
        });
      }
    });

    app.addHook('preHandler', async (request, reply) => {
      if (!UNSAFE.has(request.method)) return;
      if (request.routeOptions.config?.skipCsrf) return;
      if (request.headers.authorization?.startsWith('Bearer ')) return;
      const cookie = request.cookies[CSRF_COOKIE];
      const body = request.body as Record<string, unknown> | undefined;
      const sent =
        (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? request.headers['x-csrf-token'];
      const ok =
        typeof cookie === 'string' &&
        typeof sent === 'string' &&
        sent.length > 0 &&
        safeEqual(sign(cookie), sent);
      if (!ok && request.routeOptions.config?.csrfRedisplay) {
        request.log.info('csrf token missing or wrong: form shown again');
        request.csrfFailed = true;
        return;
      }
      if (!ok) {
        // The route's pattern, not its URL: some paths carry a secret (invitations, resume links).
        request.log.warn({ route: request.routeOptions.url }, 'csrf token missing or wrong');
        return reply.code(403).sendError('csrf');
      }
    });
  },
  { name: 'csrf', dependencies: ['@fastify/cookie'] },
);

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
