import { date, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { staff } from '../../platform/auth/auth.table.js';
import { areas, organisations, partnerships } from '../../platform/tenancy/tenancy.table.js';
import { concerns } from '../concerns/concerns.table.js';

/** One visit, event or meeting a cohesion officer logged. */
export const engagements = pgTable(
  'engagements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    officerStaffId: uuid('officer_staff_id')
      .notNull()
      .references(() => staff.id),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    areaId: uuid('area_id')
      .notNull()
      .references(() => areas.id),
    place: text('place').notNull(),
    type: text('type').notNull(),
    groupsMet: text('groups_met'),
    peopleEstimate: integer('people_estimate'),
    languages: text('languages').array().notNull().default([]),
    notes: text('notes'),
    followUpDue: date('follow_up_due', { mode: 'string' }),
    followUpNote: text('follow_up_note'),
    followUpDoneAt: timestamp('follow_up_done_at', { withTimezone: true }),
    /**
     * Issued with the form; a second submission with the same key (a double tap, or a draft sent
     * again after a lost connection) finds this record instead of saving another.
     */
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('engagements_idempotency').on(t.partnershipId, t.idempotencyKey),
    index('engagements_officer').on(t.partnershipId, t.officerStaffId, t.occurredAt.desc()),
    index('engagements_area').on(t.partnershipId, t.areaId, t.occurredAt.desc()),
  ],
);

/** Something people raised; it became a concern or suggestion, was linked to one, or was only noted. */
export const engagementIssues = pgTable(
  'engagement_issues',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    engagementId: uuid('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    summary: text('summary').notNull(),
    outcome: text('outcome', { enum: ['noted', 'concern', 'suggestion', 'linked'] }).notNull(),
    concernId: uuid('concern_id').references(() => concerns.id),
  },
  (t) => [index('engagement_issues_engagement').on(t.engagementId, t.position)],
);

/** A referral made during an engagement, to a partner organisation or another service, and its follow-up. */
export const engagementReferrals = pgTable(
  'engagement_referrals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    engagementId: uuid('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    serviceName: text('service_name').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['open', 'accepted', 'completed', 'declined'] })
      .notNull()
      .default('open'),
    followUpDue: date('follow_up_due', { mode: 'string' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('engagement_referrals_engagement').on(t.engagementId, t.position),
    index('engagement_referrals_status').on(t.partnershipId, t.status),
  ],
);
