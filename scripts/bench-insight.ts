/**
 * Part (c) of npm run bench: the partnership dashboard's default view (the last 13 weeks, weekly,
 * no other filter) for an analyst, at 1M concerns on PostgreSQL, against the naive way of computing
 * the same figures in the same run. See scripts/README.md.
 *
 * The naive way: one plain GROUP BY per breakdown (topic by week, area, channel and source, urgent,
 * open by organisation, response times), each reading the concerns table itself. Heard's way: one
 * pass with GROUPING SETS, read from the covering index insight_concerns_dashboard alone (an
 * index-only scan), plus the open-by-organisation and response queries on the same index.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Actor } from '../src/platform/auth/actor.js';
import { createDatabase, type Database } from '../src/platform/db/index.js';
import { createPartnership } from '../src/platform/seed/partnership.js';
import { WARDS } from '../src/platform/seed/wards.js';
import { buildServices } from '../src/services.js';
import { loadConfig } from '../src/config.js';
import { resolveFilters } from '../src/capabilities/insight/insight.schema.js';
import { insightRepository, type InsightFilters } from '../src/capabilities/insight/insight.repository.js';

export interface BenchKit {
  out(line?: string): void;
  fmt(n: number, digits?: number): string;
  count(n: number): string;
  freshPostgres(): Promise<string>;
  bulkLoad(
    db: Database,
    partnershipId: string,
    organisationIds: string[],
    areaIds: string[],
    from: number,
    to: number,
  ): Promise<void>;
  settle(db: Database, url: string | undefined): Promise<void>;
  percentile(sorted: number[], p: number): number;
}

const TARGET_MS = 200;
const RUNS = 100;
const BUDGET_MS = 15_000;

/** The same figures as the dashboard, the straightforward way: a GROUP BY per breakdown. */
async function naive(db: Database, partnershipId: string, f: InsightFilters, now: Date) {
  const range = sql`c.partnership_id = ${partnershipId}
    and c.created_at >= (${f.from}::date::timestamp at time zone 'Europe/London')
    and c.created_at < ((${f.to}::date + 1)::timestamp at time zone 'Europe/London')`;
  const at = sql`${now.toISOString()}::timestamptz`;
  return db.tenant(partnershipId, async (tx) => {
    await tx.execute(
      sql`select topic, date_trunc('week', created_at at time zone 'Europe/London') as p, count(*) from concerns c where ${range} group by 1, 2`,
    );
    await tx.execute(sql`select area_id, count(*) from concerns c where ${range} group by 1`);
    await tx.execute(sql`select channel, source, count(*) from concerns c where ${range} group by 1, 2`);
    await tx.execute(sql`select urgent, count(*) from concerns c where ${range} group by 1`);
    await tx.execute(
      sql`select lead_organisation_id, count(*), count(*) filter (where respond_due_at < ${at}) from concerns c where c.partnership_id = ${partnershipId} and closed_at is null group by 1`,
    );
    await tx.execute(sql`select lead_organisation_id, percentile_cont(0.5) within group (order by extract(epoch from first_response_at - created_at)),
        count(*) filter (where first_response_at <= acknowledge_due_at), count(*) filter (where closed_at <= respond_due_at)
      from concerns c where ${range} and lead_organisation_id is not null group by 1`);
  });
}

export async function dashboardBench(kit: BenchKit, size: number): Promise<void> {
  const { out, fmt, count } = kit;
  const url = await kit.freshPostgres();
  const db = await createDatabase({ url, poolSize: 10 });
  try {
    await db.migrate();
    const services = buildServices(
      db,
      loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn', DEMO_SEED: 'false' }),
    );
    const created = await createPartnership(db, {
      slug: 'bench-insight',
      name: 'Bench partnership',
      shortName: 'Bench',
      organisations: [
        { key: 'police', name: 'Police', kind: 'police' },
        { key: 'council', name: 'Council', kind: 'council' },
        { key: 'fire', name: 'Fire', kind: 'fire' },
        { key: 'nhs', name: 'NHS', kind: 'nhs' },
        { key: 'voluntary', name: 'Voluntary', kind: 'voluntary' },
      ],
      areas: WARDS,
      staff: [{ email: 'analyst@bench.test', name: 'Analyst', organisation: 'council', roles: ['analyst'] }],
      passwordHash: 'not-a-password-hash',
      totpSecret: 'JBSWY3DPEHPK3PXP',
    });
    const analyst: Actor = {
      partnershipId: created.id,
      staffId: created.staff['analyst@bench.test']!,
      organisationId: created.organisations.council!,
      roles: ['analyst'],
      label: 'analyst@bench.test',
      correlationId: 'bench',
    };
    const started = performance.now();
    for (let from = 1; from <= size; from += 250_000) {
      await kit.bulkLoad(
        db,
        created.id,
        Object.values(created.organisations),
        Object.values(created.areas),
        from,
        Math.min(size, from + 249_999),
      );
    }
    await kit.settle(db, url);
    out(
      `Partnership dashboard on PostgreSQL at ${count(size)} concerns (loaded in ${fmt((performance.now() - started) / 1000)} s)`,
    );

    const now = new Date();
    const filters = resolveFilters({} as never, now);
    const time = async (name: string, fn: () => Promise<unknown>, minimum: number) => {
      for (let i = 0; i < 5; i++) await fn();
      const times: number[] = [];
      const began = performance.now();
      for (let i = 0; i < RUNS && (i < minimum || performance.now() - began < BUDGET_MS); i++) {
        const t0 = performance.now();
        await fn();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const p50 = kit.percentile(times, 0.5);
      const p95 = kit.percentile(times, 0.95);
      out(
        `  ${name.padEnd(52)} p50 ${fmt(p50).padStart(7)} ms   p95 ${fmt(p95).padStart(7)} ms   (${times.length} calls)`,
      );
      return { p50, p95 };
    };
    const heard = await time(
      `dashboard, ${filters.from} to ${filters.to}, weekly`,
      async () => {
        const r = await services.insight.dashboard(analyst, filters, now);
        if (!r.ok) throw new Error('the analyst was refused the dashboard');
      },
      30,
    );
    out(`    target p95 < ${TARGET_MS} ms: ${heard.p95 < TARGET_MS ? 'target met' : 'target MISSED'}`);
    // The same queries alone (no figure building or suppression), for a like-for-like ratio.
    const queries = await time(
      "the dashboard's queries alone",
      () =>
        db.tenant(created.id, async (tx) => {
          await insightRepository.counts(tx, created.id, filters);
          await insightRepository.openByOrganisation(tx, created.id, filters, now);
          await insightRepository.responses(tx, created.id, filters, now);
        }),
      30,
    );
    // The naive way, without the covering index (dropped on this throwaway database).
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('drop index insight_concerns_dashboard');
    } finally {
      await client.end();
    }
    await kit.settle(db, url);
    const plain = await time(
      'naive: a GROUP BY per breakdown on the table',
      () => naive(db, created.id, filters, now),
      10,
    );
    out(
      `  naive / dashboard's queries: ${fmt(plain.p50 / queries.p50, 2)}× at p50, ${fmt(plain.p95 / queries.p95, 2)}× at p95 (higher: Heard's queries are faster)`,
    );
    out(
      `  naive / whole dashboard call: ${fmt(plain.p50 / heard.p50, 2)}× at p50, ${fmt(plain.p95 / heard.p95, 2)}× at p95`,
    );
    out();
  } finally {
    await db.close();
  }
}
