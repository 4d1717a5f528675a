import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { staff } from '../../platform/auth/auth.table.js';
import { organisations, partnerships } from '../../platform/tenancy/tenancy.table.js';
import { concerns } from '../concerns/concerns.table.js';
import type { SerialisedClassifier } from './model.js';

/**
 * A classifier trained on one partnership's own triaged concerns, with how well it did on the part
 * of that data it was not trained on. The newest row is the one in use.
 */
export const suggestionModels = pgTable(
  'suggestion_models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    /** 'schedule', 'admin' or 'seed': why it was trained. */
    trigger: text('trigger').notNull(),
    trainedByStaffId: uuid('trained_by_staff_id').references(() => staff.id),
    examples: integer('examples').notNull(),
    heldOut: integer('held_out').notNull(),
    /** Held-back evaluation: per head, accuracy over all, how often it dared suggest, accuracy when it did. */
    evaluation: jsonb('evaluation').$type<Record<string, unknown>>().notNull(),
    model: jsonb('model').$type<SerialisedClassifier>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('suggestion_models_latest').on(t.partnershipId, t.createdAt.desc())],
);

/**
 * What the classifier suggested for one concern (nulls: it chose not to suggest), and what triage
 * staff decided. Decisions feed the next training run through the concern's topic and lead.
 */
export const concernSuggestions = pgTable(
  'concern_suggestions',
  {
    concernId: uuid('concern_id')
      .primaryKey()
      .references(() => concerns.id, { onDelete: 'cascade' }),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    modelId: uuid('model_id').references(() => suggestionModels.id, { onDelete: 'set null' }),
    topic: text('topic'),
    topicConfidence: doublePrecision('topic_confidence'),
    leadOrganisationId: uuid('lead_organisation_id').references(() => organisations.id),
    leadConfidence: doublePrecision('lead_confidence'),
    /** Why nothing was suggested, when nothing was: 'noModel', 'unfamiliarText' or 'lowConfidence'. */
    withheldReason: text('withheld_reason'),
    decision: text('decision', { enum: ['accepted', 'changed', 'dismissed'] }),
    decidedTopic: text('decided_topic'),
    decidedLeadOrganisationId: uuid('decided_lead_organisation_id').references(() => organisations.id),
    decidedByStaffId: uuid('decided_by_staff_id').references(() => staff.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('concern_suggestions_decided')
      .on(t.partnershipId, t.decidedAt.desc())
      .where(sql`decided_at is not null`),
  ],
);
