import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../services.js';
import { shareRoutes } from './share.routes.js';

/** Residents: the start page, sharing a concern or idea, and checking its progress. */
export const shareCapability: FastifyPluginAsync<{ services: Services; secureCookies: boolean }> = async (
  app,
  opts,
) => {
  shareRoutes(app, opts.services, opts.secureCookies);
};
