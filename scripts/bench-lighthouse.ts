/**
 * Part (d) of npm run bench: Lighthouse (accessibility, performance, best practices) on the pages a
 * resident meets first, the start page and the first question of sharing a concern, in English and
 * in each language of BENCH_LIGHTHOUSE_LANGS the app offers. Targets: accessibility 100, performance
 * at least 95. A benchmark, not a test: a missed target is printed as MISSED and the exit code stays 0.
 *
 * The baseline, measured in the same run by the same browser: a minimal GOV.UK start page (GOV.UK
 * Frontend's page template with service navigation, a heading, two paragraphs and a start button,
 * with the same stylesheet and script) served by the same app, so a ratio shows what Heard adds to
 * what the design system itself costs.
 *
 * Debian's Chromium, headless, launched by chrome-launcher (Lighthouse's own launcher) with no
 * background networking: nothing here reaches the internet, and every page is on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { launch, type LaunchedChrome } from 'chrome-launcher';
import lighthouse, { type Result } from 'lighthouse';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/platform/db/index.js';
import { createI18n } from '../src/platform/i18n/index.js';
import { paths } from '../src/platform/paths.js';
import { createViewEnvironment } from '../src/platform/views/index.js';
import { seedDemo } from '../src/platform/seed/demo.js';
import { buildServices } from '../src/services.js';

export interface LighthouseKit {
  out(line?: string): void;
  fmt(n: number, digits?: number): string;
  count(n: number): string;
  freshPgliteDir(): Promise<string>;
}

const RUNS = Math.max(1, Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3) || 3);
const LANGUAGES = (process.env.BENCH_LIGHTHOUSE_LANGS ?? 'fa-AF')
  .split(',')
  .map((l) => l.trim())
  .filter(Boolean);
const TARGET_ACCESSIBILITY = 100;
const TARGET_PERFORMANCE = 95;
const BASELINE_PATH = '/bench/govuk-baseline';
/** A folder to keep each median run's full Lighthouse report (JSON) in, to see why a score is what it is. */
const REPORTS = process.env.BENCH_LIGHTHOUSE_REPORTS;

/**
 * A minimal GOV.UK start page: GOV.UK Frontend's own page template (header, service navigation with
 * four links as Heard's public pages have, footer) around the start page pattern, with the same
 * stylesheet and script as Heard's pages.
 */
const BASELINE_PAGE = `{% extends "govuk/template.njk" %}
{% from "govuk/components/button/macro.njk" import govukButton %}
{% set htmlClasses = "govuk-template--rebranded" %}
{% block pageTitle %}Report a problem – Example service{% endblock %}
{% block head %}<link rel="stylesheet" href="${paths.assets.govukCss('ltr')}">{% endblock %}
{% block govukServiceNavigation %}
  {{ govukServiceNavigation({ serviceName: "Example service", serviceUrl: "/", navigation: [
    { href: "/", text: "Report a problem" }, { href: "/", text: "Check progress" },
    { href: "/", text: "What we did" }, { href: "/", text: "Meetings" }
  ] }) }}
{% endblock %}
{% block content %}
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  <h1 class="govuk-heading-xl">Report a problem</h1>
  <p class="govuk-body">Use this service to tell us about a problem in your area.</p>
  <p class="govuk-body">It takes around 5 minutes.</p>
  {{ govukButton({ text: "Start now", href: "/", isStartButton: true }) }}
</div></div>
{% endblock %}
{% block bodyEnd %}<script type="module" src="/static/init.js" nonce="{{ cspNonce }}"></script>{% endblock %}
`;

interface Measured {
  label: string;
  url: string;
  accessibility: number;
  performance: number;
  bestPractices: number;
  lcp: number;
  tbt: number;
  cls: number;
  bytes: number;
  /** Accessibility audits that failed, so a missed 100 says why. */
  failedAccessibility: string[];
  settings: Result['configSettings'];
  version: string;
  report: string;
}

const score = (lhr: Result, category: string) => Math.round((lhr.categories[category]?.score ?? 0) * 100);
const numeric = (lhr: Result, audit: string) => lhr.audits[audit]?.numericValue ?? NaN;

async function audit(chrome: LaunchedChrome, label: string, url: string): Promise<Measured> {
  const runs: Measured[] = [];
  for (let i = 0; i < RUNS; i++) {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['accessibility', 'performance', 'best-practices'],
      // A screenshot of the whole page is slow to take and nothing here looks at it.
      disableFullPageScreenshot: true,
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
    runs.push({
      label,
      url,
      accessibility: score(lhr, 'accessibility'),
      performance: score(lhr, 'performance'),
      bestPractices: score(lhr, 'best-practices'),
      lcp: numeric(lhr, 'largest-contentful-paint'),
      tbt: numeric(lhr, 'total-blocking-time'),
      cls: numeric(lhr, 'cumulative-layout-shift'),
      bytes: numeric(lhr, 'total-byte-weight'),
      failedAccessibility: (lhr.categories.accessibility?.auditRefs ?? [])
        .filter((ref) => ref.weight > 0 && lhr.audits[ref.id]?.score === 0)
        .map((ref) => ref.id),
      settings: lhr.configSettings,
      version: lhr.lighthouseVersion,
      report: typeof result.report === 'string' ? result.report : '',
    });
  }
  // The median run by performance score, as Lighthouse's own documentation advises for variable runs.
  runs.sort((a, b) => a.performance - b.performance || a.lcp - b.lcp);
  const median = runs[Math.floor(runs.length / 2)]!;
  if (REPORTS) {
    await mkdir(REPORTS, { recursive: true });
    await writeFile(path.join(REPORTS, `${label.replace(/[^A-Za-z0-9-]+/g, '_')}.json`), median.report);
  }
  return median;
}

export async function lighthouseBench(kit: LighthouseKit): Promise<void> {
  const { out, fmt, count } = kit;
  out('(d) Lighthouse: the start page and the first share question, cold cache');
  out();
  const config = loadConfig({
    // PGlite is development-only; the pages and assets are the same in production, save cache lifetimes.
    NODE_ENV: 'development',
    DATA_DIR: await kit.freshPgliteDir(),
    PUBLIC_URL: 'http://127.0.0.1',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'warn',
    DEMO_SEED: 'false',
  });
  const db = await createDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  let app: FastifyInstance | undefined;
  let chrome: LaunchedChrome | undefined;
  try {
    await db.migrate();
    const services = buildServices(db, config);
    await seedDemo(db, services, config);
    const i18n = createI18n();
    app = await buildApp({ config, db, services, i18n });
    const views = createViewEnvironment();
    app.get(BASELINE_PATH, (request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(views.renderString(BASELINE_PAGE, { cspNonce: request.cspNonce, assetPath: '/assets' })),
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

    // The first question is wherever /share sends a resident who has not started.
    const share = await fetch(`${base}${paths.share.start()}`, { redirect: 'manual' });
    const firstQuestion = new URL(share.headers.get('location') ?? paths.share.kind(), base).pathname;

    const offered = new Set(i18n.languages.map((l) => l.code));
    const pages: { label: string; path: string }[] = [
      { label: 'start', path: paths.home() },
      { label: `share (${firstQuestion})`, path: firstQuestion },
    ];
    for (const lang of LANGUAGES) {
      if (!offered.has(lang)) {
        out(
          `Note: the app does not offer ${lang} (it offers ${[...offered].join(', ')}); its pages are left out.`,
        );
        continue;
      }
      pages.push({ label: `start, ${lang}`, path: `${paths.home()}?lang=${encodeURIComponent(lang)}` });
      pages.push({ label: `share, ${lang}`, path: `${firstQuestion}?lang=${encodeURIComponent(lang)}` });
    }

    chrome = await launch({
      chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      chromeFlags: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-default-apps',
        '--disable-domain-reliability',
      ],
      logLevel: 'silent',
    });

    const baseline = await audit(chrome, 'baseline: minimal GOV.UK page', `${base}${BASELINE_PATH}`);
    const measured: Measured[] = [];
    for (const page of pages) measured.push(await audit(chrome, page.label, `${base}${page.path}`));

    const s = baseline.settings;
    out(
      `Lighthouse ${baseline.version}, ` +
        `form factor ${s.formFactor}, ${s.throttlingMethod} throttling ` +
        `(${s.throttling.rttMs} ms RTT, ${fmt((s.throttling.throughputKbps ?? 0) / 1024, 1)} Mbit/s, ` +
        `CPU ×${s.throttling.cpuSlowdownMultiplier}), median of ${RUNS} run${RUNS === 1 ? '' : 's'} per page`,
    );
    out();
    const header = [
      'page',
      'a11y',
      'perf',
      'b.p.',
      'LCP ms',
      'TBT ms',
      'CLS',
      'bytes',
      'a11y 100',
      'perf ≥ 95',
    ];
    if (REPORTS) out(`Full reports of the median runs (JSON): ${REPORTS}`);
    const rows = [baseline, ...measured].map((m) => [
      m.label,
      String(m.accessibility),
      String(m.performance),
      String(m.bestPractices),
      count(Math.round(m.lcp)),
      count(Math.round(m.tbt)),
      fmt(m.cls, 3),
      count(Math.round(m.bytes)),
      m === baseline ? '' : m.accessibility >= TARGET_ACCESSIBILITY ? 'met' : 'MISSED',
      m === baseline ? '' : m.performance >= TARGET_PERFORMANCE ? 'met' : 'MISSED',
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    out(line(header));
    for (const row of rows) out(line(row));
    out();
    out('Against the baseline (same run, same browser, same server):');
    for (const m of measured) {
      out(
        `  ${m.label.padEnd(widths[0]!)}  performance ${fmt(m.performance / baseline.performance, 2)}×, ` +
          `LCP ${fmt(m.lcp / baseline.lcp, 2)}×, bytes ${fmt(m.bytes / baseline.bytes, 2)}×`,
      );
    }
    const missed = measured.filter(
      (m) => m.accessibility < TARGET_ACCESSIBILITY || m.performance < TARGET_PERFORMANCE,
    );
    out();
    if (missed.length === 0) out('Targets (accessibility 100, performance ≥ 95): met on every page.');
    if (baseline.failedAccessibility.length)
      out(`(The baseline fails accessibility audits too: ${baseline.failedAccessibility.join(', ')}.)`);
    for (const m of missed) {
      out(
        `MISSED on ${m.label}: accessibility ${m.accessibility}, performance ${m.performance}` +
          (m.failedAccessibility.length
            ? ` (accessibility audits failed: ${m.failedAccessibility.join(', ')})`
            : ''),
      );
    }
    out();
  } finally {
    chrome?.kill();
    await app?.close();
    await db.close();
  }
}
