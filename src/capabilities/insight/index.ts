import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Services } from '../../services.js';
import { insightApi } from './insight.api.js';
import { insightPages } from './insight.routes.js';
import { openDataPages } from './open-data.routes.js';

/**
 * Partnership insight: the dashboard, equality monitoring with reference population figures,
 * exports of the dashboard's tables and of the triage queue, the public open data, and their API.
 */
export const insightCapability: FastifyPluginAsync<{ services: Services; production: boolean }> = async (
  app,
  opts,
) => {
  // The charts' stylesheet, kept with the capability that draws them.
  await app.register(fastifyStatic, {
    root: path.resolve(import.meta.dirname, 'static'),
    prefix: '/static/insight/',
    decorateReply: false,
    maxAge: opts.production ? '7d' : 0,
  });
  insightPages(app, opts.services);
  insightApi(app, opts.services.insight);
  openDataPages(app, opts.services.insight);
};
