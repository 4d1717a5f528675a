import { and, asc, count, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import { staff } from '../../platform/auth/auth.table.js';
import { areas } from '../../platform/tenancy/tenancy.table.js';
import {
  resettlementBookings as bookings,
  resettlementGoals as goals,
  resettlementHosts as hosts,
  resettlementHouseholds as households,
  resettlementMembers as members,
  resettlementNeeds as needs,
  resettlementReferrals as referrals,
  resettlementSessions as sessions,
} from './resettlement.table.js';

export type HouseholdRow = typeof households.$inferSelect;
export type MemberRow = typeof members.$inferSelect;
export type HostRow = typeof hosts.$inferSelect;
export type NeedRow = typeof needs.$inferSelect;
export type GoalRow = typeof goals.$inferSelect;
export type ReferralRow = typeof referrals.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type BookingRow = typeof bookings.$inferSelect;

const householdColumns = {
  household: households,
  areaName: areas.name,
  caseworkerName: staff.name,
};

/** Every query resettlement makes. Row-level security confines each to the caller's partnership. */
export const resettlementRepository = {
  async insertHousehold(tx: Tx, values: typeof households.$inferInsert) {
    const [row] = await tx.insert(households).values(values).returning();
    return row!;
  },

  async updateHousehold(tx: Tx, id: string, values: Partial<typeof households.$inferInsert>) {
    await tx
      .update(households)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(households.id, id));
  },

  async findHousehold(tx: Tx, id: string) {
    const [row] = await tx
      .select(householdColumns)
      .from(households)
      .leftJoin(areas, eq(areas.id, households.areaId))
      .leftJoin(staff, eq(staff.id, households.caseworkerStaffId))
      .where(eq(households.id, id));
    return row;
  },

  /** Households for a list: open ones first, then by name; anonymised cases never appear. */
  listHouseholds(
    tx: Tx,
    filters: {
      caseworkerStaffId?: string | undefined;
      scheme?: string | undefined;
      status?: string | undefined;
    },
  ) {
    const where = [isNull(households.anonymisedAt)];
    if (filters.caseworkerStaffId) where.push(eq(households.caseworkerStaffId, filters.caseworkerStaffId));
    if (filters.scheme) where.push(eq(households.scheme, filters.scheme));
    if (filters.status) where.push(eq(households.status, filters.status));
    return tx
      .select({
        ...householdColumns,
        members: sql<number>`(select count(*)::int from resettlement_members m where m.household_id = ${households.id})`,
      })
      .from(households)
      .leftJoin(areas, eq(areas.id, households.areaId))
      .leftJoin(staff, eq(staff.id, households.caseworkerStaffId))
      .where(and(...where))
      .orderBy(asc(households.status), asc(households.name), asc(households.reference));
  },

  async referenceTaken(tx: Tx, reference: string) {
    const [row] = await tx
      .select({ id: households.id })
      .from(households)
      .where(eq(households.reference, reference));
    return row !== undefined;
  },

  listMembers(tx: Tx, householdIds: string[]) {
    if (householdIds.length === 0) return Promise.resolve([] as MemberRow[]);
    return tx
      .select()
      .from(members)
      .where(inArray(members.householdId, householdIds))
      .orderBy(asc(members.createdAt), asc(members.name));
  },

  async findMember(tx: Tx, householdId: string, memberId: string) {
    const [row] = await tx
      .select()
      .from(members)
      .where(and(eq(members.id, memberId), eq(members.householdId, householdId)));
    return row;
  },

  async insertMember(tx: Tx, values: typeof members.$inferInsert) {
    const [row] = await tx.insert(members).values(values).returning();
    return row!;
  },

  async updateMember(tx: Tx, id: string, values: Partial<typeof members.$inferInsert>) {
    await tx
      .update(members)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(members.id, id));
  },

  async findHost(tx: Tx, householdId: string) {
    const [row] = await tx.select().from(hosts).where(eq(hosts.householdId, householdId));
    return row;
  },

  async upsertHost(tx: Tx, values: typeof hosts.$inferInsert) {
    await tx
      .insert(hosts)
      .values(values)
      .onConflictDoUpdate({ target: hosts.householdId, set: { ...values, updatedAt: new Date() } });
  },

  listNeeds(tx: Tx, householdId: string) {
    return tx.select().from(needs).where(eq(needs.householdId, householdId));
  },

  async upsertNeed(tx: Tx, values: typeof needs.$inferInsert) {
    await tx
      .insert(needs)
      .values(values)
      .onConflictDoUpdate({
        target: [needs.householdId, needs.domain],
        set: {
          status: values.status,
          notes: values.notes ?? null,
          details: values.details ?? {},
          updatedByStaffId: values.updatedByStaffId ?? null,
          updatedAt: new Date(),
        },
      });
  },

  listGoals(tx: Tx, householdId: string) {
    return tx
      .select()
      .from(goals)
      .where(eq(goals.householdId, householdId))
      .orderBy(asc(goals.dueDate), asc(goals.createdAt));
  },

  async insertGoal(tx: Tx, values: typeof goals.$inferInsert) {
    const [row] = await tx.insert(goals).values(values).returning();
    return row!;
  },

  async updateGoal(tx: Tx, householdId: string, id: string, status: string) {
    const rows = await tx
      .update(goals)
      .set({ status, updatedAt: new Date() })
      .where(and(eq(goals.id, id), eq(goals.householdId, householdId)))
      .returning({ id: goals.id });
    return rows.length > 0;
  },

  listReferrals(tx: Tx, householdId: string) {
    return tx
      .select()
      .from(referrals)
      .where(eq(referrals.householdId, householdId))
      .orderBy(desc(referrals.referredOn), desc(referrals.createdAt));
  },

  async insertReferral(tx: Tx, values: typeof referrals.$inferInsert) {
    const [row] = await tx.insert(referrals).values(values).returning();
    return row!;
  },

  async findReferral(tx: Tx, householdId: string, id: string) {
    const [row] = await tx
      .select()
      .from(referrals)
      .where(and(eq(referrals.id, id), eq(referrals.householdId, householdId)));
    return row;
  },

  async updateReferral(tx: Tx, id: string, values: Partial<typeof referrals.$inferInsert>) {
    await tx
      .update(referrals)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(referrals.id, id));
  },

  /** Referrals still awaiting an answer past their due date, in open cases. */
  overdueReferrals(tx: Tx, today: string, caseworkerStaffId?: string) {
    const where = [
      eq(referrals.outcome, 'awaiting'),
      lt(referrals.responseDueOn, today),
      eq(households.status, 'open'),
    ];
    if (caseworkerStaffId) where.push(eq(households.caseworkerStaffId, caseworkerStaffId));
    return tx
      .select({
        referral: referrals,
        householdReference: households.reference,
        householdName: households.name,
      })
      .from(referrals)
      .innerJoin(households, eq(households.id, referrals.householdId))
      .where(and(...where))
      .orderBy(asc(referrals.responseDueOn));
  },

  /** What can fall due in open cases: move-on deadlines, visa expiries and accommodation checks. */
  async deadlineSources(tx: Tx, caseworkerStaffId?: string) {
    const where = [eq(households.status, 'open')];
    if (caseworkerStaffId) where.push(eq(households.caseworkerStaffId, caseworkerStaffId));
    const open = await tx
      .select({
        id: households.id,
        reference: households.reference,
        name: households.name,
        moveOnDeadline: households.moveOnDeadline,
      })
      .from(households)
      .where(and(...where));
    const ids = open.map((h) => h.id);
    if (ids.length === 0) return { open, visas: [], checks: [] };
    const visas = await tx
      .select({ householdId: members.householdId, name: members.name, visaExpiry: members.visaExpiry })
      .from(members)
      .where(and(inArray(members.householdId, ids), sql`${members.visaExpiry} is not null`));
    const checks = await tx
      .select({ householdId: hosts.householdId, checkStatus: hosts.checkStatus, checkDate: hosts.checkDate })
      .from(hosts)
      .where(and(inArray(hosts.householdId, ids), inArray(hosts.checkStatus, ['not_started', 'booked'])));
    return { open, visas, checks };
  },

  // ---- Sessions ----

  async insertSession(tx: Tx, values: typeof sessions.$inferInsert) {
    const [row] = await tx.insert(sessions).values(values).returning();
    return row!;
  },

  async findSession(tx: Tx, id: string) {
    const [row] = await tx.select().from(sessions).where(eq(sessions.id, id));
    return row;
  },

  async updateSession(tx: Tx, id: string, values: Partial<typeof sessions.$inferInsert>) {
    await tx
      .update(sessions)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(sessions.id, id));
  },

  /** Sessions with how many are booked; from a date when given (upcoming), else all. */
  listSessions(tx: Tx, from?: Date) {
    return tx
      .select({ session: sessions, booked: count(bookings.memberId) })
      .from(sessions)
      .leftJoin(bookings, eq(bookings.sessionId, sessions.id))
      .where(from ? gte(sessions.endsAt, from) : undefined)
      .groupBy(sessions.id)
      .orderBy(asc(sessions.startsAt));
  },

  listBookings(tx: Tx, sessionId: string) {
    return tx
      .select({
        booking: bookings,
        memberName: members.name,
        householdReference: households.reference,
        householdName: households.name,
      })
      .from(bookings)
      .innerJoin(members, eq(members.id, bookings.memberId))
      .innerJoin(households, eq(households.id, bookings.householdId))
      .where(eq(bookings.sessionId, sessionId))
      .orderBy(asc(households.name), asc(members.name));
  },

  async countBookings(tx: Tx, sessionId: string) {
    const [row] = await tx.select({ n: count() }).from(bookings).where(eq(bookings.sessionId, sessionId));
    return Number(row?.n ?? 0);
  },

  /** Books members; a member already booked is left as they are (a double submit books once). */
  async insertBookings(tx: Tx, rows: (typeof bookings.$inferInsert)[]) {
    if (rows.length === 0) return 0;
    const inserted = await tx
      .insert(bookings)
      .values(rows)
      .onConflictDoNothing()
      .returning({ memberId: bookings.memberId });
    return inserted.length;
  },

  async setAttendance(
    tx: Tx,
    sessionId: string,
    memberId: string,
    attended: boolean | null,
    feedback: string | null,
  ) {
    await tx
      .update(bookings)
      .set({ attended, feedback })
      .where(and(eq(bookings.sessionId, sessionId), eq(bookings.memberId, memberId)));
  },

  async removeBooking(tx: Tx, sessionId: string, memberId: string) {
    const rows = await tx
      .delete(bookings)
      .where(and(eq(bookings.sessionId, sessionId), eq(bookings.memberId, memberId)))
      .returning({ memberId: bookings.memberId });
    return rows.length > 0;
  },

  householdBookings(tx: Tx, householdId: string) {
    return tx
      .select({ booking: bookings, session: sessions, memberName: members.name })
      .from(bookings)
      .innerJoin(sessions, eq(sessions.id, bookings.sessionId))
      .innerJoin(members, eq(members.id, bookings.memberId))
      .where(eq(bookings.householdId, householdId))
      .orderBy(desc(sessions.startsAt));
  },

  /** Open households' members, for booking onto a session. */
  bookableMembers(tx: Tx) {
    return tx
      .select({
        id: members.id,
        name: members.name,
        householdId: households.id,
        householdName: households.name,
        reference: households.reference,
      })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId))
      .where(eq(households.status, 'open'))
      .orderBy(asc(households.name), asc(members.name));
  },

  // ---- Outcomes (aggregate) ----

  outcomeHouseholds(tx: Tx) {
    return tx.select({ scheme: households.scheme }).from(households);
  },

  outcomePeople(tx: Tx) {
    return tx
      .select({
        scheme: households.scheme,
        dateOfBirth: members.dateOfBirth,
        ageBand: members.ageBand,
        englishLevel: members.englishLevel,
        education: members.education,
        workStatus: members.workStatus,
        gpRegistered: members.gpRegistered,
        esolEnrolled: members.esolEnrolled,
        sessionsAttended: sql<number>`(select count(*)::int from resettlement_bookings b where b.member_id = ${members.id} and b.attended)`,
      })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId));
  },

  // ---- Retention ----

  /** Partnerships with a closed case past its retention date (read as the owner, across partnerships). */
  async partnershipsWithExpiredCases(tx: Tx, today: string) {
    const rows = await tx
      .selectDistinct({ partnershipId: households.partnershipId })
      .from(households)
      .where(
        and(
          eq(households.status, 'closed'),
          isNull(households.anonymisedAt),
          lt(households.retentionUntil, today),
        ),
      );
    return rows.map((r) => r.partnershipId);
  },

  expiredCases(tx: Tx, today: string) {
    return tx
      .select()
      .from(households)
      .where(
        and(
          eq(households.status, 'closed'),
          isNull(households.anonymisedAt),
          lt(households.retentionUntil, today),
        ),
      );
  },

  async deleteHost(tx: Tx, householdId: string) {
    await tx.delete(hosts).where(eq(hosts.householdId, householdId));
  },

  async clearNeeds(tx: Tx, householdId: string) {
    await tx.update(needs).set({ notes: null, details: {} }).where(eq(needs.householdId, householdId));
  },

  async deleteGoals(tx: Tx, householdId: string) {
    await tx.delete(goals).where(eq(goals.householdId, householdId));
  },

  async clearReferrals(tx: Tx, householdId: string) {
    await tx
      .update(referrals)
      .set({ reason: null, outcomeNotes: null })
      .where(eq(referrals.householdId, householdId));
  },

  async clearFeedback(tx: Tx, householdId: string) {
    await tx.update(bookings).set({ feedback: null }).where(eq(bookings.householdId, householdId));
  },

  /** Caseworkers and managers of the partnership, to assign a household to. */
  caseworkers(tx: Tx) {
    return tx
      .select({ id: staff.id, name: staff.name })
      .from(staff)
      .where(
        and(
          eq(staff.active, true),
          sql`${staff.roles} && array['resettlement_caseworker','resettlement_manager']::text[]`,
        ),
      )
      .orderBy(asc(staff.name));
  },

  listAreas(tx: Tx) {
    return tx.select({ id: areas.id, name: areas.name }).from(areas).orderBy(asc(areas.name));
  },
};
