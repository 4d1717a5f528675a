import type { FastifyPluginAsync } from 'fastify';
import { accessibilityRoutes } from './accessibility.routes.js';

/** The accessibility statement, in the model GOV.UK publishes for public sector websites. */
export const accessibilityCapability: FastifyPluginAsync = async (app) => {
  accessibilityRoutes(app);
};
