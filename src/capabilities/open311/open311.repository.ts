import { and, asc, desc, eq, gte, inArray, isNull, lte, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Tx } from '../../platform/db/index.js';
import { areas, organisations } from '../../platform/tenancy/tenancy.table.js';
import { concernEvents, concerns } from '../concerns/concerns.table.js';
import { OPEN_STATUSES } from '../concerns/workflow.js';
import { open311Keys, open311Services } from './open311.table.js';

/** Topics that are never published, whatever a settings row says; the query refuses them too. */
export const SENSITIVE_TOPICS = ['hate_harassment', 'hate_disinformation', 'community_tensions'] as const;

export type KeyInsert = typeof open311Keys.$inferInsert;

export interface RequestQuery {
  /** The topics the partnership publishes; only these are ever read. */
  publicTopics: readonly string[];
  /** Normalised references; when given, the other filters (dates included) do not apply. */
  references?: readonly string[] | undefined;
  topics?: readonly string[] | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  states?: readonly ('open' | 'closed')[] | undefined;
  limit: number;
}

export interface UpdateQuery {
  publicTopics: readonly string[];
  from: Date;
  to: Date;
  limit: number;
}

const leadOrg = alias(organisations, 'lead_org');
const statusEvent = alias(concernEvents, 'status_event');
const publicEvent = alias(concernEvents, 'public_event');
// In a raw subquery an alias must be spelled out: "concern_events" "public_event".
const statusEventFrom = sql`${concernEvents} ${sql.identifier('status_event')}`;
const publicEventFrom = sql`${concernEvents} ${sql.identifier('public_event')}`;

/** What every public read insists on, whatever else is asked: a published topic, not marked private. */
function publishable(publicTopics: readonly string[]): SQL {
  return and(
    inArray(concerns.topic, [...publicTopics]),
    notInArray(concerns.topic, [...SENSITIVE_TOPICS]),
    eq(concerns.private, false),
  )!;
}

function requestConditions(q: RequestQuery): SQL[] {
  const where: SQL[] = [publishable(q.publicTopics)];
  if (q.references) {
    where.push(inArray(concerns.reference, [...q.references]));
    return where;
  }
  if (q.topics) where.push(inArray(concerns.topic, [...q.topics]));
  if (q.from) where.push(gte(concerns.createdAt, q.from));
  if (q.to) where.push(lte(concerns.createdAt, q.to));
  if (q.states && q.states.length === 1) {
    where.push(
      q.states[0] === 'open'
        ? inArray(concerns.status, [...OPEN_STATUSES])
        : notInArray(concerns.status, [...OPEN_STATUSES]),
    );
  }
  return where;
}

export const open311Repository = {
  /** Outside row-level security (the key is what tells us the partnership); revoked keys never match. */
  async findActiveKey(tx: Tx, keyHash: string) {
    const [row] = await tx
      .select({ id: open311Keys.id, partnershipId: open311Keys.partnershipId, name: open311Keys.name })
      .from(open311Keys)
      .where(and(eq(open311Keys.keyHash, keyHash), isNull(open311Keys.revokedAt)));
    return row;
  },

  async touchKey(tx: Tx, id: string): Promise<void> {
    await tx.update(open311Keys).set({ lastUsedAt: new Date() }).where(eq(open311Keys.id, id));
  },

  listKeys(tx: Tx) {
    return tx
      .select({
        id: open311Keys.id,
        name: open311Keys.name,
        createdAt: open311Keys.createdAt,
        lastUsedAt: open311Keys.lastUsedAt,
        revokedAt: open311Keys.revokedAt,
      })
      .from(open311Keys)
      .orderBy(isNull(open311Keys.revokedAt), desc(open311Keys.createdAt));
  },

  async insertKey(tx: Tx, row: KeyInsert) {
    const [created] = await tx
      .insert(open311Keys)
      .values(row)
      .returning({ id: open311Keys.id, name: open311Keys.name });
    return created!;
  },

  /** Revoking twice keeps the first revocation time. */
  async revokeKey(tx: Tx, id: string) {
    const [row] = await tx
      .update(open311Keys)
      .set({ revokedAt: sql`coalesce(${open311Keys.revokedAt}, now())` })
      .where(eq(open311Keys.id, id))
      .returning({ id: open311Keys.id, name: open311Keys.name });
    return row;
  },

  listServiceSettings(tx: Tx) {
    return tx
      .select({
        topic: open311Services.topic,
        public: open311Services.public,
        keywords: open311Services.keywords,
      })
      .from(open311Services);
  },

  async upsertServiceSetting(tx: Tx, row: { partnershipId: string; topic: string; public: boolean }) {
    await tx
      .insert(open311Services)
      .values(row)
      .onConflictDoUpdate({
        target: [open311Services.partnershipId, open311Services.topic],
        set: { public: row.public },
      });
  },

  /**
   * Public service requests, newest first, at most `limit`. Only columns that can be published are
   * read: never contact details, equality answers, notes or who did what.
   */
  async findRequests(tx: Tx, q: RequestQuery) {
    if (q.publicTopics.length === 0 || q.references?.length === 0) return [];
    return tx
      .select({
        id: concerns.id,
        reference: concerns.reference,
        topic: concerns.topic,
        status: concerns.status,
        channel: concerns.channel,
        description: concerns.description,
        placeDescription: concerns.placeDescription,
        latitude: concerns.latitude,
        longitude: concerns.longitude,
        areaName: areas.name,
        agency: leadOrg.name,
        createdAt: concerns.createdAt,
        respondDueAt: concerns.respondDueAt,
        latestPublicUpdate: sql<string | null>`(select ${publicEvent.body} from ${publicEventFrom}
          where ${publicEvent.concernId} = ${concerns.id} and ${publicEvent.kind} = 'public_update'
          and ${publicEvent.visibility} = 'public'
          order by ${publicEvent.createdAt} desc, ${publicEvent.id} desc limit 1)`,
        // Internal notes change updated_at too; only what the public can see moves this date.
        publicUpdatedAt: sql<Date>`coalesce((select max(${publicEvent.createdAt}) from ${publicEventFrom}
          where ${publicEvent.concernId} = ${concerns.id} and ${publicEvent.visibility} = 'public'),
          ${concerns.createdAt})`.mapWith(concerns.createdAt),
      })
      .from(concerns)
      .leftJoin(areas, eq(areas.id, concerns.areaId))
      .leftJoin(leadOrg, eq(leadOrg.id, concerns.leadOrganisationId))
      .where(and(...requestConditions(q)))
      .orderBy(desc(concerns.createdAt), desc(concerns.id))
      .limit(q.limit);
  },

  async findByToken(tx: Tx, token: string) {
    const [row] = await tx
      .select({ reference: concerns.reference })
      .from(concerns)
      .where(eq(concerns.open311Token, token));
    return row;
  },

  /**
   * Public events (status changes and public updates) of published requests, oldest first so a
   * client can carry on from the last one it saw. Each carries the status the request had then.
   */
  async findUpdates(tx: Tx, q: UpdateQuery) {
    if (q.publicTopics.length === 0) return [];
    return tx
      .select({
        id: concernEvents.id,
        kind: concernEvents.kind,
        body: concernEvents.body,
        createdAt: concernEvents.createdAt,
        reference: concerns.reference,
        statusThen: sql<string>`coalesce(
          case when ${concernEvents.kind} = 'status' then ${concernEvents.details}->>'to' end,
          (select ${statusEvent.details}->>'to' from ${statusEventFrom}
            where ${statusEvent.concernId} = ${concernEvents.concernId} and ${statusEvent.kind} = 'status'
            and ${statusEvent.createdAt} <= ${concernEvents.createdAt}
            order by ${statusEvent.createdAt} desc, ${statusEvent.id} desc limit 1),
          'new')`,
      })
      .from(concernEvents)
      .innerJoin(concerns, eq(concerns.id, concernEvents.concernId))
      .where(
        and(
          publishable(q.publicTopics),
          eq(concernEvents.visibility, 'public'),
          or(eq(concernEvents.kind, 'status'), eq(concernEvents.kind, 'public_update')),
          gte(concernEvents.createdAt, q.from),
          lte(concernEvents.createdAt, q.to),
        ),
      )
      .orderBy(asc(concernEvents.createdAt), asc(concernEvents.id))
      .limit(q.limit);
  },
};
