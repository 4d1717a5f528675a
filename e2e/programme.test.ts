import ExcelJS from 'exceljs';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { publicActor } from '../src/platform/auth/actor.js';
import { outbox } from '../src/platform/mail/outbox.table.js';
import { partnerships } from '../src/platform/tenancy/tenancy.table.js';
import { DEMO_SLUG } from '../src/platform/seed/demo.js';
import { formatReference } from '../src/capabilities/concerns/reference.js';
import { parseAtom } from '../src/capabilities/programme/programme.test-helpers.js';
import { axeViolations, launchBrowser, startHeard, type RunningHeard, unusedCode } from './support.js';

/**
 * The programme's loop in Chromium, on the demo data: residents raise concerns, the admin adds an
 * action, a triage officer tags themes and links three concerns to it from the concern page, the
 * action's lead publishes an update, the public "You said, we did" page and its Atom feed carry it
 * with small counts shown as "fewer than 5", each resident who chose email is told once (and nobody
 * else), and the meeting pack's XLSX has the page's figures. axe checks every page visited.
 */
let heard: RunningHeard;
let browser: Browser;
let page: Page;
let partnershipId: string;
const violations: string[] = [];
const refs: Record<string, string> = {};
const ACTION = 'Advice surgeries on housing after a Home Office decision';
const THEME = 'Housing after a Home Office decision';
let actionUrl = '';

async function check(where: string, options: { expectErrors?: boolean } = {}) {
  await page.waitForLoadState('load');
  if (options.expectErrors) expect(await page.title(), where).toMatch(/^Error:/);
  else expect(await page.title(), where).not.toMatch(/^Error:/);
  violations.push(...(await axeViolations(page)));
}

async function signIn(email: string) {
  await page.goto(`${heard.baseUrl}/staff/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(heard.config.demoPassword);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Code').fill(await unusedCode(heard, email));
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Staff land on the queue; analysts, who cannot open it, on the insight dashboard.
  await expect.poll(() => page.url()).toMatch(/\/staff\/(concerns|insight)/);
}

async function signOut() {
  await page.getByRole('link', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
}

beforeAll(async () => {
  heard = await startHeard();
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(10_000);
  const [p] = await heard.db.system((tx) =>
    tx.select({ id: partnerships.id }).from(partnerships).where(eq(partnerships.slug, DEMO_SLUG)),
  );
  partnershipId = p!.id;
  // Seeding the demo takes a while on a busy machine.
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await heard?.close();
});

describe('the programme in a real browser', () => {
  it('residents raise concerns (the share flow itself is walked in journey.test.ts)', async () => {
    const people = {
      amira: { contactEmail: 'amira@example.org', preferredContact: 'email' as const },
      bogdan: { contactEmail: 'bogdan@example.org', preferredContact: 'email' as const },
      // Gave an email address but asked to be contacted by phone: no programme email.
      chloe: {
        contactEmail: 'chloe@example.org',
        contactPhone: '07700 900 123',
        preferredContact: 'phone' as const,
      },
      // Chose email but is never linked to the action.
      dev: { contactEmail: 'dev@example.org', preferredContact: 'email' as const },
    };
    for (const [name, contact] of Object.entries(people)) {
      const created = await heard.services.concerns.create(publicActor(partnershipId, 'e2e'), {
        kind: 'concern',
        topic: 'something_else',
        description: `We had 28 days to leave the hotel and nowhere to go (${name}).`,
        affectedGroups: [],
        forGroup: false,
        anonymous: false,
        contactName: name,
        consentToShare: true,
        channel: 'web',
        language: 'en',
        ...contact,
      });
      refs[name] = formatReference(created.reference);
    }
  }, 600_000);

  it('the admin looks at every programme view and adds an action', async () => {
    await signIn('admin@demo.heard.test');
    await page.getByRole('link', { name: 'Programme' }).first().click();
    await check('programme overview');
    expect(await page.getByRole('heading', { name: 'Tackle hate and disinformation' }).count()).toBe(1);
    for (const view of [
      'My actions',
      'Overdue milestones',
      'Actions by organisation',
      'Meeting pack',
      'Priorities and themes',
    ]) {
      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view }).click();
      await check(view);
    }
    await page.getByRole('link', { name: 'Edit Online rumours and disinformation' }).click();
    await check('edit theme');
    await page.getByRole('link', { name: 'Back' }).click();
    await page.goto(`${heard.baseUrl}/staff/programme/actions/new`);
    await check('new action');
    await page.getByRole('button', { name: 'Save action' }).click();
    await check('new action with errors', { expectErrors: true });
    await page.getByLabel('Priority').selectOption({ label: 'Support the integration of new arrivals' });
    await page.getByLabel('Short title').fill(ACTION);
    await page
      .getByLabel('Description')
      .fill('Weekly advice surgeries with housing, benefits and banking advisers in one room.');
    await page
      .getByLabel('Lead organisation', { exact: true })
      .selectOption({ label: 'West Northamptonshire Council' });
    await page.getByLabel('Lead officer (optional)').selectOption({ label: 'Sarah Jennings' });
    await page.getByLabel('Nene Community Voluntary Action (demo)').check();
    const due = page.getByRole('group', { name: 'Due date (optional)' });
    await due.getByLabel('Day').fill('30');
    await due.getByLabel('Month').fill('6');
    await due.getByLabel('Year').fill('2027');
    await page
      .getByRole('group', { name: /public “You said, we did” page/ })
      .getByLabel('Yes')
      .check();
    await page.getByRole('button', { name: 'Save action' }).click();
    await check('action');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(ACTION);
    actionUrl = page.url();
    await signOut();
  }, 600_000);

  it('a triage officer tags themes and links three concerns to the action from the concern page', async () => {
    await signIn('triage@demo.heard.test');
    for (const name of ['amira', 'bogdan', 'chloe']) {
      await page.goto(`${heard.baseUrl}/staff/concerns/${refs[name]}`);
      await check(`concern ${name}`);
      await page.getByLabel(THEME).check();
      await page.getByRole('button', { name: 'Save themes' }).click();
      await check(`concern ${name} tagged`);
      await expect.poll(() => page.locator('#programme-themes').textContent()).toContain(THEME);
      await page
        .getByLabel('Link to an action')
        .selectOption({ label: `Support the integration of new arrivals: ${ACTION}` });
      await page.getByRole('button', { name: 'Link to action' }).click();
      await check(`concern ${name} linked`);
      expect(await page.locator('#programme-actions').textContent()).toContain(ACTION);
    }
    await page.goto(actionUrl);
    await check('action with links');
    expect(await page.locator('#shaped-total').textContent()).toContain('3 concerns and ideas are linked');
    expect(await page.locator('#by-theme').textContent()).toContain(THEME);
    await signOut();
  }, 600_000);

  it("the action's lead publishes an update", async () => {
    await signIn('council@demo.heard.test');
    await page.getByRole('link', { name: 'Programme' }).first().click();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'My actions' }).click();
    await check('my actions');
    await page.getByRole('link', { name: ACTION }).click();
    await check('action for its lead');
    await page
      .getByLabel('What has happened')
      .fill(
        'The first surgery was held at the Guildhall. Every household left with a housing application started.',
      );
    await page.getByLabel('Figures (optional)').fill('Households helped: 9');
    await page.getByLabel('Public: residents and the feed').check();
    await page.getByRole('button', { name: 'Add update' }).click();
    await check('action after the update');
    expect(await page.locator('#updates').textContent()).toContain(
      'The first surgery was held at the Guildhall.',
    );
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'In progress' });
    await page.getByLabel('Progress (%)').fill('20');
    await page.getByRole('button', { name: 'Save status and progress' }).click();
    await check('action in progress');
    // A milestone's due date is three boxes: a missing month is named, and the link goes to its box.
    await page.getByLabel('Milestone', { exact: true }).fill('Second surgery at the library');
    const milestoneDue = page.getByRole('group', { name: 'Due date', exact: true });
    await milestoneDue.getByLabel('Day').fill('14');
    await milestoneDue.getByLabel('Year').fill('2027');
    await page.getByRole('button', { name: 'Add milestone' }).click();
    await check('action with a milestone error', { expectErrors: true });
    await page.getByRole('link', { name: 'Due date must include a month' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('milestone-dueDate-month');
    await page.keyboard.type('7');
    await page.getByRole('button', { name: 'Add milestone' }).click();
    await check('action with a milestone');
    expect(await page.locator('#milestones').textContent()).toContain('Second surgery at the library');
  }, 600_000);

  it('each linked resident who chose email gets exactly one message; nobody else gets one', async () => {
    const mail = await heard.db.tenant(partnershipId, (tx) =>
      tx
        .select()
        .from(outbox)
        .where(
          and(like(outbox.purpose, 'programme.update:%'), like(outbox.textBody, '%first surgery was held%')),
        ),
    );
    expect(mail.map((m) => m.toAddress).sort()).toEqual(['amira@example.org', 'bogdan@example.org']);
    expect(mail[0]!.textBody).toContain('/you-said-we-did/unsubscribe/');
  }, 600_000);

  it('the public page shows the update, with "fewer than 5" where it is due, and the feed carries it', async () => {
    const publicPage = await (await browser.newContext()).newPage();
    page = publicPage;
    await page.goto(`${heard.baseUrl}/you-said-we-did`);
    await check('you said, we did');
    const article = page.locator('article', { hasText: ACTION });
    expect(await article.textContent()).toContain('The first surgery was held at the Guildhall.');
    expect(await article.textContent()).toContain('Households helped: 9');
    expect(await article.locator('[data-count="shaped"]').textContent()).toContain('fewer than 5');
    const row = page.locator(`tr[data-theme="${THEME}"] [data-count="theme"]`);
    expect((await row.textContent())!.trim()).toBe('fewer than 5');
    // A theme with many concerns shows its number.
    const big = page.locator('tr[data-theme="Hate incidents in the street"] [data-count="theme"]');
    expect((await big.textContent())!.trim()).toMatch(/^\d+$/);
    expect(await page.content()).not.toContain('amira@example.org');
    await page.getByLabel('Area', { exact: true }).selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await check('you said, we did, one area');
    const feed = await page.request.get(`${heard.baseUrl}/you-said-we-did/feed.atom`);
    const atom = parseAtom(await feed.text());
    expect(atom.entry![0]!.title['#text']).toBe(`Update: ${ACTION}`);
    expect(atom.entry![0]!.content['#text']).toContain('The first surgery was held at the Guildhall.');
  }, 600_000);

  it('a resident can unsubscribe from the link in the email', async () => {
    const [mail] = await heard.db.tenant(partnershipId, (tx) =>
      tx
        .select()
        .from(outbox)
        .where(and(like(outbox.purpose, 'programme.update:%'), eq(outbox.toAddress, 'amira@example.org'))),
    );
    const link = /https?:\/\/\S+\/you-said-we-did\/unsubscribe\/\S+/.exec(mail!.textBody)![0];
    await page.goto(`${heard.baseUrl}${new URL(link).pathname}`);
    await check('unsubscribe');
    await page.getByRole('button', { name: 'Stop these emails' }).click();
    await check('unsubscribed');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(
      'You will not get these emails any more',
    );
  }, 600_000);

  it('the XLSX meeting pack, read back, has the same figures as the page', async () => {
    const staffPage = page;
    page = await (await browser.newContext()).newPage();
    await signIn('analyst@demo.heard.test');
    await page.goto(`${heard.baseUrl}/staff/programme/pack`);
    await check('meeting pack');
    const rows = await page.locator('#pack tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        title: tr.querySelector('td:nth-child(2)')!.textContent!.trim(),
        progress: Number(tr.querySelector('[data-cell="progress"]')!.textContent),
        rag: tr.querySelector('[data-cell="rag"] .govuk-tag')!.textContent!.trim(),
        linked: Number(tr.querySelector('[data-cell="linked"]')!.textContent),
        overdue:
          tr.querySelector('[data-cell="overdue"]')!.textContent!.trim() === 'None'
            ? 0
            : tr.querySelectorAll('[data-cell="overdue"] br').length + 1,
      })),
    );
    expect(rows.length).toBeGreaterThan(10);
    const download = await page.request.get(`${heard.baseUrl}/staff/programme/pack.xlsx`);
    expect(download.headers()['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download.body()) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Programme')!;
    const fromXlsx: typeof rows = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const overdue = String(row.getCell(11).value ?? '');
      fromXlsx.push({
        title: String(row.getCell(2).value),
        progress: Number(row.getCell(6).value),
        rag: String(row.getCell(7).value),
        linked: Number(row.getCell(13).value),
        overdue: overdue === '' ? 0 : overdue.split('; ').length,
      });
    });
    expect(fromXlsx).toEqual(rows);
    expect(rows.find((r) => r.title === ACTION)).toEqual({
      title: ACTION,
      progress: 20,
      rag: 'Green',
      linked: 3,
      overdue: 0,
    });
    void staffPage;
  }, 600_000);

  it('axe found no violations on any page', () => {
    expect(violations).toEqual([]);
  });
});
