import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createI18n } from '../src/platform/i18n/index.js';
import { rateText } from '../src/capabilities/resettlement/resettlement.export.js';
import { axeViolations, launchBrowser, startHeard, type RunningHeard, unusedCode } from './support.js';

/**
 * A household's journey, as the demo caseworker works it in Chromium: a Homes for Ukraine household
 * with its host and needs, two members booked onto "The health system in the UK" and marked as
 * attending, a GP registration, and the outcome figures changing to match. axe checks every page.
 */
let heard: RunningHeard;
let browser: Browser;
let page: Page;
const violations: string[] = [];
const t = createI18n().translator('en');
const HEALTH = 'The health system in the UK: GP, NHS 111 and 999';

async function check(where: string, options: { expectErrors?: boolean } = {}) {
  await page.waitForLoadState('load');
  if (options.expectErrors) expect(await page.title(), where).toMatch(/^Error:/);
  else expect(await page.title(), where).not.toMatch(/^Error:/);
  violations.push(...(await axeViolations(page)));
}

/** Types a yyyy-mm-dd day into a GOV.UK date input's three boxes, found by its legend. */
async function fillDate(legend: string, iso: string) {
  const [year, month, day] = iso.split('-');
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(String(Number(day)));
  await group.getByLabel('Month').fill(String(Number(month)));
  await group.getByLabel('Year').fill(year!);
}

/** The Homes for Ukraine column of one outcome row, as the page shows it. */
async function hfuCell(measure: string): Promise<string> {
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: measure, exact: true }) });
  return (await row.getByRole('cell').first().innerText()).trim();
}

/** What the outcome service publishes for Homes for Ukraine's GP registration, computed from the database. */
async function expectedGp(): Promise<string> {
  const [p] = await heard.services.partnerships.all();
  const r = await heard.services.resettlement.outcomes({
    partnershipId: p!.id,
    staffId: null,
    organisationId: null,
    roles: ['resettlement_caseworker'],
    label: 'e2e check',
    correlationId: 'e2e',
  });
  if (!r.ok) throw new Error('outcomes refused');
  return rateText(r.outcomes.rows.homes_for_ukraine.gp, t);
}

beforeAll(async () => {
  heard = await startHeard();
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  // Seeding the demo partnership takes a while on a busy machine.
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await heard?.close();
});

describe('a resettlement household’s journey in a real browser', () => {
  let gpBefore = '';
  let householdUrl = '';

  it('the caseworker signs in and sees their caseload, deadlines and overdue referrals', async () => {
    await page.goto(`${heard.baseUrl}/staff/sign-in`);
    await page.getByLabel('Email address').fill('caseworker@demo.heard.test');
    await page.getByLabel('Password', { exact: true }).fill(heard.config.demoPassword);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Code').fill(await unusedCode(heard, 'caseworker@demo.heard.test'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/staff\//);
    await page.getByRole('link', { name: 'Resettlement', exact: true }).click();
    await check('caseload');
    expect(await page.getByRole('link', { name: 'Melnyk family' }).count()).toBeGreaterThan(0);
    expect(await page.getByText('Move-on deadline').count()).toBeGreaterThan(0);
    expect(await page.getByRole('heading', { name: 'Overdue referrals' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'UK ENIC statement of comparability' }).count()).toBe(1);

    await page.getByRole('link', { name: 'Outcomes by scheme' }).click();
    await check('outcomes before');
    gpBefore = await hfuCell('Registered with a GP');
    expect(gpBefore).toBe(await expectedGp());

    await page.goto(`${heard.baseUrl}/staff/resettlement/households`);
    await check('households');
  });

  it('creates a Homes for Ukraine household with a host, and records its needs', async () => {
    await page.getByRole('link', { name: 'Add a household' }).click();
    await check('new household');
    await page.getByRole('button', { name: 'Add household' }).click();
    await check('new household with errors', { expectErrors: true });
    await page.getByRole('group', { name: 'Scheme' }).getByLabel('Homes for Ukraine').check();
    await page.getByLabel('Household name').fill('Hnatyuk family');
    await fillDate('Arrival date', '2026-10-01');
    await page.getByLabel('Address').fill('9 Billing Road, Northampton NN1 5AN');
    await page
      .getByRole('group', { name: 'Does the household need an interpreter?' })
      .getByLabel('Yes')
      .check();
    await page.getByLabel('Interpreter language').fill('Ukrainian');
    await page
      .getByRole('group', { name: 'Lawful basis for holding this data' })
      .getByLabel('Public task')
      .check();
    await page
      .getByRole('group', { name: /Has the household consented/ })
      .getByLabel('Yes')
      .check();
    await fillDate('Date consent was given', '2026-10-02');
    await page.getByRole('button', { name: 'Add household' }).click();
    await check('household');
    expect(await page.getByText('Household created.').count()).toBe(1);
    householdUrl = page.url().split('?')[0]!;
  });

  it('adds two household members', async () => {
    for (const [name, dob, relationship] of [
      ['Halyna Hnatyuk', '1981-06-14', 'Main applicant'],
      ['Taras Hnatyuk', '2014-09-03', 'Child'],
    ] as const) {
      await page.getByRole('link', { name: 'Add a household member' }).click();
      await check(`add member ${name}`);
      await page.getByLabel('Full name').fill(name);
      await page
        .getByRole('group', { name: 'Relationship to the main applicant' })
        .getByLabel(relationship, { exact: true })
        .check();
      await page.getByLabel('Ukrainian').check();
      if (relationship === 'Child') {
        // A date of birth without its month: the message names the box, and its link goes there.
        const [year, , day] = dob.split('-');
        const born = page.getByRole('group', { name: /Date of birth/ });
        await born.getByLabel('Day').fill(String(Number(day)));
        await born.getByLabel('Year').fill(year!);
        await page.getByRole('button', { name: 'Save member' }).click();
        await check(`add member ${name} without a month`, { expectErrors: true });
        await page.getByRole('link', { name: 'Date of birth must include a month' }).click();
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('dateOfBirth-month');
        await page.keyboard.type('September');
      } else {
        await fillDate('Date of birth', dob);
      }
      await page.getByRole('button', { name: 'Save member' }).click();
      await check('household after member');
    }
  });

  it('records the host', async () => {
    await page.getByRole('link', { name: 'Add the host' }).click();
    await check('host');
    await page.getByLabel('Host’s name').fill('Margaret Pole');
    await page.getByLabel('Email address').fill('margaret.pole@example.org');
    await page
      .getByRole('group', { name: 'Accommodation check' })
      .getByLabel('Booked', { exact: true })
      .check();
    await fillDate('Date of the check (done or booked)', '2026-12-10');
    await page.getByRole('group', { name: 'Hosting arrangement' }).getByLabel('Going well').check();
    await page.getByRole('button', { name: 'Save host details' }).click();
    await check('household after host');
    expect(await page.getByText('Margaret Pole').count()).toBe(1);
  });

  it('records the needs assessment', async () => {
    await page.getByRole('link', { name: 'Update the needs assessment' }).click();
    await check('needs');
    await page.getByLabel('Status (Housing)').selectOption('in_progress');
    await page.getByLabel('Notes (Housing)').fill('Staying with hosts for six months.');
    await page.getByLabel('Status (Health)').selectOption('need_identified');
    await page.getByLabel('GP registration').fill('Not yet registered');
    await page.getByLabel('Status (English)').selectOption('need_identified');
    await page.getByRole('button', { name: 'Save needs assessment' }).click();
    await check('household after needs');
    expect(await page.getByText('Staying with hosts for six months.').count()).toBe(1);
  });

  it('books two members onto "The health system in the UK" and marks their attendance', async () => {
    await page.goto(`${heard.baseUrl}/staff/resettlement/sessions`);
    await check('sessions');
    await page
      .getByRole('table', { name: 'Upcoming sessions' })
      .getByRole('link', { name: HEALTH })
      .first()
      .click();
    await check('session');
    await page.getByLabel(/Halyna Hnatyuk/).check();
    await page.getByLabel(/Taras Hnatyuk/).check();
    await page.getByRole('button', { name: 'Book' }).click();
    await check('session booked');
    expect(await page.getByText('Booking saved.').count()).toBe(1);
    await page
      .getByRole('group', { name: 'Did Halyna Hnatyuk attend?' })
      .getByLabel('Attended', { exact: true })
      .check();
    await page
      .getByRole('group', { name: 'Did Taras Hnatyuk attend?' })
      .getByLabel('Attended', { exact: true })
      .check();
    await page.getByLabel('Feedback from Halyna Hnatyuk').fill('Now knows when to call 111 rather than 999.');
    await page.getByRole('button', { name: 'Save attendance and feedback' }).click();
    await check('attendance saved');
    expect(await page.getByText('Attendance saved.').count()).toBe(1);
  });

  it('records a GP registration, and the outcome figures change to match', async () => {
    await page.goto(householdUrl);
    await check('household again');
    expect(await page.getByText(/Halyna Hnatyuk: .*Attended/).count()).toBe(1);
    await page.getByRole('link', { name: 'Change Halyna Hnatyuk' }).click();
    await check('edit member');
    await page.getByLabel('Registered with a GP').check();
    await page.getByRole('button', { name: 'Save member' }).click();
    await check('household after GP');

    await page.goto(`${heard.baseUrl}/staff/resettlement/outcomes`);
    await check('outcomes after');
    const gpAfter = await hfuCell('Registered with a GP');
    expect(gpAfter).toBe(await expectedGp());
    expect(gpAfter).not.toBe(gpBefore);
  });

  it('opens the subject access export and the close page', async () => {
    await page.goto(householdUrl);
    await page.getByRole('link', { name: 'Open a readable copy' }).click();
    await check('subject access');
    expect(await page.getByText('Margaret Pole').count()).toBeGreaterThan(0);
    expect(await page.getByText('Melnyk').count()).toBe(0);
    await page.goto(householdUrl);
    await page.getByRole('link', { name: 'Close this case' }).click();
    await check('close');
    await page.getByRole('button', { name: 'Close case' }).click();
    await check('close with errors', { expectErrors: true });
    await page.goto(`${heard.baseUrl}/staff/resettlement/sessions/new`);
    await check('new session');
  });

  it('axe found no WCAG 2.2 AA violations on any resettlement page', () => {
    expect(violations).toEqual([]);
  });
});
