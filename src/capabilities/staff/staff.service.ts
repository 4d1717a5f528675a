import type { Actor, StaffPrincipal } from '../../platform/auth/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { authRepository } from '../../platform/auth/auth.repository.js';
import { PASSWORD_STAGE_MS } from '../../platform/auth/auth.service.js';
import { hashPassword, passwordProblem } from '../../platform/auth/password.js';
import { hashToken, newSecretToken } from '../../platform/auth/tokens.js';
import type { Database, Tx } from '../../platform/db/index.js';
import type { Translate } from '../../platform/i18n/index.js';
import { enqueueMail } from '../../platform/mail/mailer.js';
import { paths } from '../../platform/paths.js';
import { tenancyRepository } from '../../platform/tenancy/tenancy.repository.js';
import type { InviteInput } from './staff.schema.js';
import { staffRepository, type MemberRow, type TokenRow } from './staff.repository.js';

/** An invitation link works for a week, then an administrator invites again. */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export const API_TOKEN_PREFIX = 'heard_';

export type Member = MemberRow;
export type ApiToken = TokenRow;

export type InviteOutcome =
  { ok: true; member: Member } | { ok: false; problem: 'emailTaken' | 'organisationUnknown' };

export type MemberOutcome = { ok: true; member: Member } | { ok: false; problem: 'notFound' | 'self' };

export type InvitationOutcome =
  | { ok: true; sessionToken: string; sessionMaxAgeMs: number }
  | { ok: false; problem: 'invalid' | 'tooShort' | 'tooLong' };

export type CreateTokenOutcome =
  { ok: true; token: ApiToken; secret: string } | { ok: false; problem: 'needsSession' };

export type TokenOutcome = { ok: true; token: ApiToken } | { ok: false; problem: 'notFound' };

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

type Person = Pick<StaffPrincipal, 'id' | 'partnershipId' | 'organisationId' | 'name' | 'email'>;

/** For what people do to their own account before they are fully signed in. */
function selfActor(principal: Person, correlationId: string): Actor {
  return {
    partnershipId: principal.partnershipId,
    staffId: principal.id,
    organisationId: principal.organisationId,
    roles: [],
    label: `${principal.name} <${principal.email}>`,
    correlationId,
  };
}

/**
 * Staff accounts: invitations, deactivation, second-factor resets and personal API tokens. Every
 * change is audited in the same transaction; expected refusals come back as outcomes.
 */
export function createStaffService(db: Database, options: { publicUrl: string; mailDomain?: string }) {
  /** Deactivate, reactivate and reset share this shape: find, refuse or change, audit, re-read. */
  async function changeMember(
    actor: Actor,
    id: string,
    action: string,
    change: (tx: Tx, before: Member) => Promise<Record<string, unknown>>,
    refuseSelf: boolean,
  ): Promise<MemberOutcome> {
    return db.tenant(actor.partnershipId, async (tx) => {
      const before = await staffRepository.findMember(tx, id);
      if (!before) return { ok: false, problem: 'notFound' };
      if (refuseSelf && before.id === actor.staffId) return { ok: false, problem: 'self' };
      const details = await change(tx, before);
      await audit(tx, actor, { action, entityType: 'staff', entityId: id, details });
      return { ok: true, member: (await staffRepository.findMember(tx, id))! };
    });
  }

  return {
    async list(actor: Actor): Promise<Member[]> {
      return db.tenant(actor.partnershipId, (tx) => staffRepository.listMembers(tx));
    },

    async member(actor: Actor, id: string): Promise<Member | undefined> {
      return db.tenant(actor.partnershipId, (tx) => staffRepository.findMember(tx, id));
    },

    async organisations(actor: Actor) {
      return db.tenant(actor.partnershipId, (tx) => tenancyRepository.listOrganisations(tx));
    },

    /**
     * Creates the account with no password and emails a one-time link to set one. The link is
     * stored only as a hash, so a copy of the database cannot be used to accept an invitation.
     */
    async invite(
      actor: Actor,
      input: InviteInput,
      mail: { t: Translate; partnershipName: string },
    ): Promise<InviteOutcome> {
      const token = newSecretToken();
      const expiresAt = new Date(Date.now() + INVITATION_LIFETIME_MS);
      try {
        return await db.tenant(actor.partnershipId, async (tx): Promise<InviteOutcome> => {
          const organisation = await tenancyRepository.findOrganisation(tx, input.organisationId);
          if (!organisation) return { ok: false, problem: 'organisationUnknown' };
          if (await staffRepository.emailTaken(tx, input.email)) return { ok: false, problem: 'emailTaken' };
          const id = await staffRepository.insertMember(tx, {
            partnershipId: actor.partnershipId,
            organisationId: organisation.id,
            name: input.name,
            email: input.email,
            roles: input.roles,
            inviteTokenHash: hashToken(token),
            inviteExpiresAt: expiresAt,
          });
          const vars = {
            name: input.name,
            partnership: mail.partnershipName,
            link: `${options.publicUrl}${paths.staff.invitation(token)}`,
            expires: new Intl.DateTimeFormat('en-GB', {
              dateStyle: 'long',
              timeZone: 'Europe/London',
            }).format(expiresAt),
            inviter: actor.label,
          };
          await enqueueMail(
            tx,
            {
              partnershipId: actor.partnershipId,
              to: input.email,
              subject: mail.t('staff.mail.invitation.subject', vars),
              text: mail.t('staff.mail.invitation.body', vars),
              purpose: 'staff.invitation',
              headers: { 'Auto-Submitted': 'auto-generated' },
            },
            { domain: options.mailDomain },
          );
          await audit(tx, actor, {
            action: 'staff.invited',
            entityType: 'staff',
            entityId: id,
            details: { email: input.email, organisationId: organisation.id, roles: input.roles },
          });
          return { ok: true, member: (await staffRepository.findMember(tx, id))! };
        });
      } catch (err) {
        // Two administrators inviting the same address at once: the unique constraint decides.
        if (isUniqueViolation(err)) return { ok: false, problem: 'emailTaken' };
        throw err;
      }
    },

    /** Signs them out everywhere too; their API tokens stop working while they are inactive. */
    deactivate(actor: Actor, id: string): Promise<MemberOutcome> {
      return changeMember(
        actor,
        id,
        'staff.deactivated',
        async (tx) => {
          await staffRepository.setActive(tx, id, false);
          return { sessionsEnded: await staffRepository.deleteSessions(tx, id) };
        },
        true,
      );
    },

    reactivate(actor: Actor, id: string): Promise<MemberOutcome> {
      return changeMember(
        actor,
        id,
        'staff.reactivated',
        async (tx) => {
          await staffRepository.setActive(tx, id, true);
          return {};
        },
        false,
      );
    },

    /** For a lost phone: the next sign-in asks them to set up an authenticator app again. */
    resetMfa(actor: Actor, id: string): Promise<MemberOutcome> {
      return changeMember(
        actor,
        id,
        'staff.mfa-reset',
        async (tx) => {
          await staffRepository.clearSecondFactor(tx, id);
          return { sessionsEnded: await staffRepository.deleteSessions(tx, id) };
        },
        false,
      );
    },

    /** Whether this person has an authenticator app set up (else sign-in goes to the set-up page). */
    async hasSecondFactor(principal: StaffPrincipal): Promise<boolean> {
      return db.tenant(principal.partnershipId, (tx) => staffRepository.hasSecondFactor(tx, principal.id));
    },

    async recordSecondFactorSetUp(principal: StaffPrincipal, correlationId: string): Promise<void> {
      await db.tenant(principal.partnershipId, (tx) =>
        audit(tx, selfActor(principal, correlationId), {
          action: 'staff.mfa-set-up',
          entityType: 'staff',
          entityId: principal.id,
        }),
      );
    },

    /** The invitation behind a link, if it is unexpired, unspent and the account still active. */
    async invitation(token: string): Promise<{ name: string; email: string } | undefined> {
      const row = await db.system((tx) => staffRepository.findInvitation(tx, hashToken(token)));
      return row?.active ? { name: row.name, email: row.email } : undefined;
    },

    /**
     * Sets the password, spends the link and starts a password-stage session, so the next page
     * asks them to set up their authenticator app.
     */
    async acceptInvitation(
      token: string,
      password: string,
      correlationId: string,
    ): Promise<InvitationOutcome> {
      const problem = passwordProblem(password);
      if (problem) return { ok: false, problem };
      const hash = hashToken(token);
      const row = await db.system((tx) => staffRepository.findInvitation(tx, hash));
      if (!row?.active) return { ok: false, problem: 'invalid' };
      const passwordHash = await hashPassword(password);
      const sessionToken = newSecretToken();
      const accepted = await db.tenant(row.partnershipId, async (tx) => {
        // Conditional on the hash still being there, so one link cannot be used twice at once.
        if (!(await staffRepository.acceptInvitation(tx, row.id, hash, passwordHash))) return false;
        await authRepository.insertSession(tx, {
          partnershipId: row.partnershipId,
          staffId: row.id,
          tokenHash: hashToken(sessionToken),
          stage: 'password',
          expiresAt: new Date(Date.now() + PASSWORD_STAGE_MS),
        });
        await audit(tx, selfActor(row, correlationId), {
          action: 'staff.invitation-accepted',
          entityType: 'staff',
          entityId: row.id,
        });
        return true;
      });
      return accepted
        ? { ok: true, sessionToken, sessionMaxAgeMs: PASSWORD_STAGE_MS }
        : { ok: false, problem: 'invalid' };
    },

    async tokens(actor: Actor): Promise<ApiToken[]> {
      return db.tenant(actor.partnershipId, (tx) => staffRepository.listTokens(tx, actor.staffId!));
    },

    /**
     * The plaintext is returned once, to show; only its hash is stored. Only a signed-in session may
     * create tokens, so a leaked token cannot mint others that would outlive its revocation.
     */
    async createToken(actor: Actor, name: string, via: StaffPrincipal['via']): Promise<CreateTokenOutcome> {
      if (via !== 'session') return { ok: false, problem: 'needsSession' };
      const secret = newSecretToken(API_TOKEN_PREFIX);
      return db.tenant(actor.partnershipId, async (tx): Promise<CreateTokenOutcome> => {
        const token = await staffRepository.insertToken(tx, {
          partnershipId: actor.partnershipId,
          staffId: actor.staffId!,
          name,
          tokenHash: hashToken(secret),
        });
        await audit(tx, actor, {
          action: 'api-token.created',
          entityType: 'api_token',
          entityId: token.id,
          details: { name },
        });
        return { ok: true, token, secret };
      });
    },

    /** Only your own tokens; revoking twice keeps the first revocation time. */
    async revokeToken(actor: Actor, id: string): Promise<TokenOutcome> {
      return db.tenant(actor.partnershipId, async (tx): Promise<TokenOutcome> => {
        const existing = await staffRepository.findToken(tx, id, actor.staffId!);
        if (!existing) return { ok: false, problem: 'notFound' };
        const token = await staffRepository.revokeToken(tx, id);
        if (!existing.revokedAt) {
          await audit(tx, actor, {
            action: 'api-token.revoked',
            entityType: 'api_token',
            entityId: id,
            details: { name: existing.name },
          });
        }
        return { ok: true, token };
      });
    },
  };
}
export type StaffService = ReturnType<typeof createStaffService>;
