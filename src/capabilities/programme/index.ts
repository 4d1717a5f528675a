import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../services.js';
import { programmeApi } from './programme.api.js';
import { programmePages } from './programme.routes.js';
import { youSaidWeDidPages } from './youSaidWeDid.routes.js';

/** The programme of actions (staff pages and API) and the public "You said, we did". */
export const programmeCapability: FastifyPluginAsync<{
  services: Services;
  secureCookies: boolean;
  publicUrl: string;
}> = async (app, opts) => {
  programmePages(app, opts.services, opts.secureCookies);
  programmeApi(app, opts.services);
  youSaidWeDidPages(app, opts.services, opts.publicUrl);
};
