import type { Config } from './config.js';
import type { Database } from './platform/db/index.js';
import { mailDomain } from './platform/mail/mailer.js';
import { createAuthService } from './platform/auth/auth.service.js';
import { createPartnershipDirectory } from './platform/tenancy/tenancy.service.js';
import { createConcernsService } from './capabilities/concerns/concerns.service.js';
import { createNotificationsService } from './capabilities/notifications/notifications.service.js';
import { createShareService } from './capabilities/share/share.service.js';
import { createStaffService } from './capabilities/staff/staff.service.js';
import { createEmailService } from './capabilities/email/email.service.js';
import { createEngagementService } from './capabilities/engagement/engagement.service.js';
import { createTensionService } from './capabilities/tension/tension.service.js';
import { createResettlementService } from './capabilities/resettlement/resettlement.service.js';
import { createPlacesService, locateArea } from './capabilities/places/places.service.js';
import { createSuggestionsService } from './capabilities/suggestions/suggestions.service.js';
import { createProgrammeService } from './capabilities/programme/programme.service.js';
import { createForumsService } from './capabilities/forums/forums.service.js';
import { createInsightService } from './capabilities/insight/insight.service.js';
import { forumsEqualityPanel, forumsInsightPanel } from './capabilities/forums/forums.insight.js';
import { engagementInsightPanel } from './capabilities/engagement/engagement.insight.js';
import { programmeInsightPanel } from './capabilities/programme/programme.insight.js';
import { tensionInsightPanel } from './capabilities/tension/tension.insight.js';

/**
 * The composition root: every service is built here from the database and config, once. Routes get
 * the finished `services` object; tests can build it against their own database.
 */
export function buildServices(db: Database, config: Config) {
  const partnerships = createPartnershipDirectory(db);
  const auth = createAuthService(db);
  // Notifications listen to concern changes inside their transactions, so they are built first.
  const notifications = createNotificationsService(db, config, { partnerships });
  const concerns = createConcernsService(db, {
    secret: config.sessionSecret,
    onEvent: notifications.onConcernEvent,
    mailForNewConcern: notifications.mailForNewConcern,
    locateArea,
  });
  return {
    partnerships,
    auth,
    concerns,
    notifications,
    share: createShareService(db, concerns, { secret: config.sessionSecret, mailFrom: config.mailFrom }),
    staff: createStaffService(db, { publicUrl: config.publicUrl, mailDomain: mailDomain(config.mailFrom) }),
    email: createEmailService(db, { concerns, partnerships }),
    engagement: createEngagementService(db, { concerns }),
    tension: createTensionService(db, config),
    resettlement: createResettlementService(db),
    places: createPlacesService(db),
    suggestions: createSuggestionsService(db, { concerns, partnerships }),
    programme: createProgrammeService(db, {
      secret: config.sessionSecret,
      publicUrl: config.publicUrl,
      mailFrom: config.mailFrom,
    }),
    forums: createForumsService(db, { concerns }),
    // The other capabilities' panels on the dashboard and in equality monitoring (insight/panels.ts).
    insight: createInsightService(db, {
      panels: [forumsInsightPanel, engagementInsightPanel, programmeInsightPanel, tensionInsightPanel],
      equalityPanels: [forumsEqualityPanel],
    }),
  };
}

export type Services = ReturnType<typeof buildServices>;
