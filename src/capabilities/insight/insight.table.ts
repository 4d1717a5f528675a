import { integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
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
