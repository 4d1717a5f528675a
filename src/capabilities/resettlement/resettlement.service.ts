import { randomInt, randomUUID } from 'node:crypto';
import type { Database, Tx } from '../../platform/db/index.js';
import type { Actor } from '../../platform/auth/actor.js';
import { audit, auditTrail } from '../../platform/audit/audit.service.js';
import { can } from '../../platform/auth/permissions.js';
import {
  resettlementRepository as repo,
  type BookingRow,
  type GoalRow,
  type HostRow,
  type HouseholdRow,
  type MemberRow,
  type ReferralRow,
  type SessionRow,
} from './resettlement.repository.js';
import {
  countOutcomes,
  defaultRetention,
  isoDate,
  isReferralOverdue,
  memberBand,
  publishOutcomes,
  upcomingDeadlines,
  type Deadline,
  type OutcomePerson,
} from './resettlement.rules.js';
import type {
  AttendanceInput,
  CloseInput,
  GoalInput,
  HostInput,
  HouseholdInput,
  MemberInput,
  NeedsInput,
  ReferralInput,
  ReferralOutcomeInput,
  SessionInput,
} from './resettlement.schema.js';
import { DOMAIN_KEYS, type Domain, type Scheme, type SessionTopic } from './resettlement.vocabulary.js';

export type Problem<P extends string> = { ok: false; problem: P };
type Denied = Problem<'forbidden'>;
type Missing = Problem<'notFound'>;

/** Audit entity: every event about a household, its members, host, needs and referrals is filed here. */
const ENTITY = 'resettlement_household';
const SESSION_ENTITY = 'resettlement_session';

const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
function newReference(): string {
  let s = 'RH-';
  for (let i = 0; i < 6; i++) s += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return s;
}

export interface NeedView {
  domain: Domain;
  status: string;
  notes: string | null;
  details: Record<string, string>;
  updatedAt: Date | null;
}

export interface HouseholdDetail {
  household: HouseholdRow;
  areaName: string | null;
  caseworkerName: string | null;
  members: (MemberRow & { band: string | null })[];
  host: HostRow | null;
  needs: NeedView[];
  goals: GoalRow[];
  referrals: (ReferralRow & { overdue: boolean })[];
  bookings: { booking: BookingRow; session: SessionRow; memberName: string }[];
}

/** London wall-clock date and time → the instant. Sessions are entered in UK local time. */
export function londonInstant(date: string, time: string): Date {
  const guess = new Date(`${date}T${time}:00Z`);
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(guess);
  const [h, m] = local.split(':').map(Number) as [number, number];
  const [wh, wm] = time.split(':').map(Number) as [number, number];
  const offsetMinutes = (h * 60 + m - (wh * 60 + wm) + 1440) % 1440;
  return new Date(guess.getTime() - (offsetMinutes > 720 ? offsetMinutes - 1440 : offsetMinutes) * 60_000);
}

export function createResettlementService(db: Database) {
  const mayWork = (actor: Actor) => can(actor.roles, 'resettlement.cases');

  /** Opens a case the actor may see: the resettlement team's, in this partnership, not anonymised. */
  async function openCase(tx: Tx, id: string) {
    const found = await repo.findHousehold(tx, id);
    if (!found || found.household.anonymisedAt) return undefined;
    return found;
  }

  async function loadDetail(tx: Tx, id: string, today: string): Promise<HouseholdDetail | undefined> {
    const found = await openCase(tx, id);
    if (!found) return undefined;
    const [members, host, needs, goals, referrals, bookings] = await Promise.all([
      repo.listMembers(tx, [id]),
      repo.findHost(tx, id),
      repo.listNeeds(tx, id),
      repo.listGoals(tx, id),
      repo.listReferrals(tx, id),
      repo.householdBookings(tx, id),
    ]);
    const byDomain = new Map(needs.map((n) => [n.domain, n]));
    return {
      household: found.household,
      areaName: found.areaName,
      caseworkerName: found.caseworkerName,
      members: members.map((m) => ({ ...m, band: memberBand(m, today) })),
      host: host ?? null,
      needs: DOMAIN_KEYS.map((d) => {
        const n = byDomain.get(d);
        return {
          domain: d,
          status: n?.status ?? 'not_assessed',
          notes: n?.notes ?? null,
          details: n?.details ?? {},
          updatedAt: n?.updatedAt ?? null,
        };
      }),
      goals,
      referrals: referrals.map((r) => ({ ...r, overdue: isReferralOverdue(r, today) })),
      bookings,
    };
  }

  function householdValues(input: HouseholdInput) {
    return {
      scheme: input.scheme,
      schemeOther: input.scheme === 'other' ? (input.schemeOther ?? null) : null,
      name: input.name,
      arrivalDate: input.arrivalDate ?? null,
      address: input.address ?? null,
      areaId: input.areaId ?? null,
      interpreterNeeded: input.interpreterNeeded,
      interpreterLanguage: input.interpreterNeeded ? (input.interpreterLanguage ?? null) : null,
      moveOnDeadline: input.moveOnDeadline ?? null,
      lawfulBasis: input.lawfulBasis,
      consentGiven: input.consentGiven,
      consentDate: input.consentGiven ? (input.consentDate ?? null) : null,
      consentNotes: input.consentNotes ?? null,
      notes: input.notes ?? null,
    };
  }

  async function knownArea(tx: Tx, areaId: string | undefined) {
    if (!areaId) return true;
    return (await repo.listAreas(tx)).some((a) => a.id === areaId);
  }
  async function knownCaseworker(tx: Tx, staffId: string | undefined) {
    if (!staffId) return true;
    return (await repo.caseworkers(tx)).some((s) => s.id === staffId);
  }

  function memberValues(input: MemberInput) {
    return {
      name: input.name,
      dateOfBirth: input.dateOfBirth ?? null,
      ageBand: input.dateOfBirth ? null : (input.ageBand ?? null),
      relationship: input.relationship,
      languages: input.languages,
      englishLevel: input.englishLevel ?? null,
      education: input.education,
      workStatus: input.workStatus,
      esolEnrolled: input.esolEnrolled,
      gpRegistered: input.gpRegistered,
      visaExpiry: input.visaExpiry ?? null,
    };
  }

  /** Which fields changed (names only: audit records outlive the case and must hold no personal data). */
  function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
    return Object.keys(after).filter(
      (k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null),
    );
  }

  /** Work inside a case: checks the role, opens the case, writes the audit record with the change. */
  async function withCase<T>(
    actor: Actor,
    id: string,
    fn: (tx: Tx, found: NonNullable<Awaited<ReturnType<typeof openCase>>>) => Promise<T>,
  ): Promise<T | Denied | Missing> {
    if (!mayWork(actor)) return { ok: false, problem: 'forbidden' };
    return db.tenant(actor.partnershipId, async (tx) => {
      const found = await openCase(tx, id);
      if (!found) return { ok: false, problem: 'notFound' } as const;
      return fn(tx, found);
    });
  }

  return {
    /** The caseworker's home: their open households, upcoming deadlines and overdue referrals. */
    async caseload(actor: Actor, options: { all?: boolean; today?: string } = {}) {
      if (!mayWork(actor)) return { ok: false, problem: 'forbidden' } as Denied;
      const today = options.today ?? isoDate(new Date());
      const mine = options.all ? undefined : (actor.staffId ?? undefined);
      return db.tenant(actor.partnershipId, async (tx) => {
        const households = await repo.listHouseholds(tx, { caseworkerStaffId: mine, status: 'open' });
        const sources = await repo.deadlineSources(tx, mine);
        const byId = new Map(sources.open.map((h) => [h.id, h]));
        const candidates: Omit<Deadline, 'overdue'>[] = [];
        for (const h of sources.open)
          if (h.moveOnDeadline)
            candidates.push({
              kind: 'move_on',
              date: h.moveOnDeadline,
              householdId: h.id,
              householdReference: h.reference,
              householdName: h.name,
            });
        for (const v of sources.visas) {
          const h = byId.get(v.householdId)!;
          candidates.push({
            kind: 'visa_expiry',
            date: v.visaExpiry!,
            householdId: h.id,
            householdReference: h.reference,
            householdName: h.name,
            memberName: v.name,
          });
        }
        for (const c of sources.checks) {
          const h = byId.get(c.householdId)!;
          // A check not yet booked is due now; a booked one on its date.
          candidates.push({
            kind: 'accommodation_check',
            date: c.checkDate ?? today,
            householdId: h.id,
            householdReference: h.reference,
            householdName: h.name,
          });
        }
        const overdue = await repo.overdueReferrals(tx, today, mine);
        await audit(tx, actor, {
          action: 'resettlement.caseload.viewed',
          entityType: ENTITY,
          details: { households: households.map((h) => h.household.id), scope: mine ? 'mine' : 'all' },
        });
        return {
          ok: true as const,
          households,
          deadlines: upcomingDeadlines(candidates, today),
          overdueReferrals: overdue,
        };
      });
    },

    async listHouseholds(
      actor: Actor,
      filters: { scheme?: string | undefined; status?: string | undefined; mine?: boolean },
    ) {
      if (!mayWork(actor)) return { ok: false, problem: 'forbidden' } as Denied;
      return db.tenant(actor.partnershipId, async (tx) => {
        const rows = await repo.listHouseholds(tx, {
          scheme: filters.scheme,
          status: filters.status,
          caseworkerStaffId: filters.mine ? (actor.staffId ?? undefined) : undefined,
        });
        await audit(tx, actor, {
          action: 'resettlement.households.listed',
          entityType: ENTITY,
          details: { households: rows.map((r) => r.household.id), filters },
        });
        return { ok: true as const, households: rows };
      });
    },

    /** Areas and caseworkers for the household form. */
    async formOptions(actor: Actor) {
      if (!mayWork(actor)) return { ok: false, problem: 'forbidden' } as Denied;
      return db.tenant(actor.partnershipId, async (tx) => ({
        ok: true as const,
        areas: await repo.listAreas(tx),
        caseworkers: await repo.caseworkers(tx),
      }));
    },

    async createHousehold(actor: Actor, input: HouseholdInput) {
      if (!mayWork(actor)) return { ok: false, problem: 'forbidden' } as Denied;
      return db.tenant(actor.partnershipId, async (tx) => {
        if (!(await knownArea(tx, input.areaId))) return { ok: false, problem: 'unknownArea' } as const;
        // Caseworkers take on the cases they open; a manager may open one for a colleague.
        const caseworker =
          input.caseworkerStaffId && can(actor.roles, 'resettlement.manage')
            ? input.caseworkerStaffId
            : actor.staffId;
        if (!(await knownCaseworker(tx, caseworker ?? undefined)))
          return { ok: false, problem: 'unknownCaseworker' } as const;
        let reference = newReference();
        while (await repo.referenceTaken(tx, reference)) reference = newReference();
        const row = await repo.insertHousehold(tx, {
          partnershipId: actor.partnershipId,
          reference,
          caseworkerStaffId: caseworker,
          ...householdValues(input),
        });
        await audit(tx, actor, {
          action: 'resettlement.household.created',
          entityType: ENTITY,
          entityId: row.id,
          details: { scheme: row.scheme, lawfulBasis: row.lawfulBasis, consentGiven: row.consentGiven },
        });
        return { ok: true as const, id: row.id, reference };
      });
    },

    /** A whole case. Reading it is audited. */
    async household(actor: Actor, id: string, today = isoDate(new Date())) {
      if (!mayWork(actor)) return { ok: false, problem: 'forbidden' } as Denied;
      return db.tenant(actor.partnershipId, async (tx) => {
        const detail = await loadDetail(tx, id, today);
        if (!detail) return { ok: false, problem: 'notFound' } as Missing;
        await audit(tx, actor, { action: 'resettlement.household.viewed', entityType: ENTITY, entityId: id });
        return { ok: true as const, ...detail };
      });
    },

    /** The household's own record, for pages that act on it (adding a member, a goal, a referral). */
    async summary(actor: Actor, id: string) {
      return withCase(actor, id, async (tx, found) => {
        await audit(tx, actor, {
          action: 'resettlement.household.viewed',
          entityType: ENTITY,
          entityId: id,
          details: { summary: true },
        });
        return { ok: true as const, household: found.household };
      });
    },

    async updateHousehold(actor: Actor, id: string, input: HouseholdInput) {
      return withCase(actor, id, async (tx, found) => {
        if (!(await knownArea(tx, input.areaId))) return { ok: false, problem: 'unknownArea' } as const;
        const values = householdValues(input);
        const changed = changedFields(found.household, values);
        await repo.updateHousehold(tx, id, values);
        await audit(tx, actor, {
          action: 'resettlement.household.updated',
          entityType: ENTITY,
          entityId: id,
          details: { fields: changed },
        });
        return { ok: true as const };
      });
    },

    async assign(actor: Actor, id: string, caseworkerStaffId: string) {
      if (!can(actor.roles, 'resettlement.manage')) return { ok: false, problem: 'forbidden' } as Denied;
      return withCase(actor, id, async (tx) => {
        if (!(await knownCaseworker(tx, caseworkerStaffId)))
          return { ok: false, problem: 'unknownCaseworker' } as const;
        await repo.updateHousehold(tx, id, { caseworkerStaffId });
        await audit(tx, actor, {
          action: 'resettlement.household.assigned',
          entityType: ENTITY,
          entityId: id,
          details: { caseworkerStaffId },
        });
        return { ok: true as const };
      });
    },

    /** Closes a case and sets when it is anonymised: the date given, or the default after closure. */
    async close(actor: Actor, id: string, input: CloseInput, now = new Date()) {
      return withCase(actor, id, async (tx, found) => {
        if (found.household.status === 'closed') return { ok: false, problem: 'alreadyClosed' } as const;
        const today = isoDate(now);
        const retentionUntil = input.retentionUntil ?? defaultRetention(today);
        if (retentionUntil < today) return { ok: false, problem: 'retentionInPast' } as const;
        await repo.updateHousehold(tx, id, {
          status: 'closed',
          closedAt: now,
          closureReason: input.closureReason,
          retentionUntil,
        });
        await audit(tx, actor, {
          action: 'resettlement.household.closed',
          entityType: ENTITY,
          entityId: id,
          details: { retentionUntil },
        });
        return { ok: true as const, retentionUntil };
      });
    },

    async reopen(actor: Actor, id: string) {
      return withCase(actor, id, async (tx, found) => {
        if (found.household.status !== 'closed') return { ok: false, problem: 'notClosed' } as const;
        await repo.updateHousehold(tx, id, {
          status: 'open',
          closedAt: null,
          closureReason: null,
          retentionUntil: null,
        });
        await audit(tx, actor, {
          action: 'resettlement.household.reopened',
          entityType: ENTITY,
          entityId: id,
        });
        return { ok: true as const };
      });
    },

    async addMember(actor: Actor, householdId: string, input: MemberInput) {
      return withCase(actor, householdId, async (tx) => {
        const row = await repo.insertMember(tx, {
          partnershipId: actor.partnershipId,
          householdId,
          ...memberValues(input),
        });
        await audit(tx, actor, {
          action: 'resettlement.member.added',
          entityType: ENTITY,
          entityId: householdId,
          details: { memberId: row.id },
        });
        return { ok: true as const, id: row.id };
      });
    },

    async member(actor: Actor, householdId: string, memberId: string) {
      return withCase(actor, householdId, async (tx, found) => {
        const member = await repo.findMember(tx, householdId, memberId);
        if (!member) return { ok: false, problem: 'notFound' } as Missing;
        await audit(tx, actor, {
          action: 'resettlement.member.viewed',
          entityType: ENTITY,
          entityId: householdId,
          details: { memberId },
        });
        return { ok: true as const, member, household: found.household };
      });
    },

    async updateMember(actor: Actor, householdId: string, memberId: string, input: MemberInput) {
      return withCase(actor, householdId, async (tx) => {
        const member = await repo.findMember(tx, householdId, memberId);
        if (!member) return { ok: false, problem: 'notFound' } as Missing;
        const values = memberValues(input);
        const changed = changedFields(member, values);
        await repo.updateMember(tx, memberId, values);
        await audit(tx, actor, {
          action: 'resettlement.member.updated',
          entityType: ENTITY,
          entityId: householdId,
          details: { memberId, fields: changed },
        });
        return { ok: true as const };
      });
    },

    async host(actor: Actor, householdId: string) {
      return withCase(actor, householdId, async (tx, found) => {
        const host = await repo.findHost(tx, householdId);
        await audit(tx, actor, {
          action: 'resettlement.host.viewed',
          entityType: ENTITY,
          entityId: householdId,
        });
        return { ok: true as const, host: host ?? null, household: found.household };
      });
    },

    /** Homes for Ukraine only: the host or sponsor, the accommodation check and the arrangement. */
    async saveHost(actor: Actor, householdId: string, input: HostInput) {
      return withCase(actor, householdId, async (tx, found) => {
        if (found.household.scheme !== 'homes_for_ukraine')
          return { ok: false, problem: 'notHomesForUkraine' } as const;
        await repo.upsertHost(tx, {
          partnershipId: actor.partnershipId,
          householdId,
          name: input.name,
          email: input.email ?? null,
          phone: input.phone ?? null,
          address: input.address ?? null,
          checkStatus: input.checkStatus,
          checkDate: input.checkDate ?? null,
          arrangementStatus: input.arrangementStatus,
          notes: input.notes ?? null,
        });
        await audit(tx, actor, {
          action: 'resettlement.host.saved',
          entityType: ENTITY,
          entityId: householdId,
          details: { checkStatus: input.checkStatus, arrangementStatus: input.arrangementStatus },
        });
        return { ok: true as const };
      });
    },

    /** Saves the needs assessment: every domain given, in one transaction. */
    async saveNeeds(actor: Actor, householdId: string, input: Partial<NeedsInput>) {
      return withCase(actor, householdId, async (tx) => {
        const domains = DOMAIN_KEYS.filter((d) => input[d]);
        for (const d of domains) {
          const n = input[d]!;
          await repo.upsertNeed(tx, {
            partnershipId: actor.partnershipId,
            householdId,
            domain: d,
            status: n.status,
            notes: n.notes ?? null,
            details: n.details,
            updatedByStaffId: actor.staffId,
          });
        }
        await audit(tx, actor, {
          action: 'resettlement.needs.saved',
          entityType: ENTITY,
          entityId: householdId,
          details: { statuses: Object.fromEntries(domains.map((d) => [d, input[d]!.status])) },
        });
        return { ok: true as const };
      });
    },

    async addGoal(actor: Actor, householdId: string, input: GoalInput) {
      return withCase(actor, householdId, async (tx) => {
        const row = await repo.insertGoal(tx, {
          partnershipId: actor.partnershipId,
          householdId,
          domain: input.domain,
          goal: input.goal,
          owner: input.owner,
          dueDate: input.dueDate ?? null,
        });
        await audit(tx, actor, {
          action: 'resettlement.goal.added',
          entityType: ENTITY,
          entityId: householdId,
          details: { goalId: row.id, domain: input.domain },
        });
        return { ok: true as const, id: row.id };
      });
    },

    async setGoalStatus(actor: Actor, householdId: string, goalId: string, status: string) {
      return withCase(actor, householdId, async (tx) => {
        if (!(await repo.updateGoal(tx, householdId, goalId, status)))
          return { ok: false, problem: 'notFound' } as Missing;
        await audit(tx, actor, {
          action: 'resettlement.goal.updated',
          entityType: ENTITY,
          entityId: householdId,
          details: { goalId, status },
        });
        return { ok: true as const };
      });
    },

    async addReferral(actor: Actor, householdId: string, input: ReferralInput) {
      return withCase(actor, householdId, async (tx) => {
        const row = await repo.insertReferral(tx, {
          partnershipId: actor.partnershipId,
          householdId,
          domain: input.domain,
          service: input.service,
          reason: input.reason ?? null,
          referredOn: input.referredOn,
          responseDueOn: input.responseDueOn ?? null,
        });
        await audit(tx, actor, {
          action: 'resettlement.referral.made',
          entityType: ENTITY,
          entityId: householdId,
          details: { referralId: row.id, domain: input.domain, service: input.service },
        });
        return { ok: true as const, id: row.id };
      });
    },

    async referral(actor: Actor, householdId: string, referralId: string) {
      return withCase(actor, householdId, async (tx, found) => {
        const referral = await repo.findReferral(tx, householdId, referralId);
        if (!referral) return { ok: false, problem: 'notFound' } as Missing;
        await audit(tx, actor, {
          action: 'resettlement.referral.viewed',
          entityType: ENTITY,
          entityId: householdId,
          details: { referralId },
        });
        return { ok: true as const, referral, household: found.household };
      });
    },

    async recordReferralOutcome(
      actor: Actor,
      householdId: string,
      referralId: string,
      input: ReferralOutcomeInput,
      now = new Date(),
    ) {
      return withCase(actor, householdId, async (tx) => {
        const referral = await repo.findReferral(tx, householdId, referralId);
        if (!referral) return { ok: false, problem: 'notFound' } as Missing;
        const answered = input.outcome !== 'awaiting';
        await repo.updateReferral(tx, referralId, {
          outcome: input.outcome,
          outcomeNotes: input.outcomeNotes ?? null,
          outcomeOn: answered ? (input.outcomeOn ?? isoDate(now)) : null,
        });
        await audit(tx, actor, {
          action: 'resettlement.referral.outcome',
          entityType: ENTITY,
          entityId: householdId,
          details: { referralId, outcome: input.outcome },
        });
        return { ok: true as const };
      });
    },

    // ---- Sessions ----

    async sessions(actor: Actor, options: { upcomingFrom?: Date } = {}) {
      if (!mayWork(actor)) return { ok: false, problem: 'forbidden' } as Denied;
      return db.tenant(actor.partnershipId, async (tx) => ({
        ok: true as const,
        sessions: (await repo.listSessions(tx, options.upcomingFrom)).map((r) => ({
          ...r.session,
          booked: Number(r.booked),
        })),
      }));
    },

    async createSession(actor: Actor, input: SessionInput) {
      if (!mayWork(actor)) return { ok: false, problem: 'forbidden' } as Denied;
      const startsAt = londonInstant(input.date, input.startTime);
      const endsAt = londonInstant(input.date, input.endTime);
      return db.tenant(actor.partnershipId, async (tx) => {
        const row = await repo.insertSession(tx, {
          partnershipId: actor.partnershipId,
          topic: input.topic,
          startsAt,
          endsAt,
          venue: input.venue,
          languages: input.languages,
          interpreter: input.interpreter ?? null,
          capacity: input.capacity,
          notes: input.notes ?? null,
        });
        await audit(tx, actor, {
          action: 'resettlement.session.created',
          entityType: SESSION_ENTITY,
          entityId: row.id,
          details: { topic: row.topic },
        });
        return { ok: true as const, id: row.id };
      });
    },

    /** A session with who is booked (personal data: audited) and who could be booked. */
    async session(actor: Actor, id: string) {
      if (!mayWork(actor)) return { ok: false, problem: 'forbidden' } as Denied;
      return db.tenant(actor.partnershipId, async (tx) => {
        const session = await repo.findSession(tx, id);
        if (!session) return { ok: false, problem: 'notFound' } as Missing;
        const bookings = await repo.listBookings(tx, id);
        const bookable = await repo.bookableMembers(tx);
        const booked = new Set(bookings.map((b) => b.booking.memberId));
        await audit(tx, actor, {
          action: 'resettlement.session.viewed',
          entityType: SESSION_ENTITY,
          entityId: id,
          details: { households: [...new Set(bookings.map((b) => b.booking.householdId))] },
        });
        return {
          ok: true as const,
          session,
          bookings,
          bookable: bookable.filter((m) => !booked.has(m.id)),
        };
      });
    },

    /** Books members onto a session, refusing more than it holds; one audit record per household. */
    async book(actor: Actor, sessionId: string, memberIds: readonly string[]) {
      if (!mayWork(actor)) return { ok: false, problem: 'forbidden' } as Denied;
      return db.tenant(actor.partnershipId, async (tx) => {
        const session = await repo.findSession(tx, sessionId);
        if (!session) return { ok: false, problem: 'notFound' } as Missing;
        if (session.cancelled) return { ok: false, problem: 'cancelled' } as const;
        const bookable = new Map((await repo.bookableMembers(tx)).map((m) => [m.id, m]));
        const chosen = [...new Set(memberIds)].map((id) => bookable.get(id));
        if (chosen.some((m) => m === undefined)) return { ok: false, problem: 'unknownMember' } as const;
        const existing = new Set((await repo.listBookings(tx, sessionId)).map((b) => b.booking.memberId));
        const fresh = chosen.filter((m) => !existing.has(m!.id));
        if (existing.size + fresh.length > session.capacity) return { ok: false, problem: 'full' } as const;
        await repo.insertBookings(
          tx,
          fresh.map((m) => ({
            partnershipId: actor.partnershipId,
            sessionId,
            memberId: m!.id,
            householdId: m!.householdId,
          })),
        );
        for (const householdId of new Set(fresh.map((m) => m!.householdId)))
          await audit(tx, actor, {
            action: 'resettlement.session.booked',
            entityType: ENTITY,
            entityId: householdId,
            details: {
              sessionId,
              members: fresh.filter((m) => m!.householdId === householdId).map((m) => m!.id),
            },
          });
        return { ok: true as const, booked: fresh.length };
      });
    },

    async recordAttendance(actor: Actor, sessionId: string, input: AttendanceInput) {
      if (!mayWork(actor)) return { ok: false, problem: 'forbidden' } as Denied;
      return db.tenant(actor.partnershipId, async (tx) => {
        const session = await repo.findSession(tx, sessionId);
        if (!session) return { ok: false, problem: 'notFound' } as Missing;
        const bookings = new Map(
          (await repo.listBookings(tx, sessionId)).map((b) => [b.booking.memberId, b.booking]),
        );
        if (input.entries.some((e) => !bookings.has(e.memberId)))
          return { ok: false, problem: 'notBooked' } as const;
        for (const e of input.entries)
          await repo.setAttendance(tx, sessionId, e.memberId, e.attended, e.feedback ?? null);
        const households = new Set(input.entries.map((e) => bookings.get(e.memberId)!.householdId));
        for (const householdId of households)
          await audit(tx, actor, {
            action: 'resettlement.session.attendance',
            entityType: ENTITY,
            entityId: householdId,
            details: {
              sessionId,
              attended: input.entries.filter(
                (e) => bookings.get(e.memberId)!.householdId === householdId && e.attended,
              ).length,
            },
          });
        return { ok: true as const };
      });
    },

    /** Sessions for the iCalendar feed: topic, time, venue, languages; never who is booked. */
    async calendar(actor: Actor) {
      if (!mayWork(actor)) return { ok: false, problem: 'forbidden' } as Denied;
      return db.tenant(actor.partnershipId, async (tx) => ({
        ok: true as const,
        sessions: (await repo.listSessions(tx)).map((r) => ({
          id: r.session.id,
          topic: r.session.topic as SessionTopic,
          startsAt: r.session.startsAt,
          endsAt: r.session.endsAt,
          venue: r.session.venue,
          languages: r.session.languages,
          interpreter: r.session.interpreter,
          cancelled: r.session.cancelled,
          updatedAt: r.session.updatedAt,
        })),
      }));
    },

    // ---- Outcomes ----

    /** Outcome measures per scheme, aggregate only and suppressed; nothing here identifies a household. */
    async outcomes(actor: Actor, today = isoDate(new Date())) {
      if (!can(actor.roles, 'resettlement.outcomes')) return { ok: false, problem: 'forbidden' } as Denied;
      return db.tenant(actor.partnershipId, async (tx) => {
        const households = (await repo.outcomeHouseholds(tx)) as { scheme: Scheme }[];
        const people: OutcomePerson[] = (await repo.outcomePeople(tx)).map((p) => ({
          scheme: p.scheme as Scheme,
          band: memberBand(p, today),
          englishLevel: p.englishLevel,
          education: p.education,
          workStatus: p.workStatus,
          gpRegistered: p.gpRegistered,
          esolEnrolled: p.esolEnrolled,
          sessionsAttended: Number(p.sessionsAttended),
        }));
        return { ok: true as const, outcomes: publishOutcomes(countOutcomes(households, people)) };
      });
    },

    // ---- Data protection ----

    /**
     * Everything held about one household, for a subject access request: the case, its members, host,
     * needs, plan, referrals, session bookings (the session, never who else came) and the audit trail.
     */
    async subjectAccess(actor: Actor, id: string, now = new Date()) {
      if (!mayWork(actor)) return { ok: false, problem: 'forbidden' } as Denied;
      return db.tenant(actor.partnershipId, async (tx) => {
        const detail = await loadDetail(tx, id, isoDate(now));
        if (!detail) return { ok: false, problem: 'notFound' } as Missing;
        await audit(tx, actor, {
          action: 'resettlement.household.exported',
          entityType: ENTITY,
          entityId: id,
        });
        const trail = await auditTrail(tx, ENTITY, id);
        return { ok: true as const, generatedAt: now, ...detail, trail };
      });
    },

    /**
     * The retention job: closed cases whose retention date has passed lose everything that identifies
     * anyone (names, dates of birth, addresses, contact details, notes, the host, the plan), keeping
     * only what the aggregate outcomes need. The audit log is append-only and stays as it is.
     */
    async anonymiseExpired(now = new Date()): Promise<{ anonymised: number }> {
      const today = isoDate(now);
      const partnerships = await db.system((tx) => repo.partnershipsWithExpiredCases(tx, today));
      let anonymised = 0;
      for (const partnershipId of partnerships) {
        const system: Actor = {
          partnershipId,
          staffId: null,
          organisationId: null,
          roles: [],
          label: 'system (retention)',
          correlationId: randomUUID(),
        };
        anonymised += await db.tenant(partnershipId, async (tx) => {
          const due = await repo.expiredCases(tx, today);
          for (const h of due) {
            const members = await repo.listMembers(tx, [h.id]);
            for (const m of members)
              await repo.updateMember(tx, m.id, {
                name: 'Anonymised',
                dateOfBirth: null,
                ageBand: memberBand(m, today),
                languages: [],
                visaExpiry: null,
              });
            await repo.deleteHost(tx, h.id);
            await repo.clearNeeds(tx, h.id);
            await repo.deleteGoals(tx, h.id);
            await repo.clearReferrals(tx, h.id);
            await repo.clearFeedback(tx, h.id);
            await repo.updateHousehold(tx, h.id, {
              name: 'Anonymised household',
              address: null,
              interpreterLanguage: null,
              moveOnDeadline: null,
              consentNotes: null,
              notes: null,
              closureReason: null,
              schemeOther: null,
              anonymisedAt: now,
            });
            await audit(tx, system, {
              action: 'resettlement.household.anonymised',
              entityType: ENTITY,
              entityId: h.id,
              details: { retentionUntil: h.retentionUntil },
            });
          }
          return due.length;
        });
      }
      return { anonymised };
    },
  };
}

export type ResettlementService = ReturnType<typeof createResettlementService>;
