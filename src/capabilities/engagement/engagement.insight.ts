import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import { tenancyRepository } from '../../platform/tenancy/tenancy.repository.js';
import type { Figure } from '../insight/figures.js';
import type { InsightFilters } from '../insight/insight.repository.js';
import { busiestFirst, rowsOf, suppressSharedTotal } from '../insight/panel-figures.js';
import type { InsightPanel } from '../insight/panels.js';
import { ENGAGEMENT_TYPES, REFERRAL_STATUSES } from './vocabulary.js';

/**
 * The engagement log's panel on the partnership dashboard (issue 7): engagements by ward and by
 * type, about how many people they reached, and the referrals made at them and where those stand.
 * The date range and the area filter apply; engagements have no topic or lead organisation.
 */

export interface EngagementCounts {
  byArea: { areaId: string; engagements: number; people: number; referrals: number }[];
  byType: { type: string; engagements: number; people: number }[];
  referrals: { status: string; n: number }[];
}

async function rows<T>(tx: Tx, query: SQL): Promise<T[]> {
  return ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Engagements on a London day in the range, in the chosen area if there is one. */
function inRange(partnershipId: string, f: Pick<InsightFilters, 'from' | 'to' | 'areaId'>): SQL {
  return sql.join(
    [
      sql`e.partnership_id = ${partnershipId}`,
      sql`e.occurred_at >= (${f.from}::date::timestamp at time zone 'Europe/London')`,
      sql`e.occurred_at < ((${f.to}::date + 1)::timestamp at time zone 'Europe/London')`,
      ...(f.areaId ? [sql`e.area_id = ${f.areaId}`] : []),
    ],
    sql` and `,
  );
}

export const engagementInsightRepository = {
  async counts(
    tx: Tx,
    partnershipId: string,
    f: Pick<InsightFilters, 'from' | 'to' | 'areaId'>,
  ): Promise<EngagementCounts> {
    const where = inRange(partnershipId, f);
    const perEngagement = sql`select e.area_id, e.type, coalesce(e.people_estimate, 0) as people,
        (select count(*) from engagement_referrals r where r.engagement_id = e.id) as referrals
      from engagements e where ${where}`;
    const grouped = await rows<{
      g_area: number;
      area_id: string | null;
      type: string | null;
      engagements: number;
      people: number;
      referrals: number;
    }>(
      tx,
      sql`select grouping(area_id) as g_area, area_id, type, count(*)::int as engagements,
            sum(people)::int as people, sum(referrals)::int as referrals
          from (${perEngagement}) x
          group by grouping sets ((area_id), (type))`,
    );
    const referrals = await rows<{ status: string; n: number }>(
      tx,
      sql`select r.status, count(*)::int as n
          from engagement_referrals r join engagements e on e.id = r.engagement_id
          where ${where} group by 1`,
    );
    return {
      byArea: grouped
        .filter((r) => Number(r.g_area) === 0)
        .map((r) => ({
          areaId: r.area_id!,
          engagements: Number(r.engagements),
          people: Number(r.people),
          referrals: Number(r.referrals),
        })),
      byType: grouped
        .filter((r) => Number(r.g_area) !== 0)
        .map((r) => ({ type: r.type!, engagements: Number(r.engagements), people: Number(r.people) })),
      referrals: referrals.map((r) => ({ status: r.status, n: Number(r.n) })),
    };
  },
};

const ENGAGEMENTS = {
  key: 'engagements',
  label: 'engagement.insight.columns.engagements',
  unit: 'count',
} as const;
const PEOPLE = { key: 'people', label: 'engagement.insight.columns.people', unit: 'count' } as const;
const REFERRALS = { key: 'referrals', label: 'engagement.insight.columns.referrals', unit: 'count' } as const;

/**
 * Three figures. Each column is a series with its total, and the series that count the same things
 * in two figures (engagements and people reached, by ward and by type; referrals, by ward and by
 * where they stand) are suppressed together, so that neither figure helps work out what the other
 * hides.
 */
export function engagementFigures(
  counts: EngagementCounts,
  areas: readonly { id: string; name: string }[],
): Figure[] {
  const areaOf = new Map(counts.byArea.map((a) => [a.areaId, a]));
  const typeOf = new Map(counts.byType.map((t) => [t.type, t]));
  const statusOf = new Map(counts.referrals.map((r) => [r.status, r.n]));
  const [areaEngagements, typeEngagements] = suppressSharedTotal([
    areas.map((a) => areaOf.get(a.id)?.engagements ?? 0),
    ENGAGEMENT_TYPES.map((t) => typeOf.get(t)?.engagements ?? 0),
  ]);
  const [areaPeople, typePeople] = suppressSharedTotal([
    areas.map((a) => areaOf.get(a.id)?.people ?? 0),
    ENGAGEMENT_TYPES.map((t) => typeOf.get(t)?.people ?? 0),
  ]);
  const [areaReferrals, statusReferrals] = suppressSharedTotal([
    areas.map((a) => areaOf.get(a.id)?.referrals ?? 0),
    REFERRAL_STATUSES.map((s) => statusOf.get(s) ?? 0),
  ]);
  const byArea = rowsOf(
    areas.map((a) => ({ key: a.id, label: a.name })),
    [areaEngagements!, areaPeople!, areaReferrals!],
  );
  const byType = rowsOf(
    ENGAGEMENT_TYPES.map((t) => ({ key: t, label: `engagement.vocab.type.${t}`, translate: true })),
    [typeEngagements!, typePeople!],
  );
  const referrals = rowsOf(
    REFERRAL_STATUSES.map((s) => ({
      key: s,
      label: `engagement.vocab.referralStatus.${s}`,
      translate: true,
    })),
    [statusReferrals!],
  );

  return [
    {
      id: 'engagement-byArea',
      title: 'engagement.insight.byArea.title',
      description: 'engagement.insight.byArea.description',
      rowHeader: 'insight.columns.area',
      charts: [],
      columns: [ENGAGEMENTS, PEOPLE, REFERRALS],
      rows: busiestFirst(byArea.rows, 0),
      totals: byArea.totals,
    },
    {
      id: 'engagement-byType',
      title: 'engagement.insight.byType.title',
      description: 'engagement.insight.byType.description',
      rowHeader: 'engagement.insight.columns.type',
      charts: [{ kind: 'bar', from: 0 }],
      columns: [ENGAGEMENTS, PEOPLE],
      ...byType,
    },
    {
      id: 'engagement-referrals',
      title: 'engagement.insight.referrals.title',
      description: 'engagement.insight.referrals.description',
      rowHeader: 'engagement.insight.columns.status',
      charts: [{ kind: 'bar', from: 0 }],
      columns: [REFERRALS],
      ...referrals,
    },
  ];
}

export const engagementInsightPanel: InsightPanel = {
  id: 'engagement',
  permission: 'insight.view',
  async figures(tx, { actor, filters }) {
    const counts = await engagementInsightRepository.counts(tx, actor.partnershipId, filters);
    const areas = (await tenancyRepository.listAreas(tx)).filter(
      (a) => !filters.areaId || a.id === filters.areaId,
    );
    return engagementFigures(counts, areas);
  },
};
