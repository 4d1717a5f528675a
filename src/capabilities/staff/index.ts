import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.js';
import type { Services } from '../../services.js';

/** Staff sign-in, account and administration. */
export const staffCapability: FastifyPluginAsync<{ services: Services; config: Config }> = async () => {};
