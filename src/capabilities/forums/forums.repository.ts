import { and, asc, count, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import { staff } from '../../platform/auth/auth.table.js';
import { concerns } from '../concerns/concerns.table.js';
import {
  forumAttendance,
  forumFacilitators,
  forumIssues,
  forumJoinEquality,
  forumJoinRequests,
  forumMeetings,
  forumMembers,
  forums,
} from './forums.table.js';

export type ForumRow = typeof forums.$inferSelect;
export type ForumInsert = typeof forums.$inferInsert;
export type JoinRequestRow = typeof forumJoinRequests.$inferSelect;
export type JoinRequestInsert = typeof forumJoinRequests.$inferInsert;
export type MemberRow = typeof forumMembers.$inferSelect;
export type MemberInsert = typeof forumMembers.$inferInsert;
export type MeetingRow = typeof forumMeetings.$inferSelect;
export type MeetingInsert = typeof forumMeetings.$inferInsert;
export type IssueInsert = typeof forumIssues.$inferInsert;

/** Every query the forums capability makes. Row-level security confines each to one partnership. */
export const forumsRepository = {
  listForums(tx: Tx, options: { publishedOnly?: boolean } = {}) {
    return tx
      .select()
      .from(forums)
      .where(options.publishedOnly ? eq(forums.published, true) : undefined)
      .orderBy(asc(forums.name));
  },

  async findForumBySlug(tx: Tx, slug: string): Promise<ForumRow | undefined> {
    const [row] = await tx.select().from(forums).where(eq(forums.slug, slug));
    return row;
  },

  async findForumById(tx: Tx, id: string): Promise<ForumRow | undefined> {
    const [row] = await tx.select().from(forums).where(eq(forums.id, id));
    return row;
  },

  async insertForum(tx: Tx, row: ForumInsert): Promise<ForumRow> {
    const [created] = await tx.insert(forums).values(row).returning();
    return created!;
  },

  async updateForum(tx: Tx, id: string, values: Partial<ForumInsert>): Promise<ForumRow> {
    const [row] = await tx
      .update(forums)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(forums.id, id))
      .returning();
    return row!;
  },

  /** Every forum's id, address and name, to check a new name does not clash with another. */
  listForumNames(tx: Tx) {
    return tx.select({ id: forums.id, slug: forums.slug, name: forums.name }).from(forums);
  },

  /** Staff named as facilitators of a forum (whether or not still active), for the edit form. */
  async facilitatorIds(tx: Tx, forumId: string): Promise<string[]> {
    const rows = await tx
      .select({ staffId: forumFacilitators.staffId })
      .from(forumFacilitators)
      .where(eq(forumFacilitators.forumId, forumId));
    return rows.map((r) => r.staffId);
  },

  async isFacilitator(tx: Tx, forumId: string, staffId: string): Promise<boolean> {
    const [row] = await tx
      .select({ staffId: forumFacilitators.staffId })
      .from(forumFacilitators)
      .where(and(eq(forumFacilitators.forumId, forumId), eq(forumFacilitators.staffId, staffId)));
    return row !== undefined;
  },

  async removeFacilitators(tx: Tx, forumId: string, staffIds: readonly string[]) {
    if (staffIds.length === 0) return;
    await tx
      .delete(forumFacilitators)
      .where(and(eq(forumFacilitators.forumId, forumId), inArray(forumFacilitators.staffId, [...staffIds])));
  },

  async addFacilitators(tx: Tx, partnershipId: string, forumId: string, staffIds: readonly string[]) {
    if (staffIds.length === 0) return;
    await tx
      .insert(forumFacilitators)
      .values(staffIds.map((staffId) => ({ partnershipId, forumId, staffId })))
      .onConflictDoNothing();
  },

  /** Facilitators' names for each forum, keyed by forum id. */
  async facilitatorNames(tx: Tx, forumIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (forumIds.length === 0) return out;
    const rows = await tx
      .select({ forumId: forumFacilitators.forumId, name: staff.name })
      .from(forumFacilitators)
      .innerJoin(staff, eq(staff.id, forumFacilitators.staffId))
      .where(and(inArray(forumFacilitators.forumId, [...forumIds]), eq(staff.active, true)))
      .orderBy(asc(staff.name));
    for (const r of rows) out.set(r.forumId, [...(out.get(r.forumId) ?? []), r.name]);
    return out;
  },

  /** Active staff who hold the forum facilitator role, for choosing who runs a forum. */
  listFacilitatorStaff(tx: Tx) {
    return tx
      .select({ id: staff.id, name: staff.name })
      .from(staff)
      .where(and(eq(staff.active, true), sql`'forum_facilitator' = any(${staff.roles})`))
      .orderBy(asc(staff.name));
  },

  /** Names of the given staff, active or not. */
  async staffNames(tx: Tx, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
    if (ids.length === 0) return [];
    return tx
      .select({ id: staff.id, name: staff.name })
      .from(staff)
      .where(inArray(staff.id, [...ids]))
      .orderBy(asc(staff.name));
  },

  // Meetings -----------------------------------------------------------------------------------

  async insertMeeting(tx: Tx, row: MeetingInsert): Promise<MeetingRow> {
    const [created] = await tx.insert(forumMeetings).values(row).returning();
    return created!;
  },

  async findMeeting(tx: Tx, forumId: string, id: string): Promise<MeetingRow | undefined> {
    const [row] = await tx
      .select()
      .from(forumMeetings)
      .where(and(eq(forumMeetings.forumId, forumId), eq(forumMeetings.id, id)));
    return row;
  },

  async updateMeeting(tx: Tx, id: string, values: Partial<MeetingInsert>): Promise<void> {
    await tx
      .update(forumMeetings)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(forumMeetings.id, id));
  },

  listMeetings(tx: Tx, forumId: string) {
    return tx
      .select()
      .from(forumMeetings)
      .where(eq(forumMeetings.forumId, forumId))
      .orderBy(desc(forumMeetings.startsAt));
  },

  /**
   * Public meetings ending after `from` (upcoming), optionally of one forum. Cancelled ones only
   * when asked for: the forum's own page shows them as cancelled; "next meetings" leave them out.
   */
  listPublicMeetings(
    tx: Tx,
    options: { from?: Date; forumIds?: readonly string[]; limit?: number; includeCancelled?: boolean },
  ) {
    const where = [eq(forumMeetings.public, true)];
    if (!options.includeCancelled) where.push(eq(forumMeetings.cancelled, false));
    if (options.from) where.push(gte(forumMeetings.endsAt, options.from));
    if (options.forumIds) {
      if (options.forumIds.length === 0) return Promise.resolve([]);
      where.push(inArray(forumMeetings.forumId, [...options.forumIds]));
    }
    const query = tx
      .select()
      .from(forumMeetings)
      .where(and(...where))
      .orderBy(asc(forumMeetings.startsAt));
    return options.limit ? query.limit(options.limit) : query;
  },

  /** Calendar feeds: every public meeting (cancelled ones too, so apps remove them) from `since`. */
  listCalendarMeetings(tx: Tx, since: Date, forumId?: string) {
    const where = [eq(forumMeetings.public, true), gte(forumMeetings.startsAt, since)];
    if (forumId) where.push(eq(forumMeetings.forumId, forumId));
    return tx
      .select({ meeting: forumMeetings, forumName: forums.name, forumSlug: forums.slug })
      .from(forumMeetings)
      .innerJoin(forums, eq(forums.id, forumMeetings.forumId))
      .where(and(eq(forums.published, true), ...where))
      .orderBy(asc(forumMeetings.startsAt))
      .limit(500);
  },

  // Join requests ------------------------------------------------------------------------------

  async insertJoinRequest(
    tx: Tx,
    row: JoinRequestInsert,
    equality: Record<string, string> | undefined,
  ): Promise<JoinRequestRow> {
    const [created] = await tx.insert(forumJoinRequests).values(row).returning();
    if (equality && Object.keys(equality).length > 0) {
      await tx
        .insert(forumJoinEquality)
        .values({ requestId: created!.id, partnershipId: row.partnershipId, answers: equality });
    }
    return created!;
  },

  /** A matching request sent in the last few minutes: the same form sent twice. */
  async findRecentDuplicate(
    tx: Tx,
    forumId: string,
    contact: { email: string | null; phone: string | null },
    since: Date,
  ): Promise<JoinRequestRow | undefined> {
    const [row] = await tx
      .select()
      .from(forumJoinRequests)
      .where(
        and(
          eq(forumJoinRequests.forumId, forumId),
          gte(forumJoinRequests.createdAt, since),
          contact.email
            ? eq(forumJoinRequests.email, contact.email)
            : eq(forumJoinRequests.phone, contact.phone ?? ''),
        ),
      )
      .limit(1);
    return row;
  },

  listJoinRequests(tx: Tx, forumId: string, statuses: readonly string[]) {
    return tx
      .select()
      .from(forumJoinRequests)
      .where(
        and(
          eq(forumJoinRequests.forumId, forumId),
          inArray(forumJoinRequests.status, [...statuses] as JoinRequestRow['status'][]),
        ),
      )
      .orderBy(asc(forumJoinRequests.createdAt));
  },

  async countOpenRequests(tx: Tx): Promise<Map<string, number>> {
    const rows = await tx
      .select({ forumId: forumJoinRequests.forumId, n: count() })
      .from(forumJoinRequests)
      .where(inArray(forumJoinRequests.status, ['new', 'contacted']))
      .groupBy(forumJoinRequests.forumId);
    return new Map(rows.map((r) => [r.forumId, Number(r.n)]));
  },

  async findJoinRequest(tx: Tx, forumId: string, id: string): Promise<JoinRequestRow | undefined> {
    const [row] = await tx
      .select()
      .from(forumJoinRequests)
      .where(and(eq(forumJoinRequests.forumId, forumId), eq(forumJoinRequests.id, id)));
    return row;
  },

  async updateJoinRequest(tx: Tx, id: string, values: Partial<JoinRequestInsert>): Promise<void> {
    await tx.update(forumJoinRequests).set(values).where(eq(forumJoinRequests.id, id));
  },

  async findJoinEquality(tx: Tx, requestId: string): Promise<Record<string, string> | undefined> {
    const [row] = await tx.select().from(forumJoinEquality).where(eq(forumJoinEquality.requestId, requestId));
    return row?.answers;
  },

  async deleteJoinEquality(tx: Tx, requestId: string): Promise<void> {
    await tx.delete(forumJoinEquality).where(eq(forumJoinEquality.requestId, requestId));
  },

  // Members ------------------------------------------------------------------------------------

  async insertMember(tx: Tx, row: MemberInsert): Promise<MemberRow> {
    const [created] = await tx.insert(forumMembers).values(row).returning();
    return created!;
  },

  async findMember(tx: Tx, forumId: string, id: string): Promise<MemberRow | undefined> {
    const [row] = await tx
      .select()
      .from(forumMembers)
      .where(and(eq(forumMembers.forumId, forumId), eq(forumMembers.id, id)));
    return row;
  },

  listMembers(tx: Tx, forumId: string, status: 'active' | 'left' = 'active') {
    return tx
      .select()
      .from(forumMembers)
      .where(and(eq(forumMembers.forumId, forumId), eq(forumMembers.status, status)))
      .orderBy(asc(forumMembers.name), asc(forumMembers.joinedAt));
  },

  async countMembers(tx: Tx): Promise<Map<string, number>> {
    const rows = await tx
      .select({ forumId: forumMembers.forumId, n: count() })
      .from(forumMembers)
      .where(eq(forumMembers.status, 'active'))
      .groupBy(forumMembers.forumId);
    return new Map(rows.map((r) => [r.forumId, Number(r.n)]));
  },

  async updateMember(tx: Tx, id: string, values: Partial<MemberInsert>): Promise<void> {
    await tx.update(forumMembers).set(values).where(eq(forumMembers.id, id));
  },

  // Attendance ---------------------------------------------------------------------------------

  async replaceAttendance(
    tx: Tx,
    partnershipId: string,
    meetingId: string,
    memberIds: readonly string[],
  ): Promise<void> {
    await tx.delete(forumAttendance).where(eq(forumAttendance.meetingId, meetingId));
    if (memberIds.length > 0) {
      await tx
        .insert(forumAttendance)
        .values(memberIds.map((memberId) => ({ partnershipId, meetingId, memberId })));
    }
  },

  async attendeeIds(tx: Tx, meetingId: string): Promise<string[]> {
    const rows = await tx
      .select({ memberId: forumAttendance.memberId })
      .from(forumAttendance)
      .where(eq(forumAttendance.meetingId, meetingId));
    return rows.map((r) => r.memberId);
  },

  /** Members attending each meeting, counted (names are not needed for the count). */
  async attendanceCounts(tx: Tx, meetingIds: readonly string[]): Promise<Map<string, number>> {
    if (meetingIds.length === 0) return new Map();
    const rows = await tx
      .select({ meetingId: forumAttendance.meetingId, n: count() })
      .from(forumAttendance)
      .where(inArray(forumAttendance.meetingId, [...meetingIds]))
      .groupBy(forumAttendance.meetingId);
    return new Map(rows.map((r) => [r.meetingId, Number(r.n)]));
  },

  // Issues -------------------------------------------------------------------------------------

  async insertIssue(tx: Tx, row: IssueInsert): Promise<void> {
    await tx.insert(forumIssues).values(row);
  },

  async countIssues(tx: Tx, meetingId: string): Promise<number> {
    const [row] = await tx
      .select({ n: count() })
      .from(forumIssues)
      .where(eq(forumIssues.meetingId, meetingId));
    return Number(row?.n ?? 0);
  },

  /** Issues a member asked to be named on: the exact link, kept on the issue when it was raised. */
  listIssuesRaisedBy(tx: Tx, memberId: string) {
    return tx
      .select({ id: forumIssues.id, concernId: forumIssues.concernId })
      .from(forumIssues)
      .where(eq(forumIssues.raisedByMemberId, memberId));
  },

  /** The issue no longer names anyone: the person who raised it has left. */
  async anonymiseIssue(tx: Tx, id: string): Promise<void> {
    await tx
      .update(forumIssues)
      .set({ anonymous: true, raisedByMemberId: null })
      .where(eq(forumIssues.id, id));
  },

  /** Issues with what the pipeline knows of their concern: status, and whether it may be shown publicly. */
  listIssues(tx: Tx, where: { forumId: string; meetingIds?: readonly string[] }) {
    const conditions = [eq(forumIssues.forumId, where.forumId)];
    if (where.meetingIds) {
      if (where.meetingIds.length === 0) return Promise.resolve([]);
      conditions.push(inArray(forumIssues.meetingId, [...where.meetingIds]));
    }
    return tx
      .select({
        id: forumIssues.id,
        meetingId: forumIssues.meetingId,
        summary: forumIssues.summary,
        anonymous: forumIssues.anonymous,
        public: forumIssues.public,
        createdAt: forumIssues.createdAt,
        concernId: concerns.id,
        reference: concerns.reference,
        kind: concerns.kind,
        status: concerns.status,
        closedAt: concerns.closedAt,
        duplicateOfId: concerns.duplicateOfId,
        private: concerns.private,
        redacted: concerns.redacted,
      })
      .from(forumIssues)
      .innerJoin(concerns, eq(concerns.id, forumIssues.concernId))
      .where(and(...conditions))
      .orderBy(asc(forumIssues.createdAt));
  },
};
