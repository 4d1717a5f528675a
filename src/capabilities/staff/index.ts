import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.js';
import type { Services } from '../../services.js';
import { staffApi } from './staff.api.js';
import { staffRoutes } from './staff.routes.js';

/** Staff sign-in, account and administration. */
export const staffCapability: FastifyPluginAsync<{ services: Services; config: Config }> = async (
  app,
  opts,
) => {
  staffRoutes(app, opts.services);
  staffApi(app, opts.services);
};
