import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { partnerships } from '../../platform/tenancy/tenancy.table.js';

/**
 * Reference population figures an admin enters (e.g. from the Census), one row per characteristic
 * and category, so equality monitoring can set who raises concerns against who lives in the area.
 */
export const insightPopulation = pgTable(
  'insight_population',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    /** An equality question key, e.g. disability (see EQUALITY_QUESTIONS). */
    characteristic: text('characteristic').notNull(),
    /** One of that question's answers, e.g. yes. */
    category: text('category').notNull(),
    people: integer('people').notNull(),
    /** Where the figure comes from, shown beside the comparison. */
    source: text('source').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('insight_population_category').on(t.partnershipId, t.characteristic, t.category)],
);

/**
 * What a row of the daily rollup is broken down by. The dashboard without area, topic or
 * organisation filters reads the small breakdowns (a few rows a day each); any filter reads `all`,
 * which has every dimension, through the partial indexes below. See rollup.ts.
 */
export const ROLLUP_GRAINS = ['topic', 'area', 'channel', 'lead', 'response', 'all'] as const;
export type RollupGrain = (typeof ROLLUP_GRAINS)[number];

/**
 * The dashboard's counts, per partnership and London day a concern was raised, kept by a periodic
 * refresh (insightRollupRepository.refresh), never by the concern write paths: intake stays one
 * insert. A dimension a grain does not break down by is null. Counts that change with the clock
 * (overdue) are as they were at the partnership's `insight_rollup_state.refreshed_at`; the dashboard
 * adds what has crossed a due time since. No primary key: rows are only ever replaced a whole day
 * at a time.
 */
export const insightDaily = pgTable(
  'insight_daily',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    day: date('day', { mode: 'string' }).notNull(),
    grain: text('grain', { enum: ROLLUP_GRAINS }).notNull(),
    topic: text('topic'),
    areaId: uuid('area_id'),
    leadOrganisationId: uuid('lead_organisation_id'),
    channel: text('channel'),
    source: text('source'),
    /** The response-time step (hours) the first responses fell in; null: no first response yet. */
    responseHours: integer('response_hours'),
    concerns: integer('concerns').notNull(),
    urgent: integer('urgent').notNull(),
    responded: integer('responded').notNull(),
    acknowledgedOnTime: integer('acknowledged_on_time').notNull(),
    closed: integer('closed').notNull(),
    closedOnTime: integer('closed_on_time').notNull(),
    open: integer('open').notNull(),
    openUrgent: integer('open_urgent').notNull(),
    /** Not yet answered and past the acknowledgement target, at refreshed_at. */
    acknowledgeOverdue: integer('acknowledge_overdue').notNull(),
    /** Open and past the response target, at refreshed_at. */
    respondOverdue: integer('respond_overdue').notNull(),
    /** Open and overdue either way (as the triage queue counts it), at refreshed_at. */
    openOverdue: integer('open_overdue').notNull(),
  },
  (t) => [
    // The unfiltered dashboard reads the small breakdowns through insight_daily_marginal, a covering
    // index hand-written in the migration (Drizzle cannot declare INCLUDE columns). A refresh
    // replaces whole days through this one.
    index('insight_daily_day').on(t.partnershipId, t.day),
    // Filtered dashboards read `all` rows for one topic, area or lead organisation only.
    index('insight_daily_topic')
      .on(t.partnershipId, t.topic, t.day)
      .where(sql`grain = 'all'`),
    index('insight_daily_area')
      .on(t.partnershipId, t.areaId, t.day)
      .where(sql`grain = 'all'`),
    index('insight_daily_lead')
      .on(t.partnershipId, t.leadOrganisationId, t.day)
      .where(sql`grain = 'all'`),
    // Open concerns are counted whenever they were raised: only rows that hold some.
    index('insight_daily_open')
      .on(t.partnershipId, t.topic, t.leadOrganisationId)
      .where(sql`grain = 'all' and open > 0`),
  ],
);

/**
 * Days whose rollup rows no longer match the concerns: one row per statement and day, added by
 * triggers on concerns in the same transaction as the change (append-only, so concurrent writers
 * never wait on each other), for concerns raised before yesterday only: later days are always
 * counted live, so intake writes nothing here. The dashboard counts these days from the concerns
 * themselves; the refresh recomputes them and deletes the marks it saw.
 */
export const insightChanges = pgTable('insight_changes', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  partnershipId: uuid('partnership_id')
    .notNull()
    .references(() => partnerships.id),
  day: date('day', { mode: 'string' }).notNull(),
});

/** How far each partnership's rollup goes, and the moment its overdue counts are as of. */
export const insightRollupState = pgTable('insight_rollup_state', {
  partnershipId: uuid('partnership_id')
    .primaryKey()
    .references(() => partnerships.id),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
  /**
   * The first day not rolled up: from here on (yesterday but one, once the refresh has caught up)
   * the dashboard counts every day from the concerns, so a new concern needs no mark.
   */
  liveFrom: date('live_from', { mode: 'string' }).notNull(),
});
