import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { atomFeed } from './atom.js';
import { publicQuery } from './programme.schema.js';

const STYLESHEET = readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), 'static', 'programme.css'),
  'utf8',
);

/** Generous for people, tight enough that nobody can hammer the database through the public page. */
const PUBLIC_LIMIT = { max: 120, timeWindow: '1 minute' };
const UNSUBSCRIBE_LIMIT = { max: 20, timeWindow: '1 minute' };

/** The public "You said, we did" page, its Atom feed, and unsubscribing from programme emails. */
export function youSaidWeDidPages(app: FastifyInstance, services: Services, publicUrl: string) {
  const svc = services.programme;

  // The programme pages' own print and layout rules, served from this capability's folder.
  app.get(paths.youSaidWeDid.stylesheet(), async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(STYLESHEET),
  );

  app.get(paths.youSaidWeDid.page(), { config: { rateLimit: PUBLIC_LIMIT } }, async (request, reply) => {
    const q = publicQuery.parse(request.query ?? {});
    const page = await svc.publicPage(request.partnership.id, q.area);
    return reply.view('programme/views/you-said-we-did.njk', {
      pageTitle: request.t('programme.public.title'),
      page,
      feedUrl: paths.youSaidWeDid.feed(),
    });
  });

  app.get(paths.youSaidWeDid.feed(), { config: { rateLimit: PUBLIC_LIMIT } }, async (request, reply) => {
    const t = request.t;
    const entries = await svc.feed(request.partnership.id);
    const pageUrl = `${publicUrl}${paths.youSaidWeDid.page()}`;
    const xml = atomFeed({
      id: `${publicUrl}${paths.youSaidWeDid.feed()}`,
      title: t('programme.feed.title', { partnership: request.partnership.name }),
      subtitle: t('programme.feed.subtitle'),
      author: request.partnership.name,
      selfLink: `${publicUrl}${paths.youSaidWeDid.feed()}`,
      alternateLink: pageUrl,
      updated: entries[0]?.at ?? new Date(0),
      entries: entries.map((e) => ({
        id: `${pageUrl}#${e.id.replace(':', '-')}`,
        title: t(`programme.feed.${e.kind}`, { action: e.actionTitle }),
        updated: e.at,
        link: `${pageUrl}#action-${e.actionId}`,
        content: e.body,
      })),
    });
    return reply.type('application/atom+xml; charset=utf-8').send(xml);
  });

  const TOKEN = '__token__';
  const unsubscribeRoute = paths.youSaidWeDid.unsubscribe(TOKEN).replace(TOKEN, ':token');

  app.get(unsubscribeRoute, { config: { rateLimit: UNSUBSCRIBE_LIMIT } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const valid = await svc.checkUnsubscribe(request.partnership.id, token);
    if (!valid) reply.code(404);
    return reply.view('programme/views/unsubscribe.njk', {
      pageTitle: request.t(valid ? 'programme.unsubscribe.title' : 'programme.unsubscribe.invalidTitle'),
      valid,
      action: paths.youSaidWeDid.unsubscribe(token),
    });
  });

  // A POST, not the GET, unsubscribes: mail scanners follow links, and must not unsubscribe anyone.
  app.post(unsubscribeRoute, { config: { rateLimit: UNSUBSCRIBE_LIMIT } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const outcome = await svc.unsubscribe(request.partnership.id, token, request.correlationId);
    if (!outcome.ok) reply.code(404);
    return reply.view('programme/views/unsubscribe.njk', {
      pageTitle: request.t(
        outcome.ok ? 'programme.unsubscribe.doneTitle' : 'programme.unsubscribe.invalidTitle',
      ),
      valid: outcome.ok,
      done: outcome.ok,
    });
  });
}
