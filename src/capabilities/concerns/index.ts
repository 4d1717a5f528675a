import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../services.js';

/** Staff pages and API for working concerns. */
export const concernsCapability: FastifyPluginAsync<{ services: Services }> = async () => {};
