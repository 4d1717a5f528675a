import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { partnerships } from '../../platform/tenancy/tenancy.table.js';

/**
 * A resident's answers between question pages. Kept on the server (keyed by a random token in a
 * cookie, stored hashed) so that pages work without JavaScript and nothing personal sits in a URL.
 */
export const shareDrafts = pgTable('share_drafts', {
  id: uuid('id').primaryKey().defaultRandom(),
  partnershipId: uuid('partnership_id')
    .notNull()
    .references(() => partnerships.id),
  tokenHash: text('token_hash').notNull().unique(),
  /**
   * "Save and come back later": a keyed hash of the resume link's secret, separate from the cookie's
   * token so the link can be opened in another browser (and the cookie token rotated when it is).
   */
  resumeHash: text('resume_hash').unique(),
  answers: jsonb('answers').$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
