import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../services.js';
import { suggestionsApi } from './suggestions.api.js';
import { suggestionsPages } from './suggestions.routes.js';

/** Triage suggestions: the classifier's suggestion on the concern page, its decision, and its admin page. */
export const suggestionsCapability: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  suggestionsPages(app, opts.services.suggestions);
  suggestionsApi(app, opts.services.suggestions);
};
