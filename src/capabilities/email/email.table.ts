import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from '../../platform/db/bytea.js';
import { staff } from '../../platform/auth/auth.table.js';
import { outbox } from '../../platform/mail/outbox.table.js';
import { partnerships } from '../../platform/tenancy/tenancy.table.js';
import { concerns } from '../concerns/concerns.table.js';

/**
 * Every message accepted by the SMTP listener or fetched over IMAP, stored raw before anything
 * else happens to it: data that was acknowledged is never lost, and can be processed again.
 */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** 'smtp' or 'imap'. */
    via: text('via').notNull(),
    envelopeFrom: text('envelope_from'),
    recipients: text('recipients').array().notNull().default([]),
    messageId: text('message_id'),
    raw: bytea('raw').notNull(),
    size: integer('size').notNull(),
    /** received → processed | ignored | failed. */
    status: text('status').notNull().default('received'),
    /** What it turned out to be: concern, reply, bounce, auto_reply, list, complaint, receipt, rate_limited… */
    classification: text('classification'),
    concernId: uuid('concern_id').references(() => concerns.id),
    outboxId: uuid('outbox_id').references(() => outbox.id),
    error: text('error'),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    index('inbound_messages_status').on(t.status, t.receivedAt),
    index('inbound_messages_sender').on(t.partnershipId, t.envelopeFrom, t.receivedAt),
  ],
);

/** Files that came with a concern; only staff can download them. */
export const concernAttachments = pgTable(
  'concern_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    concernId: uuid('concern_id')
      .notNull()
      .references(() => concerns.id, { onDelete: 'cascade' }),
    inboundMessageId: uuid('inbound_message_id').references(() => inboundMessages.id),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    content: bytea('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('concern_attachments_concern').on(t.concernId)],
);

/** The email conversation about a concern, both ways, in order. */
export const correspondence = pgTable(
  'correspondence',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    concernId: uuid('concern_id')
      .notNull()
      .references(() => concerns.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    inboundMessageId: uuid('inbound_message_id').references(() => inboundMessages.id),
    outboxId: uuid('outbox_id').references(() => outbox.id),
    fromAddress: text('from_address').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    bodyText: text('body_text').notNull(),
    staffId: uuid('staff_id').references(() => staff.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('correspondence_concern').on(t.concernId, t.createdAt)],
);
