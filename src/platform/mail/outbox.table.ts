import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
    htmlBody: text('html_body'),
    /** Extra headers: Auto-Submitted, In-Reply-To, References, List-Unsubscribe… */
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    /** Fixed when queued, so a retry re-sends the same message and receivers can recognise it. */
    messageId: text('message_id').notNull().unique(),
    purpose: text('purpose').notNull(),
    concernId: uuid('concern_id'),
    language: text('language').notNull().default('en'),
    /** 'sending' is claimed by a worker; a claim older than the lease is retried after a crash. */
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    bouncedAt: timestamp('bounced_at', { withTimezone: true }),
    bounceReason: text('bounce_reason'),
  },
  (t) => [index('outbox_pending').on(t.status, t.nextAttemptAt)],
);
