import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { Config } from './config.js';
import type { Database } from './platform/db/index.js';
import { createI18n, type I18n } from './platform/i18n/index.js';
import { createViewEnvironment, GOVUK_FRONTEND_DIST } from './platform/views/index.js';
import { views } from './platform/views/plugin.js';
import { assets } from './platform/views/assets.js';
import { securityHeaders } from './platform/http/security.js';
import { compression } from './platform/http/compression.js';
import { csrfProtection } from './platform/http/csrf.js';
import { errorPages } from './platform/http/errors.js';
import { requestContext } from './platform/http/context.js';
import { health } from './platform/http/health.js';
import { rateLimitKey } from './platform/http/rate-limit.js';
import { authentication } from './platform/auth/auth.plugin.js';
import { apiDocs } from './platform/http/api-docs.js';
import { buildServices, type Services } from './services.js';
import { shareCapability } from './capabilities/share/index.js';
import { concernsCapability } from './capabilities/concerns/index.js';
import { staffCapability } from './capabilities/staff/index.js';
import { emailCapability } from './capabilities/email/index.js';
import { open311Capability } from './capabilities/open311/index.js';
import { engagementCapability } from './capabilities/engagement/index.js';
import { tensionCapability } from './capabilities/tension/index.js';
import { resettlementCapability } from './capabilities/resettlement/index.js';
import { placesCapability } from './capabilities/places/index.js';
import { suggestionsCapability } from './capabilities/suggestions/index.js';
import { programmeCapability } from './capabilities/programme/index.js';
import { forumsCapability } from './capabilities/forums/index.js';
import { insightCapability } from './capabilities/insight/index.js';
import { accessibilityCapability } from './capabilities/accessibility/index.js';

export interface AppDeps {
  config: Config;
  db: Database;
  services?: Services;
  i18n?: I18n;
}

/** A request's URL as logged: no query string, and no secret carried in the path. */
export function loggedUrl(url: string): string {
  // Invitation and resume links carry a secret in their path.
  return url
    .split('?')[0]!
    .replace(/^\/staff\/invitation\/[^/]+/, '/staff/invitation/:token')
    .replace(/^\/share\/resume\/[^/]+/, '/share/resume/:secret');
}

const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Builds the app: platform plugins, then capabilities. It never listens; src/server.ts does. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db } = deps;
  const services = deps.services ?? buildServices(db, config);
  const i18n = deps.i18n ?? createI18n();
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Anonymous means anonymous: request logs carry no client address, cookies or tokens.
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({
          id: req.id,
          method: req.method,
          url: loggedUrl(req.url),
        }),
      },
    },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Correlation ids: honour a well-formed one from a proxy, otherwise mint one.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
  });

  // An empty JSON body means "no fields" (e.g. POST …/deactivate), not a malformed request.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    if (body === '') return done(null, {});
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('The request body is not valid JSON.'), { statusCode: 400 }), undefined);
    }
  });

  // Platform
  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(formbody);
  await app.register(rateLimit, { global: false, keyGenerator: rateLimitKey(config.sessionSecret) });
  await app.register(securityHeaders, { production: config.production });
  // Before every route, so pages, assets, CSV and JSON are all compressed for clients that accept it.
  await app.register(compression);
  await app.register(requestContext, {
    i18n,
    partnerships: services.partnerships,
    secureCookies: config.secureCookies,
  });
  await app.register(csrfProtection, { secret: config.sessionSecret, secureCookies: config.secureCookies });
  await app.register(views, { env: createViewEnvironment(), i18n });
  await app.register(errorPages, { production: config.production });
  await app.register(authentication, {
    auth: services.auth,
    partnerships: services.partnerships,
    secureCookies: config.secureCookies,
  });
  // GOV.UK Frontend's images (dist/govuk/assets) and compiled JS under /assets/. Its stylesheet, as Heard
  // adapts it, comes from the assets plugin (views/stylesheets.ts); its fonts are reachable, never linked.
  await app.register(fastifyStatic, {
    root: [path.join(GOVUK_FRONTEND_DIST, 'govuk', 'assets'), path.join(GOVUK_FRONTEND_DIST, 'govuk')],
    prefix: '/assets/',
    maxAge: config.production ? '7d' : 0,
  });
  await app.register(fastifyStatic, {
    root: path.resolve(import.meta.dirname, 'platform/views/static'),
    prefix: '/static/',
    decorateReply: false,
  });
  await app.register(assets, { production: config.production });
  await app.register(health, { db });
  await app.register(apiDocs);

  // Capabilities
  await app.register(shareCapability, { services, secureCookies: config.secureCookies });
  await app.register(concernsCapability, { services, secureCookies: config.secureCookies });
  await app.register(staffCapability, { services, config });
  await app.register(emailCapability, { services });
  await app.register(open311Capability, { services, db, config, i18n });
  await app.register(engagementCapability, { services });
  await app.register(tensionCapability, { services });
  await app.register(resettlementCapability, { services });
  await app.register(placesCapability, { services });
  await app.register(suggestionsCapability, { services });
  await app.register(programmeCapability, {
    services,
    secureCookies: config.secureCookies,
    publicUrl: config.publicUrl,
  });
  await app.register(forumsCapability, { services, config });
  await app.register(insightCapability, { services, production: config.production });
  await app.register(accessibilityCapability);

  return app;
}
