import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { partnerships } from '../tenancy/tenancy.table.js';

/**
 * Mail is written here inside the same transaction as the change that caused it, then sent by the
 * outbox worker, so a crash between "saved" and "sent" never loses or duplicates a message.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    purpose: text('purpose').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('outbox_pending').on(t.status, t.nextAttemptAt)],
);
