import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { outbox } from '../src/platform/mail/outbox.table.js';
import { axeViolations, launchBrowser, startHeard, type RunningHeard, unusedCode } from './support.js';

/**
 * The cohesion officer in the field, on a phone: the engagement log (two issues heard that become
 * concerns, one referral; a draft that survives a lost connection), the coverage view, and community
 * tension: a report at "high" tells the partnership leads, a police officer sees it, a fire service
 * officer is refused on the page and the API; the officer edits a report up to "high" (the leads are
 * told) and closes it, and it leaves this week's picture. axe checks every page.
 */
let heard: RunningHeard;
let browser: Browser;
let phone: BrowserContext;
let page: Page;
const violations: string[] = [];

async function check(p: Page, where: string, options: { expectErrors?: boolean } = {}) {
  await p.waitForLoadState('load');
  if (options.expectErrors) expect(await p.title(), where).toMatch(/^Error:/);
  else expect(await p.title(), where).not.toMatch(/^Error:/);
  violations.push(...(await axeViolations(p)));
}

/** Nothing on the page is wider than the phone's screen. */
async function fitsTheScreen(p: Page) {
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
}

/** The error summary's text, if the page shows one. */
async function errorSummary(p: Page): Promise<string | null> {
  const summary = p.locator('.govuk-error-summary');
  return (await summary.count()) > 0 ? (await summary.innerText()).replace(/\s+/g, ' ') : null;
}

async function signIn(p: Page, email: string) {
  await p.goto(`${heard.baseUrl}/staff/sign-in`);
  await p.getByLabel('Email address').fill(email);
  await p.getByLabel('Password', { exact: true }).fill(heard.config.demoPassword);
  await p.getByRole('button', { name: 'Continue' }).click();
  await p.getByLabel('Code').fill(await unusedCode(heard, email));
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(/\/staff\//);
}

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const result = await heard.db.system((tx) => tx.execute(query));
  return Number((result as unknown as { rows: { n: number }[] }).rows[0]!.n);
}

beforeAll(async () => {
  heard = await startHeard();
  browser = await launchBrowser();
  phone = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  page = await phone.newPage();
  // Seeding the demo partnership takes a while on a busy machine.
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await heard?.close();
});

describe('the engagement log on a phone', () => {
  it('the cohesion officer signs in and opens the engagement log from the menu', async () => {
    await signIn(page, 'cohesion@demo.heard.test');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Engagement log' }).click();
    await page.waitForURL(/\/staff\/engagements$/);
    await check(page, 'engagement log');
    await fitsTheScreen(page);
    expect(await page.getByRole('heading', { name: 'Follow-ups due' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Open referrals' }).count()).toBe(1);
  });

  it('logs an engagement with two issues heard and one referral; the issues become concerns', async () => {
    await page.getByRole('button', { name: 'Log an engagement' }).click();
    await check(page, 'log an engagement');
    await fitsTheScreen(page);
    await page.getByRole('button', { name: 'Save engagement' }).click();
    await check(page, 'log an engagement, with errors', { expectErrors: true });

    await page.getByLabel('Area').selectOption({ label: 'Semilong' });
    await page.getByLabel('Place').fill('Semilong Road bus stop and shops');
    await page.getByRole('group', { name: 'Type of engagement' }).getByLabel('Door-knocking').check();
    await page.getByLabel('Groups and organisations met').fill('Shopkeepers; residents of Baker Street');
    await page.getByLabel('About how many people').fill('16');
    const languages = page.getByRole('group', { name: 'Languages used' });
    await languages.getByLabel('English').check();
    await languages.getByLabel('Somali').check();

    const issue1 = page.getByRole('group', { name: 'Issue 1' });
    await issue1
      .getByLabel('What people said')
      .fill('Shopkeepers report a group harassing Somali women at the bus stop.');
    await issue1.getByLabel('Raise as a concern').check();
    await issue1.getByLabel('Topic').selectOption({ label: 'Hate, prejudice or harassment' });
    const issue2 = page.getByRole('group', { name: 'Issue 2' });
    await issue2
      .getByLabel('What people said')
      .fill('Residents would like a community litter pick with the school.');
    await issue2.getByLabel('Raise as a suggestion').check();
    await issue2
      .getByLabel('Topic')
      .selectOption({ label: 'An idea to make the community safer or stronger' });

    const referral = page.getByRole('group', { name: 'Referral 1' });
    await referral.getByLabel('Referred to a partner organisation').selectOption({
      label: 'Nene Community Voluntary Action (demo)',
    });
    await referral.getByLabel('What for').fill('Volunteer befriending for an isolated older resident');
    // Dates are GOV.UK date inputs: a month left out is named, and the link goes to its box.
    const followUp = referral.getByRole('group', { name: /Follow up by/ });
    await followUp.getByLabel('Day').fill('10');
    await followUp.getByLabel('Year').fill('2099');
    await page.getByRole('button', { name: 'Save engagement' }).click();
    await check(page, 'log an engagement, follow-up date without a month', { expectErrors: true });
    expect(await errorSummary(page)).toContain('Follow-up date must include a month');
    await page.getByRole('link', { name: 'Follow-up date must include a month' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('referral1FollowUp-month');
    await fitsTheScreen(page);
    await page.keyboard.type('1');

    await page.getByRole('button', { name: 'Save engagement' }).click();
    await page.waitForLoadState('load');
    expect(await errorSummary(page)).toBeNull();
    await page.waitForURL(/\/staff\/engagements\/[0-9a-f-]{36}\?saved=yes/);
    await check(page, 'engagement saved');
    await fitsTheScreen(page);
    expect(await page.getByText('Engagement saved.').count()).toBe(1);
    expect(await page.getByText('Raise as a concern:').count()).toBe(1);
    expect(await page.getByText('Raise as a suggestion:').count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Nene Community Voluntary Action (demo)' }).count()).toBe(
      1,
    );

    // The referral's own form: a follow-up date that cannot be right is refused on the page.
    const referralForm = page.locator('form', { has: page.getByRole('button', { name: 'Update referral' }) });
    await referralForm
      .getByRole('group', { name: /Follow up by/ })
      .getByLabel('Month')
      .fill('13');
    await referralForm.getByRole('button', { name: 'Update referral' }).click();
    await check(page, 'engagement, referral date not real', { expectErrors: true });
    await fitsTheScreen(page);
    expect(await errorSummary(page)).toContain('Follow-up date must be a real date');
    await page.getByRole('link', { name: 'Follow-up date must be a real date' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toMatch(
      /^followUpDue-[0-9a-f-]{36}-month$/,
    );
    await referralForm
      .getByRole('group', { name: /Follow up by/ })
      .getByLabel('Month')
      .fill('2');
    await referralForm.getByRole('button', { name: 'Update referral' }).click();
    await page.waitForURL(/\?updated=referral$/);
    await check(page, 'engagement, referral updated');
    expect(await page.getByText('Follow up by 10 February 2099').count()).toBe(1);

    const raised = await heard.db.system(async (tx) => {
      const result = await tx.execute(
        sql`select kind, topic, channel, source from concerns where source = 'engagement: Door-knocking, Semilong Road bus stop and shops' order by kind`,
      );
      return (result as unknown as { rows: { kind: string; topic: string; channel: string }[] }).rows;
    });
    expect(raised).toEqual([
      expect.objectContaining({ kind: 'concern', topic: 'hate_harassment', channel: 'engagement' }),
      expect.objectContaining({ kind: 'suggestion', topic: 'idea', channel: 'engagement' }),
    ]);

    await page.goto(`${heard.baseUrl}/staff/engagements`);
    // In the follow-ups due and among the open referrals.
    expect(
      await page.getByText('Volunteer befriending for an isolated older resident').count(),
    ).toBeGreaterThan(1);
  });

  it('keeps a draft through a lost connection, and sending it again saves one record', async () => {
    await page.goto(`${heard.baseUrl}/staff/engagements/new`);
    await page.getByLabel('Area').selectOption({ label: 'Kingsthorpe' });
    await page.getByLabel('Place').fill('Kingsthorpe library coffee morning');
    await page.getByRole('group', { name: 'Type of engagement' }).getByLabel('Drop-in').check();
    const when = page.getByRole('group', { name: 'Date', exact: true });
    const yesterday = new Date(Date.now() - 86_400_000);
    await when.getByLabel('Day').fill(String(yesterday.getDate()));
    await when.getByLabel('Month').fill(String(yesterday.getMonth() + 1));
    await when.getByLabel('Year').fill(String(yesterday.getFullYear()));
    await phone.setOffline(true);
    await page.getByRole('button', { name: 'Save engagement' }).click();
    await page.waitForLoadState('load').catch(() => undefined);
    await phone.setOffline(false);

    await page.goto(`${heard.baseUrl}/staff/engagements/new`);
    await check(page, 'log an engagement, draft restored');
    expect(await page.getByText('We filled in the engagement you had not sent yet.').isVisible()).toBe(true);
    expect(await page.getByLabel('Place').inputValue()).toBe('Kingsthorpe library coffee morning');
    // The date's three boxes come back from the draft too.
    expect(await when.getByLabel('Day').inputValue()).toBe(String(yesterday.getDate()));
    expect(await when.getByLabel('Month').inputValue()).toBe(String(yesterday.getMonth() + 1));
    await page.getByRole('button', { name: 'Save engagement' }).click();
    await page.waitForLoadState('load');
    expect(await errorSummary(page)).toBeNull();
    await page.waitForURL(/\/staff\/engagements\/[0-9a-f-]{36}\?saved=yes/);
    const saved = page.url();

    // The saved page cleared the draft: a new form is empty again.
    await page.goto(`${heard.baseUrl}/staff/engagements/new`);
    expect(await page.getByLabel('Place').inputValue()).toBe('');
    expect(await page.getByText('We filled in the engagement you had not sent yet.').isVisible()).toBe(false);
    expect(
      await count(
        sql`select count(*)::int as n from engagements where place = 'Kingsthorpe library coffee morning'`,
      ),
    ).toBe(1);
    expect(saved).toContain('/staff/engagements/');
  });

  it('shows coverage by area and type, and the areas with no contact in N weeks', async () => {
    await page.goto(`${heard.baseUrl}/staff/engagements/coverage`);
    await check(page, 'coverage');
    await fitsTheScreen(page);
    await page.getByLabel('No contact in how many weeks').fill('4');
    await page.getByRole('button', { name: 'Show coverage' }).click();
    await check(page, 'coverage, 4 weeks');
    expect(await page.getByRole('heading', { name: 'Areas with no contact in 4 weeks' }).count()).toBe(1);
  });
});

describe('community tension', () => {
  it('a report at "high" tells the partnership leads at once', async () => {
    await page.goto(`${heard.baseUrl}/staff/tension`);
    await check(page, 'tension picture');
    await fitsTheScreen(page);
    expect(
      await page
        .getByRole('row', { name: /Castle/ })
        .getByText('Medium')
        .count(),
    ).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Add a tension report' }).click();
    await check(page, 'add a tension report');
    await page.getByRole('button', { name: 'Save report' }).click();
    await check(page, 'add a tension report, with errors', { expectErrors: true });
    await page.getByLabel('Area').selectOption({ label: 'Kingsthorpe' });
    await page.getByRole('group', { name: 'Source' }).getByLabel('Community').check();
    await page.getByRole('group', { name: 'What' }).getByLabel('Planned protest').check();
    await page.getByRole('group', { name: 'Assessment' }).getByLabel('Evidenced').check();
    await page.getByRole('group', { name: 'Level' }).getByLabel('High').check();
    await page
      .getByLabel('What is happening')
      .fill('Posts call for a march past the new asylum hotel on Saturday.');
    await page.getByLabel('Actions taken or planned').fill('Police briefed; hotel manager contacted.');
    await page.getByRole('button', { name: 'Save report' }).click();
    await page.waitForURL(/\/staff\/tension\/reports\/[0-9a-f-]{36}\?saved=escalated/);
    await check(page, 'tension report saved');
    expect(await page.getByText('The partnership leads have been told').count()).toBe(1);

    const mail = await heard.db.system((tx) =>
      tx
        .select({ to: outbox.toAddress, subject: outbox.subject, text: outbox.textBody })
        .from(outbox)
        .where(and(eq(outbox.purpose, 'tension.escalation'))),
    );
    expect(mail.map((m) => m.to)).toEqual(['admin@demo.heard.test']);
    expect(mail[0]!.subject).toBe('Community tension: Kingsthorpe raised to High');
    expect(mail[0]!.text).toContain('Posts call for a march past the new asylum hotel on Saturday.');
  });

  it('a police officer can see it', async () => {
    const police = await (await browser.newContext()).newPage();
    await signIn(police, 'police@demo.heard.test');
    await police.getByRole('link', { name: 'Community tension' }).click();
    await check(police, 'tension picture, police');
    const row = police.getByRole('row', { name: /Kingsthorpe/ });
    expect(await row.getByText('High').count()).toBeGreaterThan(0);
    expect(await row.getByText('Rising').count()).toBe(1);
    await police.getByRole('link', { name: 'Kingsthorpe: Planned protest' }).click();
    await check(police, 'tension report, police');
    expect(
      await police.getByText('Posts call for a march past the new asylum hotel on Saturday.').count(),
    ).toBe(1);
    const api = await police.request.get(`${heard.baseUrl}/api/v1/tension/picture`);
    expect(api.status()).toBe(200);
  });

  it('a fire service officer gets 403, on the page and on the API', async () => {
    const fire = await (await browser.newContext()).newPage();
    await signIn(fire, 'fire@demo.heard.test');
    expect(await fire.getByRole('link', { name: 'Community tension' }).count()).toBe(0);
    const response = await fire.goto(`${heard.baseUrl}/staff/tension`);
    expect(response!.status()).toBe(403);
    await check(fire, 'tension picture refused');
    expect(await fire.getByText('Kingsthorpe').count()).toBe(0);
    const api = await fire.request.get(`${heard.baseUrl}/api/v1/tension/picture`);
    expect(api.status()).toBe(403);
    const reports = await fire.request.get(`${heard.baseUrl}/api/v1/tension/reports`);
    expect(reports.status()).toBe(403);
  });

  it('the cohesion officer edits a report: raising it to high tells the leads, and the edit is in its history', async () => {
    await page.goto(`${heard.baseUrl}/staff/tension`);
    await page.getByRole('link', { name: 'Castle: Online disinformation' }).click();
    await check(page, 'tension report, Castle');
    await page.getByRole('button', { name: 'Edit report' }).click();
    await page.waitForURL(/\/staff\/tension\/reports\/[0-9a-f-]{36}\/edit$/);
    await check(page, 'edit tension report');
    await fitsTheScreen(page);
    expect(await page.getByRole('group', { name: 'Level' }).getByLabel('Medium').isChecked()).toBe(true);

    await page.getByRole('group', { name: 'Level' }).getByLabel('High').check();
    const review = page.getByRole('group', { name: /Review date/ });
    await review.getByLabel('Month').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await check(page, 'edit tension report, with errors', { expectErrors: true });
    await fitsTheScreen(page);
    expect(await errorSummary(page)).toContain('Review date must include a month');
    await page.getByRole('link', { name: 'Review date must include a month' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reviewDate-month');
    // What was chosen before the error is still chosen.
    expect(await page.getByRole('group', { name: 'Level' }).getByLabel('High').isChecked()).toBe(true);
    const nextWeek = new Date(Date.now() + 7 * 86_400_000);
    await page.keyboard.type(String(nextWeek.getMonth() + 1));
    await review.getByLabel('Day').fill(String(nextWeek.getDate()));
    await review.getByLabel('Year').fill(String(nextWeek.getFullYear()));
    await page
      .getByLabel('Actions taken or planned')
      .fill('Police rebuttal shared; page admins asked to remove the post; patrols doubled this weekend.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\/staff\/tension\/reports\/[0-9a-f-]{36}\?saved=editedEscalated$/);
    await check(page, 'tension report, edited');
    await fitsTheScreen(page);
    expect(await page.getByText('Changes saved. The partnership leads have been told').count()).toBe(1);
    const history = page.locator('ol[aria-labelledby="history"]');
    expect(await history.getByText('Level: Medium to High').count()).toBe(1);
    expect(await history.getByText(/^Edited by /).count()).toBe(1);
    expect(await history.getByText('Actions taken or planned changed').count()).toBe(1);

    const mail = await heard.db.system((tx) =>
      tx
        .select({ subject: outbox.subject })
        .from(outbox)
        .where(and(eq(outbox.purpose, 'tension.escalation'))),
    );
    expect(mail.map((m) => m.subject)).toContain('Community tension: Castle raised to High');
  });

  it('closes the report: a reason and a note, and it is marked closed and leaves this week’s picture', async () => {
    await page.getByRole('button', { name: 'Close report' }).click();
    await page.waitForURL(/\/close$/);
    await check(page, 'close tension report');
    await fitsTheScreen(page);
    await page.getByRole('button', { name: 'Close report' }).click();
    await check(page, 'close tension report, with errors', { expectErrors: true });
    expect(await errorSummary(page)).toContain('Choose why the report is being closed');
    expect(await errorSummary(page)).toContain('Enter a note about why the report is being closed');

    // "Merged" needs the report it was merged into; leaving it empty is an error linked to it.
    const reason = page.getByRole('group', { name: 'Why is it being closed?' });
    await reason.getByLabel('Merged into another report').check();
    await page.getByLabel('Note').fill('The rumour was shown to be false and the post was taken down.');
    await page.getByRole('button', { name: 'Close report' }).click();
    await check(page, 'close tension report, no report chosen', { expectErrors: true });
    expect(await errorSummary(page)).toContain('Choose the report it was merged into');
    expect(await page.getByLabel('Note').inputValue()).toBe(
      'The rumour was shown to be false and the post was taken down.',
    );

    await page.getByRole('link', { name: 'Choose the report it was merged into' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('mergedIntoId');
    await reason.getByLabel('Resolved').check();
    await page.getByRole('button', { name: 'Close report' }).click();
    await page.waitForURL(/\?saved=closed$/);
    await check(page, 'tension report, closed');
    await fitsTheScreen(page);
    expect(await page.getByText('Report closed.').count()).toBe(1);
    expect(
      await page.getByText('The rumour was shown to be false and the post was taken down.').count(),
    ).toBe(2);
    expect(await page.getByRole('button', { name: 'Edit report' }).count()).toBe(0);
    expect(
      await page
        .locator('ol[aria-labelledby="history"]')
        .getByText(/^Closed by /)
        .count(),
    ).toBe(1);

    await page.goto(`${heard.baseUrl}/staff/tension`);
    await check(page, 'tension picture, a report closed');
    await fitsTheScreen(page);
    // Castle is no longer high this week: the closed report stopped counting.
    const castle = page.getByRole('row', { name: /Castle/ });
    expect(await castle.getByText('High').count()).toBe(0);
    expect(await castle.getByText('Falling').count()).toBe(1);
    const listed = page.locator('li', {
      has: page.getByRole('link', { name: 'Castle: Online disinformation' }),
    });
    expect(await listed.getByText('Closed', { exact: true }).count()).toBe(1);
  });

  it('no page had an accessibility violation', () => {
    expect(violations).toEqual([]);
  });
});
