import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../services.js';
import { concernsApi } from './concerns.api.js';
import { concernPages } from './concerns.routes.js';

/** Staff pages and API for working concerns: the triage queue, the concern page, recording, audit. */
export const concernsCapability: FastifyPluginAsync<{ services: Services; secureCookies: boolean }> = async (
  app,
  opts,
) => {
  concernPages(app, opts.services, opts.secureCookies);
  concernsApi(app, opts.services);
};
