import type { Actor } from '../../platform/auth/actor.js';
import type { Permission } from '../../platform/auth/permissions.js';
import type { Tx } from '../../platform/db/index.js';
import type { Figure } from './figures.js';
import type { InsightFilters } from './insight.repository.js';

/**
 * The dashboard's extension point. Forums, engagement, the programme and the tension picture each
 * add a panel: figures of their own, read in the dashboard's tenant transaction with the same
 * filters, shown after the concern figures and exported the same way. A panel is shown only to those
 * holding its permission (the tension picture, say, to fewer roles than the rest).
 *
 * A panel's figures must already be suppressed (use src/platform/suppression.ts): the page, the API
 * and the exports publish them as they are.
 *
 * Register one where services are built: `createInsightService(db, { panels: [forumPanel(...)] })`.
 */
export interface InsightPanel {
  /** Unique among panels; prefixes its figures' ids in exports. */
  id: string;
  permission: Permission;
  /**
   * A further rule beyond the permission, asked in the same transaction: the tension picture, say,
   * is for police agency officers but not other agency officers, which a role alone cannot say.
   */
  visible?(tx: Tx, actor: Actor): Promise<boolean>;
  figures(tx: Tx, context: { actor: Actor; filters: InsightFilters; now: Date }): Promise<Figure[]>;
}

/**
 * The same for equality monitoring: forum participation by protected characteristic will join who
 * raises concerns here, as extra figures after the concern ones.
 */
export type EqualityPanel = InsightPanel;
