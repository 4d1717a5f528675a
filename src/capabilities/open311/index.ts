import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.js';
import type { Database } from '../../platform/db/index.js';
import { DEFAULT_LANGUAGE, type I18n } from '../../platform/i18n/index.js';
import { paths } from '../../platform/paths.js';
import type { Services } from '../../services.js';
import { open311Admin, open311Api } from './open311.routes.js';
import { createOpen311Service } from './open311.service.js';

/**
 * Open311 GeoReport v2 at /open311/v2/ (with the mySociety service request updates extension), and
 * the page where partnership admins issue keys and choose which topics are published.
 */
export const open311Capability: FastifyPluginAsync<{
  services: Services;
  db: Database;
  config: Config;
  i18n: I18n;
}> = async (app, opts) => {
  const open311 = createOpen311Service(opts.db, opts.services.concerns);
  open311Admin(app, open311);
  // Its own scope: the spec's error bodies, 404s and form parsing apply to the API and nothing else.
  await app.register(
    async (api) =>
      open311Api(api, {
        open311,
        partnerships: opts.services.partnerships,
        t: opts.i18n.translator(DEFAULT_LANGUAGE),
        rateLimitSecret: opts.config.sessionSecret,
      }),
    { prefix: paths.open311.base() },
  );
};
