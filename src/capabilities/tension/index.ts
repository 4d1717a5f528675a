import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../services.js';
import { tensionApi } from './tension.api.js';
import { tensionPages } from './tension.routes.js';

/** Community tension monitoring: the weekly picture, reports, escalation to the leads. */
export const tensionCapability: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  tensionPages(app, opts.services);
  tensionApi(app, opts.services);
};
