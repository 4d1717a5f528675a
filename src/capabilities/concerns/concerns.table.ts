import { sql } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { staff } from '../../platform/auth/auth.table.js';
import { areas, organisations, partnerships } from '../../platform/tenancy/tenancy.table.js';

export const concerns = pgTable(
  'concerns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    /** Normalised (no separators); shown grouped as ABCD-EFGH-JKL. */
    reference: text('reference').notNull().unique(),
    kind: text('kind', { enum: ['concern', 'suggestion'] }).notNull(),
    topic: text('topic').notNull(),
    description: text('description').notNull(),
    areaId: uuid('area_id').references(() => areas.id),
    placeDescription: text('place_description'),
    /** WGS84, when a client (Open311, a map) gave a point. */
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    whenText: text('when_text'),
    affectedGroups: text('affected_groups').array().notNull().default([]),
    forGroup: boolean('for_group').notNull().default(false),
    groupName: text('group_name'),
    anonymous: boolean('anonymous').notNull(),
    contactName: text('contact_name'),
    contactEmail: text('contact_email'),
    contactPhone: text('contact_phone'),
    preferredContact: text('preferred_contact', { enum: ['email', 'phone'] }),
    consentToShare: boolean('consent_to_share').notNull().default(false),
    trackingCodeHash: text('tracking_code_hash'),
    channel: text('channel').notNull(),
    source: text('source'),
    recordedByStaffId: uuid('recorded_by_staff_id').references(() => staff.id),
    /** The interface language the resident chose. */
    language: text('language').notNull().default('en'),
    /**
     * The language of what they wrote (written-language.ts), e.g. uk, fa-AF, und-Cyrl; null for
     * concerns from before it was recorded, or text with no letters.
     */
    writtenLanguage: text('written_language'),
    /** How it was found: script, library, interface or unknown; null for older concerns. */
    writtenLanguageSource: text('written_language_source', {
      enum: ['script', 'library', 'interface', 'unknown'],
    }),
    urgent: boolean('urgent').notNull().default(false),
    urgentSignals: text('urgent_signals').array().notNull().default([]),
    status: text('status').notNull().default('new'),
    closureReason: text('closure_reason'),
    referredTo: text('referred_to'),
    duplicateOfId: uuid('duplicate_of_id'),
    leadOrganisationId: uuid('lead_organisation_id').references(() => organisations.id),
    assignedStaffId: uuid('assigned_staff_id').references(() => staff.id),
    redacted: boolean('redacted').notNull().default(false),
    /** Staff can mark a concern private: it never appears in public feeds (Open311, open data). */
    private: boolean('private').notNull().default(false),
    /** Open311 token returned to the client that posted it. */
    open311Token: text('open311_token').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    acknowledgeDueAt: timestamp('acknowledge_due_at', { withTimezone: true }).notNull(),
    respondDueAt: timestamp('respond_due_at', { withTimezone: true }).notNull(),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    // The triage queue's orderings (newest or oldest first; urgent first then oldest), each with a
    // tiebreak on id for keyset paging.
    index('concerns_queue_age').on(t.partnershipId, t.createdAt.desc(), t.id.desc()),
    index('concerns_queue_urgent').on(t.partnershipId, t.urgent.desc(), t.createdAt.asc(), t.id.asc()),
    index('concerns_status').on(t.partnershipId, t.status, t.createdAt.desc()),
    index('concerns_lead').on(t.partnershipId, t.leadOrganisationId, t.createdAt.desc()),
    index('concerns_open_due')
      .on(t.partnershipId, t.respondDueAt)
      .where(sql`closed_at is null`),
    // The queue's common first pages at a million rows (npm run bench): a status, or open concerns
    // by topic, each already in "urgent first, then oldest" order so the page is read off the index.
    index('concerns_status_urgency').on(
      t.partnershipId,
      t.status,
      t.urgent.desc(),
      t.createdAt.asc(),
      t.id.asc(),
    ),
    index('concerns_open_urgency')
      .on(t.partnershipId, t.urgent.desc(), t.createdAt.asc(), t.id.asc())
      .where(sql`closed_at is null`),
    index('concerns_open_topic')
      .on(t.partnershipId, t.topic, t.urgent.desc(), t.createdAt.asc(), t.id.asc())
      .where(sql`closed_at is null`),
    // The queue's "Written language" filter: few concerns are not in English, so a partial index
    // stays small and serves both a chosen language and "anything but English".
    index('concerns_written_language')
      .on(t.partnershipId, t.writtenLanguage, t.urgent.desc(), t.createdAt.asc(), t.id.asc())
      .where(sql`written_language <> 'en'`),
  ],
);

/** Which organisations a concern is shared with; the lead is one row with role 'lead'. */
export const concernShares = pgTable(
  'concern_shares',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    concernId: uuid('concern_id')
      .notNull()
      .references(() => concerns.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    role: text('role', { enum: ['lead', 'supporting'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.concernId, t.organisationId] }),
    index('concern_shares_org').on(t.partnershipId, t.organisationId, t.concernId),
  ],
);

/** Special category data lives apart, so only the roles that need it ever join to it. */
export const concernEquality = pgTable('concern_equality', {
  concernId: uuid('concern_id')
    .primaryKey()
    .references(() => concerns.id, { onDelete: 'cascade' }),
  partnershipId: uuid('partnership_id')
    .notNull()
    .references(() => partnerships.id),
  answers: jsonb('answers').$type<Record<string, string>>().notNull(),
});

/** The concern's history: status changes, notes, public updates, sharing, assignment, merges. */
export const concernEvents = pgTable(
  'concern_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    concernId: uuid('concern_id')
      .notNull()
      .references(() => concerns.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    visibility: text('visibility', { enum: ['internal', 'public'] }).notNull(),
    body: text('body'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    staffId: uuid('staff_id').references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('concern_events_concern').on(t.concernId, t.createdAt)],
);

/** Original text kept when a concern is redacted; readable by partnership admins only. */
export const concernRedactions = pgTable('concern_redactions', {
  id: uuid('id').primaryKey().defaultRandom(),
  partnershipId: uuid('partnership_id')
    .notNull()
    .references(() => partnerships.id),
  concernId: uuid('concern_id')
    .notNull()
    .references(() => concerns.id, { onDelete: 'cascade' }),
  originalDescription: text('original_description').notNull(),
  reason: text('reason').notNull(),
  staffId: uuid('staff_id')
    .notNull()
    .references(() => staff.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
