import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { outbox } from '../src/platform/mail/outbox.table.js';
import { axeViolations, launchBrowser, startHeard, type RunningHeard, unusedCode } from './support.js';

/**
 * Every staff page, as an administrator uses them in Chromium: the queue with filters, a concern with
 * its emails, files and audit trail, recording for someone, staff administration with an invitation
 * taken all the way through to setting up an authenticator app, API tokens and Open311 keys. axe
 * checks each page.
 */
let heard: RunningHeard;
let browser: Browser;
let page: Page;
const violations: string[] = [];

async function check(where: string, options: { expectErrors?: boolean } = {}) {
  await page.waitForLoadState('load');
  if (options.expectErrors) expect(await page.title(), where).toMatch(/^Error:/);
  else expect(await page.title(), where).not.toMatch(/^Error:/);
  violations.push(...(await axeViolations(page)));
}

beforeAll(async () => {
  heard = await startHeard();
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
});

afterAll(async () => {
  await browser?.close();
  await heard?.close();
});

describe('staff pages in a real browser', () => {
  it('the administrator signs in', async () => {
    await page.goto(`${heard.baseUrl}/staff/sign-in`);
    await check('sign in');
    await page.getByLabel('Email address').fill('admin@demo.heard.test');
    await page.getByLabel('Password', { exact: true }).fill(heard.config.demoPassword);
    await page.getByRole('button', { name: 'Continue' }).click();
    await check('code');
    await page.getByLabel('Code').fill(await unusedCode(heard, 'admin@demo.heard.test'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/staff\/concerns/);
    await check('queue');
  });

  it('filters the queue and opens a concern, its audit trail included', async () => {
    await page.getByLabel('Urgent concerns').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await check('queue, urgent only');
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
    await page.locator('tbody tr a').first().click();
    await check('concern');
    expect(await page.getByRole('heading', { name: 'Emails' }).count()).toBe(1);
    await page.getByRole('link', { name: 'See who has viewed or changed this concern' }).click();
    await check('audit trail');
    expect(await page.getByText('concern.viewed').count()).toBeGreaterThan(0);
  });

  it('finds concerns not written in English, and sees what language one was written in', async () => {
    await page.goto(`${heard.baseUrl}/staff/concerns`);
    await page.getByLabel('Written language').selectOption({ label: 'Not English (may need translation)' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await check('queue, not English');
    expect(await page.getByText('Written in Dari').count()).toBe(1);
    await page
      .getByRole('row', { name: /Written in Dari/ })
      .getByRole('link')
      .click();
    await check('concern written in Dari');
    await expect(page.locator('#written-language').textContent()).resolves.toBe(
      'Dari (detected from the text)',
    );
    await expect(page.locator('#page-language').textContent()).resolves.toBe('Dari');
    expect(await page.getByText('Written in Dari: this may need translation.').count()).toBe(1);
  });

  it('records a concern for someone who phoned', async () => {
    await page.goto(`${heard.baseUrl}/staff/concerns/record`);
    await check('record');
    await page.getByRole('button', { name: 'Record concern' }).click();
    await check('record, with errors shown', { expectErrors: true });
    await page
      .getByRole('group', { name: 'How did it reach you?' })
      .getByLabel('Phone', { exact: true })
      .check();
    await page.getByRole('group', { name: 'Is it a concern or an idea?' }).getByLabel('A concern').check();
    await page.getByRole('group', { name: 'What is it about?' }).getByLabel('Anti-social behaviour').check();
    await page
      .getByLabel('What happened, or what worries them')
      .fill('Motorbikes racing across the Racecourse after dark.');
    await page.getByLabel('No, they want to stay anonymous').check();
    await page
      .getByRole('group', { name: /Did they agree to their details being shared/ })
      .getByLabel('No', { exact: true })
      .check();
    await page.getByRole('button', { name: 'Record concern' }).click();
    await check('recorded concern');
    expect(
      await page.getByText('Motorbikes racing across the Racecourse after dark.').count(),
    ).toBeGreaterThan(0);
    expect(await page.getByText('Phone', { exact: true }).count()).toBeGreaterThan(0);
  });

  it('invites a colleague, who accepts and sets up an authenticator app', async () => {
    await page.goto(`${heard.baseUrl}/staff/admin/staff`);
    await check('staff list');
    // A GOV.UK button-styled link has the role "button".
    await page.getByRole('button', { name: 'Invite a staff member' }).click();
    await check('invite');
    await page.getByLabel('Full name').fill('Priya Shah');
    await page.getByLabel('Work email address').fill('priya.shah@demo.heard.test');
    await page.getByLabel('Organisation').selectOption({ label: 'Northamptonshire Police' });
    await page.getByRole('checkbox').first().check();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await check('member');
    expect(await page.getByText('priya.shah@demo.heard.test').count()).toBeGreaterThan(0);

    // The invitation link, as it arrives by email.
    const [mail] = await heard.db.system((tx) =>
      tx
        .select({ text: outbox.textBody })
        .from(outbox)
        .where(
          and(eq(outbox.toAddress, 'priya.shah@demo.heard.test'), eq(outbox.purpose, 'staff.invitation')),
        )
        .orderBy(desc(outbox.createdAt))
        .limit(1),
    );
    const link = /https?:\/\/\S+\/staff\/invitation\/\S+/.exec(mail!.text)![0];
    const invitee = await (await browser.newContext()).newPage();
    await invitee.goto(`${heard.baseUrl}${new URL(link).pathname}`);
    violations.push(...(await axeViolations(invitee)));
    await invitee.getByLabel('Create a password').fill('correct horse battery staple');
    await invitee.getByLabel('Confirm your password').fill('correct horse battery staple');
    await invitee.getByRole('button', { name: 'Continue' }).click();
    await invitee.waitForURL(/set-up/);
    violations.push(...(await axeViolations(invitee)));
    expect(await invitee.locator('img[alt^="QR code"]').count()).toBe(1);
    await invitee.close();
  });

  it('creates a personal API token and an Open311 key', async () => {
    await page.goto(`${heard.baseUrl}/staff/account/api-tokens`);
    await check('api tokens');
    await page.getByLabel('Token name').fill('Weekly report script');
    await page.getByRole('button', { name: 'Create token' }).click();
    await check('token created');
    expect(await page.getByText('Token created').count()).toBeGreaterThan(0);

    await page.goto(`${heard.baseUrl}/staff/admin/open311`);
    await check('open311 admin');
    await page.getByLabel('Which system is it for?').fill('FixMyStreet');
    await page.getByRole('button', { name: 'Create key' }).click();
    await check('open311 key created');
    expect(await page.getByText('Key created').count()).toBeGreaterThan(0);
  });

  it('axe found no WCAG 2.2 AA violations on any staff page', () => {
    expect(violations).toEqual([]);
  });
});
