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
import { organisations, partnerships } from '../../platform/tenancy/tenancy.table.js';
import { concerns } from '../concerns/concerns.table.js';

export const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'paused', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const RAGS = ['green', 'amber', 'red'] as const;
export type Rag = (typeof RAGS)[number];

/** The partnership's priorities, e.g. "Address health inequalities". */
export const programmePriorities = pgTable(
  'programme_priorities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    title: text('title').notNull(),
    /** Shown on the public page: what the partnership heard, written or approved by staff, anonymised. */
    publicSummary: text('public_summary'),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('programme_priorities_title').on(t.partnershipId, t.title)],
);

/** The managed list staff tag concerns with; each theme rolls up to one priority. */
export const programmeThemes = pgTable(
  'programme_themes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    priorityId: uuid('priority_id')
      .notNull()
      .references(() => programmePriorities.id),
    name: text('name').notNull(),
    /** What people told us about this theme, written or approved by staff, anonymised; public. */
    publicSummary: text('public_summary'),
    /** Retired themes keep their tags but are no longer offered. */
    retired: boolean('retired').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('programme_themes_name').on(t.partnershipId, t.name)],
);

export const concernThemes = pgTable(
  'concern_themes',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    concernId: uuid('concern_id')
      .notNull()
      .references(() => concerns.id, { onDelete: 'cascade' }),
    themeId: uuid('theme_id')
      .notNull()
      .references(() => programmeThemes.id),
    staffId: uuid('staff_id').references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.concernId, t.themeId] }),
    index('concern_themes_theme').on(t.partnershipId, t.themeId),
  ],
);

export const programmeActions = pgTable(
  'programme_actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    priorityId: uuid('priority_id')
      .notNull()
      .references(() => programmePriorities.id),
    title: text('title').notNull(),
    description: text('description').notNull(),
    leadOrganisationId: uuid('lead_organisation_id')
      .notNull()
      .references(() => organisations.id),
    leadStaffId: uuid('lead_staff_id').references(() => staff.id),
    partnerOrganisationIds: uuid('partner_organisation_ids').array().notNull().default([]),
    /** The areas the action works in; empty means the whole partnership area. */
    areaIds: uuid('area_ids').array().notNull().default([]),
    startDate: date('start_date', { mode: 'string' }),
    dueDate: date('due_date', { mode: 'string' }),
    status: text('status', { enum: ACTION_STATUSES }).notNull().default('planned'),
    /** Why it was dropped or paused. */
    statusReason: text('status_reason'),
    progress: integer('progress').notNull().default(0),
    rag: text('rag', { enum: RAGS }).notNull().default('green'),
    /** Required whenever the RAG status is not green. */
    ragReason: text('rag_reason'),
    /** Shown on the public "You said, we did" page. */
    public: boolean('public').notNull().default(true),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('programme_actions_priority').on(t.partnershipId, t.priorityId),
    index('programme_actions_lead').on(t.partnershipId, t.leadOrganisationId),
  ],
);

export const programmeMilestones = pgTable(
  'programme_milestones',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    actionId: uuid('action_id')
      .notNull()
      .references(() => programmeActions.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('programme_milestones_action').on(t.actionId, t.dueDate)],
);

export interface EvidenceLink {
  text: string;
  url: string;
}
export interface EvidenceFigure {
  label: string;
  value: string;
}

/** Progress updates with their evidence; public ones go on the public page, the feed and to residents. */
export const programmeUpdates = pgTable(
  'programme_updates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    actionId: uuid('action_id')
      .notNull()
      .references(() => programmeActions.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    links: jsonb('links').$type<EvidenceLink[]>().notNull().default([]),
    figures: jsonb('figures').$type<EvidenceFigure[]>().notNull().default([]),
    visibility: text('visibility', { enum: ['public', 'internal'] }).notNull(),
    staffId: uuid('staff_id').references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('programme_updates_action').on(t.actionId, t.createdAt)],
);

/** What people raised that shaped an action: many concerns to many actions. */
export const programmeLinks = pgTable(
  'programme_links',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    actionId: uuid('action_id')
      .notNull()
      .references(() => programmeActions.id, { onDelete: 'cascade' }),
    concernId: uuid('concern_id')
      .notNull()
      .references(() => concerns.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id').references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.actionId, t.concernId] }),
    index('programme_links_concern').on(t.partnershipId, t.concernId),
  ],
);

/**
 * Residents who asked to hear no more about the programme. Only a keyed hash of the address is kept,
 * so the list cannot be read back as a list of email addresses.
 */
export const programmeOptOuts = pgTable(
  'programme_opt_outs',
  {
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    addressHash: text('address_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnershipId, t.addressHash] })],
);
