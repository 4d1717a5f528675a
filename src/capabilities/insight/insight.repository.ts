import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import { concernsRepository, type QueueFilters, type QueueSort } from '../concerns/concerns.repository.js';
import type { Interval } from './figures.js';
import { insightPopulation } from './insight.table.js';
import { topicsOf } from './topic-groups.js';

export interface InsightFilters {
  /** London calendar dates, YYYY-MM-DD, both inclusive. */
  from: string;
  to: string;
  interval: Interval;
  areaId?: string | undefined;
  /** A topic, or a group of topics (TOPIC_GROUPS, e.g. hate_related): see topicsOf. */
  topic?: string | undefined;
  /** The lead organisation. */
  organisationId?: string | undefined;
}

export interface CountRow {
  dimension: 'time' | 'area' | 'channel' | 'urgent';
  period: string | null;
  topic: string | null;
  areaId: string | null;
  kind: string | null;
  channel: string | null;
  source: string | null;
  urgent: boolean | null;
  n: number;
}

export interface ResponseRow {
  organisationId: string;
  responded: number;
  medianHours: number | null;
  ackDue: number;
  ackWithin: number;
  respondDue: number;
  respondWithin: number;
}

async function rows<T>(tx: Tx, query: SQL): Promise<T[]> {
  // Both drivers return { rows } for raw statements.
  return ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Area, topic and lead organisation filters, shared by every query. */
function narrow(f: Pick<InsightFilters, 'areaId' | 'topic' | 'organisationId'>): SQL[] {
  const parts: SQL[] = [];
  const topics = topicsOf(f.topic);
  if (f.areaId) parts.push(sql`c.area_id = ${f.areaId}`);
  if (topics) parts.push(sql`c.topic in ${topics}`);
  if (f.organisationId) parts.push(sql`c.lead_organisation_id = ${f.organisationId}`);
  return parts;
}

/** Concerns raised in the date range: London midnight of `from` to London midnight after `to`. */
function inRange(partnershipId: string, f: InsightFilters): SQL {
  return sql.join(
    [
      sql`c.partnership_id = ${partnershipId}`,
      sql`c.created_at >= (${f.from}::date::timestamp at time zone 'Europe/London')`,
      sql`c.created_at < ((${f.to}::date + 1)::timestamp at time zone 'Europe/London')`,
      ...narrow(f),
    ],
    sql` and `,
  );
}

export const insightRepository = {
  /** Equality answers of concerns raised in the range: question, answer, how many. */
  async equalityAnswers(tx: Tx, partnershipId: string, f: InsightFilters) {
    const result = await rows<{ question: string; answer: string; n: number }>(
      tx,
      sql`select e.key as question, e.value as answer, count(*)::int as n
          from concerns c
          join concern_equality q on q.concern_id = c.id
          cross join lateral jsonb_each_text(q.answers) as e(key, value)
          where ${inRange(partnershipId, f)}
          group by 1, 2`,
    );
    return result.map((r) => ({ question: r.question, answer: r.answer, n: Number(r.n) }));
  },

  async countInRange(tx: Tx, partnershipId: string, f: InsightFilters): Promise<number> {
    const [row] = await rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from concerns c where ${inRange(partnershipId, f)}`,
    );
    return Number(row?.n ?? 0);
  },

  /**
   * Open data: public (not private) concerns by London month, area group and topic, for whole months
   * from `fromMonth` up to but not including `beforeMonth` (both YYYY-MM-01).
   */
  async openData(tx: Tx, partnershipId: string, fromMonth: string, beforeMonth: string) {
    const result = await rows<{ month: string; area_group: string | null; topic: string; n: number }>(
      tx,
      sql`select to_char(date_trunc('month', c.created_at at time zone 'Europe/London'), 'YYYY-MM') as month,
            a.group_name as area_group, c.topic, count(*)::int as n
          from concerns c left join areas a on a.id = c.area_id
          where c.partnership_id = ${partnershipId} and not c.private
            and c.created_at >= (${fromMonth}::date::timestamp at time zone 'Europe/London')
            and c.created_at < (${beforeMonth}::date::timestamp at time zone 'Europe/London')
          group by 1, 2, 3`,
    );
    return result.map((r) => ({ month: r.month, areaGroup: r.area_group, topic: r.topic, n: Number(r.n) }));
  },

  listPopulation(tx: Tx) {
    return tx
      .select({
        characteristic: insightPopulation.characteristic,
        category: insightPopulation.category,
        people: insightPopulation.people,
        source: insightPopulation.source,
        updatedAt: insightPopulation.updatedAt,
      })
      .from(insightPopulation)
      .orderBy(asc(insightPopulation.characteristic), asc(insightPopulation.category));
  },

  /** Replaces one characteristic's figures: what is entered is the whole picture for it. */
  async replacePopulation(
    tx: Tx,
    partnershipId: string,
    characteristic: string,
    figures: { category: string; people: number }[],
    source: string,
  ): Promise<void> {
    await tx
      .delete(insightPopulation)
      .where(
        and(
          eq(insightPopulation.partnershipId, partnershipId),
          eq(insightPopulation.characteristic, characteristic),
        ),
      );
    if (figures.length === 0) return;
    await tx
      .insert(insightPopulation)
      .values(figures.map((x) => ({ partnershipId, characteristic, source, ...x })));
  },

  /** The triage queue as filtered, up to `limit` rows, for an export. */
  queueRows(tx: Tx, partnershipId: string, filters: QueueFilters, sort: QueueSort, limit: number, now: Date) {
    return concernsRepository.queue(tx, partnershipId, filters, { sort, limit, now });
  },
};
