import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import type { CountRow, InsightFilters, ResponseRow } from './insight.repository.js';
import { addDays, londonToday } from './figures.js';
import { medianFromSteps, RESPONSE_STEPS } from './rollup.js';
import { topicsOf } from './topic-groups.js';

/**
 * The partnership dashboard's counts, read from the daily rollup (insight_daily) and kept exact:
 *
 * - Live days are counted from the concerns themselves, never from rollup rows: every day from
 *   insight_rollup_state.live_from on (the day before yesterday, yesterday and today, once the
 *   refresh has caught up), and the days marked changed (insight_changes, written by triggers on
 *   concerns in the same transaction as the change).
 * - Overdue counts in the rollup are as at the last refresh (insight_rollup_state.refreshed_at);
 *   the concerns whose due time has passed since (or, for an earlier `now`, not yet come) are found
 *   through two small partial indexes and added or taken away.
 *
 * Each read is one statement, so the rollup, the marks, the refresh state and the concerns are all
 * seen at the same moment, even while a refresh commits.
 */

export interface OpenRow {
  organisationId: string | null;
  open: number;
  overdue: number;
  urgent: number;
}

export interface DashboardCounts {
  counts: CountRow[];
  open: OpenRow[];
  responses: ResponseRow[];
}

async function rows<T>(tx: Tx, query: SQL): Promise<T[]> {
  // Both drivers return { rows } for raw statements.
  return ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
}

const LONDON_DAY = (column: SQL) => sql`(${column} at time zone 'Europe/London')::date`;

/** The response-time step (see RESPONSE_STEPS) of `rh.h`, the hours to the first response. */
const STEP = sql.raw(
  `case ${RESPONSE_STEPS.map((s, i) => {
    const next = RESPONSE_STEPS[i + 1];
    const value =
      s.width === null ? `${s.from}` : `${s.from} + floor((rh.h - ${s.from}) / ${s.width}) * ${s.width}`;
    return next ? `when rh.h < ${next.from} then ${value}` : `else ${value}`;
  }).join(' ')} end`,
);

/**
 * Every concern raised on the days of `days` (a relation from dayRanges), with what the rollup
 * groups by, filtered. The days are London days, so each is a range of created_at, read day by day
 * from the covering index insight_concerns_dashboard: the lateral subquery, kept apart by
 * `offset 0`, makes the planner start from the few days rather than from the million concerns.
 */
function concernsOn(partnershipId: string, days: SQL, where: SQL[]): SQL {
  return sql`select c.topic, c.area_id, c.lead_organisation_id, c.channel, c.source, c.urgent,
      c.first_response_at, c.acknowledge_due_at, c.closed_at, c.respond_due_at, d.day,
      (case when c.first_response_at is null then null else ${STEP} end)::int as response_hours
    from ${days} d
    cross join lateral (
      select c.topic, c.area_id, c.lead_organisation_id, c.channel, c.source, c.urgent, c.created_at,
        c.first_response_at, c.acknowledge_due_at, c.closed_at, c.respond_due_at
      from concerns c
      where c.partnership_id = ${partnershipId} and c.created_at >= d.starts and c.created_at < d.ends
        ${where.length > 0 ? sql`and ${sql.join(where, sql` and `)}` : sql``}
      offset 0) c
    cross join lateral (select greatest(0, date_part('epoch', c.first_response_at - c.created_at) / 3600) as h) rh`;
}

/**
 * These statements are short, but the planner cannot know how few days have changed, and its
 * estimate can be large enough for PostgreSQL to compile them to machine code first (JIT), which
 * takes seconds. Off for this transaction only.
 */
async function withoutJit(tx: Tx): Promise<void> {
  await tx.execute(sql`select set_config('jit', 'off', true)`);
}

/** What the rollup counts, for concern rows `x`, with overdue judged at `at`. */
function measures(at: Date): SQL {
  const t = sql`${at.toISOString()}::timestamptz`;
  return sql`count(*)::int as concerns,
    (count(*) filter (where x.urgent))::int as urgent,
    (count(*) filter (where x.first_response_at is not null))::int as responded,
    (count(*) filter (where x.first_response_at <= x.acknowledge_due_at))::int as acknowledged_on_time,
    (count(*) filter (where x.closed_at is not null))::int as closed,
    (count(*) filter (where x.closed_at <= x.respond_due_at))::int as closed_on_time,
    (count(*) filter (where x.closed_at is null))::int as open,
    (count(*) filter (where x.closed_at is null and x.urgent))::int as open_urgent,
    (count(*) filter (where x.first_response_at is null and x.acknowledge_due_at < ${t}))::int as acknowledge_overdue,
    (count(*) filter (where x.closed_at is null and x.respond_due_at < ${t}))::int as respond_overdue,
    (count(*) filter (where x.closed_at is null and (x.respond_due_at < ${t}
      or (x.first_response_at is null and x.acknowledge_due_at < ${t}))))::int as open_overdue`;
}

const MEASURE_COLUMNS = [
  'concerns',
  'urgent',
  'responded',
  'acknowledged_on_time',
  'closed',
  'closed_on_time',
  'open',
  'open_urgent',
  'acknowledge_overdue',
  'respond_overdue',
  'open_overdue',
] as const;

/** The same counts added up over rollup rows (or rows shaped like them), aliased `x`. */
const SUMS = sql.raw(MEASURE_COLUMNS.map((m) => `coalesce(sum(x.${m}), 0)::int as ${m}`).join(', '));
const COLUMNS = sql.raw(MEASURE_COLUMNS.join(', '));

const DIMENSIONS = sql`x.topic, x.area_id, x.lead_organisation_id, x.channel, x.source, x.response_hours`;

/** The breakdowns stored for the unfiltered dashboard, and `all`, which any filter reads. */
const GRAIN = sql`case when grouping(x.topic, x.area_id, x.lead_organisation_id, x.channel, x.source, x.response_hours) = 0 then 'all'
  when grouping(x.topic) = 0 then 'topic' when grouping(x.area_id) = 0 then 'area'
  when grouping(x.channel) = 0 then 'channel' when grouping(x.response_hours) = 0 then 'response' else 'lead' end`;
const MARGINALS = sql`(x.topic), (x.area_id), (x.channel, x.source), (x.lead_organisation_id), (x.lead_organisation_id, x.response_hours)`;
const FINE = sql`(x.topic, x.area_id, x.lead_organisation_id, x.channel, x.source, x.response_hours)`;

/** The area, topic (or topic group) and lead organisation filters, on alias `a`. */
function narrow(a: 'c' | 'r', f: Pick<InsightFilters, 'areaId' | 'topic' | 'organisationId'>): SQL[] {
  const col = (name: string) => sql.raw(`${a}.${name}`);
  const parts: SQL[] = [];
  const topics = topicsOf(f.topic);
  if (f.areaId) parts.push(sql`${col('area_id')} = ${f.areaId}`);
  if (topics) parts.push(sql`${col('topic')} in ${topics}`);
  if (f.organisationId) parts.push(sql`${col('lead_organisation_id')} = ${f.organisationId}`);
  return parts;
}

const dayList = (days: readonly string[]) => sql`unnest(${`{${days.join(',')}}`}::date[])`;

/**
 * Each day with the moments it starts and ends (London midnights). Worked out here, not inside the
 * concerns query: under row-level security PostgreSQL only turns comparisons of plain columns (or
 * constants) into index conditions, and the time zone conversion is a function it cannot trust;
 * `offset 0` keeps the planner from folding the conversion back into those conditions.
 */
const dayRanges = (days: SQL) =>
  sql`select x.day, (x.day::timestamp at time zone 'Europe/London') as starts,
    ((x.day + 1)::timestamp at time zone 'Europe/London') as ends from (${days}) x offset 0`;

interface Row {
  part: 'range' | 'open' | 'crossing';
  grain: string | null;
  period: string | null;
  topic: string | null;
  area_id: string | null;
  channel: string | null;
  source: string | null;
  lead_organisation_id: string | null;
  response_hours: number | null;
  in_range: boolean | null;
  concerns: number;
  urgent: number;
  responded: number;
  acknowledged_on_time: number;
  closed: number;
  closed_on_time: number;
  open: number;
  open_urgent: number;
  acknowledge_overdue: number;
  respond_overdue: number;
  open_overdue: number;
}

export const rollupRepository = {
  /**
   * Every count the dashboard shows, for the filters, as at `now`: by topic and period, area,
   * channel and source, urgent, response by lead organisation (the median from response-time
   * steps), and open and overdue now by lead organisation (whenever raised).
   */
  async dashboard(tx: Tx, partnershipId: string, f: InsightFilters, now: Date): Promise<DashboardCounts> {
    const unit = sql.raw(f.interval === 'week' ? `'week'` : `'month'`);
    const filtered = narrow('c', f).length > 0;
    const at = sql`${now.toISOString()}::timestamptz`;
    const inRange = (day: SQL) => sql`${day} between ${f.from}::date and ${f.to}::date`;
    const notChanged = (day: SQL) => sql`not exists (select 1 from changed ch where ch.day = ${day})`;
    const period = sql`to_char(date_trunc(${unit}, x.day::timestamp), 'YYYY-MM-DD')`;
    const stored = filtered
      ? // Any filter: the `all` rows for it, in the range or holding open concerns.
        sql`select 'all' as grain, r.day, r.topic, r.area_id, r.lead_organisation_id, r.channel, r.source,
            r.response_hours, ${sql.raw(MEASURE_COLUMNS.map((m) => `r.${m}`).join(', '))}
          from insight_daily r
          where r.partnership_id = ${partnershipId} and r.grain = 'all'
            and ${sql.join(narrow('r', f), sql` and `)}
            and (${inRange(sql`r.day`)} or r.open > 0) and ${notChanged(sql`r.day`)}`
      : sql`select r.grain, r.day, r.topic, r.area_id, r.lead_organisation_id, r.channel, r.source,
            r.response_hours, ${sql.raw(MEASURE_COLUMNS.map((m) => `r.${m}`).join(', '))}
          from insight_daily r
          where r.partnership_id = ${partnershipId} and r.grain in ('topic', 'area', 'channel', 'response')
            and ${inRange(sql`r.day`)} and ${notChanged(sql`r.day`)}
          union all
          select r.grain, r.day, r.topic, r.area_id, r.lead_organisation_id, r.channel, r.source,
            r.response_hours, ${sql.raw(MEASURE_COLUMNS.map((m) => `r.${m}`).join(', '))}
          from insight_daily r
          where r.partnership_id = ${partnershipId} and r.grain = 'lead' and ${notChanged(sql`r.day`)}`;
    // Changed days, counted now from the concerns, shaped like the rows read above.
    const live = sql`select ${filtered ? sql`'all'` : GRAIN} as grain, x.day, ${DIMENSIONS}, ${measures(now)}
      from (${concernsOn(partnershipId, sql`changed`, narrow('c', f))}) x
      group by x.day, grouping sets (${filtered ? FINE : MARGINALS})`;
    const rangePart = filtered
      ? // Columns outside a grouping set come out null, so only the topic rows carry a period.
        sql`select 'range' as part, ${GRAIN} as grain, x.period,
            x.topic, x.area_id, x.channel, x.source, x.lead_organisation_id, x.response_hours, null::boolean as in_range, ${SUMS}
          from (select ${period} as period, x.* from counted x where ${inRange(sql`x.day`)}) x
          group by grouping sets ((x.period, x.topic), (x.area_id), (x.channel, x.source), (x.lead_organisation_id),
            (x.lead_organisation_id, x.response_hours))`
      : sql`select 'range' as part, x.grain, case when x.grain = 'topic' then ${period} end as period,
            x.topic, x.area_id, x.channel, x.source, x.lead_organisation_id, x.response_hours, null::boolean as in_range, ${SUMS}
          from counted x where ${inRange(sql`x.day`)}
          group by 2, 3, 4, 5, 6, 7, 8, 9`;
    const openPart = sql`select 'open' as part, null as grain, null as period, null as topic, null::uuid as area_id,
        null as channel, null as source, x.lead_organisation_id, null::int as response_hours, null::boolean as in_range, ${SUMS}
      from counted x where ${filtered ? sql`x.open > 0` : sql`x.grain = 'lead'`}
      group by x.lead_organisation_id`;
    // Concerns on unchanged days whose due time fell between the refresh and now: +1 each if it has
    // passed since, -1 if `now` is before the refresh and it had not yet come.
    const crossed = (due: SQL) =>
      sql`case when ${due} >= s.refreshed_at and ${due} < ${at} then 1 when ${due} >= ${at} and ${due} < s.refreshed_at then -1 else 0 end`;
    const between = (due: SQL) =>
      sql`${due} >= least(s.refreshed_at, ${at}) and ${due} < greatest(s.refreshed_at, ${at})`;
    const crossingPart = sql`select 'crossing' as part, null as grain, null as period, null as topic, null::uuid as area_id,
        null as channel, null as source, c.lead_organisation_id, null::int as response_hours,
        ${inRange(LONDON_DAY(sql`c.created_at`))} as in_range,
        0, 0, 0, 0, 0, 0, 0, 0,
        coalesce(sum(case when c.first_response_at is null then ${crossed(sql`c.acknowledge_due_at`)} else 0 end), 0)::int,
        coalesce(sum(case when c.closed_at is null then ${crossed(sql`c.respond_due_at`)} else 0 end), 0)::int,
        coalesce(sum(case when c.closed_at is null then ${crossed(
          sql`least(c.respond_due_at, case when c.first_response_at is null then c.acknowledge_due_at end)`,
        )} else 0 end), 0)::int
      from insight_rollup_state s
      join concerns c on c.partnership_id = s.partnership_id
        and ((c.closed_at is null and ${between(sql`c.respond_due_at`)})
          or (c.first_response_at is null and ${between(sql`c.acknowledge_due_at`)}))
      where s.partnership_id = ${partnershipId} and ${notChanged(LONDON_DAY(sql`c.created_at`))}
        ${filtered ? sql`and ${sql.join(narrow('c', f), sql` and `)}` : sql``}
      group by c.lead_organisation_id, 10`;
    await withoutJit(tx);
    // The days counted live: every day from live_from on (read first, so the planner sees how few
    // they are; if a refresh moves live_from on meanwhile, more days are counted live, never fewer),
    // and the days marked changed.
    const [bounds] = await rows<{ live_from: string | null; last: string | null }>(
      tx,
      sql`select to_char(coalesce(
            (select s.live_from from insight_rollup_state s where s.partnership_id = ${partnershipId}),
            (select ${LONDON_DAY(sql`min(c.created_at)`)} from concerns c where c.partnership_id = ${partnershipId})),
            'YYYY-MM-DD') as live_from,
          to_char((select ${LONDON_DAY(sql`max(c.created_at)`)} from concerns c where c.partnership_id = ${partnershipId}),
            'YYYY-MM-DD') as last`,
    );
    const recent: string[] = [];
    const today = londonToday(now);
    const last = bounds?.last && bounds.last > today ? bounds.last : today;
    for (let d = bounds?.live_from ?? today; bounds?.live_from && d <= last; d = addDays(d, 1))
      recent.push(d);
    const result = await rows<Row>(
      tx,
      sql`with changed as (${dayRanges(
        sql`select ch.day from insight_changes ch where ch.partnership_id = ${partnershipId}
          ${recent.length > 0 ? sql`union select * from ${dayList(recent)}` : sql``}`,
      )}),
          counted as (${stored} union all ${live})
        ${rangePart}
        union all ${openPart}
        union all ${crossingPart}`,
    );
    return shape(result);
  },

  /**
   * Brings one partnership's rollup up to date as at `now`, a batch at a time: up to `maxDays` of the
   * days marked changed (newest first), up to `maxDays` of the days completed since the last refresh
   * (every day before the day before yesterday), and every rolled-up day holding a concern whose due
   * time has passed since the last refresh. Runs in the caller's tenant transaction; a second refresh
   * of the same partnership waits for the first (the state row is locked). Returns how many days it
   * rolled up and whether there is more to do.
   */
  async refresh(
    tx: Tx,
    partnershipId: string,
    now: Date,
    maxDays: number,
  ): Promise<{ days: number; remaining: boolean }> {
    const at = now.toISOString();
    // Yesterday and today are always counted live, and the day before too: a day of margin for a
    // transaction that spans midnight (the triggers mark only concerns raised before yesterday).
    const target = addDays(londonToday(now), -2);
    await withoutJit(tx);
    await tx.execute(
      sql`insert into insight_rollup_state (partnership_id, refreshed_at, live_from)
          values (${partnershipId}, ${at}::timestamptz, coalesce(
            (select ${LONDON_DAY(sql`min(c.created_at)`)} from concerns c where c.partnership_id = ${partnershipId}),
            ${target}::date))
          on conflict (partnership_id) do nothing`,
    );
    const [state] = await rows<{ refreshed_at: string | Date; live_from: string }>(
      tx,
      sql`select refreshed_at, to_char(live_from, 'YYYY-MM-DD') as live_from from insight_rollup_state
          where partnership_id = ${partnershipId} for update`,
    );
    const since = new Date(state!.refreshed_at).toISOString();
    const from = state!.live_from;
    // Days completed since: rolled up from here on, a batch at a time; the rollup never goes back.
    const completed: string[] = [];
    for (let d = from; d < target && completed.length < maxDays; d = addDays(d, 1)) completed.push(d);
    const next = completed.length > 0 ? addDays(completed[completed.length - 1]!, 1) : from;
    // Marked days already rolled up, newest first.
    const marked = await rows<{ day: string }>(
      tx,
      sql`select to_char(day, 'YYYY-MM-DD') as day from insight_changes
          where partnership_id = ${partnershipId} and day < ${from}::date
          group by day order by day desc limit ${maxDays + 1}`,
    );
    const batch = marked.slice(0, maxDays).map((r) => r.day);
    // The marks of the days rolled up now are deleted first; the days are counted afterwards, so
    // whatever those marks stood for is in the count. A change committed in between leaves its own
    // mark for next time. Marks on days not rolled up yet are not needed: those days are counted
    // live until they are rolled up, from the concerns as they are then.
    const unmarked = [...batch, ...completed];
    await tx.execute(
      sql`delete from insight_changes where partnership_id = ${partnershipId}
          and (day >= ${next}::date ${unmarked.length > 0 ? sql`or day in (select * from ${dayList(unmarked)})` : sql``})`,
    );
    const lo = since < at ? since : at;
    const hi = since < at ? at : since;
    const crossed =
      lo === hi
        ? []
        : await rows<{ day: string }>(
            tx,
            sql`select distinct to_char(${LONDON_DAY(sql`c.created_at`)}, 'YYYY-MM-DD') as day from concerns c
                where c.partnership_id = ${partnershipId} and c.created_at < (${from}::date::timestamp at time zone 'Europe/London')
                  and ((c.closed_at is null and c.respond_due_at >= ${lo}::timestamptz and c.respond_due_at < ${hi}::timestamptz)
                    or (c.first_response_at is null and c.acknowledge_due_at >= ${lo}::timestamptz and c.acknowledge_due_at < ${hi}::timestamptz))`,
          );
    const days = [...new Set([...batch, ...completed, ...crossed.map((r) => r.day)])];
    if (days.length > 0) {
      await tx.execute(
        sql`delete from insight_daily where partnership_id = ${partnershipId} and day in (select * from ${dayList(days)})`,
      );
      await tx.execute(
        sql`insert into insight_daily (partnership_id, day, grain, topic, area_id, lead_organisation_id, channel, source,
              response_hours, ${COLUMNS})
            select ${partnershipId}, x.day, ${GRAIN}, ${DIMENSIONS}, ${measures(now)}
            from (${concernsOn(partnershipId, sql`(${dayRanges(sql`select day from ${dayList(days)} as day`)})`, [])}) x
            group by x.day, grouping sets (${MARGINALS}, ${FINE})`,
      );
    }
    await tx.execute(
      sql`update insight_rollup_state set refreshed_at = ${at}::timestamptz, live_from = ${next}::date
          where partnership_id = ${partnershipId}`,
    );
    return { days: days.length, remaining: marked.length > maxDays || next < target };
  },
};

/** The statement's rows as the dashboard's counts, open rows and response rows. */
function shape(result: Row[]): DashboardCounts {
  const n = (v: number | string | null | undefined) => Number(v ?? 0);
  const counts: CountRow[] = [];
  const leads = new Map<
    string,
    Omit<ResponseRow, 'medianHours' | 'organisationId'> & { steps: { from: number; n: number }[] }
  >();
  const lead = (id: string) => {
    let l = leads.get(id);
    if (!l) {
      l = { responded: 0, ackDue: 0, ackWithin: 0, respondDue: 0, respondWithin: 0, steps: [] };
      leads.set(id, l);
    }
    return l;
  };
  const open = new Map<string | null, OpenRow>();
  const openOf = (id: string | null) => {
    let o = open.get(id);
    if (!o) {
      o = { organisationId: id, open: 0, overdue: 0, urgent: 0 };
      open.set(id, o);
    }
    return o;
  };
  for (const r of result) {
    if (r.part === 'open') {
      const o = openOf(r.lead_organisation_id);
      o.open += n(r.open);
      o.overdue += n(r.open_overdue);
      o.urgent += n(r.open_urgent);
      continue;
    }
    if (r.part === 'crossing') {
      if (n(r.open_overdue) !== 0) openOf(r.lead_organisation_id).overdue += n(r.open_overdue);
      if (r.in_range && r.lead_organisation_id) {
        const l = lead(r.lead_organisation_id);
        l.ackDue += n(r.acknowledge_overdue);
        l.respondDue += n(r.respond_overdue);
      }
      continue;
    }
    switch (r.grain) {
      case 'topic':
        counts.push(count('time', r, { period: r.period, topic: r.topic }));
        counts.push(count('urgent', r, { urgent: true }, n(r.urgent)));
        break;
      case 'area':
        counts.push(count('area', r, { areaId: r.area_id }));
        break;
      case 'channel':
        counts.push(count('channel', r, { channel: r.channel, source: r.source }));
        break;
      case 'lead':
        if (r.lead_organisation_id) {
          const l = lead(r.lead_organisation_id);
          l.responded += n(r.responded);
          l.ackDue += n(r.responded) + n(r.acknowledge_overdue);
          l.ackWithin += n(r.acknowledged_on_time);
          l.respondDue += n(r.closed) + n(r.respond_overdue);
          l.respondWithin += n(r.closed_on_time);
        }
        break;
      case 'response':
        if (r.lead_organisation_id && r.response_hours !== null)
          lead(r.lead_organisation_id).steps.push({ from: n(r.response_hours), n: n(r.concerns) });
        break;
    }
  }
  return {
    counts: counts.filter((c) => c.n !== 0),
    open: [...open.values()],
    responses: [...leads.entries()].map(([organisationId, l]) => ({
      organisationId,
      responded: l.responded,
      medianHours: medianFromSteps(l.steps),
      ackDue: l.ackDue,
      ackWithin: l.ackWithin,
      respondDue: l.respondDue,
      respondWithin: l.respondWithin,
    })),
  };
}

function count(
  dimension: CountRow['dimension'],
  r: Row,
  set: Partial<CountRow>,
  value: number = Number(r.concerns),
): CountRow {
  return {
    dimension,
    period: null,
    topic: null,
    areaId: null,
    kind: null,
    channel: null,
    source: null,
    urgent: null,
    ...set,
    n: value,
  };
}
