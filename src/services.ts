import type { Config } from './config.js';
import type { Database } from './platform/db/index.js';
import { createAuthService } from './platform/auth/auth.service.js';
import { createPartnershipDirectory } from './platform/tenancy/tenancy.service.js';
import { createConcernsService } from './capabilities/concerns/concerns.service.js';
import { createShareService } from './capabilities/share/share.service.js';
import { createStaffService } from './capabilities/staff/staff.service.js';

/**
 * The composition root: every service is built here from the database and config, once. Routes get
 * the finished `services` object; tests can build it against their own database.
 */
export function buildServices(db: Database, config: Config) {
  const partnerships = createPartnershipDirectory(db);
  const auth = createAuthService(db);
  const concerns = createConcernsService(db, { secret: config.sessionSecret });
  return {
    partnerships,
    auth,
    concerns,
    share: createShareService(db, concerns),
    staff: createStaffService(db, { publicUrl: config.publicUrl }),
  };
}

export type Services = ReturnType<typeof buildServices>;
