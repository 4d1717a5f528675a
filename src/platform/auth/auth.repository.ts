import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db/index.js';
import { organisations } from '../tenancy/tenancy.table.js';
import { apiTokens, staff, staffSessions } from './auth.table.js';

const principalColumns = {
  id: staff.id,
  partnershipId: staff.partnershipId,
  organisationId: staff.organisationId,
  organisationName: organisations.name,
  organisationKind: organisations.kind,
  name: staff.name,
  email: staff.email,
  roles: staff.roles,
};

export type StaffRow = typeof staff.$inferSelect;

export const authRepository = {
  async findStaffByEmail(tx: Tx, email: string): Promise<StaffRow | undefined> {
    const [row] = await tx.select().from(staff).where(eq(staff.email, email.toLowerCase()));
    return row;
  },

  async findStaffById(tx: Tx, id: string): Promise<StaffRow | undefined> {
    const [row] = await tx.select().from(staff).where(eq(staff.id, id));
    return row;
  },

  async findStaffByInviteHash(tx: Tx, hash: string): Promise<StaffRow | undefined> {
    const [row] = await tx
      .select()
      .from(staff)
      .where(and(eq(staff.inviteTokenHash, hash), gt(staff.inviteExpiresAt, new Date())));
    return row;
  },

  async recordFailure(tx: Tx, id: string, failures: number, lockedUntil: Date | null): Promise<void> {
    await tx.update(staff).set({ failedSignIns: failures, lockedUntil }).where(eq(staff.id, id));
  },

  async recordSuccess(tx: Tx, id: string, totpStep: number | null): Promise<void> {
    await tx
      .update(staff)
      .set({
        failedSignIns: 0,
        lockedUntil: null,
        lastSignInAt: new Date(),
        ...(totpStep === null ? {} : { totpLastStep: totpStep }),
      })
      .where(eq(staff.id, id));
  },

  async updateStaff(tx: Tx, id: string, values: Partial<typeof staff.$inferInsert>): Promise<void> {
    await tx.update(staff).set(values).where(eq(staff.id, id));
  },

  async insertSession(tx: Tx, row: typeof staffSessions.$inferInsert): Promise<string> {
    const [created] = await tx.insert(staffSessions).values(row).returning({ id: staffSessions.id });
    return created!.id;
  },

  async promoteSession(tx: Tx, id: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await tx
      .update(staffSessions)
      .set({ stage: 'full', tokenHash, expiresAt })
      .where(eq(staffSessions.id, id));
  },

  async deleteSession(tx: Tx, id: string): Promise<void> {
    await tx.delete(staffSessions).where(eq(staffSessions.id, id));
  },

  async deleteSessionsForStaff(tx: Tx, staffId: string): Promise<void> {
    await tx.delete(staffSessions).where(eq(staffSessions.staffId, staffId));
  },

  /** Before a partnership is known: run in the system context. */
  async findSession(tx: Tx, tokenHash: string) {
    const [row] = await tx
      .select({
        sessionId: staffSessions.id,
        stage: staffSessions.stage,
        lastSeenAt: staffSessions.lastSeenAt,
        expiresAt: staffSessions.expiresAt,
        active: staff.active,
        ...principalColumns,
      })
      .from(staffSessions)
      .innerJoin(staff, eq(staff.id, staffSessions.staffId))
      .innerJoin(organisations, eq(organisations.id, staff.organisationId))
      .where(and(eq(staffSessions.tokenHash, tokenHash), gt(staffSessions.expiresAt, new Date())));
    return row;
  },

  async deleteExpiredSessions(tx: Tx): Promise<void> {
    await tx.delete(staffSessions).where(lt(staffSessions.expiresAt, new Date()));
  },

  async touchSession(tx: Tx, id: string, expiresAt: Date): Promise<void> {
    await tx.update(staffSessions).set({ lastSeenAt: new Date(), expiresAt }).where(eq(staffSessions.id, id));
  },

  /** Before a partnership is known: run in the system context. */
  async findApiToken(tx: Tx, tokenHash: string) {
    const [row] = await tx
      .select({
        tokenId: apiTokens.id,
        lastUsedAt: apiTokens.lastUsedAt,
        active: staff.active,
        ...principalColumns,
      })
      .from(apiTokens)
      .innerJoin(staff, eq(staff.id, apiTokens.staffId))
      .innerJoin(organisations, eq(organisations.id, staff.organisationId))
      .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
    return row;
  },

  async touchApiToken(tx: Tx, id: string): Promise<void> {
    await tx
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(eq(apiTokens.id, id));
  },
};
