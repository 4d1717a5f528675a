import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import { concernsRepository, type QueueFilters, type QueueSort } from '../concerns/concerns.repository.js';
import type { Interval } from './figures.js';
import { insightPopulation } from './insight.table.js';

export interface InsightFilters {
  /** London calendar dates, YYYY-MM-DD, both inclusive. */
  from: string;
  to: string;
  interval: Interval;
  areaId?: string | undefined;
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
  if (f.areaId) parts.push(sql`c.area_id = ${f.areaId}`);
  if (f.topic) parts.push(sql`c.topic = ${f.topic}`);
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

const overdue = (now: Date) =>
  sql`(c.respond_due_at < ${now.toISOString()}::timestamptz or (c.first_response_at is null and c.acknowledge_due_at < ${now.toISOString()}::timestamptz))`;

export const insightRepository = {
  /**
   * Every count the dashboard shows for the range, in one pass over the range (grouping sets), read
   * from the insight_concerns_dashboard index alone: by topic and period, by area and kind, by
   * channel, source and kind, and urgent or not.
   */
  async counts(tx: Tx, partnershipId: string, f: InsightFilters): Promise<CountRow[]> {
    const unit = sql.raw(f.interval === 'week' ? `'week'` : `'month'`);
    const result = await rows<{
      g_time: number;
      g_area: number;
      g_channel: number;
      period: string | null;
      topic: string | null;
      area_id: string | null;
      kind: string | null;
      channel: string | null;
      source: string | null;
      urgent: boolean | null;
      n: number;
    }>(
      tx,
      sql`select grouping(period) as g_time, grouping(area_id) as g_area, grouping(channel) as g_channel,
            period, topic, area_id, null::text as kind, channel, source, urgent, count(*)::int as n
          from (
            select to_char(date_trunc(${unit}, c.created_at at time zone 'Europe/London'), 'YYYY-MM-DD') as period,
              c.topic, c.area_id, c.kind, c.channel, c.source, c.urgent
            from concerns c where ${inRange(partnershipId, f)}
          ) x
          group by grouping sets ((period, topic), (area_id), (channel, source), (urgent))`,
    );
    return result.map((r) => ({
      dimension:
        Number(r.g_time) === 0
          ? 'time'
          : Number(r.g_area) === 0
            ? 'area'
            : Number(r.g_channel) === 0
              ? 'channel'
              : 'urgent',
      period: r.period,
      topic: r.topic,
      areaId: r.area_id,
      kind: r.kind,
      channel: r.channel,
      source: r.source,
      urgent: r.urgent,
      n: Number(r.n),
    }));
  },

  /** Concerns open now, and how many of them are overdue, by lead organisation (null: not yet routed). */
  async openByOrganisation(
    tx: Tx,
    partnershipId: string,
    f: Pick<InsightFilters, 'areaId' | 'topic' | 'organisationId'>,
    now: Date,
  ) {
    const where = sql.join(
      [sql`c.partnership_id = ${partnershipId}`, sql`c.closed_at is null`, ...narrow(f)],
      sql` and `,
    );
    const result = await rows<{
      organisation_id: string | null;
      open: number;
      overdue: number;
      urgent: number;
    }>(
      tx,
      sql`select c.lead_organisation_id as organisation_id, count(*)::int as open,
            (count(*) filter (where ${overdue(now)}))::int as overdue,
            (count(*) filter (where c.urgent))::int as urgent
          from concerns c where ${where} group by 1`,
    );
    return result.map((r) => ({
      organisationId: r.organisation_id,
      open: Number(r.open),
      overdue: Number(r.overdue),
      urgent: Number(r.urgent),
    }));
  },

  /**
   * Response against targets, by lead organisation, for concerns raised in the range: the median
   * time to first response, and how many first responses (acknowledgements) and closures were due
   * and how many came on time. A concern not yet due and not yet answered counts in neither.
   */
  async responses(tx: Tx, partnershipId: string, f: InsightFilters, now: Date): Promise<ResponseRow[]> {
    const at = sql`${now.toISOString()}::timestamptz`;
    const result = await rows<{
      organisation_id: string;
      responded: number;
      median_hours: number | string | null;
      ack_due: number;
      ack_within: number;
      respond_due: number;
      respond_within: number;
    }>(
      tx,
      sql`select c.lead_organisation_id as organisation_id,
            (count(*) filter (where c.first_response_at is not null))::int as responded,
            percentile_cont(0.5) within group (order by extract(epoch from (c.first_response_at - c.created_at)) / 3600)
              filter (where c.first_response_at is not null) as median_hours,
            (count(*) filter (where c.first_response_at is not null or c.acknowledge_due_at < ${at}))::int as ack_due,
            (count(*) filter (where c.first_response_at <= c.acknowledge_due_at))::int as ack_within,
            (count(*) filter (where c.closed_at is not null or c.respond_due_at < ${at}))::int as respond_due,
            (count(*) filter (where c.closed_at <= c.respond_due_at))::int as respond_within
          from concerns c where ${inRange(partnershipId, f)} and c.lead_organisation_id is not null
          group by 1`,
    );
    return result.map((r) => ({
      organisationId: r.organisation_id,
      responded: Number(r.responded),
      medianHours: r.median_hours === null ? null : Number(r.median_hours),
      ackDue: Number(r.ack_due),
      ackWithin: Number(r.ack_within),
      respondDue: Number(r.respond_due),
      respondWithin: Number(r.respond_within),
    }));
  },

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
