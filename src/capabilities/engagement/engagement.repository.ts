import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, max, sql } from 'drizzle-orm';
import { staff } from '../../platform/auth/auth.table.js';
import type { Tx } from '../../platform/db/index.js';
import { areas, organisations } from '../../platform/tenancy/tenancy.table.js';
import { concerns } from '../concerns/concerns.table.js';
import { engagementIssues, engagementReferrals, engagements } from './engagement.table.js';
import { OPEN_REFERRAL_STATUSES, type ReferralStatus } from './vocabulary.js';

export type EngagementRow = typeof engagements.$inferSelect;
export type NewEngagementRow = typeof engagements.$inferInsert;

/** Every query of the engagement log; callers pass a tenant transaction, so RLS applies. */
export const engagementRepository = {
  async findIdByKey(tx: Tx, key: string) {
    const [row] = await tx
      .select({ id: engagements.id })
      .from(engagements)
      .where(eq(engagements.idempotencyKey, key));
    return row?.id;
  },

  async insert(tx: Tx, row: NewEngagementRow) {
    const [created] = await tx.insert(engagements).values(row).returning({ id: engagements.id });
    return created!.id;
  },

  async insertIssues(tx: Tx, rows: (typeof engagementIssues.$inferInsert)[]) {
    if (rows.length > 0) await tx.insert(engagementIssues).values(rows);
  },

  async insertReferrals(tx: Tx, rows: (typeof engagementReferrals.$inferInsert)[]) {
    if (rows.length > 0) await tx.insert(engagementReferrals).values(rows);
  },

  async findDetail(tx: Tx, id: string) {
    const [row] = await tx
      .select({ engagement: engagements, areaName: areas.name, officerName: staff.name })
      .from(engagements)
      .innerJoin(areas, eq(areas.id, engagements.areaId))
      .innerJoin(staff, eq(staff.id, engagements.officerStaffId))
      .where(eq(engagements.id, id));
    if (!row) return undefined;
    const issues = await tx
      .select({
        summary: engagementIssues.summary,
        outcome: engagementIssues.outcome,
        concernReference: concerns.reference,
        concernKind: concerns.kind,
        concernStatus: concerns.status,
      })
      .from(engagementIssues)
      .leftJoin(concerns, eq(concerns.id, engagementIssues.concernId))
      .where(eq(engagementIssues.engagementId, id))
      .orderBy(asc(engagementIssues.position));
    const referrals = await tx
      .select({
        id: engagementReferrals.id,
        organisationId: engagementReferrals.organisationId,
        organisationName: organisations.name,
        serviceName: engagementReferrals.serviceName,
        reason: engagementReferrals.reason,
        status: engagementReferrals.status,
        followUpDue: engagementReferrals.followUpDue,
      })
      .from(engagementReferrals)
      .leftJoin(organisations, eq(organisations.id, engagementReferrals.organisationId))
      .where(eq(engagementReferrals.engagementId, id))
      .orderBy(asc(engagementReferrals.position));
    return { ...row, issues, referrals };
  },

  /** Most recent first; one officer's, or everyone's. */
  list(tx: Tx, options: { officerStaffId?: string; limit: number }) {
    return tx
      .select({
        id: engagements.id,
        occurredAt: engagements.occurredAt,
        place: engagements.place,
        type: engagements.type,
        areaName: areas.name,
        officerName: staff.name,
        issues: sql<number>`(select count(*)::int from engagement_issues i where i.engagement_id = ${engagements.id})`,
        referrals: sql<number>`(select count(*)::int from engagement_referrals r where r.engagement_id = ${engagements.id})`,
      })
      .from(engagements)
      .innerJoin(areas, eq(areas.id, engagements.areaId))
      .innerJoin(staff, eq(staff.id, engagements.officerStaffId))
      .where(options.officerStaffId ? eq(engagements.officerStaffId, options.officerStaffId) : undefined)
      .orderBy(desc(engagements.occurredAt), desc(engagements.id))
      .limit(options.limit);
  },

  /** Engagements whose follow-up is not done yet, soonest first. */
  engagementFollowUps(tx: Tx, officerStaffId: string) {
    return tx
      .select({
        id: engagements.id,
        due: engagements.followUpDue,
        note: engagements.followUpNote,
        place: engagements.place,
        areaName: areas.name,
      })
      .from(engagements)
      .innerJoin(areas, eq(areas.id, engagements.areaId))
      .where(
        and(
          eq(engagements.officerStaffId, officerStaffId),
          isNotNull(engagements.followUpDue),
          isNull(engagements.followUpDoneAt),
        ),
      )
      .orderBy(asc(engagements.followUpDue));
  },

  /** Referrals still open or accepted, from this officer's engagements, soonest follow-up first. */
  openReferrals(tx: Tx, officerStaffId: string) {
    return tx
      .select({
        id: engagementReferrals.id,
        engagementId: engagementReferrals.engagementId,
        organisationId: engagementReferrals.organisationId,
        organisationName: organisations.name,
        serviceName: engagementReferrals.serviceName,
        reason: engagementReferrals.reason,
        status: engagementReferrals.status,
        followUpDue: engagementReferrals.followUpDue,
        areaName: areas.name,
        place: engagements.place,
      })
      .from(engagementReferrals)
      .innerJoin(engagements, eq(engagements.id, engagementReferrals.engagementId))
      .innerJoin(areas, eq(areas.id, engagements.areaId))
      .leftJoin(organisations, eq(organisations.id, engagementReferrals.organisationId))
      .where(
        and(
          eq(engagements.officerStaffId, officerStaffId),
          inArray(engagementReferrals.status, [...OPEN_REFERRAL_STATUSES]),
        ),
      )
      .orderBy(sql`${engagementReferrals.followUpDue} asc nulls last`, asc(engagementReferrals.id));
  },

  async findReferral(tx: Tx, engagementId: string, referralId: string) {
    const [row] = await tx
      .select()
      .from(engagementReferrals)
      .where(and(eq(engagementReferrals.id, referralId), eq(engagementReferrals.engagementId, engagementId)));
    return row;
  },

  async updateReferral(tx: Tx, id: string, set: { status: ReferralStatus; followUpDue?: string | null }) {
    await tx
      .update(engagementReferrals)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(engagementReferrals.id, id));
  },

  async markFollowUpDone(tx: Tx, id: string) {
    const done = await tx
      .update(engagements)
      .set({ followUpDoneAt: new Date() })
      .where(
        and(eq(engagements.id, id), isNotNull(engagements.followUpDue), isNull(engagements.followUpDoneAt)),
      )
      .returning({ id: engagements.id });
    return done.length > 0;
  },

  /** Engagements since a moment, for coverage: few enough (two officers) to count in code. */
  since(tx: Tx, from: Date) {
    return tx
      .select({ areaId: engagements.areaId, type: engagements.type, occurredAt: engagements.occurredAt })
      .from(engagements)
      .where(gte(engagements.occurredAt, from));
  },

  lastContactByArea(tx: Tx) {
    return tx
      .select({ areaId: engagements.areaId, last: max(engagements.occurredAt) })
      .from(engagements)
      .groupBy(engagements.areaId);
  },
};
