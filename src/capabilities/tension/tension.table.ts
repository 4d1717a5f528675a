import {
  type AnyPgColumn,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
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
    /** The level the leads were last told of for this report: an edit back up to it does not tell them again. */
    escalatedLevel: text('escalated_level'),
    /** Starts at 1 and goes up with each edit, so an edit made on a stale copy is refused. */
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }),
    /** A closed report no longer counts in the weekly picture from the week it was closed. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedReason: text('closed_reason'),
    closedNote: text('closed_note'),
    closedByStaffId: uuid('closed_by_staff_id').references(() => staff.id),
    /** For a report closed as merged: the report it was merged into. */
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => tensionReports.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tension_reports_area').on(t.partnershipId, t.areaId, t.reportedOn.desc())],
);

/** One field an edit changed, with its value before and after (yyyy-mm-dd, a code, an id or text). */
export interface TensionFieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

/**
 * The history of a report after it was made: each edit (what changed, from and to) and its closure,
 * with who and when. Append-only; shown on the report's page.
 */
export const tensionReportEvents = pgTable(
  'tension_report_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    reportId: uuid('report_id')
      .notNull()
      .references(() => tensionReports.id),
    /** edited or closed */
    kind: text('kind').notNull(),
    staffId: uuid('staff_id').references(() => staff.id),
    changes: jsonb('changes').$type<TensionFieldChange[]>().notNull().default([]),
    /** Closure: resolved, no_longer_relevant or merged, a note, and the report it was merged into. */
    reason: text('reason'),
    note: text('note'),
    mergedIntoId: uuid('merged_into_id').references(() => tensionReports.id),
    /** Whether this edit raised the area to high or critical and told the leads. */
    escalated: boolean('escalated').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tension_report_events_report').on(t.partnershipId, t.reportId, t.createdAt)],
);
