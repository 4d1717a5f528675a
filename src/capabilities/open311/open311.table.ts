import { boolean, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { partnerships } from '../../platform/tenancy/tenancy.table.js';

/** Keys Open311 clients send as api_key when posting requests; stored hashed, managed by admins. */
export const open311Keys = pgTable(
  'open311_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('open311_keys_partnership').on(t.partnershipId)],
);

/**
 * Which topics a partnership publishes as Open311 services. Sensitive topics (hate, tensions) are
 * never public; requests in a topic that is not public are accepted but never shown in public GETs.
 */
export const open311Services = pgTable(
  'open311_services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => partnerships.id),
    topic: text('topic').notNull(),
    public: boolean('public').notNull().default(false),
    keywords: text('keywords'),
  },
  (t) => [unique('open311_services_partnership_topic').on(t.partnershipId, t.topic)],
);
