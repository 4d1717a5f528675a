import type { FastifyInstance } from 'fastify';
import { paths } from '../../platform/paths.js';

/**
 * When this statement was written and last checked against the website. The regulations ask for
 * both dates; update STATEMENT_REVIEWED whenever the statement is reviewed.
 */
export const STATEMENT_PREPARED = '2026-12-02';
export const STATEMENT_REVIEWED = '2026-12-02';

export function accessibilityRoutes(app: FastifyInstance) {
  app.get(paths.accessibility(), async (request, reply) => {
    const { t, partnership } = request;
    return reply.view('accessibility/views/statement.njk', {
      pageTitle: t('accessibility.title', { service: partnership.shortName }),
      contactEmail: partnership.inboundAddresses[0],
      prepared: STATEMENT_PREPARED,
      reviewed: STATEMENT_REVIEWED,
    });
  });
}
