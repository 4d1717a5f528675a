/**
 * npm run bench: how fast Heard accepts concerns and serves the triage queue, as ratios and
 * percentiles against baselines measured in the same run on the same machine. Nothing here is a
 * test and nothing asserts a time; it prints figures for people to read.
 *
 *   (a) intake: the real app (buildApp, real config, fresh database) listening on a local port; a
 *       load generator in a worker thread drives the resident's journey over HTTP, then submits the
 *       drafts through POST /share/check; a bare Fastify route doing one INSERT of the same row is the
 *       baseline, driven the same way (same count, same concurrency).
 *   (b) triage queue: services.concerns.queue for a triage officer at 100k and 1M concerns, with p50
 *       and p95 over repeated calls.
 *   (c) partnership dashboard: services.insight.dashboard's default view at 1M concerns on PostgreSQL,
 *       against the naive queries for the same figures (scripts/bench-insight.ts).
 *   (d) Lighthouse on the start page and the first share question, against a minimal GOV.UK page
 *       served by the same app (scripts/bench-lighthouse.ts).
 *
 * Environment: BENCH_SCALE (default 1; 0.1 runs a tenth of everything), BENCH_DATABASE_URL or
 * DATABASE_URL (a PostgreSQL server where a throwaway database may be created; default
 * postgres://postgres@127.0.0.1:5432/test), BENCH_PGLITE_1M=1 (also run the 1M queue on PGlite),
 * BENCH_EXPLAIN=1 (print the PostgreSQL plans in full, for every query), BENCH_ONLY=intake|queue|dashboard|lighthouse,
 * BENCH_TRY_INDEXES=1 (measure the PostgreSQL queue again with the indexes scripts/README.md suggests),
 * BENCH_CPU_PROFILE=<folder> (a CPU profile of the server during the timed submissions).
 * See scripts/README.md.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { createDatabase, type Database } from '../src/platform/db/index.js';
import type { Actor } from '../src/platform/auth/actor.js';
import { createPartnership } from '../src/platform/seed/partnership.js';
import { seedDemo } from '../src/platform/seed/demo.js';
import { WARDS } from '../src/platform/seed/wards.js';
import { buildServices } from '../src/services.js';
import { concerns } from '../src/capabilities/concerns/concerns.table.js';
import { generateReference } from '../src/capabilities/concerns/reference.js';
import { dueDates } from '../src/capabilities/concerns/targets.js';
import type { QueueRequest } from '../src/capabilities/concerns/concerns.service.js';
import { dashboardBench } from './bench-insight.js';
import { lighthouseBench } from './bench-lighthouse.js';

const SCALE = Math.max(Number(process.env.BENCH_SCALE ?? 1) || 1, 0.001);
const PG_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** PostgreSQL's CPU can be read from /proc only when it runs on this machine. */
const PG_IS_LOCAL = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(PG_URL).hostname);
const INTAKE_COUNT = Math.max(50, Math.round(1000 * SCALE));
const INTAKE_WARMUP = Math.max(20, Math.round(100 * SCALE));
const INTAKE_ROUNDS = 5;
const CONCURRENCY = 16;
const QUEUE_SIZES = [100_000, 1_000_000].map((n) => Math.max(1000, Math.round(n * SCALE)));
const QUEUE_RUNS = 200;
/** A slow query stops early (but after at least 30 calls), so one bad plan cannot stretch the bench. */
const QUEUE_BUDGET_MS = 15_000;
const QUEUE_TARGET_MS = 50;

const cleanups: (() => Promise<void>)[] = [];
const out = (line = '') => console.log(line);
const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const count = (n: number) => n.toLocaleString('en-GB');

// ---------------------------------------------------------------------------------------------
// Databases

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** A new, empty database on the server, dropped when the bench ends (also on Ctrl-C). */
async function freshPostgres(): Promise<string> {
  const name = `heard_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const again = new pg.Client({ connectionString: PG_URL });
    await again.connect();
    await again.query(`drop database if exists ${name} with (force)`);
    await again.end();
  });
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function freshPgliteDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'heard-bench-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Load generator: runs in a worker thread, so the client's work does not share the server's event
// loop (as with real residents, whose browsers are elsewhere). Plain JavaScript, evaluated as is.

const LOAD_GENERATOR = String.raw`
const { parentPort } = require('node:worker_threads');
const http = require('node:http');

// node:http with keep-alive: several times faster than fetch, so the client is not the bottleneck.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function request(base, method, path, headers, body) {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path, method, agent,
        headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function ipFor(i) {
  return '10.' + ((i >> 16) & 255) + '.' + ((i >> 8) & 255) + '.' + (i & 255);
}
function cookiesFrom(res, jar) {
  for (const c of res.headers['set-cookie'] || []) {
    const [pair] = c.split(';');
    const at = pair.indexOf('=');
    jar[pair.slice(0, at)] = pair.slice(at + 1);
  }
}
function cookieHeader(jar) {
  return Object.entries(jar).map(([k, v]) => k + '=' + v).join('; ');
}
function form(fields) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  return body.toString();
}
const FORM = 'application/x-www-form-urlencoded';

async function run(n, concurrency, fn) {
  let next = 0, ok = 0, failed = 0, lastError;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      try {
        const problem = await fn(i);
        if (problem) { failed++; lastError = problem; } else ok++;
      } catch (err) { failed++; lastError = String(err); }
    }
  }));
  return { ms: performance.now() - started, ok, failed, lastError };
}

parentPort.on('message', async (job) => {
  const { base, concurrency, ipOffset } = job;
  if (job.type === 'journey') {
    const residents = job.residents;
    const sessions = new Array(residents.length);
    const result = await run(residents.length, concurrency, async (i) => {
      const jar = {};
      const ip = ipFor(ipOffset + i);
      const first = await request(base, 'GET', '/share/kind', { 'x-forwarded-for': ip });
      cookiesFrom(first, jar);
      const token = /name="_csrf" value="([^"]+)"/.exec(first.body);
      if (!token) return 'no CSRF token on /share/kind (' + first.status + ')';
      for (const [step, fields] of residents[i]) {
        const res = await request(base, 'POST', '/share/' + step,
          { 'content-type': FORM, cookie: cookieHeader(jar), 'x-forwarded-for': ip },
          form({ _csrf: token[1], ...fields }));
        cookiesFrom(res, jar);
        if (res.status !== 302) return 'POST /share/' + step + ' answered ' + res.status;
      }
      sessions[i] = { cookie: cookieHeader(jar), csrf: token[1], ip };
    });
    parentPort.postMessage({ ...result, sessions });
  } else if (job.type === 'submit') {
    const sessions = job.sessions;
    const result = await run(sessions.length, concurrency, async (i) => {
      const s = sessions[i];
      const res = await request(base, 'POST', '/share/check',
        { 'content-type': FORM, cookie: s.cookie, 'x-forwarded-for': s.ip }, form({ _csrf: s.csrf }));
      if (res.status !== 302 || res.headers.location !== '/share/confirmation') {
        return 'POST /share/check answered ' + res.status + ' to ' + res.headers.location;
      }
    });
    parentPort.postMessage(result);
  } else if (job.type === 'baseline') {
    const result = await run(job.n, concurrency, async (i) => {
      const res = await request(base, 'POST', job.path,
        { 'content-type': FORM, 'x-forwarded-for': ipFor(ipOffset + i) }, form({ _csrf: 'x'.repeat(43) }));
      if (res.status !== 201) return 'baseline answered ' + res.status;
    });
    parentPort.postMessage(result);
  }
});
`;

interface RunResult {
  ms: number;
  ok: number;
  failed: number;
  lastError?: string;
}
interface Session {
  cookie: string;
  csrf: string;
  ip: string;
}

function startLoadGenerator() {
  const worker = new Worker(LOAD_GENERATOR, { eval: true });
  // One job at a time: the worker answers each with one message.
  let pending: { resolve: (v: unknown) => void; reject: (e: unknown) => void } | undefined;
  worker.on('message', (m: unknown) => pending?.resolve(m));
  worker.on('error', (e) => pending?.reject(e));
  const ask = <T>(job: Record<string, unknown>) =>
    new Promise<T>((resolve, reject) => {
      pending = { resolve: resolve as (v: unknown) => void, reject };
      worker.postMessage(job);
    });
  return { ask, stop: () => worker.terminate() };
}

// ---------------------------------------------------------------------------------------------
// Profiling: BENCH_CPU_PROFILE=<folder> writes a CPU profile of the server's main thread for the
// first round of timed submissions only (open it in Chrome DevTools, Performance > Load profile), so time spent
// setting up, loading or on the resident journey does not hide what the submission costs.

async function startProfile(): Promise<{ stop: (name: string) => Promise<void> }> {
  const folder = process.env.BENCH_CPU_PROFILE;
  if (!folder) return { stop: async () => undefined };
  const { Session } = await import('node:inspector/promises');
  const { mkdir, writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async (name) => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await mkdir(folder, { recursive: true });
      const file = path.join(folder, `${name}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      out(`  (CPU profile of the submissions: ${file})`);
    },
  };
}

/**
 * CPU time used so far (ms) by this process (all its threads: the servers and the load generator)
 * and by every PostgreSQL process on the machine (Linux /proc; undefined elsewhere, or when PostgreSQL
 * runs on another machine). Per request, it shows where a route's cost lies: the intake ratio is a
 * ratio of CPU on a machine whose cores the server, the load generator and PostgreSQL share.
 */
function cpuNow(): { node: number; postgres: number | undefined } {
  const usage = process.cpuUsage();
  let postgres: number | undefined;
  try {
    const ticks = 100; // USER_HZ: /proc reports CPU time in 1/100 s on every Linux build in use
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // the process ended while we looked
      }
      if (!stat.includes('(postgres)')) continue;
      // utime and stime are fields 14 and 15; the name (field 2) may hold spaces, so count from its ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(fields[11]) + Number(fields[12]);
    }
    postgres = (total * 1000) / ticks;
  } catch {
    postgres = undefined;
  }
  return { node: (usage.user + usage.system) / 1000, postgres };
}

// ---------------------------------------------------------------------------------------------
// (a) Intake

const DESCRIPTIONS = [
  'Street lights along the cut-through off Semilong Road have been out for weeks and it is pitch black by five.',
  'Youths on e-scooters ride along the pavement on Abington Street at speed, weaving between people.',
  'Leaflets pushed through doors claim men housed in the hotel have committed crimes locally. None of it is true.',
  'Could there be a youth club near the Lings shops on Friday and Saturday evenings?',
  'The lift at Northampton station has been out of order for a month so I cannot get to the platform.',
];
const TOPICS = ['unsafe_place', 'antisocial_behaviour', 'hate_disinformation', 'idea', 'access_inclusion'];

/** The answers one resident gives, page by page, as the forms post them. */
function residentAnswers(i: number, areaIds: string[]): [string, Record<string, string | string[]>][] {
  const named = i % 3 !== 0;
  return [
    ['kind', { kind: i % 5 === 3 ? 'suggestion' : 'concern' }],
    ['topic', { topic: TOPICS[i % TOPICS.length]! }],
    [
      'details',
      { description: `${DESCRIPTIONS[i % DESCRIPTIONS.length]} (bench ${i})`, whenText: 'Most evenings' },
    ],
    ['where', { areaId: areaIds[i % areaIds.length]!, placeDescription: 'Near the bus station' }],
    ['groups', { affectedGroups: i % 4 === 0 ? ['race', 'religion_belief'] : ['_none'] }],
    ['who', { forGroup: 'no' }],
    [
      'contact',
      named
        ? {
            contactMode: 'named',
            contactName: `Resident ${i}`,
            contactEmail: `resident${i}@example.com`,
            preferredContact: 'email',
          }
        : { contactMode: 'anonymous' },
    ],
    ['consent', { consentToShare: 'yes' }],
    ['equality', i % 2 === 0 ? { ageBand: '25_34', sex: 'female', disability: 'no' } : { skip: 'yes' }],
  ];
}

/** A concern row as the real submission stores it, for the baseline's single INSERT. */
function baselineRow(partnershipId: string, areaId: string, i: number) {
  const createdAt = new Date();
  const due = dueDates(createdAt, false);
  return {
    partnershipId,
    reference: generateReference(),
    kind: 'concern' as const,
    topic: TOPICS[i % TOPICS.length]!,
    description: `${DESCRIPTIONS[i % DESCRIPTIONS.length]} (baseline ${i})`,
    areaId,
    placeDescription: 'Near the bus station',
    whenText: 'Most evenings',
    affectedGroups: i % 4 === 0 ? ['race', 'religion_belief'] : [],
    forGroup: false,
    anonymous: false,
    contactName: `Resident ${i}`,
    contactEmail: `resident${i}@example.com`,
    preferredContact: 'email' as const,
    consentToShare: true,
    channel: 'web',
    language: 'en',
    createdAt,
    updatedAt: createdAt,
    ...due,
  };
}

function intakeConfig(kind: 'postgres' | 'pglite', databaseUrl: string | undefined, dataDir: string): Config {
  return loadConfig({
    // PostgreSQL runs with the production settings a deployment uses; PGlite is development-only.
    NODE_ENV: kind === 'postgres' ? 'production' : 'development',
    DATABASE_URL: databaseUrl ?? '',
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://127.0.0.1',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    // Every simulated resident sends its own X-Forwarded-For, so per-client rate limits apply per resident.
    TRUST_PROXY: 'true',
    // Request logging off in both servers alike: one line per request would be most of the work.
    LOG_LEVEL: 'warn',
    DEMO_SEED: 'false',
  });
}

async function intake(kind: 'postgres' | 'pglite'): Promise<void> {
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite (on disk)';
  const databaseUrl = kind === 'postgres' ? await freshPostgres() : undefined;
  const dataDir = await freshPgliteDir();
  const config = intakeConfig(kind, databaseUrl, dataDir);
  const db = await createDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  await db.migrate();
  const services = buildServices(db, config);
  await seedDemo(db, services, config);
  const partnership = await services.partnerships.forHost('127.0.0.1');
  const areaIds = (await services.share.areas(partnership.id)).map((a) => a.id);

  const app = await buildApp({ config, db, services });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  // The baseline: a bare route, one INSERT of the same row into the same database.
  const bare = Fastify({ logger: { level: config.logLevel } });
  bare.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  let insertOne: (i: number) => Promise<void>;
  let closeBare = async () => undefined as void;
  if (databaseUrl) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: config.databasePoolSize });
    closeBare = () => pool.end();
    insertOne = async (i) => {
      const r = baselineRow(partnership.id, areaIds[i % areaIds.length]!, i);
      await pool.query(
        `insert into concerns (partnership_id, reference, kind, topic, description, area_id, place_description, when_text,
           affected_groups, for_group, anonymous, contact_name, contact_email, preferred_contact, consent_to_share, channel,
           language, created_at, updated_at, acknowledge_due_at, respond_due_at)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)`,
        [
          r.partnershipId,
          r.reference,
          r.kind,
          r.topic,
          r.description,
          r.areaId,
          r.placeDescription,
          r.whenText,
          r.affectedGroups,
          r.forGroup,
          r.anonymous,
          r.contactName,
          r.contactEmail,
          r.preferredContact,
          r.consentToShare,
          r.channel,
          r.language,
          r.createdAt,
          r.updatedAt,
          r.acknowledgeDueAt,
          r.respondDueAt,
        ],
      );
    };
  } else {
    // PGlite is one embedded connection: the same handle, one INSERT per request.
    insertOne = async (i) => {
      await db.system((tx) =>
        tx.insert(concerns).values(baselineRow(partnership.id, areaIds[i % areaIds.length]!, i)),
      );
    };
  }
  let baselineCounter = 0;
  bare.post('/concerns', async (_request, reply) => {
    await insertOne(baselineCounter++);
    return reply.code(201).send({ ok: true });
  });
  // For reference: the same INSERT the way the app must make it, in a tenant transaction (BEGIN, set
  // role and partnership for row-level security, INSERT, COMMIT), so the cost of that pattern shows.
  bare.post('/concerns-tenant', async (_request, reply) => {
    const i = baselineCounter++;
    await db.tenant(partnership.id, (tx) =>
      tx.insert(concerns).values(baselineRow(partnership.id, areaIds[i % areaIds.length]!, i)),
    );
    return reply.code(201).send({ ok: true });
  });
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const bareBase = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

  const load = startLoadGenerator();
  let ipOffset = 1;
  const journeys = async (n: number) => {
    const residents = Array.from({ length: n }, (_, i) => residentAnswers(ipOffset + i, areaIds));
    const r = await load.ask<RunResult & { sessions: Session[] }>({
      type: 'journey',
      base,
      concurrency: CONCURRENCY,
      ipOffset,
      residents,
    });
    ipOffset += n;
    return r;
  };
  const submit = (sessions: Session[]) =>
    load.ask<RunResult>({ type: 'submit', base, concurrency: CONCURRENCY, sessions });
  const baseline = async (n: number, route = '/concerns') => {
    const r = await load.ask<RunResult>({
      type: 'baseline',
      base: bareBase,
      path: route,
      concurrency: CONCURRENCY,
      n,
      ipOffset,
    });
    ipOffset += n;
    return r;
  };
  // The concerns the journeys stored, and in how many transactions (distinct row xmin): the route
  // stores submissions that arrive together in one transaction.
  const stored = async () =>
    db.tenant(partnership.id, async (tx) => {
      const result = (await tx.execute(
        sql`select count(*)::int as n, count(distinct xmin::text)::int as transactions from concerns where channel = 'web' and description like '%(bench %'`,
      )) as unknown as {
        rows: { n: number; transactions: number }[];
      };
      return result.rows[0]!;
    });
  const check = (what: string, r: RunResult) => {
    if (r.failed > 0)
      throw new Error(`${what}: ${r.failed} of ${r.ok + r.failed} failed; last: ${r.lastError}`);
  };

  try {
    // Warm up both servers (JIT, connection pools, caches) before anything is timed.
    const warm = await journeys(INTAKE_WARMUP);
    check('warm-up journeys', warm);
    check('warm-up submit', await submit(warm.sessions));
    check('warm-up baseline', await baseline(INTAKE_WARMUP));
    check('warm-up tenant baseline', await baseline(INTAKE_WARMUP, '/concerns-tenant'));

    const journey = await journeys(INTAKE_COUNT);
    check('journeys', journey);
    const before = await stored();
    // Interleaved in rounds (submissions, baseline, tenant baseline, then again), so that whatever
    // else the machine is doing falls on all three alike rather than on whichever ran at the time.
    const timed = { submit: 0, baseline: 0, tenant: 0 };
    const cpu = { submit: { node: 0, postgres: 0 }, baseline: { node: 0, postgres: 0 } };
    let postgresCpu = kind === 'postgres' && PG_IS_LOCAL;
    const counted = async <R>(what: keyof typeof cpu, run: () => Promise<R>): Promise<R> => {
      const from = cpuNow();
      const result = await run();
      const to = cpuNow();
      cpu[what].node += to.node - from.node;
      if (from.postgres === undefined || to.postgres === undefined) postgresCpu = false;
      else cpu[what].postgres += to.postgres - from.postgres;
      return result;
    };
    for (let round = 0; round < INTAKE_ROUNDS; round++) {
      const from = Math.floor((round * INTAKE_COUNT) / INTAKE_ROUNDS);
      const to = Math.floor(((round + 1) * INTAKE_COUNT) / INTAKE_ROUNDS);
      // The profile (BENCH_CPU_PROFILE) covers the first round's submissions only.
      const profile = round === 0 ? await startProfile() : undefined;
      const submitted = await counted('submit', () => submit(journey.sessions.slice(from, to)));
      await profile?.stop(`intake-${kind}`);
      check('submit', submitted);
      timed.submit += submitted.ms;
      const base1 = await counted('baseline', () => baseline(to - from));
      check('baseline', base1);
      timed.baseline += base1.ms;
      const base2 = await baseline(to - from, '/concerns-tenant');
      check('tenant baseline', base2);
      timed.tenant += base2.ms;
    }
    const after = await stored();
    const accepted = after.n - before.n;
    const transactions = after.transactions - before.transactions;
    if (accepted !== INTAKE_COUNT)
      throw new Error(`submitted ${INTAKE_COUNT} but ${accepted} concerns were stored`);
    const submitted = { ms: timed.submit };
    const base1 = { ms: timed.baseline };
    const base2 = { ms: timed.tenant };

    const journeyRate = (INTAKE_COUNT * 1000) / journey.ms;
    const submitRate = (INTAKE_COUNT * 1000) / submitted.ms;
    const baselineRate = (INTAKE_COUNT * 1000) / base1.ms;
    const tenantRate = (INTAKE_COUNT * 1000) / base2.ms;
    const ratio = submitRate / baselineRate;
    out(
      `Intake on ${label}: ${count(INTAKE_COUNT)} residents, ${CONCURRENCY} concurrent requests, ${INTAKE_ROUNDS} interleaved rounds`,
    );
    out(
      `  resident journey, GET + 9 question POSTs  ${fmt(journeyRate).padStart(9)} journeys/s   (${fmt(journeyRate * 10, 0)} requests/s)`,
    );
    out(
      `  concerns accepted, POST /share/check      ${fmt(submitRate).padStart(9)} concerns/s   (${count(accepted)} stored)`,
    );
    out(
      `    in ${count(transactions)} transactions: ${fmt(accepted / transactions)} concerns per transaction on average`,
    );
    out(`  baseline, bare route with one INSERT      ${fmt(baselineRate).padStart(9)} inserts/s`);
    out(
      `  (reference: one INSERT in a tenant tx      ${fmt(tenantRate).padStart(9)} inserts/s,  accepted / this ${fmt(submitRate / tenantRate, 2)})`,
    );
    out(
      `  ratio accepted / baseline                 ${fmt(ratio, 2).padStart(9)}              (target ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'MISSED'})`,
    );
    const perRequest = (ms: number) => `${fmt(ms / INTAKE_COUNT, 2)} ms`;
    out(
      `  CPU per request, this process (servers + load generator): accepted ${perRequest(cpu.submit.node)}, baseline ${perRequest(cpu.baseline.node)}`,
    );
    if (postgresCpu)
      out(
        `  CPU per request, PostgreSQL processes:                     accepted ${perRequest(cpu.submit.postgres)}, baseline ${perRequest(cpu.baseline.postgres)}`,
      );
    out();
  } finally {
    await load.stop();
    await app.close();
    await bare.close();
    await closeBare();
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// (b) Triage queue

const BULK_TOPICS = [
  ['antisocial_behaviour', 24],
  ['unsafe_place', 16],
  ['idea', 14],
  ['hate_harassment', 12],
  ['access_inclusion', 10],
  ['hate_disinformation', 8],
  ['community_tensions', 8],
  ['something_else', 8],
] as const;

/**
 * Synthetic concerns generated in the database, as the schema owner: 18 months of steady intake,
 * nearly all of it closed, a working backlog of recent open concerns, 1% urgent.
 */
async function bulkLoad(
  db: Database,
  partnershipId: string,
  organisationIds: string[],
  areaIds: string[],
  from: number,
  to: number,
) {
  const topicCase = (() => {
    let acc = 0;
    const total = BULK_TOPICS.reduce((s, [, w]) => s + w, 0);
    const arms = BULK_TOPICS.map(([t, w]) => {
      acc += w / total;
      return `when t < ${acc.toFixed(4)} then '${t}'`;
    });
    return `case ${arms.join(' ')} else 'something_else' end`;
  })();
  const areaArray = `array[${areaIds.map((a) => `'${a}'::uuid`).join(',')}]`;
  const orgArray = `array[${organisationIds.map((o) => `'${o}'::uuid`).join(',')}]`;
  await db.system(async (tx) => {
    await tx.execute(
      sql.raw(`
      insert into concerns (partnership_id, reference, kind, topic, description, area_id, anonymous, channel, urgent,
        status, lead_organisation_id, created_at, updated_at, acknowledge_due_at, respond_due_at, first_response_at, closed_at)
      select '${partnershipId}'::uuid, 'BENCH' || lpad(g::text, 9, '0'),
        case when k < 0.2 then 'suggestion' else 'concern' end,
        ${topicCase},
        'Synthetic concern number ' || g || ' about a problem near the shops, for the benchmark.',
        case when a < 0.85 then (${areaArray})[1 + floor(a / 0.85 * ${areaIds.length})::int] end,
        k < 0.3, (array['web','web','web','email','phone','walk_in'])[1 + floor(c * 6)::int], u < 0.01,
        status,
        case when status <> 'new' then (${orgArray})[1 + floor(o * ${organisationIds.length})::int] end,
        created_at, coalesce(closed_at, created_at),
        case when u < 0.01 then created_at + interval '12 hours' else created_at + interval '3 days' end,
        case when u < 0.01 then created_at + interval '12 hours' else created_at + interval '14 days' end,
        case when status = 'new' or (status = 'triaged' and o < 0.5) then null
             else least(created_at + interval '1 day', coalesce(closed_at, now())) end,
        closed_at
      from (
        select g, k, t, a, c, u, o, created_at, status,
          case when status in ('resolved', 'referred', 'no_further_action', 'duplicate')
               then least(created_at + (1 + s * 20) * interval '1 day', now()) end as closed_at
        from (
          select g, k, t, a, c, u, o, s, created_at,
            case
              when age < 2 then case when s < 0.7 then 'new' else 'triaged' end
              when age < 30 then case when s < 0.05 then 'new' when s < 0.15 then 'triaged' when s < 0.3 then 'assigned'
                when s < 0.5 then 'in_progress' when s < 0.85 then 'resolved' when s < 0.92 then 'referred'
                when s < 0.96 then 'no_further_action' else 'duplicate' end
              else case when s < 0.002 then 'new' when s < 0.005 then 'triaged' when s < 0.01 then 'assigned'
                when s < 0.02 then 'in_progress' when s < 0.85 then 'resolved' when s < 0.92 then 'referred'
                when s < 0.96 then 'no_further_action' else 'duplicate' end
            end as status
          from (
            select g, random() as k, random() as t, random() as a, random() as c, random() as u, random() as o,
              random() as s, age, now() - age * interval '1 day' as created_at
            from (select g, random() * 548 as age from generate_series(${from}, ${to}) g) ages
          ) r
        ) shaped
      ) bulk
    `),
    );
    // Sharing follows triage: the lead organisation has each concern that has one.
    await tx.execute(
      sql.raw(`
      insert into concern_shares (partnership_id, concern_id, organisation_id, role, created_at)
      select partnership_id, id, lead_organisation_id, 'lead', created_at from concerns
      where lead_organisation_id is not null and reference between 'BENCH${String(from).padStart(9, '0')}' and 'BENCH${String(to).padStart(9, '0')}'
    `),
    );
  });
}

/** Indexes that would serve the queue's filtered, urgency-ordered pages (see scripts/README.md). */
const SUGGESTED_INDEXES = [
  `create index concerns_status_urgency on concerns (partnership_id, status, urgent desc, created_at, id)`,
  `create index concerns_open_urgency on concerns (partnership_id, urgent desc, created_at, id) where closed_at is null`,
  `create index concerns_open_topic on concerns (partnership_id, topic, urgent desc, created_at, id)
     include (respond_due_at, acknowledge_due_at, first_response_at) where closed_at is null`,
];

/**
 * After a bulk load: statistics for the planner and, on PostgreSQL, a VACUUM so the visibility map is
 * set, as autovacuum would have done long ago on a table built up over 18 months (and so it does not
 * start in the middle of the measurements). VACUUM cannot run in a transaction, so PGlite, reached
 * only through transactions here, gets ANALYZE alone.
 */
async function settle(db: Database, url: string | undefined) {
  if (!url) {
    await db.system((tx) => tx.execute(sql`analyze`));
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('vacuum (analyze) concerns, concern_shares, areas, organisations');
  } finally {
    await client.end();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** Records the SQL node-postgres sends, so EXPLAIN ANALYZE can run exactly the queue's query. */
function captureQueries() {
  const seen: { text: string; values: unknown[] }[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === 'string') seen.push({ text: first, values: Array.isArray(second) ? second : [] });
    else if (first && typeof first === 'object' && 'text' in first) {
      // Drizzle passes { text } with the parameters as the second argument.
      const q = first as { text: string; values?: unknown[] };
      seen.push({ text: q.text, values: q.values ?? (Array.isArray(second) ? second : []) });
    }
    return original.apply(this, args);
  };
  return {
    seen,
    stop() {
      proto.query = original;
    },
  };
}

async function explain(
  url: string,
  partnershipId: string,
  q: { text: string; values: unknown[] },
): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(
      `select set_config('role', 'heard_app', true), set_config('heard.partnership_id', $1, true)`,
      [partnershipId],
    );
    const result = await client.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, buffers) ${q.text}`,
      q.values,
    );
    await client.query('rollback');
    return result.rows.map((r) => r['QUERY PLAN']);
  } finally {
    await client.end();
  }
}

async function queue(kind: 'postgres' | 'pglite', sizes: number[]): Promise<void> {
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite (in memory)';
  const url = kind === 'postgres' ? await freshPostgres() : undefined;
  const db = await createDatabase({ url, poolSize: 10 });
  try {
    await db.migrate();
    const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn', DEMO_SEED: 'false' });
    const services = buildServices(db, config);
    const created = await createPartnership(db, {
      slug: 'bench',
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
      staff: [
        { email: 'triage@bench.test', name: 'Triage', organisation: 'council', roles: ['triage_officer'] },
        {
          email: 'police@bench.test',
          name: 'Police officer',
          organisation: 'police',
          roles: ['agency_officer'],
        },
      ],
      // Nobody signs in here: the queue is called as a service.
      passwordHash: 'not-a-password-hash',
      totpSecret: 'JBSWY3DPEHPK3PXP',
    });
    const actor = (email: string, roles: string[], organisation: string): Actor => ({
      partnershipId: created.id,
      staffId: created.staff[email]!,
      organisationId: created.organisations[organisation]!,
      roles,
      label: email,
      correlationId: 'bench',
    });
    const triage = actor('triage@bench.test', ['triage_officer'], 'council');
    const police = actor('police@bench.test', ['agency_officer'], 'police');
    const cases: { name: string; who: Actor; request: QueueRequest; target: boolean }[] = [
      {
        name: 'triage: status new, urgent first',
        who: triage,
        request: { filters: { status: 'new' }, sort: 'urgency' },
        target: true,
      },
      {
        name: 'triage: hate_harassment, overdue, urgent first',
        who: triage,
        request: { filters: { topic: 'hate_harassment', overdue: true }, sort: 'urgency' },
        target: true,
      },
      {
        name: 'police officer: open, shared with police',
        who: police,
        request: { filters: { status: 'open' }, sort: 'urgency' },
        target: false,
      },
    ];

    // The target (p95 < 50 ms) is judged on PostgreSQL at the largest size only.
    const measure = async (judged: boolean) => {
      for (const c of cases) {
        for (let i = 0; i < 10; i++) await services.concerns.queue(c.who, c.request);
        const times: number[] = [];
        let shown = 0;
        let total = 0;
        const began = performance.now();
        for (let i = 0; i < QUEUE_RUNS && (i < 30 || performance.now() - began < QUEUE_BUDGET_MS); i++) {
          const t0 = performance.now();
          const page = await services.concerns.queue(c.who, c.request);
          times.push(performance.now() - t0);
          shown = page.items.length;
          total = page.count;
        }
        times.sort((a, b) => a - b);
        const p50 = percentile(times, 0.5);
        const p95 = percentile(times, 0.95);
        const verdict =
          judged && c.target ? (p95 < QUEUE_TARGET_MS ? '  target met' : '  target MISSED') : '';
        const calls = times.length < QUEUE_RUNS ? `, ${times.length} calls` : '';
        out(
          `  ${c.name.padEnd(48)} p50 ${fmt(p50).padStart(7)} ms   p95 ${fmt(p95).padStart(7)} ms   (${shown} shown of ${total >= 10_000 ? '10,000+' : count(total)}${calls})${verdict}`,
        );
        const full = process.env.BENCH_EXPLAIN === '1';
        if (url && (full || (judged && c.target && p95 >= QUEUE_TARGET_MS))) {
          const capture = captureQueries();
          try {
            await services.concerns.queue(c.who, c.request);
          } finally {
            capture.stop();
          }
          for (const q of capture.seen.filter(
            (s) => /from "concerns"/.test(s.text) && !/^insert/i.test(s.text),
          )) {
            out(`    EXPLAIN ANALYZE ${q.text.slice(0, 60).replace(/\s+/g, ' ')}…`);
            for (const line of await explain(url, created.id, q)) {
              // Without BENCH_EXPLAIN, just the plan's shape: nodes, conditions and timings.
              if (full || /->|Limit|Cond|Filter:|Rows Removed|Heap Blocks|Execution Time/.test(line))
                out(`      ${line}`);
            }
          }
        }
      }
    };

    let loaded = 0;
    for (const size of sizes) {
      const started = performance.now();
      const chunk = 250_000;
      for (let from = loaded + 1; from <= size; from += chunk) {
        await bulkLoad(
          db,
          created.id,
          Object.values(created.organisations),
          Object.values(created.areas),
          from,
          Math.min(size, from + chunk - 1),
        );
      }
      await settle(db, url);
      loaded = size;
      const loadSeconds = (performance.now() - started) / 1000;
      out(
        `Triage queue on ${label} at ${count(size)} concerns (loaded in ${fmt(loadSeconds)} s; up to ${QUEUE_RUNS} calls each)`,
      );
      await measure(kind === 'postgres' && size === sizes[sizes.length - 1]);
      out();
    }

    if (url && process.env.BENCH_TRY_INDEXES === '1') {
      // An experiment, not the schema: the indexes scripts/README.md suggests, on this throwaway database.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const statement of SUGGESTED_INDEXES) await client.query(statement);
      } finally {
        await client.end();
      }
      await settle(db, url);
      out(`Triage queue on ${label} at ${count(loaded)} concerns WITH the suggested indexes (experiment)`);
      await measure(true);
      out();
    }
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
}

process.once('SIGINT', () => {
  void cleanup().finally(() => process.exit(130));
});

async function main() {
  const started = performance.now();
  out(`Heard bench: Node ${process.version}, ${os.cpus().length} CPUs, BENCH_SCALE=${SCALE}`);
  out();
  const withPostgres = await postgresReachable();
  if (!withPostgres) out(`PostgreSQL at ${PG_URL} is not reachable: PostgreSQL runs are left out.\n`);
  const only = process.env.BENCH_ONLY;
  const parts = ['intake', 'queue', 'dashboard', 'lighthouse'];
  if (only !== undefined && !parts.includes(only))
    out(`BENCH_ONLY=${only} is none of ${parts.join(', ')}: nothing to run.\n`);
  const runs = (part: string) => only === undefined || only === part;
  try {
    if (runs('intake')) {
      if (withPostgres) await intake('postgres');
      await intake('pglite');
    }
    if (runs('queue')) {
      if (withPostgres) await queue('postgres', QUEUE_SIZES);
      await queue('pglite', process.env.BENCH_PGLITE_1M === '1' ? QUEUE_SIZES : QUEUE_SIZES.slice(0, 1));
      if (process.env.BENCH_PGLITE_1M !== '1')
        out('(PGlite at 1M concerns is left out by default; BENCH_PGLITE_1M=1 runs it.)\n');
    }
    if (runs('dashboard') && withPostgres) {
      const kit = { out, fmt, count, freshPostgres, bulkLoad, settle, percentile };
      await dashboardBench(kit, QUEUE_SIZES[QUEUE_SIZES.length - 1]!);
    }
    if (runs('lighthouse')) await lighthouseBench({ out, fmt, count, freshPgliteDir });
  } finally {
    await cleanup();
  }
  const memory = process.memoryUsage();
  out(
    `Memory: RSS ${fmt(memory.rss / 1048576, 0)} MiB at the end (peak ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MiB), heap used ${fmt(memory.heapUsed / 1048576, 0)} MiB`,
  );
  out(`Total time ${fmt((performance.now() - started) / 1000, 0)} s`);
}

await main();
