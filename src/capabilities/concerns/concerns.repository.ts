import { and, asc, desc, eq, exists, inArray, isNull, lt, gt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Tx } from '../../platform/db/index.js';
import { placeholders, preparedFor } from '../../platform/db/prepared.js';
import { auditLog } from '../../platform/audit/audit.table.js';
import type { OutboxInsert } from '../../platform/mail/outbox.repository.js';
import { outbox } from '../../platform/mail/outbox.table.js';
import { staff } from '../../platform/auth/auth.table.js';
import { areas, organisations } from '../../platform/tenancy/tenancy.table.js';
import {
  concernEquality,
  concernEvents,
  concernRedactions,
  concerns,
  concernShares,
} from './concerns.table.js';

export type ConcernRow = typeof concerns.$inferSelect;
export type ConcernInsert = typeof concerns.$inferInsert;
export type EventInsert = typeof concernEvents.$inferInsert;

export type QueueSort = 'urgency' | 'oldest' | 'newest';

export interface QueueFilters {
  status?: string | undefined;
  topic?: string | undefined;
  areaId?: string | undefined;
  leadOrganisationId?: string | undefined;
  channel?: string | undefined;
  urgent?: boolean | undefined;
  overdue?: boolean | undefined;
  /** A language tag (uk, fa-AF, und-Cyrl…), or NOT_ENGLISH for anything detected as not English. */
  writtenLanguage?: string | undefined;
  /** Set for staff who see only what is shared with their organisation. */
  sharedWithOrganisationId?: string | undefined;
}

export interface QueueCursor {
  urgent: boolean;
  createdAt: string;
  id: string;
}

/** The written-language filter value meaning "anything but English" (the ones that may need translating). */
export const NOT_ENGLISH = 'not-en';

/** Counting stops here: "10,000 or more" is as useful to a person as the exact figure, and far cheaper. */
export const COUNT_CAP = 10_000;

function filterConditions(partnershipId: string, f: QueueFilters, now: Date): SQL[] {
  const where: SQL[] = [eq(concerns.partnershipId, partnershipId)];
  if (f.status === 'open') where.push(isNull(concerns.closedAt));
  else if (f.status) where.push(eq(concerns.status, f.status));
  if (f.topic) where.push(eq(concerns.topic, f.topic));
  if (f.areaId) where.push(eq(concerns.areaId, f.areaId));
  if (f.leadOrganisationId) where.push(eq(concerns.leadOrganisationId, f.leadOrganisationId));
  if (f.channel) where.push(eq(concerns.channel, f.channel));
  if (f.urgent !== undefined) where.push(eq(concerns.urgent, f.urgent));
  // Other than English, the partial index's predicate is repeated so the planner can use
  // concerns_written_language.
  if (f.writtenLanguage === NOT_ENGLISH) where.push(sql`${concerns.writtenLanguage} <> 'en'`);
  else if (f.writtenLanguage === 'en') where.push(eq(concerns.writtenLanguage, 'en'));
  else if (f.writtenLanguage) {
    where.push(eq(concerns.writtenLanguage, f.writtenLanguage), sql`${concerns.writtenLanguage} <> 'en'`);
  }
  if (f.overdue) {
    where.push(isNull(concerns.closedAt));
    where.push(
      or(
        lt(concerns.respondDueAt, now),
        and(isNull(concerns.firstResponseAt), lt(concerns.acknowledgeDueAt, now)),
      )!,
    );
  }
  if (f.sharedWithOrganisationId) {
    where.push(
      exists(
        sql`(select 1 from ${concernShares} where ${concernShares.concernId} = ${concerns.id} and ${concernShares.organisationId} = ${f.sharedWithOrganisationId})`,
      ),
    );
  }
  return where;
}

function keyset(sort: QueueSort, c: QueueCursor): SQL {
  const at = new Date(c.createdAt);
  if (sort === 'newest') {
    return or(lt(concerns.createdAt, at), and(eq(concerns.createdAt, at), lt(concerns.id, c.id)))!;
  }
  const later = or(gt(concerns.createdAt, at), and(eq(concerns.createdAt, at), gt(concerns.id, c.id)))!;
  if (sort === 'oldest') return later;
  // urgency: urgent rows first, then oldest first.
  return c.urgent
    ? or(eq(concerns.urgent, false), and(eq(concerns.urgent, true), later)!)!
    : and(eq(concerns.urgent, false), later)!;
}

function ordering(sort: QueueSort) {
  if (sort === 'newest') return [desc(concerns.createdAt), desc(concerns.id)];
  if (sort === 'oldest') return [asc(concerns.createdAt), asc(concerns.id)];
  return [desc(concerns.urgent), asc(concerns.createdAt), asc(concerns.id)];
}

const leadOrg = alias(organisations, 'lead_org');
const assignee = alias(staff, 'assignee');
const recorder = alias(staff, 'recorder');

export const concernsRepository = {
  async findEquality(tx: Tx, concernId: string) {
    const [row] = await tx.select().from(concernEquality).where(eq(concernEquality.concernId, concernId));
    return row?.answers;
  },

  async findByReference(tx: Tx, reference: string): Promise<ConcernRow | undefined> {
    const [row] = await tx.select().from(concerns).where(eq(concerns.reference, reference));
    return row;
  },

  async findById(tx: Tx, id: string): Promise<ConcernRow | undefined> {
    const [row] = await tx.select().from(concerns).where(eq(concerns.id, id));
    return row;
  },

  /** For the staff concern page: the concern with its area, lead organisation and assignee named. */
  async findDetail(tx: Tx, reference: string) {
    const [row] = await tx
      .select({
        concern: concerns,
        areaName: areas.name,
        leadOrganisationName: leadOrg.name,
        assigneeName: assignee.name,
        recordedByName: recorder.name,
      })
      .from(concerns)
      .leftJoin(areas, eq(areas.id, concerns.areaId))
      .leftJoin(leadOrg, eq(leadOrg.id, concerns.leadOrganisationId))
      .leftJoin(assignee, eq(assignee.id, concerns.assignedStaffId))
      .leftJoin(recorder, eq(recorder.id, concerns.recordedByStaffId))
      .where(eq(concerns.reference, reference));
    return row;
  },

  async update(tx: Tx, id: string, values: Partial<ConcernInsert>): Promise<void> {
    await tx
      .update(concerns)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(concerns.id, id));
  },

  async queue(
    tx: Tx,
    partnershipId: string,
    filters: QueueFilters,
    options: { sort: QueueSort; limit: number; after?: QueueCursor | undefined; now?: Date },
  ) {
    const now = options.now ?? new Date();
    const where = filterConditions(partnershipId, filters, now);
    if (options.after) where.push(keyset(options.sort, options.after));
    return tx
      .select({
        id: concerns.id,
        reference: concerns.reference,
        kind: concerns.kind,
        topic: concerns.topic,
        status: concerns.status,
        urgent: concerns.urgent,
        channel: concerns.channel,
        description: concerns.description,
        writtenLanguage: concerns.writtenLanguage,
        areaName: areas.name,
        leadOrganisationName: leadOrg.name,
        createdAt: concerns.createdAt,
        acknowledgeDueAt: concerns.acknowledgeDueAt,
        respondDueAt: concerns.respondDueAt,
        firstResponseAt: concerns.firstResponseAt,
        closedAt: concerns.closedAt,
      })
      .from(concerns)
      .leftJoin(areas, eq(areas.id, concerns.areaId))
      .leftJoin(leadOrg, eq(leadOrg.id, concerns.leadOrganisationId))
      .where(and(...where))
      .orderBy(...ordering(options.sort))
      .limit(options.limit);
  },

  async countQueue(
    tx: Tx,
    partnershipId: string,
    filters: QueueFilters,
    now: Date = new Date(),
  ): Promise<number> {
    const where = filterConditions(partnershipId, filters, now);
    const capped = tx
      .select({ one: sql`1` })
      .from(concerns)
      .where(and(...where))
      .limit(COUNT_CAP + 1)
      .as('capped');
    const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(capped);
    return Number(row?.n ?? 0);
  },

  listShares(tx: Tx, concernId: string) {
    return tx
      .select({
        organisationId: concernShares.organisationId,
        role: concernShares.role,
        name: organisations.name,
      })
      .from(concernShares)
      .innerJoin(organisations, eq(organisations.id, concernShares.organisationId))
      .where(eq(concernShares.concernId, concernId))
      .orderBy(desc(concernShares.role), asc(organisations.name));
  },

  async isSharedWith(tx: Tx, concernId: string, organisationId: string): Promise<boolean> {
    const [row] = await tx
      .select({ one: sql`1` })
      .from(concernShares)
      .where(and(eq(concernShares.concernId, concernId), eq(concernShares.organisationId, organisationId)));
    return row !== undefined;
  },

  async replaceShares(
    tx: Tx,
    partnershipId: string,
    concernId: string,
    lead: string,
    supporting: readonly string[],
  ): Promise<void> {
    await tx.delete(concernShares).where(eq(concernShares.concernId, concernId));
    const rows = [
      { partnershipId, concernId, organisationId: lead, role: 'lead' as const },
      ...supporting
        .filter((o) => o !== lead)
        .map((organisationId) => ({ partnershipId, concernId, organisationId, role: 'supporting' as const })),
    ];
    await tx.insert(concernShares).values(rows);
  },

  /**
   * A new concern with its first event, its audit record and any equality answers, in one statement
   * (one round trip): the id is chosen here, so the rows need not wait for each other. Foreign keys
   * are checked at the end of the statement, when the concern row exists.
   */
  async insertNew(
    tx: Tx,
    row: ConcernInsert & { id: string },
    event: EventInsert,
    auditRow: typeof auditLog.$inferInsert,
    equality: typeof concernEquality.$inferInsert | undefined,
    mail: OutboxInsert[] = [],
  ): Promise<void> {
    // One statement, one round trip: the concern, its first event, the audit record, the equality
    // answers and the acknowledgement, stored together or not at all.
    const c = placeholders('c', row);
    const e = placeholders('e', event);
    const a = placeholders('a', auditRow);
    const q = equality ? placeholders('q', equality) : undefined;
    // One acknowledgement at most today; each message's values are named by its position.
    const m = mail.map((message, i) => placeholders(`m${i}`, message));
    const shape = [c, e, a, q, ...m].map((p) => p?.shape ?? '-').join(' ');
    const statement = preparedFor(tx, `concerns.insertNew ${shape}`, (name) => {
      // Only the id comes back: the caller made every value, and reading back forty-odd columns
      // costs more than the insert.
      const created = tx
        .$with('new_concern')
        .as(tx.insert(concerns).values(c.slots()).returning({ id: concerns.id }));
      const parts = [
        created,
        tx
          .$with('new_event')
          .as(tx.insert(concernEvents).values(e.slots()).returning({ id: concernEvents.id })),
        tx.$with('new_audit').as(tx.insert(auditLog).values(a.slots()).returning({ id: auditLog.id })),
        ...(q
          ? [
              tx
                .$with('new_equality')
                .as(
                  tx.insert(concernEquality).values(q.slots()).returning({ id: concernEquality.concernId }),
                ),
            ]
          : []),
        ...(m.length > 0
          ? [
              tx.$with('new_mail').as(
                tx
                  .insert(outbox)
                  .values(m.map((x) => x.slots()))
                  .returning({ id: outbox.id }),
              ),
            ]
          : []),
      ];
      return tx
        .with(...parts)
        .select()
        .from(created)
        .prepare(name);
    });
    await statement.execute(
      Object.assign({}, c.values, e.values, a.values, q?.values, ...m.map((x) => x.values)),
    );
  },

  async insertEvent(tx: Tx, row: EventInsert): Promise<void> {
    await tx.insert(concernEvents).values(row);
  },

  listEvents(tx: Tx, concernId: string, visibility?: 'public') {
    return tx
      .select({
        id: concernEvents.id,
        kind: concernEvents.kind,
        visibility: concernEvents.visibility,
        body: concernEvents.body,
        details: concernEvents.details,
        createdAt: concernEvents.createdAt,
        staffName: staff.name,
        organisationName: organisations.name,
      })
      .from(concernEvents)
      .leftJoin(staff, eq(staff.id, concernEvents.staffId))
      .leftJoin(organisations, eq(organisations.id, staff.organisationId))
      .where(
        visibility
          ? and(eq(concernEvents.concernId, concernId), eq(concernEvents.visibility, visibility))
          : eq(concernEvents.concernId, concernId),
      )
      .orderBy(asc(concernEvents.createdAt));
  },

  /** Concerns merged into this one, and the one this was merged into. */
  async listLinked(tx: Tx, concern: ConcernRow) {
    const conditions = [eq(concerns.duplicateOfId, concern.id)];
    if (concern.duplicateOfId) conditions.push(eq(concerns.id, concern.duplicateOfId));
    return tx
      .select({
        id: concerns.id,
        reference: concerns.reference,
        status: concerns.status,
        createdAt: concerns.createdAt,
      })
      .from(concerns)
      .where(or(...conditions))
      .orderBy(asc(concerns.createdAt));
  },

  async insertRedaction(tx: Tx, row: typeof concernRedactions.$inferInsert): Promise<void> {
    await tx.insert(concernRedactions).values(row);
  },

  listRedactions(tx: Tx, concernId: string) {
    return tx
      .select({
        originalDescription: concernRedactions.originalDescription,
        reason: concernRedactions.reason,
        createdAt: concernRedactions.createdAt,
        staffName: staff.name,
      })
      .from(concernRedactions)
      .innerJoin(staff, eq(staff.id, concernRedactions.staffId))
      .where(eq(concernRedactions.concernId, concernId))
      .orderBy(asc(concernRedactions.createdAt));
  },

  /** Active staff of the given organisations, for the assignment list. */
  listAssignableStaff(tx: Tx, organisationIds: readonly string[]) {
    if (organisationIds.length === 0) return Promise.resolve([]);
    return tx
      .select({
        id: staff.id,
        name: staff.name,
        organisationId: staff.organisationId,
        organisationName: organisations.name,
      })
      .from(staff)
      .innerJoin(organisations, eq(organisations.id, staff.organisationId))
      .where(and(eq(staff.active, true), inArray(staff.organisationId, [...organisationIds])))
      .orderBy(asc(organisations.name), asc(staff.name));
  },

  async findStaff(tx: Tx, id: string) {
    const [row] = await tx
      .select({ id: staff.id, name: staff.name, organisationId: staff.organisationId, active: staff.active })
      .from(staff)
      .where(eq(staff.id, id));
    return row;
  },
};
