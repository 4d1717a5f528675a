import fc from 'fast-check';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { createTestPartnership } from '../../../test/helpers/fixtures.js';
import { testConfig } from '../../config.js';
import { publicActor, type Actor } from '../../platform/auth/actor.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { buildServices, type Services } from '../../services.js';
import { BASE_CONCERN } from '../concerns/concerns.test-helpers.js';
import { TOPICS, type Topic } from '../concerns/vocabulary.js';
import { dashboardFigures } from './dashboard.js';
import { periods, type Figure } from './figures.js';
import type { CountRow, InsightFilters, ResponseRow } from './insight.repository.js';
import { withinMedianBound } from './insight.test-helpers.js';
import { rollupRepository, type DashboardCounts } from './rollup.repository.js';
import { TOPIC_GROUP_KEYS, topicsOf } from './topic-groups.js';

/**
 * The dashboard read from the daily rollup must equal the plain queries over the concerns, for any
 * filters and any moment, however the concerns have changed since the last refresh: new ones,
 * status changes, a new lead, a new topic, merges, redactions, and due times passing. Each check
 * compares both on random filters (fast-check), on PGlite and on PostgreSQL.
 */
type Partnership = Awaited<ReturnType<typeof createTestPartnership>>;

let db: Database;
let services: Services;
let a: Partnership;
let b: Partnership;
let triage: Actor;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.now();

async function rows<T>(tx: Tx, query: SQL): Promise<T[]> {
  return ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
}

/** A repeatable pseudo-random sequence, so the data set is the same on every run. */
function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

// -------------------------------------------------------------------------------------------------
// The reference: the figures' counts the plain way, one GROUP BY per breakdown over the concerns.

/** The plain counts, and each organisation's two middle response times (hours) for the median's bound. */
type Plain = DashboardCounts & { middles: Map<string, [number, number]> };

async function naive(p: Partnership, f: InsightFilters, now: Date): Promise<Plain> {
  const topics = topicsOf(f.topic);
  const filters: SQL[] = [];
  if (f.areaId) filters.push(sql`area_id = ${f.areaId}`);
  if (topics) filters.push(sql`topic in ${topics}`);
  if (f.organisationId) filters.push(sql`lead_organisation_id = ${f.organisationId}`);
  const narrow = filters.length > 0 ? sql` and ${sql.join(filters, sql` and `)}` : sql``;
  const range = sql`created_at >= (${f.from}::date::timestamp at time zone 'Europe/London')
    and created_at < ((${f.to}::date + 1)::timestamp at time zone 'Europe/London')${narrow}`;
  const at = sql`${now.toISOString()}::timestamptz`;
  const unit = sql.raw(`'${f.interval}'`);
  return db.tenant(p.id, async (tx) => {
    const counts: CountRow[] = [];
    const row = (dimension: CountRow['dimension'], r: Partial<CountRow> & { n: number }): CountRow => ({
      dimension,
      period: null,
      topic: null,
      areaId: null,
      kind: null,
      channel: null,
      source: null,
      urgent: null,
      ...r,
      n: Number(r.n),
    });
    for (const r of await rows<{ period: string; topic: string; n: number }>(
      tx,
      sql`select to_char(date_trunc(${unit}, created_at at time zone 'Europe/London'), 'YYYY-MM-DD') as period, topic,
            count(*)::int as n from concerns where ${range} group by 1, 2`,
    ))
      counts.push(row('time', r));
    for (const r of await rows<{ area_id: string | null; n: number }>(
      tx,
      sql`select area_id, count(*)::int as n from concerns where ${range} group by 1`,
    ))
      counts.push(row('area', { areaId: r.area_id, n: r.n }));
    for (const r of await rows<{ channel: string; source: string | null; n: number }>(
      tx,
      sql`select channel, source, count(*)::int as n from concerns where ${range} group by 1, 2`,
    ))
      counts.push(row('channel', r));
    for (const r of await rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from concerns where ${range} and urgent`,
    ))
      counts.push(row('urgent', { urgent: true, n: r.n }));
    const open = await rows<{
      organisation_id: string | null;
      open: number;
      overdue: number;
      urgent: number;
    }>(
      tx,
      sql`select lead_organisation_id as organisation_id, count(*)::int as open,
            (count(*) filter (where respond_due_at < ${at} or (first_response_at is null and acknowledge_due_at < ${at})))::int as overdue,
            (count(*) filter (where urgent))::int as urgent
          from concerns where closed_at is null${narrow} group by 1`,
    );
    const responses = await rows<{
      organisation_id: string;
      responded: number;
      median_hours: number | string | null;
      low_hours: number | string | null;
      high_hours: number | string | null;
      ack_due: number;
      ack_within: number;
      respond_due: number;
      respond_within: number;
    }>(
      tx,
      sql`select lead_organisation_id as organisation_id,
            (count(*) filter (where first_response_at is not null))::int as responded,
            percentile_cont(0.5) within group (order by extract(epoch from (first_response_at - created_at)) / 3600)
              filter (where first_response_at is not null) as median_hours,
            -- The two middle responses: percentile_disc takes the lower middle one ascending, and the
            -- upper middle one descending (the same one when the count is odd).
            percentile_disc(0.5) within group (order by extract(epoch from (first_response_at - created_at)) / 3600)
              filter (where first_response_at is not null) as low_hours,
            percentile_disc(0.5) within group (order by extract(epoch from (first_response_at - created_at)) / 3600 desc)
              filter (where first_response_at is not null) as high_hours,
            (count(*) filter (where first_response_at is not null or acknowledge_due_at < ${at}))::int as ack_due,
            (count(*) filter (where first_response_at <= acknowledge_due_at))::int as ack_within,
            (count(*) filter (where closed_at is not null or respond_due_at < ${at}))::int as respond_due,
            (count(*) filter (where closed_at <= respond_due_at))::int as respond_within
          from concerns where ${range} and lead_organisation_id is not null group by 1`,
    );
    return {
      counts: counts.filter((c) => c.n !== 0),
      open: open.map((o) => ({
        organisationId: o.organisation_id,
        open: Number(o.open),
        overdue: Number(o.overdue),
        urgent: Number(o.urgent),
      })),
      responses: responses.map((r): ResponseRow => ({
        organisationId: r.organisation_id,
        responded: Number(r.responded),
        medianHours: r.median_hours === null ? null : Number(r.median_hours),
        ackDue: Number(r.ack_due),
        ackWithin: Number(r.ack_within),
        respondDue: Number(r.respond_due),
        respondWithin: Number(r.respond_within),
      })),
      middles: new Map(
        responses
          .filter((r) => r.low_hours !== null && r.high_hours !== null)
          .map((r) => [r.organisation_id, [Number(r.low_hours), Number(r.high_hours)]]),
      ),
    };
  });
}

// -------------------------------------------------------------------------------------------------
// Comparing

/** Counts keyed so the two can be compared whatever order and splitting the rows came in. */
function summed(c: DashboardCounts) {
  const counts = new Map<string, number>();
  for (const r of c.counts) {
    const key = `${r.dimension}|${r.period}|${r.topic}|${r.areaId}|${r.channel}|${r.source}|${r.urgent}`;
    counts.set(key, (counts.get(key) ?? 0) + r.n);
  }
  for (const [k, v] of counts) if (v === 0) counts.delete(k);
  const open = Object.fromEntries(
    c.open
      .filter((o) => o.open !== 0 || o.overdue !== 0 || o.urgent !== 0)
      .map((o) => [o.organisationId ?? 'none', { open: o.open, overdue: o.overdue, urgent: o.urgent }]),
  );
  const responses = Object.fromEntries(
    c.responses
      .filter((r) => r.responded + r.ackDue + r.ackWithin + r.respondDue + r.respondWithin > 0)
      .map((r) => [
        r.organisationId,
        {
          responded: r.responded,
          ackDue: r.ackDue,
          ackWithin: r.ackWithin,
          respondDue: r.respondDue,
          respondWithin: r.respondWithin,
        },
      ]),
  );
  return { counts: Object.fromEntries([...counts].sort()), open, responses };
}

/** The median read from response-time steps is within the bound the steps allow (rollup.ts). */
function closeMedian(rolled: number | null, exact: number | null, middle?: [number, number]): boolean {
  if (rolled === null || exact === null || !middle) return rolled === null && exact === null;
  return withinMedianBound(rolled, exact, middle[0], middle[1]);
}

/** The figures as published, except medians (checked with closeMedian on the counts). */
function publishedWithoutMedians(figures: Figure[]) {
  return figures.map((f) => ({
    ...f,
    rows: f.rows.map((r) => ({
      ...r,
      cells: r.cells.map((cell, i) => (f.columns[i]?.unit === 'days' ? 'median' : cell)),
    })),
  }));
}

async function lookup(p: Partnership, f: InsightFilters) {
  const choices = await services.insight.choices({ ...triage, partnershipId: p.id });
  return {
    periods: periods(f.from, f.to, f.interval),
    areas: choices.areas,
    organisations: choices.organisations,
  };
}

async function expectSame(p: Partnership, f: InsightFilters, now: Date) {
  const rolled = await db.tenant(p.id, (tx) => rollupRepository.dashboard(tx, p.id, f, now));
  const plain = await naive(p, f, now);
  const context = JSON.stringify({ f, now });
  expect(summed(rolled), context).toEqual(summed(plain));
  for (const r of plain.responses) {
    const mine = rolled.responses.find((x) => x.organisationId === r.organisationId);
    const middle = plain.middles.get(r.organisationId);
    expect(closeMedian(mine?.medianHours ?? null, r.medianHours, middle), context).toBe(true);
  }
  const l = await lookup(p, f);
  expect(
    publishedWithoutMedians(dashboardFigures(rolled.counts, rolled.open, rolled.responses, l)),
    context,
  ).toEqual(publishedWithoutMedians(dashboardFigures(plain.counts, plain.open, plain.responses, l)));
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Random filters over the data's span: any range, either interval, and any mix of filters. */
function filtersArb(p: Partnership) {
  return fc.record({
    from: fc.integer({ min: -230, max: 5 }),
    length: fc.integer({ min: 0, max: 240 }),
    interval: fc.constantFrom<'week' | 'month'>('week', 'month'),
    areaId: fc.option(fc.constantFrom(...Object.values(p.areas)), { nil: undefined }),
    topic: fc.option(fc.constantFrom<string>(...TOPICS, ...TOPIC_GROUP_KEYS), { nil: undefined }),
    organisationId: fc.option(fc.constantFrom(...Object.values(p.organisations)), { nil: undefined }),
  });
}

/** Checks dashboard == plain queries for random filters, at a moment `at` (ms) or near it. */
async function check(p: Partnership, at: number, runs = 25) {
  await fc.assert(
    fc.asyncProperty(filtersArb(p), fc.integer({ min: -6 * 24, max: 6 * 24 }), async (g, shiftHours) => {
      const from = day(START + g.from * DAY);
      const f: InsightFilters = {
        from,
        to: day(START + (g.from + g.length) * DAY),
        interval: g.interval,
        areaId: g.areaId,
        topic: g.topic,
        organisationId: g.organisationId,
      };
      await expectSame(p, f, new Date(at + shiftHours * HOUR));
    }),
    { numRuns: runs },
  );
}

// -------------------------------------------------------------------------------------------------
// The data: concerns over the last 200 days through the real intake, worked through the real
// workflow, with response and closing times spread by hand.

async function fill(p: Partnership, count: number, seed: number) {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const areas = [...Object.values(p.areas), undefined];
  const orgs = Object.values(p.organisations);
  const weighted: Topic[] = [...TOPICS, 'hate_harassment', 'hate_disinformation', 'antisocial_behaviour'];
  const refs: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await services.concerns.create(publicActor(p.id, 'rollup-test'), {
      ...BASE_CONCERN,
      topic: pick(weighted),
      areaId: pick(areas),
      channel: pick(['web', 'web', 'phone', 'email', 'walk_in'] as const),
      ...(random() < 0.2 ? { source: pick(['Library', 'Police station']) } : {}),
      // Mostly recent, as real intake is; some today, so today's changes are counted too.
      createdAt: new Date(START - Math.floor(random() ** 2 * 200 * DAY) - Math.floor(random() * 20) * HOUR),
    });
    refs.push(created.reference);
    const roll = random();
    if (roll < 0.75) await services.concerns.share(triageOf(p), created.reference, pick(orgs), []);
    if (roll < 0.45)
      await services.concerns.transition(triageOf(p), created.reference, {
        to: 'no_further_action',
        reason: 'Nothing more to do',
      });
  }
  // Spread first responses and closures over the days after each concern, and flag some urgent.
  await db.tenant(p.id, (tx) =>
    tx.execute(sql`update concerns set
        first_response_at = created_at + (abs(hashtext(id::text)::bigint) % 400) * interval '1 hour',
        closed_at = case when closed_at is null then null
          else created_at + (400 + abs(hashtext(reference)::bigint) % 900) * interval '1 hour' end,
        urgent = abs(hashtext(reference)::bigint) % 9 = 0
      where first_response_at is not null or abs(hashtext(id::text)::bigint) % 3 = 0`),
  );
  return refs;
}

function triageOf(p: Partnership): Actor {
  return { ...triage, partnershipId: p.id, staffId: p.staff[p.email('triage')]! };
}

let refsA: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  services = buildServices(db, testConfig());
  a = await createTestPartnership(db, 'a');
  b = await createTestPartnership(db, 'b');
  triage = {
    partnershipId: a.id,
    staffId: a.staff[a.email('triage')]!,
    organisationId: a.organisations.council!,
    roles: ['triage_officer'],
    label: 'triage (rollup test)',
    correlationId: 'rollup-test',
  };
  refsA = await fill(a, 90, 7);
  await fill(b, 20, 11);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('the dashboard from the daily rollup', () => {
  it('equals the plain queries before any refresh (every day counted from the concerns)', async () => {
    await check(a, START);
  });

  it('equals them once rolled up, as time passes, and for a moment before the refresh', async () => {
    const refreshed = await services.insight.refreshRollup(a.id, new Date(START));
    expect(refreshed.days).toBeGreaterThan(30);
    const [pending] = await db.tenant(a.id, (tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int as n from insight_changes`),
    );
    expect(Number(pending!.n)).toBe(0);
    await check(a, START);
    // Ten days on, with no refresh: concerns fall overdue that the rollup counted as not yet due.
    await check(a, START + 10 * DAY);
  });

  it('stays exact when concerns change after the refresh: status, lead, topic, merge, redaction', async () => {
    const actor = triageOf(a);
    const police = a.organisations.police!;
    const fire = a.organisations.fire!;
    const [r1, r2, r3, r4, r5, r6, r7] = refsA.slice(-7) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const notes: unknown[] = [];
    notes.push(await services.concerns.share(actor, r1, police, [fire]));
    notes.push(
      await db.tenant(a.id, (tx) => services.concerns.changeTopicIn(tx, actor, r2, 'hate_disinformation')),
    );
    notes.push(
      await services.concerns.transition(actor, r3, { to: 'duplicate', duplicateOf: r4, reason: 'Same' }),
    );
    notes.push(await services.concerns.redact(actor, r5, 'Removed', 'Named a neighbour'));
    notes.push(await services.concerns.addNote(actor, r6, 'We are looking into this', 'public'));
    notes.push(
      await services.concerns.transition(actor, r7, {
        to: 'referred',
        reason: 'Not ours',
        referredTo: 'Council',
      }),
    );
    // Reopen something closed long ago, so an old, rolled-up day changes too.
    const [old] = await db.tenant(a.id, (tx) =>
      rows<{ reference: string }>(
        tx,
        sql`select reference from concerns where status = 'no_further_action' order by created_at limit 1`,
      ),
    );
    notes.push(await services.concerns.transition(actor, old!.reference, { to: 'triaged' }));
    expect(
      notes.every((n) => (n as { ok: boolean }).ok),
      JSON.stringify(notes),
    ).toBe(true);
    const [marked] = await db.tenant(a.id, (tx) =>
      rows<{ n: number }>(tx, sql`select count(distinct day)::int as n from insight_changes`),
    );
    expect(Number(marked!.n)).toBeGreaterThan(0);
    // New concerns, not yet rolled up either.
    await fill(a, 5, 23);
    await check(a, START);
  });

  it('does not mark a day for changes the dashboard does not count (a note, a redaction)', async () => {
    await services.insight.refreshRollup(a.id, new Date(START));
    const actor = triageOf(a);
    const [{ reference: ref }] = (await db.tenant(a.id, (tx) =>
      rows<{ reference: string }>(
        tx,
        sql`select reference from concerns where created_at < now() - interval '10 days' order by created_at desc limit 1`,
      ),
    )) as [{ reference: string }];
    expect((await services.concerns.addNote(actor, ref, 'Called back', 'internal')).ok).toBe(true);
    expect((await services.concerns.redact(actor, ref, 'Removed', 'A name')).ok).toBe(true);
    const [marked] = await db.tenant(a.id, (tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int as n from insight_changes`),
    );
    expect(Number(marked!.n)).toBe(0);
  });

  it('marks nothing for a concern raised now (intake), but marks one recorded as raised last week', async () => {
    await services.insight.refreshRollup(a.id, new Date(START));
    const marks = async () =>
      Number(
        (
          await db.tenant(a.id, (tx) =>
            rows<{ n: number }>(tx, sql`select count(*)::int as n from insight_changes`),
          )
        )[0]!.n,
      );
    await services.concerns.create(publicActor(a.id, 'rollup-test'), { ...BASE_CONCERN, topic: 'idea' });
    expect(await marks()).toBe(0);
    await services.concerns.create(publicActor(a.id, 'rollup-test'), {
      ...BASE_CONCERN,
      topic: 'idea',
      createdAt: new Date(START - 7 * DAY),
    });
    expect(await marks()).toBe(1);
    await check(a, START, 10);
  });

  it('stays exact after a partial refresh, and a refresh later than the moment asked about', async () => {
    await db.tenant(a.id, (tx) =>
      tx.execute(sql`update concerns set urgent = not urgent where abs(hashtext(reference)::bigint) % 4 = 0`),
    );
    const partial = await db.tenant(a.id, (tx) =>
      rollupRepository.refresh(tx, a.id, new Date(START + 2 * DAY), 3),
    );
    expect(partial).toEqual({ days: expect.any(Number), remaining: true });
    await check(a, START + 2 * DAY);
    await services.insight.refreshRollup(a.id, new Date(START + 4 * DAY));
    // Asked about the present after a refresh dated four days on: the not-yet-due are taken back.
    await check(a, START);
  });

  it('never counts another partnership’s concerns', async () => {
    await services.insight.refreshRollup(b.id, new Date(START));
    await check(b, START, 10);
    const all = { from: day(START - 400 * DAY), to: day(START), interval: 'month' as const };
    const fromB = await db.tenant(b.id, (tx) => rollupRepository.dashboard(tx, b.id, all, new Date(START)));
    const total = fromB.counts.filter((c) => c.dimension === 'area').reduce((n, c) => n + c.n, 0);
    expect(total).toBe(20);
  });

  it('counts the hate-related topic group as its topics together', async () => {
    const all = { from: day(START - 400 * DAY), to: day(START), interval: 'month' as const };
    const group = await db.tenant(a.id, (tx) =>
      rollupRepository.dashboard(tx, a.id, { ...all, topic: 'hate_related' }, new Date(START)),
    );
    const one = async (topic: string) =>
      (
        await db.tenant(a.id, (tx) =>
          rollupRepository.dashboard(tx, a.id, { ...all, topic }, new Date(START)),
        )
      ).counts
        .filter((c) => c.dimension === 'area')
        .reduce((n, c) => n + c.n, 0);
    const total = group.counts.filter((c) => c.dimension === 'area').reduce((n, c) => n + c.n, 0);
    expect(total).toBe((await one('hate_harassment')) + (await one('hate_disinformation')));
    expect(total).toBeGreaterThan(0);
    expect(new Set(group.counts.filter((c) => c.dimension === 'time').map((c) => c.topic))).toEqual(
      new Set(['hate_harassment', 'hate_disinformation']),
    );
  });
});
