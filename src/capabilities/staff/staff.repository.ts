import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import { apiTokens, staff, staffSessions } from '../../platform/auth/auth.table.js';
import { organisations } from '../../platform/tenancy/tenancy.table.js';

/**
 * What an administrator sees of a staff member. Never the password hash, TOTP secret or invitation
 * hash: only whether they are set.
 */
const memberColumns = {
  id: staff.id,
  name: staff.name,
  email: staff.email,
  organisationId: staff.organisationId,
  organisationName: organisations.name,
  roles: staff.roles,
  active: staff.active,
  mfaSetUp: sql<boolean>`(${staff.totpSecret} is not null and ${staff.totpLastStep} is not null)`,
  invitationPending: sql<boolean>`(${staff.passwordHash} is null)`,
  inviteExpiresAt: staff.inviteExpiresAt,
  lockedUntil: staff.lockedUntil,
  lastSignInAt: staff.lastSignInAt,
  createdAt: staff.createdAt,
};

function selectMembers(tx: Tx) {
  return tx
    .select(memberColumns)
    .from(staff)
    .innerJoin(organisations, eq(organisations.id, staff.organisationId));
}
export type MemberRow = Awaited<ReturnType<typeof selectMembers>>[number];

const tokenColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

function selectTokens(tx: Tx) {
  return tx.select(tokenColumns).from(apiTokens);
}
export type TokenRow = Awaited<ReturnType<typeof selectTokens>>[number];

export const staffRepository = {
  listMembers(tx: Tx): Promise<MemberRow[]> {
    return selectMembers(tx).orderBy(desc(staff.active), asc(staff.name), asc(staff.email));
  },

  async findMember(tx: Tx, id: string): Promise<MemberRow | undefined> {
    const [row] = await selectMembers(tx).where(eq(staff.id, id));
    return row;
  },

  async emailTaken(tx: Tx, email: string): Promise<boolean> {
    const [row] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.email, email));
    return row !== undefined;
  },

  async insertMember(tx: Tx, row: typeof staff.$inferInsert): Promise<string> {
    const [created] = await tx.insert(staff).values(row).returning({ id: staff.id });
    return created!.id;
  },

  async setActive(tx: Tx, id: string, active: boolean): Promise<void> {
    // Reactivating also clears any lockout, so the person starts afresh.
    await tx
      .update(staff)
      .set(active ? { active, failedSignIns: 0, lockedUntil: null } : { active })
      .where(eq(staff.id, id));
  },

  async clearSecondFactor(tx: Tx, id: string): Promise<void> {
    await tx.update(staff).set({ totpSecret: null, totpLastStep: null }).where(eq(staff.id, id));
  },

  async hasSecondFactor(tx: Tx, id: string): Promise<boolean> {
    const [row] = await tx
      .select({ id: staff.id })
      .from(staff)
      .where(
        and(eq(staff.id, id), sql`${staff.totpSecret} is not null and ${staff.totpLastStep} is not null`),
      );
    return row !== undefined;
  },

  async deleteSessions(tx: Tx, staffId: string): Promise<number> {
    const deleted = await tx
      .delete(staffSessions)
      .where(eq(staffSessions.staffId, staffId))
      .returning({ id: staffSessions.id });
    return deleted.length;
  },

  /**
   * An unexpired invitation, found before the partnership is known (the link may be opened on any
   * host), so it runs in the system context.
   */
  async findInvitation(tx: Tx, inviteTokenHash: string) {
    const [row] = await tx
      .select({
        id: staff.id,
        partnershipId: staff.partnershipId,
        organisationId: staff.organisationId,
        name: staff.name,
        email: staff.email,
        active: staff.active,
      })
      .from(staff)
      .where(and(eq(staff.inviteTokenHash, inviteTokenHash), gt(staff.inviteExpiresAt, new Date())));
    return row;
  },

  /** Sets the password and spends the invitation in one statement, only if it is still unspent. */
  async acceptInvitation(
    tx: Tx,
    id: string,
    inviteTokenHash: string,
    passwordHash: string,
  ): Promise<boolean> {
    const updated = await tx
      .update(staff)
      .set({
        passwordHash,
        inviteTokenHash: null,
        inviteExpiresAt: null,
        failedSignIns: 0,
        lockedUntil: null,
      })
      .where(and(eq(staff.id, id), eq(staff.inviteTokenHash, inviteTokenHash)))
      .returning({ id: staff.id });
    return updated.length === 1;
  },

  listTokens(tx: Tx, staffId: string): Promise<TokenRow[]> {
    return selectTokens(tx)
      .where(eq(apiTokens.staffId, staffId))
      .orderBy(desc(apiTokens.createdAt), asc(apiTokens.name));
  },

  async findToken(tx: Tx, id: string, staffId: string): Promise<TokenRow | undefined> {
    const [row] = await selectTokens(tx).where(and(eq(apiTokens.id, id), eq(apiTokens.staffId, staffId)));
    return row;
  },

  async insertToken(tx: Tx, row: typeof apiTokens.$inferInsert): Promise<TokenRow> {
    const [created] = await tx.insert(apiTokens).values(row).returning(tokenColumns);
    return created!;
  },

  async revokeToken(tx: Tx, id: string): Promise<TokenRow> {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
      .where(eq(apiTokens.id, id))
      .returning(tokenColumns);
    return row!;
  },
};
