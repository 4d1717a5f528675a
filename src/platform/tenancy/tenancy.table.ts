import { boolean, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/** A partnership is the tenant. This table is the one place not filtered by partnership_id. */
export const partnerships = pgTable('partnerships', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  shortName: text('short_name').notNull(),
  /** Host names that serve this partnership's public pages; the first partnership is the fallback. */
  hostnames: text('hostnames').array().notNull().default([]),
  /** Addresses residents write to, e.g. concerns@demo.heard.test. */
  inboundAddresses: text('inbound_addresses').array().notNull().default([]),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const ORGANISATION_KINDS = ['police', 'council', 'fire', 'nhs', 'voluntary', 'other'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    name: text('name').notNull(),
    kind: text('kind', { enum: ORGANISATION_KINDS }).notNull(),
    /** The organisation's shared inbox, for assignment notices and the overdue digest. */
    inboxEmail: text('inbox_email'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('organisations_partnership_name').on(t.partnershipId, t.name)],
);

/** Areas residents choose from: wards, grouped (for West Northamptonshire) by former district. */
export const areas = pgTable(
  'areas',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    groupName: text('group_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('areas_partnership_code').on(t.partnershipId, t.code),
    index('areas_partnership').on(t.partnershipId),
  ],
);

/** Response targets per topic, in working days; urgent concerns are due the same day. */
export const responseTargets = pgTable(
  'response_targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    topic: text('topic').notNull(),
    acknowledgeWorkingDays: integer('acknowledge_working_days').notNull(),
    respondWorkingDays: integer('respond_working_days').notNull(),
  },
  (t) => [unique('response_targets_partnership_topic').on(t.partnershipId, t.topic)],
);
