import type { Database } from '../db/index.js';
import { audit } from '../audit/audit.service.js';
import type { Actor, StaffPrincipal } from './actor.js';
import { authRepository } from './auth.repository.js';
import { burnPasswordCheck, verifyPassword } from './password.js';
import { hashToken, newSecretToken } from './tokens.js';
import { generateTotpSecret, verifyTotp } from './totp.js';

export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
export const PASSWORD_STAGE_MS = 10 * 60 * 1000;
const TOUCH_EVERY_MS = 5 * 60 * 1000;

/**
 * Backoff, then lockout: four free tries, then a doubling wait from 30 seconds, then 30 minutes
 * locked from the tenth failure. Password and code failures count alike.
 */
export function lockoutFor(failures: number): number {
  if (failures < 5) return 0;
  if (failures < 10) return 30_000 * 2 ** (failures - 5);
  return 30 * 60_000;
}

export type SignInOutcome =
  | { outcome: 'codeNeeded'; token: string }
  | { outcome: 'setUpNeeded'; token: string }
  | { outcome: 'invalid' }
  | { outcome: 'locked'; until: Date };

export type CodeOutcome =
  { outcome: 'signedIn'; token: string } | { outcome: 'invalid' } | { outcome: 'locked'; until: Date };

export interface ResolvedSession {
  principal: StaffPrincipal;
  stage: 'password' | 'full';
}

function systemActor(
  partnershipId: string,
  correlationId: string,
  label: string,
  staffId: string | null = null,
  organisationId: string | null = null,
): Actor {
  return { partnershipId, staffId, organisationId, roles: [], label, correlationId };
}

/** How many addresses without an account are remembered for lockout (oldest forgotten first). */
const PHANTOM_LIMIT = 10_000;

export function createAuthService(db: Database) {
  // Failures for addresses that have no account, in memory only (never stored).
  const phantom = new Map<string, { failures: number; until: Date | null }>();
  async function failure(
    partnershipId: string,
    row: { id: string; organisationId: string; email: string; failedSignIns: number },
    correlationId: string,
    step: string,
  ) {
    const failures = row.failedSignIns + 1;
    const wait = lockoutFor(failures);
    const until = wait > 0 ? new Date(Date.now() + wait) : null;
    await db.tenant(partnershipId, async (tx) => {
      await authRepository.recordFailure(tx, row.id, failures, until);
      await audit(tx, systemActor(partnershipId, correlationId, row.email, row.id, row.organisationId), {
        action: 'sign-in.failed',
        entityType: 'staff',
        entityId: row.id,
        details: { step, failures, lockedUntil: until?.toISOString() ?? null },
      });
    });
  }

  return {
    async signInWithPassword(
      partnershipId: string,
      email: string,
      password: string,
      correlationId: string,
    ): Promise<SignInOutcome> {
      const row = await db.tenant(partnershipId, (tx) => authRepository.findStaffByEmail(tx, email.trim()));
      if (!row || !row.active || !row.passwordHash) {
        // An address with no account locks just as a real one does, so the lock message cannot
        // be used to learn who has an account.
        const key = `${partnershipId}:${email.trim().toLowerCase()}`;
        const known = phantom.get(key);
        if (known?.until && known.until > new Date()) return { outcome: 'locked', until: known.until };
        await burnPasswordCheck(password);
        const failures = (known?.failures ?? 0) + 1;
        const wait = lockoutFor(failures);
        if (phantom.size >= PHANTOM_LIMIT) phantom.delete(phantom.keys().next().value!);
        phantom.set(key, { failures, until: wait > 0 ? new Date(Date.now() + wait) : null });
        return { outcome: 'invalid' };
      }
      if (row.lockedUntil && row.lockedUntil > new Date())
        return { outcome: 'locked', until: row.lockedUntil };
      if (!(await verifyPassword(row.passwordHash, password))) {
        await failure(partnershipId, row, correlationId, 'password');
        return { outcome: 'invalid' };
      }
      const token = newSecretToken();
      await db.tenant(partnershipId, (tx) =>
        authRepository.insertSession(tx, {
          partnershipId,
          staffId: row.id,
          tokenHash: hashToken(token),
          stage: 'password',
          expiresAt: new Date(Date.now() + PASSWORD_STAGE_MS),
        }),
      );
      return row.totpSecret && row.totpLastStep !== null
        ? { outcome: 'codeNeeded', token }
        : { outcome: 'setUpNeeded', token };
    },

    /** For a staff member with no second factor yet: the secret to show, created once and kept. */
    async pendingTotpSecret(principal: StaffPrincipal): Promise<string | undefined> {
      return db.tenant(principal.partnershipId, async (tx) => {
        const row = await authRepository.findStaffById(tx, principal.id);
        if (!row || (row.totpSecret && row.totpLastStep !== null)) return undefined;
        if (row.totpSecret) return row.totpSecret;
        const secret = generateTotpSecret();
        await authRepository.updateStaff(tx, row.id, { totpSecret: secret, totpLastStep: null });
        return secret;
      });
    },

    async verifyCode(session: ResolvedSession, code: string, correlationId: string): Promise<CodeOutcome> {
      const { principal } = session;
      const row = await db.tenant(principal.partnershipId, (tx) =>
        authRepository.findStaffById(tx, principal.id),
      );
      if (!row || !row.active || !row.totpSecret || !principal.sessionId) return { outcome: 'invalid' };
      if (row.lockedUntil && row.lockedUntil > new Date())
        return { outcome: 'locked', until: row.lockedUntil };
      const step = verifyTotp(row.totpSecret, code, { lastStep: row.totpLastStep });
      if (step === undefined) {
        await failure(principal.partnershipId, row, correlationId, 'code');
        return { outcome: 'invalid' };
      }
      // A fresh token on promotion, so a token seen before sign-in completed is worthless after it.
      const token = newSecretToken();
      await db.tenant(principal.partnershipId, async (tx) => {
        await authRepository.recordSuccess(tx, row.id, step);
        await authRepository.promoteSession(
          tx,
          principal.sessionId!,
          hashToken(token),
          new Date(Date.now() + SESSION_IDLE_MS),
        );
        await audit(
          tx,
          systemActor(
            principal.partnershipId,
            correlationId,
            `${row.name} <${row.email}>`,
            row.id,
            row.organisationId,
          ),
          {
            action: 'sign-in.succeeded',
            entityType: 'staff',
            entityId: row.id,
          },
        );
      });
      return { outcome: 'signedIn', token };
    },

    async resolveSession(token: string): Promise<ResolvedSession | undefined> {
      const row = await db.system((tx) => authRepository.findSession(tx, hashToken(token)));
      if (!row || !row.active) return undefined;
      if (row.stage === 'full' && Date.now() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
        await db.tenant(row.partnershipId, (tx) =>
          authRepository.touchSession(tx, row.sessionId, new Date(Date.now() + SESSION_IDLE_MS)),
        );
      }
      const { sessionId, stage, id, partnershipId, organisationId, organisationName, name, email, roles } =
        row;
      const { organisationKind } = row;
      return {
        stage,
        principal: {
          id,
          partnershipId,
          organisationId,
          organisationName,
          organisationKind,
          name,
          email,
          roles,
          via: 'session',
          sessionId,
        },
      };
    },

    async resolveApiToken(token: string): Promise<StaffPrincipal | undefined> {
      const row = await db.system((tx) => authRepository.findApiToken(tx, hashToken(token)));
      if (!row || !row.active) return undefined;
      if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
        await db.tenant(row.partnershipId, (tx) => authRepository.touchApiToken(tx, row.tokenId));
      }
      const { id, partnershipId, organisationId, organisationName, organisationKind, name, email, roles } =
        row;
      return {
        id,
        partnershipId,
        organisationId,
        organisationName,
        organisationKind,
        name,
        email,
        roles,
        via: 'token',
        sessionId: null,
      };
    },

    /** Housekeeping across all partnerships: expired sessions are useless and need not be kept. */
    async purgeExpiredSessions(): Promise<void> {
      await db.system((tx) => authRepository.deleteExpiredSessions(tx));
    },

    async signOut(principal: StaffPrincipal, correlationId: string): Promise<void> {
      if (!principal.sessionId) return;
      await db.tenant(principal.partnershipId, async (tx) => {
        await authRepository.deleteSession(tx, principal.sessionId!);
        await audit(
          tx,
          systemActor(
            principal.partnershipId,
            correlationId,
            `${principal.name} <${principal.email}>`,
            principal.id,
            principal.organisationId,
          ),
          {
            action: 'sign-out',
            entityType: 'staff',
            entityId: principal.id,
          },
        );
      });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
