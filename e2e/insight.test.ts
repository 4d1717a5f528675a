import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { DEMO_SLUG } from '../src/platform/seed/demo.js';
import { axeViolations, launchBrowser, startHeard, type RunningHeard, unusedCode } from './support.js';

/**
 * An analyst answers the partnership's three questions from Heard alone, on the demo data: which
 * areas raised the most hate-related concerns last quarter; whether the police and the council met
 * their response targets; whether disabled residents are being reached compared with the
 * population. Every figure read off the page is checked against the database, and axe checks every
 * page: the dashboard, equality monitoring, an export's warning, the population figures and the
 * public open data.
 */
let heard: RunningHeard;
let browser: Browser;
let page: Page;
let partnershipId: string;
const violations: string[] = [];

async function check(where: string, options: { expectErrors?: boolean } = {}) {
  await page.waitForLoadState('load');
  if (options.expectErrors) expect(await page.title(), where).toMatch(/^Error:/);
  else expect(await page.title(), where).not.toMatch(/^Error:/);
  violations.push(...(await axeViolations(page)));
}

/** A date of the range as the filter's day, month and year boxes hold it, as yyyy-mm-dd. */
async function rangeDate(field: 'from' | 'to'): Promise<string> {
  const box = (part: string) => page.locator(`#filter-${field}-${part}`).inputValue();
  const [day, month, year] = await Promise.all([box('day'), box('month'), box('year')]);
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

async function query<T>(text: ReturnType<typeof sql>): Promise<T[]> {
  return heard.db.system(async (tx) => ((await tx.execute(text)) as unknown as { rows: T[] }).rows);
}

/** A figure's table on the page: the header row, then each row as text. */
async function table(id: string): Promise<string[][]> {
  return page
    .locator(`#table-${id} tr`)
    .evaluateAll((rows) =>
      rows.map((r) =>
        Array.from(r.querySelectorAll('th, td')).map((c) =>
          (c.textContent ?? '').replace(/\s+/g, ' ').trim(),
        ),
      ),
    );
}

async function signIn(email: string) {
  await page.goto(`${heard.baseUrl}/staff/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(heard.config.demoPassword);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Code').fill(await unusedCode(heard, email));
  await page.getByRole('button', { name: 'Sign in' }).click();
}

beforeAll(async () => {
  heard = await startHeard();
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  const [p] = await query<{ id: string }>(sql`select id from partnerships where slug = ${DEMO_SLUG}`);
  partnershipId = p!.id;
  // Seeding the demo takes a while on a busy machine.
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await heard?.close();
});

describe('an analyst answers the partnership’s questions from Heard alone', () => {
  it('signs in and lands on the dashboard', async () => {
    await signIn('analyst@demo.heard.test');
    await page.waitForURL(/\/staff\/insight/);
    await check('dashboard');
    expect(await page.getByRole('heading', { level: 1, name: 'Partnership dashboard' }).count()).toBe(1);
    // Charts are images with a name, each beside its table.
    expect(await page.locator('svg[role="img"]').count()).toBeGreaterThan(3);
  });

  it('sees forums, engagement and the programme beside the concerns, but not the tension picture', async () => {
    for (const name of [
      'Forum meetings, attendance and issues raised',
      'Engagement by ward',
      'Engagement by type',
      'Referrals made at engagements',
      'Programme actions by status and RAG rating',
      'Programme milestones due in the range',
    ])
      expect(await page.getByRole('heading', { level: 2, name }).count(), name).toBe(1);
    expect(await page.getByRole('heading', { name: 'Community tension by ward' }).count()).toBe(0);
    // The busiest wards for engagement, read off the page, are the busiest in fact.
    const from = await rangeDate('from');
    const to = await rangeDate('to');
    const truth = await query<{ area: string; n: number }>(sql`
      select a.name as area, count(*)::int as n from engagements e join areas a on a.id = e.area_id
      where e.partnership_id = ${partnershipId}
        and e.occurred_at >= (${from}::date::timestamp at time zone 'Europe/London')
        and e.occurred_at < ((${to}::date + 1)::timestamp at time zone 'Europe/London')
      group by 1`);
    const rows = (await table('engagement-byArea')).slice(1, -1);
    const shown = rows.filter((r) => /^\d+$/.test(r[1]!));
    expect(shown.length).toBeGreaterThan(0);
    for (const [label, cell] of rows) {
      const n = truth.find((x) => x.area === label)?.n ?? 0;
      if (cell === '<5') expect(n, label).toBeLessThan(5);
      else if (cell !== 'withheld') expect(Number(cell), label).toBe(n);
    }
    // Forum attendance is there too, and every count in the panels is 0 or 5 and over.
    const forums = await table('forums-activity');
    expect(forums.at(-1)![0]).toBe('Total');
    expect(Number(forums.at(-1)![4])).toBeGreaterThan(20);
    for (const id of ['forums-activity', 'engagement-byType', 'programme-actions', 'programme-milestones'])
      for (const cell of (await table(id)).slice(1).flatMap((r) => r.slice(1)))
        if (/^\d+$/.test(cell)) expect(Number(cell) === 0 || Number(cell) >= 5, `${id} ${cell}`).toBe(true);
  });

  it('finds which areas raised the most hate-related concerns last quarter', async () => {
    await page.getByRole('link', { name: 'the last full quarter' }).click();
    // Every hate topic together: hate and harassment, and hate or disinformation being spread.
    await page.locator('#filter-topic').selectOption({ label: 'Any hate-related topic' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await check('dashboard, hate last quarter');
    expect(await page.locator('#filter-summary').textContent()).toContain('about any hate-related topic');
    const from = await rangeDate('from');
    const to = await rangeDate('to');
    const truth = await query<{ area: string | null; n: number }>(sql`
      select a.group_name as area, count(*)::int as n from concerns c left join areas a on a.id = c.area_id
      where c.partnership_id = ${partnershipId} and c.topic in ('hate_harassment', 'hate_disinformation')
        and c.created_at >= (${from}::date::timestamp at time zone 'Europe/London')
        and c.created_at < ((${to}::date + 1)::timestamp at time zone 'Europe/London')
      group by 1`);
    const rows = (await table('byDistrict')).slice(1, -1);
    expect(rows.length).toBeGreaterThan(0);
    for (const [label, cell] of rows) {
      const n = truth.find((t) => (t.area ?? 'No area given') === label)?.n ?? 0;
      // Each published figure is the true count, or hides a count it is allowed to hide.
      if (cell === '<5') expect(n, label).toBeLessThan(5);
      else if (cell === 'withheld') expect(n, label).toBeGreaterThanOrEqual(0);
      else expect(Number(cell), label).toBe(n);
    }
    // The busiest area by the figures shown is the busiest in fact.
    const shown = rows.filter((r) => /^\d+$/.test(r[1]!)).sort((x, y) => Number(y[1]) - Number(x[1]));
    const busiest = [...truth].sort((x, y) => y.n - x.n)[0]!;
    if (shown.length > 0) expect(shown[0]![0]).toBe(busiest.area ?? 'No area given');
  });

  it('is told which box to fix when a date of the range is not a date', async () => {
    const from = page.getByRole('group', { name: 'From' });
    await from.getByLabel('Day').fill('1');
    await from.getByLabel('Month').fill('');
    await from.getByLabel('Year').fill('2026');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await check('dashboard, a date without its month', { expectErrors: true });
    await page.getByRole('link', { name: 'Date from must include a month' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter-from-month');
    await page.keyboard.type('July');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await check('dashboard, from 1 July 2026');
    expect(await page.locator('#filter-summary').textContent()).toContain('from 1 July 2026');
    expect(await rangeDate('from')).toBe('2026-07-01');
  });

  it('sees whether the police and the council met their response targets', async () => {
    await page.locator('#filter-topic').selectOption({ label: 'Any' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('link', { name: 'the last 12 months' }).click();
    await check('dashboard, last 12 months');
    const from = await rangeDate('from');
    const to = await rangeDate('to');
    const rows = await table('responseTimes');
    for (const name of ['Northamptonshire Police', 'West Northamptonshire Council']) {
      const row = rows.find((r) => r[0] === name)!;
      expect(row, name).toBeDefined();
      const [truth] = await query<{ due: number; within: number }>(sql`
        select (count(*) filter (where c.first_response_at is not null or c.acknowledge_due_at < now()))::int as due,
          (count(*) filter (where c.first_response_at <= c.acknowledge_due_at))::int as within
        from concerns c join organisations o on o.id = c.lead_organisation_id
        where c.partnership_id = ${partnershipId} and o.name = ${name}
          and c.created_at >= (${from}::date::timestamp at time zone 'Europe/London')
          and c.created_at < ((${to}::date + 1)::timestamp at time zone 'Europe/London')`);
      // "First response within target" is a percentage the analyst can read, and it is right.
      expect(row[3], name).toMatch(/^\d+\.\d%$/);
      expect(Number(row[3]!.replace('%', ''))).toBeCloseTo((100 * truth!.within) / truth!.due, 1);
    }
  });

  it('sees whether disabled residents are being reached compared with the population', async () => {
    await page.getByRole('link', { name: 'Equality monitoring' }).first().click();
    await check('equality monitoring');
    const rows = await table('equality-disability');
    const yes = rows.find((r) => r[0] === 'Yes')!;
    // Concerns, share of those who said, share of the population (Census-shaped demo figures), reach.
    expect(yes[3]).toBe('16.6%');
    expect(yes[4]).toMatch(/^\d+\.\d\d$/);
    const reach = Number(yes[4]);
    const share = Number(yes[2]!.replace('%', ''));
    expect(reach).toBeCloseTo(share / 16.6, 1);
    const [audited] = await query<{ n: number }>(
      sql`select count(*)::int as n from audit_log where partnership_id = ${partnershipId} and action = 'insight.equality.viewed'`,
    );
    expect(audited!.n).toBeGreaterThan(0);
  });

  it('is warned about personal data before downloading a table', async () => {
    await page
      .getByRole('link', { name: /Download this table/ })
      .first()
      .click();
    await check('export warning');
    expect(await page.getByText('Your download is recorded in the audit log.').count()).toBe(1);
  });
});

describe('admins and the public', () => {
  it('an admin sees the tension picture on the dashboard, and the view is audited', async () => {
    page = await (await browser.newContext()).newPage();
    const audited = async () =>
      (
        await query<{ n: number }>(
          sql`select count(*)::int as n from audit_log where partnership_id = ${partnershipId} and action = 'tension.picture.viewed'`,
        )
      )[0]!.n;
    const before = await audited();
    await signIn('admin@demo.heard.test');
    await page.goto(`${heard.baseUrl}/staff/insight`);
    await check('dashboard with the tension picture');
    expect(await page.getByRole('heading', { level: 2, name: 'Community tension by ward' }).count()).toBe(1);
    const castle = (await table('tension-picture')).find((r) => r[0] === 'Castle')!;
    // The demo's story: Castle rose to medium this week.
    expect(castle.slice(-2)).toEqual(['Medium', 'Rising']);
    expect(await page.getByRole('img', { name: /Community tension by ward/ }).count()).toBe(1);
    expect(await audited()).toBe(before + 1);
  });

  it('an admin sees the population figures page', async () => {
    await page.goto(`${heard.baseUrl}/staff/insight/population`);
    await check('population figures');
    expect(await page.locator('#pop-disability-yes').inputValue()).toBe('70700');
    await page.locator('#pop-disability-yes').fill('a lot');
    await page.getByRole('button', { name: 'Save Disability figures' }).click();
    await page.waitForLoadState('load');
    expect(await page.title()).toMatch(/^Error:/);
    violations.push(...(await axeViolations(page)));
  });

  it('a resident reads the open data page and finds the licence', async () => {
    page = await (await browser.newContext()).newPage();
    await page.goto(`${heard.baseUrl}/open-data`);
    await check('open data');
    expect(await page.getByRole('link', { name: 'Read the Open Government Licence v3.0' }).count()).toBe(1);
    const csv = await page.request.get(`${heard.baseUrl}/open-data/concerns.csv`);
    const counts = (await csv.text())
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',').at(-1)!);
    expect(counts.length).toBeGreaterThan(0);
    for (const c of counts) if (/^\d+$/.test(c)) expect(Number(c) === 0 || Number(c) >= 5).toBe(true);
  });

  it('has no accessibility violations on any page visited', () => {
    expect(violations).toEqual([]);
  });
});
