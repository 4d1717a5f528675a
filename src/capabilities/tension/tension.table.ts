import { date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { staff } from '../../platform/auth/auth.table.js';
import { areas, partnerships } from '../../platform/tenancy/tenancy.table.js';

/** One assessment of community tension in an area: what was seen or heard, how sure, how serious. */
export const tensionReports = pgTable(
  'tension_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    areaId: uuid('area_id')
      .notNull()
      .references(() => areas.id),
    reportedOn: date('reported_on', { mode: 'string' }).notNull(),
    source: text('source').notNull(),
    category: text('category').notNull(),
    assessment: text('assessment').notNull(),
    level: text('level').notNull(),
    summary: text('summary').notNull(),
    actions: text('actions'),
    reviewDate: date('review_date', { mode: 'string' }).notNull(),
    reportedByStaffId: uuid('reported_by_staff_id').references(() => staff.id),
    /** Set when the report raised its area to high or critical and the leads were told. */
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tension_reports_area').on(t.partnershipId, t.areaId, t.reportedOn.desc())],
);
