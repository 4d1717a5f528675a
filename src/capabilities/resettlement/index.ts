import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../services.js';
import { resettlementApi } from './resettlement.api.js';
import { resettlementPages } from './resettlement.routes.js';

export { createResettlementService, type ResettlementService } from './resettlement.service.js';

/**
 * Resettlement and integration support for new arrivals: households, needs, plans, referrals,
 * sessions and aggregate outcomes, for the resettlement team only.
 */
export const resettlementCapability: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  resettlementPages(app, opts.services.resettlement);
  resettlementApi(app, opts.services.resettlement);
};
