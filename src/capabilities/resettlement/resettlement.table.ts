import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { staff } from '../../platform/auth/auth.table.js';
import { areas, partnerships } from '../../platform/tenancy/tenancy.table.js';

/**
 * Resettlement casework: the most sensitive data Heard holds. Every table is tenant-owned with
 * row-level security; calendar dates (arrival, deadlines, visas) are plain dates, not instants.
 */
const day = (name: string) => date(name, { mode: 'string' });
const stamp = (name: string) => timestamp(name, { withTimezone: true });

export const resettlementHouseholds = pgTable(
  'resettlement_households',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    /** Short, shown to staff and quoted in a subject access request, e.g. RH-7K3M9Q. */
    reference: text('reference').notNull(),
    scheme: text('scheme').notNull(),
    schemeOther: text('scheme_other'),
    /** How the team refers to the household, e.g. "Melnyk family". */
    name: text('name').notNull(),
    arrivalDate: day('arrival_date'),
    address: text('address'),
    areaId: uuid('area_id').references(() => areas.id),
    caseworkerStaffId: uuid('caseworker_staff_id').references(() => staff.id),
    interpreterNeeded: boolean('interpreter_needed').notNull().default(false),
    interpreterLanguage: text('interpreter_language'),
    /** After a positive asylum decision: when Home Office accommodation ends. */
    moveOnDeadline: day('move_on_deadline'),
    lawfulBasis: text('lawful_basis').notNull(),
    consentGiven: boolean('consent_given').notNull().default(false),
    consentDate: day('consent_date'),
    consentNotes: text('consent_notes'),
    notes: text('notes'),
    status: text('status').notNull().default('open'),
    closedAt: stamp('closed_at'),
    closureReason: text('closure_reason'),
    retentionUntil: day('retention_until'),
    anonymisedAt: stamp('anonymised_at'),
    createdAt: stamp('created_at').notNull().defaultNow(),
    updatedAt: stamp('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('resettlement_households_reference').on(t.partnershipId, t.reference),
    index('resettlement_households_caseworker').on(t.partnershipId, t.caseworkerStaffId, t.status),
    index('resettlement_households_retention').on(t.status, t.retentionUntil),
  ],
);

export const resettlementMembers = pgTable(
  'resettlement_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    householdId: uuid('household_id')
      .notNull()
      .references(() => resettlementHouseholds.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    dateOfBirth: day('date_of_birth'),
    /** When the date of birth is not known; kept (derived) when a case is anonymised. */
    ageBand: text('age_band'),
    relationship: text('relationship').notNull(),
    languages: text('languages').array().notNull().default([]),
    englishLevel: text('english_level'),
    education: text('education').notNull().default('not_applicable'),
    workStatus: text('work_status').notNull().default('not_applicable'),
    esolEnrolled: boolean('esol_enrolled').notNull().default(false),
    gpRegistered: boolean('gp_registered').notNull().default(false),
    visaExpiry: day('visa_expiry'),
    createdAt: stamp('created_at').notNull().defaultNow(),
    updatedAt: stamp('updated_at').notNull().defaultNow(),
  },
  (t) => [index('resettlement_members_household').on(t.householdId)],
);

/** Homes for Ukraine: the host or sponsor, and how the arrangement is going. */
export const resettlementHosts = pgTable('resettlement_hosts', {
  id: uuid('id').primaryKey().defaultRandom(),
  partnershipId: uuid('partnership_id')
    .notNull()
    .references(() => partnerships.id),
  householdId: uuid('household_id')
    .notNull()
    .unique()
    .references(() => resettlementHouseholds.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  email: text('email'),
  phone: text('phone'),
  address: text('address'),
  checkStatus: text('check_status').notNull().default('not_started'),
  /** The date of the accommodation check: done, or booked. */
  checkDate: day('check_date'),
  arrangementStatus: text('arrangement_status').notNull().default('active'),
  notes: text('notes'),
  updatedAt: stamp('updated_at').notNull().defaultNow(),
});

export const resettlementNeeds = pgTable(
  'resettlement_needs',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    householdId: uuid('household_id')
      .notNull()
      .references(() => resettlementHouseholds.id, { onDelete: 'cascade' }),
    domain: text('domain').notNull(),
    status: text('status').notNull(),
    notes: text('notes'),
    details: jsonb('details').$type<Record<string, string>>().notNull().default({}),
    updatedByStaffId: uuid('updated_by_staff_id').references(() => staff.id),
    updatedAt: stamp('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.householdId, t.domain] })],
);

/** The support plan: goals, who owns each and by when. */
export const resettlementGoals = pgTable(
  'resettlement_goals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    householdId: uuid('household_id')
      .notNull()
      .references(() => resettlementHouseholds.id, { onDelete: 'cascade' }),
    domain: text('domain').notNull(),
    goal: text('goal').notNull(),
    owner: text('owner').notNull(),
    dueDate: day('due_date'),
    status: text('status').notNull().default('open'),
    createdAt: stamp('created_at').notNull().defaultNow(),
    updatedAt: stamp('updated_at').notNull().defaultNow(),
  },
  (t) => [index('resettlement_goals_household').on(t.householdId)],
);

export const resettlementReferrals = pgTable(
  'resettlement_referrals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    householdId: uuid('household_id')
      .notNull()
      .references(() => resettlementHouseholds.id, { onDelete: 'cascade' }),
    domain: text('domain').notNull(),
    /** The partner service, e.g. "Northampton College ESOL". */
    service: text('service').notNull(),
    reason: text('reason'),
    referredOn: day('referred_on').notNull(),
    responseDueOn: day('response_due_on'),
    outcome: text('outcome').notNull().default('awaiting'),
    outcomeNotes: text('outcome_notes'),
    outcomeOn: day('outcome_on'),
    createdAt: stamp('created_at').notNull().defaultNow(),
    updatedAt: stamp('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('resettlement_referrals_household').on(t.householdId),
    index('resettlement_referrals_due').on(t.partnershipId, t.outcome, t.responseDueOn),
  ],
);

/** Integration and information sessions: no personal data, so they may appear in a calendar feed. */
export const resettlementSessions = pgTable(
  'resettlement_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    topic: text('topic').notNull(),
    startsAt: stamp('starts_at').notNull(),
    endsAt: stamp('ends_at').notNull(),
    venue: text('venue').notNull(),
    languages: text('languages').array().notNull().default([]),
    /** The interpreter's language(s), when one is booked. */
    interpreter: text('interpreter'),
    capacity: integer('capacity').notNull(),
    notes: text('notes'),
    cancelled: boolean('cancelled').notNull().default(false),
    createdAt: stamp('created_at').notNull().defaultNow(),
    updatedAt: stamp('updated_at').notNull().defaultNow(),
  },
  (t) => [index('resettlement_sessions_start').on(t.partnershipId, t.startsAt)],
);

export const resettlementBookings = pgTable(
  'resettlement_bookings',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => resettlementSessions.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => resettlementMembers.id, { onDelete: 'cascade' }),
    householdId: uuid('household_id')
      .notNull()
      .references(() => resettlementHouseholds.id, { onDelete: 'cascade' }),
    /** null until attendance is taken. */
    attended: boolean('attended'),
    feedback: text('feedback'),
    createdAt: stamp('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.memberId] }),
    index('resettlement_bookings_household').on(t.householdId),
  ],
);
