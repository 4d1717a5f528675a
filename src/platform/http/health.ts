import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/index.js';
import { paths } from '../paths.js';

/** For load balancers and uptime checks: 200 while the database answers, 503 when it does not. */
export const health: FastifyPluginAsync<{ db: Database }> = async (app, opts) => {
  app.get(paths.health(), { config: { withoutPartnership: true } }, async (_request, reply) => {
    const ok = await opts.db.ping();
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable' });
  });
};
