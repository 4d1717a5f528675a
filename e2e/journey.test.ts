import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, startHeard, tabTo, type RunningHeard, unusedCode } from './support.js';

/**
 * The whole loop as real people do it, in Chromium: a resident shares a concern (once named, once
 * anonymously by keyboard alone), the triage officer signs in with a TOTP code and routes it to the
 * police, a police officer adds a public update and resolves it, and the resident sees the update.
 * axe checks every page visited.
 */
let heard: RunningHeard;
let browser: Browser;
const violations: string[] = [];

beforeAll(async () => {
  heard = await startHeard();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await heard?.close();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  return { context, page };
}

async function checkA11y(page: Page) {
  violations.push(...(await axeViolations(page)));
}

async function continueOn(page: Page, button = 'Continue') {
  await checkA11y(page);
  await page.getByRole('button', { name: button, exact: true }).click();
}

async function signIn(page: Page, email: string) {
  await page.goto(`${heard.baseUrl}/staff/sign-in`);
  await checkA11y(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(heard.config.demoPassword);
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkA11y(page);
  await page.getByLabel('Code').fill(await unusedCode(heard, email));
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Staff land on the queue; analysts, who cannot open it, on the insight dashboard.
  await expect.poll(() => page.url()).toMatch(/\/staff\/(concerns|insight)/);
}

async function signOut(page: Page) {
  await page.getByRole('link', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
}

let namedReference = '';
let anonymous = { reference: '', trackingCode: '' };
const email = 'sam.resident@example.com';
const updateText =
  'Officers patrolled Abington Square on Friday and Saturday nights and spoke to the group involved.';

describe('the concern loop in a real browser', () => {
  it('a named resident shares a concern and gets a reference and tracking code', async () => {
    const { context, page } = await newPage();
    await page.goto(heard.baseUrl);
    await checkA11y(page);
    expect(await page.getByText('If you are in danger now, call 999').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Start now' }).click();
    await page.getByLabel('A concern').check();
    await continueOn(page);
    await page.getByLabel('Anti-social behaviour').check();
    await continueOn(page);
    await page
      .getByLabel('What happened, or what worries you?')
      .fill('A group of young men shout at women walking through Abington Square late at night.');
    await page.getByLabel(/When did it happen/).fill('Friday and Saturday nights');
    await continueOn(page);
    await page.getByLabel(/Area/).selectOption({ label: 'Castle' });
    await continueOn(page);
    await page.getByLabel('Sex (women or men)').check();
    await continueOn(page);
    await page.getByLabel('No, for myself').check();
    await continueOn(page);
    // An error first: the named option with no details.
    await page.getByLabel('Yes, you can contact me').check();
    await continueOn(page);
    await expect.poll(() => page.title()).toMatch(/^Error:/);
    await checkA11y(page);
    await page.getByLabel('Your name').fill('Sam Resident');
    await page.getByLabel('Email address', { exact: true }).fill(email);
    await continueOn(page);
    await page.getByLabel('Yes, you can share it').check();
    await continueOn(page);
    await page.getByLabel('Female').check();
    await continueOn(page);
    await expect.poll(() => page.title()).toContain('Check your answers');
    await continueOn(page, 'Send');
    await expect.poll(() => page.title()).toContain('Thank you');
    await checkA11y(page);
    const codes = await page.locator('.heard-reference').allTextContents();
    expect(codes[0]).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{3}$/);
    expect(codes[1]).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    namedReference = codes[0]!;
    await context.close();
  });

  it('an anonymous resident shares an idea using the keyboard alone', async () => {
    const { context, page } = await newPage();
    await page.goto(heard.baseUrl);
    await tabTo(page, (el) => el.tag === 'a' && el.text.startsWith('Start now'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/kind/);
    await tabTo(page, (el) => el.tag === 'input' && el.value === 'concern');
    // Arrow keys move between radios in a group, selecting as they go.
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('An idea or suggestion').isChecked()).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/topic/);
    await tabTo(page, (el) => el.tag === 'input' && el.value === 'unsafe_place');
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('An idea to make the community safer or stronger').isChecked()).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/details/);
    await tabTo(page, (el) => el.tag === 'textarea');
    await page.keyboard.type('A youth club on Friday evenings at the community centre in Daventry.');
    await tabTo(page, (el) => el.tag === 'button' && el.text === 'Continue');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/where/);
    await tabTo(page, (el) => el.tag === 'button' && el.text === 'Continue');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/groups/);
    await tabTo(page, (el) => el.tag === 'input' && el.value === 'age');
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.tag === 'button' && el.text === 'Continue');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/who/);
    await tabTo(page, (el) => el.tag === 'input' && el.value === 'yes');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, (el) => el.tag === 'button' && el.text === 'Continue');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/contact/);
    await tabTo(page, (el) => el.tag === 'input' && el.value === 'anonymous');
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.tag === 'button' && el.text === 'Continue');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/consent/);
    await tabTo(page, (el) => el.tag === 'input' && el.value === 'yes');
    await page.keyboard.press('Space');
    await tabTo(page, (el) => el.tag === 'button' && el.text === 'Continue');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/equality/);
    await checkA11y(page);
    await tabTo(page, (el) => el.tag === 'button' && el.text === 'Skip these questions');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/check/);
    await checkA11y(page);
    await tabTo(page, (el) => el.tag === 'button' && el.text === 'Send');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/confirmation/);
    await checkA11y(page);
    const codes = await page.locator('.heard-reference').allTextContents();
    expect(codes).toHaveLength(2);
    expect(await page.getByText('Write down your reference and tracking code').count()).toBe(1);
    anonymous = { reference: codes[0]!, trackingCode: codes[1]! };
    await context.close();
  });

  it('triage signs in with a code and shares the concern with the police', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'triage@demo.heard.test');
    await checkA11y(page);
    await page.goto(`${heard.baseUrl}/staff/concerns/${namedReference}`);
    await checkA11y(page);
    await page
      .getByLabel('Lead organisation', { exact: true })
      .selectOption({ label: 'Northamptonshire Police' });
    await page.getByRole('button', { name: 'Share' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').textContent()).toBeTruthy();
    await checkA11y(page);
    await signOut(page);
    await context.close();
  });

  it('the police officer adds a public update and resolves the concern', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'police@demo.heard.test');
    await page.getByRole('link', { name: namedReference }).click();
    await checkA11y(page);
    await page.getByLabel('The person who raised it (public update)').check();
    await page.getByLabel('Note or update', { exact: true }).fill(updateText);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await checkA11y(page);
    await page.getByLabel('In progress', { exact: true }).check();
    await page.getByRole('button', { name: 'Change status' }).click();
    await page.getByLabel('Resolved', { exact: true }).check();
    await page.getByRole('button', { name: 'Change status' }).click();
    await expect.poll(() => page.locator('.govuk-summary-list').first().textContent()).toBeTruthy();
    expect(await page.getByText('Resolved').count()).toBeGreaterThan(0);
    await checkA11y(page);
    await context.close();
  });

  it('the resident checks progress and sees the update', async () => {
    const { context, page } = await newPage();
    await page.goto(heard.baseUrl);
    await page.getByRole('link', { name: 'Check progress' }).first().click();
    await checkA11y(page);
    await page.getByLabel('Reference').fill(namedReference.toLowerCase());
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Check progress' }).click();
    await checkA11y(page);
    expect(await page.getByText('Resolved').count()).toBeGreaterThan(0);
    expect(await page.getByText(updateText).count()).toBe(1);
    await context.close();
  });

  it('the anonymous resident checks progress with the reference and tracking code', async () => {
    const { context, page } = await newPage();
    await page.goto(`${heard.baseUrl}/progress`);
    await page.getByLabel('Reference').fill(anonymous.reference);
    await page.getByLabel('Tracking code').fill(anonymous.trackingCode);
    await page.getByRole('button', { name: 'Check progress' }).click();
    await checkA11y(page);
    expect(await page.getByText('Received', { exact: true }).count()).toBeGreaterThan(0);
    await context.close();
  });

  it('axe found no WCAG 2.2 AA violations on any page visited', () => {
    expect(violations).toEqual([]);
  });
});
