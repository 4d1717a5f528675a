import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.js';
import type { Services } from '../../services.js';
import { forumsApi } from './forums.api.js';
import { forumPublicRoutes } from './forums.routes.js';
import { forumStaffRoutes } from './forums.staff.routes.js';

/** Community forums: the public forums webpage and calendars, the facilitators' pages, and the API. */
export const forumsCapability: FastifyPluginAsync<{ services: Services; config: Config }> = async (
  app,
  opts,
) => {
  forumPublicRoutes(app, opts.services, opts.config);
  forumStaffRoutes(app, opts.services, opts.config.secureCookies);
  forumsApi(app, opts.services);
};
