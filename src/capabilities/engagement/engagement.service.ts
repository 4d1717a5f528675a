import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import { can } from '../../platform/auth/permissions.js';
import { audit } from '../../platform/audit/audit.service.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { createI18n, type I18n } from '../../platform/i18n/index.js';
import { tenancyRepository } from '../../platform/tenancy/tenancy.repository.js';
import { findVisibleConcern } from '../concerns/concerns.access.js';
import { isUniqueViolation, type ConcernsService } from '../concerns/concerns.service.js';
import type { Topic } from '../concerns/vocabulary.js';
import {
  areasWithoutContact,
  coverageByArea,
  coverageByType,
  recentMonths,
  type CoverageFact,
} from './engagement.coverage.js';
import { londonInstant, londonMonth, londonToday } from './engagement.dates.js';
import { engagementRepository } from './engagement.repository.js';
import {
  ENGAGEMENT_TYPES,
  type EngagementType,
  type IssueOutcome,
  type ReferralStatus,
} from './vocabulary.js';

export interface NewEngagement {
  /** Issued with the form (or chosen by an API client): the same key never saves twice. */
  idempotencyKey: string;
  /** yyyy-mm-dd, London. */
  occurredDay: string;
  /** hh:mm, London; when not given, now (logged the same day) or midday. */
  occurredTime?: string | undefined;
  areaId: string;
  place: string;
  type: EngagementType;
  groupsMet?: string | undefined;
  peopleEstimate?: number | undefined;
  languages: string[];
  notes?: string | undefined;
  followUpDue?: string | undefined;
  followUpNote?: string | undefined;
  /** `field` names where a refusal about this item is shown (a form field or an API path). */
  issues: {
    summary: string;
    outcome: IssueOutcome;
    topic?: Topic | undefined;
    reference?: string | undefined;
    field: string;
  }[];
  referrals: {
    organisationId?: string | undefined;
    serviceName?: string | undefined;
    reason: string;
    followUpDue?: string | undefined;
    field: string;
  }[];
}

export type EngagementProblem =
  'forbidden' | 'unknownArea' | 'unknownOrganisation' | 'unknownConcern' | 'inFuture' | 'notFound';

type Refusal = { ok: false; problem: EngagementProblem; field?: string };

/**
 * The cohesion officers' engagement log. Logging one is a single transaction: the engagement, each
 * issue heard (a new concern or suggestion through the concerns service, or a link to an existing
 * one the officer may see), each referral, and the audit record, or none of it. The idempotency key
 * makes a repeated submission (a double tap, or a draft sent again after a lost connection) return
 * the record already saved instead of a second one.
 */
export function createEngagementService(db: Database, deps: { concerns: ConcernsService; i18n?: I18n }) {
  const t = (deps.i18n ?? createI18n()).translator('en');

  async function log(
    actor: Actor,
    input: NewEngagement,
  ): Promise<{ ok: true; id: string; replayed: boolean } | Refusal> {
    if (!actor.staffId || !can(actor.roles, 'engagement.log')) return { ok: false, problem: 'forbidden' };
    // Without a time: now, for something logged the same day; otherwise midday, a fair middle of the day.
    const now = new Date();
    const occurredAt = input.occurredTime
      ? londonInstant(input.occurredDay, input.occurredTime)
      : input.occurredDay === londonToday(now)
        ? now
        : londonInstant(input.occurredDay, '12:00');
    // A few minutes' grace for a phone clock that runs ahead.
    if (occurredAt.getTime() > now.getTime() + 15 * 60_000)
      return { ok: false, problem: 'inFuture', field: 'occurredDate' };
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.tenant(actor.partnershipId, (tx) => logIn(tx, actor, input, occurredAt));
      } catch (err) {
        // Two submissions racing with one key: the loser's transaction is rolled back whole, and
        // its retry finds the winner's record. A concern reference clash is also retried.
        if (isUniqueViolation(err) && attempt < 3) continue;
        throw err;
      }
    }
  }

  async function logIn(
    tx: Tx,
    actor: Actor,
    input: NewEngagement,
    occurredAt: Date,
  ): Promise<{ ok: true; id: string; replayed: boolean } | Refusal> {
    const existing = await engagementRepository.findIdByKey(tx, input.idempotencyKey);
    if (existing) return { ok: true, id: existing, replayed: true };

    // Every check before the first write, so a refusal stores nothing.
    if (!(await tenancyRepository.findArea(tx, input.areaId)))
      return { ok: false, problem: 'unknownArea', field: 'areaId' };
    for (const r of input.referrals) {
      if (r.organisationId && !(await tenancyRepository.findOrganisation(tx, r.organisationId)))
        return { ok: false, problem: 'unknownOrganisation', field: r.field };
    }
    const organisations = new Map((await tenancyRepository.listOrganisations(tx)).map((o) => [o.id, o.name]));
    const linked = new Map<number, string>();
    for (const [i, issue] of input.issues.entries()) {
      if (issue.outcome !== 'linked') continue;
      const found = await findVisibleConcern(tx, actor, issue.reference ?? '');
      if (!found) return { ok: false, problem: 'unknownConcern', field: issue.field };
      linked.set(i, found.concern.id);
    }

    const id = randomUUID();
    await engagementRepository.insert(tx, {
      id,
      partnershipId: actor.partnershipId,
      officerStaffId: actor.staffId!,
      occurredAt,
      areaId: input.areaId,
      place: input.place,
      type: input.type,
      groupsMet: input.groupsMet ?? null,
      peopleEstimate: input.peopleEstimate ?? null,
      languages: input.languages,
      notes: input.notes ?? null,
      followUpDue: input.followUpDue ?? null,
      followUpNote: input.followUpDue ? (input.followUpNote ?? null) : null,
      idempotencyKey: input.idempotencyKey,
    });

    const source = `engagement: ${t(`engagement.vocab.type.${input.type}`)}, ${input.place}`.slice(0, 200);
    const issueRows = [];
    const raised: string[] = [];
    for (const [i, issue] of input.issues.entries()) {
      let concernId: string | null = linked.get(i) ?? null;
      if (issue.outcome === 'concern' || issue.outcome === 'suggestion') {
        // What people said in a group is recorded without naming anyone: the officer is the recorder.
        const created = await deps.concerns.createIn(tx, actor, {
          kind: issue.outcome,
          topic: issue.topic!,
          description: issue.summary,
          areaId: input.areaId,
          placeDescription: input.place,
          affectedGroups: [],
          forGroup: false,
          anonymous: true,
          consentToShare: false,
          channel: 'engagement',
          source,
          language: 'en',
        });
        concernId = created.id;
        raised.push(created.reference);
      }
      issueRows.push({
        partnershipId: actor.partnershipId,
        engagementId: id,
        position: i,
        summary: issue.summary,
        outcome: issue.outcome,
        concernId,
      });
    }
    await engagementRepository.insertIssues(tx, issueRows);
    await engagementRepository.insertReferrals(
      tx,
      input.referrals.map((r, i) => ({
        partnershipId: actor.partnershipId,
        engagementId: id,
        position: i,
        organisationId: r.organisationId ?? null,
        serviceName: r.serviceName ?? organisations.get(r.organisationId!)!,
        reason: r.reason,
        followUpDue: r.followUpDue ?? null,
      })),
    );
    await audit(tx, actor, {
      action: 'engagement.logged',
      entityType: 'engagement',
      entityId: id,
      details: {
        type: input.type,
        areaId: input.areaId,
        concernsRaised: raised,
        referrals: input.referrals.length,
      },
    });
    return { ok: true, id, replayed: false };
  }

  function mayView(actor: Actor) {
    return can(actor.roles, 'engagement.view');
  }

  return {
    log,

    /** One engagement with its issues (and the concerns they became) and referrals; reading is audited. */
    async detail(actor: Actor, id: string) {
      if (!mayView(actor)) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const found = await engagementRepository.findDetail(tx, id);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        // Linked only where the viewer may open the concern (it may not be shared with their organisation).
        const issues = [];
        for (const issue of found.issues) {
          const visible =
            issue.concernReference !== null &&
            (await findVisibleConcern(tx, actor, issue.concernReference)) !== undefined;
          issues.push({ ...issue, concernVisible: visible });
        }
        await audit(tx, actor, { action: 'engagement.viewed', entityType: 'engagement', entityId: id });
        return {
          ok: true as const,
          ...found,
          issues,
          mayUpdate: can(actor.roles, 'engagement.log'),
        };
      });
    },

    /** The officer's own view: follow-ups due, recent engagements and open referrals. Managers see everyone's recent ones. */
    async dashboard(actor: Actor) {
      if (!mayView(actor)) return { ok: false as const, problem: 'forbidden' as const };
      const own = can(actor.roles, 'engagement.log') && actor.staffId !== null;
      return db.tenant(actor.partnershipId, async (tx) => {
        const today = londonToday();
        const recent = await engagementRepository.list(tx, {
          officerStaffId: own ? actor.staffId! : undefined,
          limit: 10,
        });
        const followUps = own ? await engagementRepository.engagementFollowUps(tx, actor.staffId!) : [];
        const referrals = own ? await engagementRepository.openReferrals(tx, actor.staffId!) : [];
        const due = [
          ...followUps.map((f) => ({
            kind: 'engagement' as const,
            due: f.due!,
            engagementId: f.id,
            referralId: null,
            text: f.note ?? f.place,
            area: f.areaName,
          })),
          ...referrals
            .filter((r) => r.followUpDue !== null)
            .map((r) => ({
              kind: 'referral' as const,
              due: r.followUpDue!,
              engagementId: r.engagementId,
              referralId: r.id,
              text: `${r.organisationName ?? r.serviceName}: ${r.reason}`,
              area: r.areaName,
            })),
        ]
          .map((f) => ({ ...f, overdue: f.due < today }))
          .sort((a, b) => a.due.localeCompare(b.due));
        await audit(tx, actor, {
          action: 'engagement.dashboard.viewed',
          entityType: 'engagement',
          details: { own, shown: recent.map((r) => r.id) },
        });
        return { ok: true as const, own, recent, followUps: due, openReferrals: referrals };
      });
    },

    async list(actor: Actor, options: { mine: boolean; limit: number }) {
      if (!mayView(actor)) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const items = await engagementRepository.list(tx, {
          officerStaffId: options.mine && actor.staffId ? actor.staffId : undefined,
          limit: options.limit,
        });
        await audit(tx, actor, {
          action: 'engagement.list.viewed',
          entityType: 'engagement',
          details: { shown: items.map((i) => i.id) },
        });
        return { ok: true as const, items };
      });
    },

    async updateReferral(
      actor: Actor,
      engagementId: string,
      referralId: string,
      change: { status: ReferralStatus; followUpDue?: string | null | undefined },
    ) {
      if (!can(actor.roles, 'engagement.log')) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const referral = await engagementRepository.findReferral(tx, engagementId, referralId);
        if (!referral) return { ok: false as const, problem: 'notFound' as const };
        await engagementRepository.updateReferral(tx, referral.id, {
          status: change.status,
          ...(change.followUpDue !== undefined ? { followUpDue: change.followUpDue } : {}),
        });
        await audit(tx, actor, {
          action: 'engagement.referral.updated',
          entityType: 'engagement',
          entityId: engagementId,
          details: {
            referralId,
            from: referral.status,
            to: change.status,
            followUpDue: change.followUpDue ?? null,
          },
        });
        return { ok: true as const };
      });
    },

    async completeFollowUp(actor: Actor, engagementId: string) {
      if (!can(actor.roles, 'engagement.log')) return { ok: false as const, problem: 'forbidden' as const };
      return db.tenant(actor.partnershipId, async (tx) => {
        const done = await engagementRepository.markFollowUpDone(tx, engagementId);
        if (!done) return { ok: false as const, problem: 'notFound' as const };
        await audit(tx, actor, {
          action: 'engagement.follow-up.done',
          entityType: 'engagement',
          entityId: engagementId,
        });
        return { ok: true as const };
      });
    },

    /** The manager's view: engagements by area and type per month, and areas with no contact in N weeks. */
    async coverage(actor: Actor, options: { weeks: number; months: number }, now = new Date()) {
      if (!mayView(actor)) return { ok: false as const, problem: 'forbidden' as const };
      const months = recentMonths(londonToday(now), options.months);
      const from = londonInstant(`${months[0]}-01`, '00:00');
      return db.tenant(actor.partnershipId, async (tx) => {
        const areas = await tenancyRepository.listAreas(tx);
        const rows = await engagementRepository.since(tx, from);
        const counts = new Map<string, CoverageFact>();
        for (const r of rows) {
          const fact = { areaId: r.areaId, type: r.type as EngagementType, month: londonMonth(r.occurredAt) };
          const key = `${fact.areaId}|${fact.type}|${fact.month}`;
          counts.set(key, { ...fact, count: (counts.get(key)?.count ?? 0) + 1 });
        }
        const facts = [...counts.values()];
        const last = new Map(
          (await engagementRepository.lastContactByArea(tx))
            .filter((r) => r.last !== null)
            .map((r) => [r.areaId, new Date(r.last!)]),
        );
        await audit(tx, actor, {
          action: 'engagement.coverage.viewed',
          entityType: 'engagement',
          details: { weeks: options.weeks, months: options.months },
        });
        return {
          ok: true as const,
          months,
          weeks: options.weeks,
          byArea: coverageByArea(facts, areas, months),
          byType: coverageByType(facts, ENGAGEMENT_TYPES, months),
          noContact: areasWithoutContact(areas, last, options.weeks, now),
          areaCount: areas.length,
        };
      });
    },

    /** Areas and organisations for the form. */
    async choices(actor: Actor) {
      return db.tenant(actor.partnershipId, async (tx) => ({
        areas: await tenancyRepository.listAreas(tx),
        organisations: await tenancyRepository.listOrganisations(tx),
      }));
    },
  };
}

export type EngagementService = ReturnType<typeof createEngagementService>;
