import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { validateICalendar } from '../test/helpers/ical.js';
import { axeViolations, launchBrowser, startHeard, type RunningHeard, unusedCode } from './support.js';

/**
 * A forum member's path, in Chromium on the demo data: a resident asks to join the Disability Forum
 * and the facilitator approves; the facilitator schedules a meeting, which appears in the forum's
 * calendar feed (checked by a strict parser); an issue raised at the meeting becomes a concern, the
 * triage officer answers it with a public update, and the answer shows on the forum's public page.
 * Then running forums: the admin creates a forum and edits it, and it appears on the public page; the
 * facilitator cancels a meeting, which the public page and the feed then show as cancelled.
 * axe checks every page visited.
 */
let heard: RunningHeard;
let browser: Browser;
const violations: string[] = [];

// Seeding the demo partnership takes a while on a busy machine.
beforeAll(async () => {
  heard = await startHeard();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await heard?.close();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

async function check(page: Page, options: { expectErrors?: boolean } = {}) {
  await page.waitForLoadState('load');
  if (options.expectErrors) expect(await page.title()).toMatch(/^Error:/);
  else expect(await page.title()).not.toMatch(/^Error:/);
  violations.push(...(await axeViolations(page)));
}

async function signIn(page: Page, email: string) {
  await page.goto(`${heard.baseUrl}/staff/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(heard.config.demoPassword);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Code').fill(await unusedCode(heard, email));
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Staff land on the queue; analysts, who cannot open it, on the insight dashboard.
  await expect.poll(() => page.url()).toMatch(/\/staff\/(concerns|insight)/);
}

const RESIDENT = 'Nadia Brennan';
const SUMMARY = 'Broken lift at the Grosvenor Centre car park';
const ANSWER =
  'The car park operator has ordered a new lift motor. It will be fixed by the end of the month.';
let meetingUrl = '';
let reference = '';

describe('a forum member’s path', () => {
  it('a resident finds the Disability Forum and asks to join', async () => {
    const { context, page } = await newPage();
    await page.goto(`${heard.baseUrl}/`);
    await page.getByRole('link', { name: 'Community forums' }).first().click();
    await check(page);
    expect(await page.getByRole('heading', { name: 'Community forums', level: 1 }).count()).toBe(1);
    for (const name of ['Disability Forum', 'LGBTQ+ Forum', 'Older People’s Forum', 'Youth Forum'])
      expect(await page.getByRole('link', { name, exact: true }).count(), name).toBe(1);
    await page.getByRole('link', { name: 'Disability Forum', exact: true }).click();
    await check(page);
    expect(await page.getByText('Ruth Bailey and Sunil Mistry').count()).toBe(1);
    expect(await page.getByText('No dropped kerb at the Market Square bus stop').count()).toBe(1);
    await page.getByRole('button', { name: 'Ask to join' }).click();
    await check(page);

    await page.getByRole('button', { name: 'Send request' }).click();
    await check(page, { expectErrors: true });
    await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter your name' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('name');

    await page.getByLabel('Your name').fill(RESIDENT);
    await page.getByLabel('Email address').fill('nadia.brennan@example.org');
    await page.getByLabel('In person or online').check();
    await page.getByLabel('A British Sign Language (BSL) interpreter').check();
    await page
      .getByLabel('Anything else we should know')
      .fill('I lip-read as well, so please face the room.');
    await page
      .getByRole('group', { name: /Do you consider yourself to be disabled/ })
      .getByLabel('Yes', { exact: true })
      .check();
    await page
      .getByRole('group', { name: /What is your religion/ })
      .getByLabel('Prefer not to say')
      .check();
    await page.getByLabel('I agree to the forum keeping my details to contact me').check();
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.waitForURL(/\/join\/sent$/);
    await check(page);
    expect(await page.getByRole('heading', { name: 'Request sent' }).count()).toBe(1);
    await context.close();
  }, 240_000);

  it('the facilitator approves the request', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'facilitator@demo.heard.test');
    await page.getByRole('link', { name: 'Forums', exact: true }).click();
    await check(page);
    await page.getByRole('link', { name: 'Disability Forum' }).click();
    await check(page);
    await page.getByRole('link', { name: RESIDENT }).click();
    await check(page);
    expect(await page.getByText('I lip-read as well, so please face the room.').count()).toBe(1);
    // Equality answers are for admins only, not the facilitator.
    expect(await page.locator('#equality').count()).toBe(0);
    await page.getByRole('button', { name: 'Approve and add as a member' }).click();
    await page.waitForURL(/\/staff\/forums\/disability-forum$/);
    await check(page);
    expect(await page.getByText('Request approved').count()).toBe(1);
    const member = page.locator('#members ~ table').getByRole('link', { name: RESIDENT });
    expect(await member.count()).toBe(1);
    await member.click();
    await check(page);
    expect(await page.getByText('A British Sign Language (BSL) interpreter').count()).toBe(1);
    await context.close();
  }, 240_000);

  it('the facilitator schedules a meeting, which appears in the calendar feed', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'facilitator@demo.heard.test');
    await page.goto(`${heard.baseUrl}/staff/forums/disability-forum`);
    await page.getByRole('button', { name: 'Schedule a meeting' }).click();
    await check(page);
    await page.getByRole('button', { name: 'Schedule meeting' }).click();
    await check(page, { expectErrors: true });
    const date = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000);
    await page.getByLabel('Meeting name').fill('Transport special meeting');
    await page.getByLabel('Day').fill(String(date.getUTCDate()));
    await page.getByLabel('Month').fill(String(date.getUTCMonth() + 1));
    await page.getByLabel('Year').fill(String(date.getUTCFullYear()));
    await page.getByLabel('Start time').fill('18:00');
    await page.getByLabel('End time').fill('19:30');
    await page.getByLabel('Venue', { exact: true }).fill('The Guildhall');
    await page.getByLabel('Venue address').fill('St Giles Square, Northampton NN1 1DE');
    await page
      .getByLabel('Access at the venue')
      .fill('Step-free entrance; hearing loop; BSL interpreter booked');
    await page.getByLabel('Agenda').fill('1. Buses, taxis, and car parks\n2. Any other business');
    await page
      .getByRole('group', { name: /Show it on the public forum page/ })
      .getByLabel('Yes', { exact: true })
      .check();
    await page.getByRole('button', { name: 'Schedule meeting' }).click();
    await page.waitForURL(/\/meetings\/[0-9a-f-]{36}$/);
    await check(page);
    meetingUrl = page.url();
    expect(await page.getByText('Meeting scheduled').count()).toBe(1);

    const feed = await page.request.get(`${heard.baseUrl}/forums/disability-forum/calendar.ics`);
    expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8');
    const { summaries } = await validateICalendar(await feed.text());
    expect(summaries).toContain('Disability Forum: Transport special meeting');
    const all = await page.request.get(`${heard.baseUrl}/forums/calendar.ics`);
    expect((await validateICalendar(await all.text())).summaries).toContain(
      'Disability Forum: Transport special meeting',
    );
    await context.close();
  }, 240_000);

  it('an issue raised at the meeting goes into the pipeline as a concern', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'facilitator@demo.heard.test');
    await page.goto(meetingUrl);
    await page.getByLabel('A concern').check();
    await page.getByLabel('What is it about?').selectOption({ label: 'Access to services and inclusion' });
    await page.getByLabel('A short line for the forum page').fill(SUMMARY);
    await page
      .getByLabel('What was said')
      .fill('The lift to the top floors of the Grosvenor Centre car park has been broken for six weeks.');
    await page.getByLabel('Anonymous, or the forum as a whole').check();
    await page.getByRole('button', { name: 'Raise issue' }).click();
    await page.waitForURL(meetingUrl);
    await check(page);
    reference = (await page.locator('.govuk-notification-banner .heard-reference').textContent())!.trim();
    expect(reference).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{3}$/);
    expect(await page.getByRole('heading', { name: SUMMARY }).count()).toBe(1);
    await page.getByRole('checkbox', { name: RESIDENT }).check();
    await page.getByLabel('Guests').fill('4');
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await check(page);
    expect(await page.getByText('Members present: 1. Guests: 4.').count()).toBe(1);
    await context.close();
  }, 240_000);

  it('the triage officer triages it and adds a public update', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'triage@demo.heard.test');
    await page.goto(`${heard.baseUrl}/staff/concerns/${reference}`);
    await check(page);
    expect(await page.getByText('forum: Disability Forum').count()).toBe(1);
    await page
      .getByLabel('Lead organisation', { exact: true })
      .selectOption({ label: 'West Northamptonshire Council' });
    await page.getByRole('button', { name: 'Share' }).click();
    await check(page);
    await page.getByLabel('The person who raised it (public update)').check();
    await page.getByLabel('Note or update', { exact: true }).fill(ANSWER);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await check(page);
    await context.close();
  }, 240_000);

  it('the answer shows on the forum’s public page', async () => {
    const { context, page } = await newPage();
    await page.goto(`${heard.baseUrl}/forums/disability-forum`);
    await check(page);
    expect(await page.getByRole('heading', { name: SUMMARY }).count()).toBe(1);
    expect(await page.getByText(ANSWER).count()).toBe(1);
    expect(await page.getByText('Passed to a partner').count()).toBeGreaterThan(0);
    // The full text stays with the partnership.
    expect(await page.getByText('broken for six weeks').count()).toBe(0);
    expect(await page.getByText('Transport special meeting').count()).toBeGreaterThan(0);
    await context.close();
  }, 240_000);

  it('has no accessibility violations on any page visited', () => {
    expect(violations).toEqual([]);
  });
});

const FORUM = 'Carers’ Forum';
const REASON = 'The Guildhall is closed for repairs. We will meet online on the same evening instead.';

describe('running forums: an admin creates and edits a forum, a facilitator cancels a meeting', () => {
  it('the admin creates a forum, after being told what is missing', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'admin@demo.heard.test');
    await page.getByRole('link', { name: 'Forums', exact: true }).click();
    await check(page);
    await page.getByRole('button', { name: 'Create a forum' }).click();
    await check(page);
    await page.getByRole('button', { name: 'Create forum' }).click();
    await check(page, { expectErrors: true });
    await page
      .locator('.govuk-error-summary')
      .getByRole('link', { name: 'Choose at least one group the forum is for' })
      .click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('characteristics');

    await page.getByLabel('Name', { exact: true }).fill(FORUM);
    await page.getByLabel('Disability', { exact: true }).check();
    await page.getByLabel('Age (younger or older people)').check();
    await page
      .getByLabel('Description', { exact: true })
      .fill('For unpaid carers of disabled, ill or older people, and the people they care for.');
    await page.getByLabel('Grace Adeyemi').check();
    await page.getByLabel('Community co-chairs').fill('Pauline Okoro');
    await page.getByLabel('How to join', { exact: true }).fill('Ask to join on this page.');
    await page
      .getByLabel('Where and how it meets')
      .fill('Every two months, on a Tuesday, 1pm to 3pm, at Daventry Library, and online.');
    await page.getByLabel('A hearing loop').check();
    await page.getByLabel('Help with childcare or caring costs, so you can come').check();
    await page
      .getByRole('group', { name: /List it on the public forums page/ })
      .getByLabel('Yes', { exact: true })
      .check();
    await page.getByRole('button', { name: 'Create forum' }).click();
    await page.waitForURL(/\/staff\/forums\/carers-forum$/);
    await check(page);
    expect(await page.getByText('Forum created').count()).toBe(1);
    await context.close();
  }, 240_000);

  it('the admin edits it from the forum’s page', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'admin@demo.heard.test');
    await page.goto(`${heard.baseUrl}/staff/forums/carers-forum`);
    await page.getByRole('button', { name: 'Edit forum details' }).click();
    await check(page);
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(FORUM);
    await page
      .getByLabel('Description', { exact: true })
      .fill(
        'For unpaid carers, young and old, and the people they care for. Bring the person you care for if you like.',
      );
    await page.getByLabel('Papers in Easy Read').check();
    await page.getByRole('button', { name: 'Save forum details' }).click();
    await page.waitForURL(/\/staff\/forums\/carers-forum$/);
    await check(page);
    expect(await page.getByText('Forum details saved').count()).toBe(1);
    await context.close();
  }, 240_000);

  it('the forum is on the public forums page, as edited', async () => {
    const { context, page } = await newPage();
    await page.goto(`${heard.baseUrl}/forums`);
    await check(page);
    await page.getByRole('link', { name: FORUM, exact: true }).click();
    await check(page);
    expect(await page.getByText('Bring the person you care for if you like.').count()).toBe(1);
    expect(await page.getByText('Papers in Easy Read').count()).toBe(1);
    expect(await page.getByText('Facilitated by Grace Adeyemi').count()).toBe(1);
    await context.close();
  }, 240_000);

  it('the facilitator cancels a meeting, after confirming', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'facilitator@demo.heard.test');
    await page.goto(`${heard.baseUrl}/staff/forums/disability-forum`);
    await page.getByRole('link', { name: 'Winter meeting' }).click();
    await check(page);
    await page.getByRole('button', { name: 'Cancel this meeting' }).click();
    await check(page);
    await page.getByLabel('Why is it cancelled?').fill(REASON);
    await page.getByRole('button', { name: 'Cancel meeting', exact: true }).click();
    await page.waitForURL(/\/meetings\/[0-9a-f-]{36}$/);
    await check(page);
    expect(await page.getByText('Meeting cancelled').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Save attendance' }).count()).toBe(0);
    await context.close();
  }, 240_000);

  it('the public page shows it as cancelled, and the calendar feed sends it cancelled', async () => {
    const { context, page } = await newPage();
    await page.goto(`${heard.baseUrl}/forums/disability-forum`);
    await check(page);
    const meeting = page.locator('.heard-event', {
      has: page.getByRole('heading', { name: 'Winter meeting' }),
    });
    expect(await meeting.getByText('Cancelled', { exact: true }).count()).toBe(1);
    expect(await meeting.getByText(REASON).count()).toBe(1);
    const feed = await (
      await page.request.get(`${heard.baseUrl}/forums/disability-forum/calendar.ics`)
    ).text();
    expect((await validateICalendar(feed)).summaries).toContain(
      'Cancelled: Disability Forum: Winter meeting',
    );
    const event = feed
      .replace(/\r\n /g, '')
      .split('BEGIN:VEVENT')
      .find((e) => e.includes('SUMMARY:Cancelled: Disability Forum: Winter meeting'))!;
    expect(event).toContain('STATUS:CANCELLED');
    expect(event).toContain('SEQUENCE:1');
    await context.close();
  }, 240_000);

  it('has no accessibility violations on any page visited', () => {
    expect(violations).toEqual([]);
  });
});
