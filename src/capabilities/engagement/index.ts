import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../services.js';
import { engagementApi } from './engagement.api.js';
import { engagementPages } from './engagement.routes.js';

/** The cohesion officers' engagement log: pages and API. */
export const engagementCapability: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  engagementPages(app, opts.services);
  engagementApi(app, opts.services);
};
