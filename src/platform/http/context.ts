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

    app.addHook('onRequest', async (request, reply) => {
      request.correlationId = request.id;
      reply.header('X-Correlation-Id', request.id);
      const query = request.query as Record<string, unknown> | undefined;
      const asked = typeof query?.lang === 'string' ? query.lang : undefined;
      let lang: string = DEFAULT_LANGUAGE;
      if (i18n.isSupported(asked)) {
        lang = asked;
        reply.setCookie(LANG_COOKIE, lang, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: opts.secureCookies,
          maxAge: 60 * 60 * 24 * 365,
        });
      } else if (i18n.isSupported(request.cookies[LANG_COOKIE])) {
        lang = request.cookies[LANG_COOKIE]!;
      } else {
        const accepted = (request.headers['accept-language'] ?? '')
          .split(',')
          .map((part) => part.split(';')[0]!.trim().toLowerCase().split('-')[0]);
        lang = accepted.find((l) => i18n.isSupported(l)) ?? DEFAULT_LANGUAGE;
      }
      request.lang = lang;
      request.dir = i18n.direction(lang);
      request.t = i18n.translator(lang);
      if (request.routeOptions.config?.withoutPartnership) return;
      request.partnership = await opts.partnerships.forHost(request.hostname);
    });
  },
  { name: 'request-context', dependencies: ['@fastify/cookie'] },
);
