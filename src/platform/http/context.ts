import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Direction, I18n, Translate } from '../i18n/index.js';
import { DEFAULT_LANGUAGE } from '../i18n/index.js';
import type { PartnershipDirectory, PartnershipSummary } from '../tenancy/tenancy.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The partnership this request is for: the signed-in staff member's, else the one serving this host. */
    partnership: PartnershipSummary;
    lang: string;
    dir: Direction;
    t: Translate;
    correlationId: string;
  }
  interface FastifyContextConfig {
    /** For the health check: it must answer even when the database, and so the partnership list, is down. */
    withoutPartnership?: boolean;
  }
}

export const LANG_COOKIE = 'heard_lang';

/** Staff pages and the API, which are English only (see i18n/scope.ts). */
export function isEnglishOnlyPath(path: string): boolean {
  return path === '/staff' || path.startsWith('/staff/') || path.startsWith('/api/');
}

/**
 * Per-request context: the partnership (from the Host header; staff requests are re-pointed at the
 * staff member's own partnership by the auth plugin), and the language: `?lang=xx` first, remembered
 * in a cookie, else the browser's Accept-Language, else English.
 */
export const requestContext = fp<{ i18n: I18n; partnerships: PartnershipDirectory; secureCookies: boolean }>(
  async (app, opts) => {
    const { i18n } = opts;
    app.decorateRequest('partnership', null as unknown as PartnershipSummary);
    app.decorateRequest('lang', DEFAULT_LANGUAGE);
    app.decorateRequest('dir', 'ltr');
    app.decorateRequest('t', null as unknown as Translate);
    app.decorateRequest('correlationId', '');

    /** `?lang=xx` (remembered in a cookie), else the remembered choice, else Accept-Language. */
    function residentLanguage(request: FastifyRequest, reply: FastifyReply): string {
      const query = request.query as Record<string, unknown> | undefined;
      const asked = i18n.match(typeof query?.lang === 'string' ? query.lang : undefined);
      if (!asked)
        return (
          i18n.match(request.cookies[LANG_COOKIE]) ??
          i18n.negotiate(request.headers['accept-language']) ??
          DEFAULT_LANGUAGE
        );
      reply.setCookie(LANG_COOKIE, asked, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secureCookies,
        maxAge: 60 * 60 * 24 * 365,
      });
      return asked;
    }

    app.addHook('onRequest', async (request, reply) => {
      request.correlationId = request.id;
      reply.header('X-Correlation-Id', request.id);
      // Staff pages and the API are in English (see i18n/scope.ts); a resident's choice of language
      // must not leak into a shared office computer's staff screens, or the reverse.
      const path = request.url.split('?')[0]!;
      const lang = isEnglishOnlyPath(path) ? DEFAULT_LANGUAGE : residentLanguage(request, reply);
      request.lang = lang;
      request.dir = i18n.direction(lang);
      request.t = i18n.translator(lang);
      if (request.routeOptions.config?.withoutPartnership) return;
      request.partnership = await opts.partnerships.forHost(request.hostname);
    });
  },
  { name: 'request-context', dependencies: ['@fastify/cookie'] },
);
