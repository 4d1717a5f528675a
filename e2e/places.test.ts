import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_GEO_FILES, findDemoGeoDir } from '../src/capabilities/places/places.demo.js';
import { axeViolations, launchBrowser, startHeard, type RunningHeard, unusedCode } from './support.js';

/**
 * Places and triage suggestions in Chromium, with axe on every page: an analyst reads the map of
 * concerns by area, an admin imports boundaries (a mistake first, then a real ONS file) and retrains
 * the classifier, and a triage officer accepts a suggestion on a new concern.
 */
let heard: RunningHeard;
let browser: Browser;
const violations: string[] = [];
const GEO_DIR = findDemoGeoDir(path.resolve(import.meta.dirname, '..')) ?? findDemoGeoDir();

beforeAll(async () => {
  heard = await startHeard();
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await heard?.close();
});

async function checkA11y(page: Page) {
  violations.push(...(await axeViolations(page)));
}

async function signIn(email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${heard.baseUrl}/staff/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(heard.config.demoPassword);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Code').fill(await unusedCode(heard, email));
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Staff land on the queue; analysts, who cannot open it, on the insight dashboard.
  await expect.poll(() => page.url()).toMatch(/\/staff\/(concerns|insight)/);
  return page;
}

describe('places and triage suggestions', () => {
  it('an analyst reads the map of hate-related concerns by area, with its key, table and attribution', async () => {
    expect(GEO_DIR, 'the shared geo data, for the demo boundaries').toBeDefined();
    const page = await signIn('analyst@demo.heard.test');
    await page.getByRole('link', { name: 'Map' }).click();
    await expect.poll(() => page.url()).toContain('/staff/places/map');
    await checkA11y(page);
    await page.getByLabel('Topic').selectOption('hate_harassment');
    await page.getByLabel('Period').selectOption('all');
    await page.getByRole('button', { name: 'Show map' }).click();
    await expect.poll(() => page.url()).toContain('topic=hate_harassment');
    await checkA11y(page);
    const map = page.getByRole('img', { name: /about Hate, prejudice or harassment by area, all time/ });
    await expect.poll(() => map.count()).toBe(1);
    expect(await page.locator('#choropleth path[data-band]').count()).toBe(76);
    expect(await page.locator('#legend li').count()).toBeGreaterThan(1);
    expect(await page.locator('#map-table tbody tr').count()).toBe(76);
    expect(await page.locator('.attribution').first().innerText()).toContain(
      'Contains OS data © Crown copyright',
    );
    // No figure below 5 is shown: every count is "fewer than 5" or 5 and more.
    const counts = await page.locator('#map-table tbody td').allInnerTexts();
    for (const c of counts) expect(c === 'fewer than 5' || Number(c) >= 5, c).toBe(true);
    await page.context().close();
  });

  it('an admin imports boundaries, is told clearly what went wrong first, then retrains the classifier', async () => {
    const page = await signIn('admin@demo.heard.test');
    await page.goto(`${heard.baseUrl}/staff/admin/places/import`);
    await checkA11y(page);
    await page.getByRole('button', { name: 'Import boundaries' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await checkA11y(page);
    expect(await page.locator('.govuk-error-summary').innerText()).toContain(
      'Choose a GeoJSON file, or paste GeoJSON',
    );
    await page.getByLabel('GeoJSON file').setInputFiles(path.join(GEO_DIR!, DEMO_GEO_FILES[1]!));
    await page.getByLabel('Attribution').fill('Contains OS data © Crown copyright and database right 2016.');
    await page.getByRole('button', { name: 'Import boundaries' }).click();
    await expect.poll(() => page.locator('.govuk-notification-banner').count()).toBe(1);
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
      '33 boundaries: 33 existing areas updated, 0 new areas added.',
    );
    await checkA11y(page);

    await page.getByRole('link', { name: 'Triage suggestions' }).click();
    await expect.poll(() => page.url()).toContain('/staff/admin/suggestions');
    await checkA11y(page);
    expect(await page.locator('#accuracy-topic').innerText()).toMatch(/\d+%/);
    await page.getByRole('button', { name: 'Retrain the model' }).click();
    await expect.poll(() => page.url()).toContain('notice=retrained');
    await checkA11y(page);
    await page.context().close();
  });

  it('a triage officer accepts the suggestion on a new concern', async () => {
    const page = await signIn('triage@demo.heard.test');
    await page.goto(`${heard.baseUrl}/staff/concerns?status=new&sort=newest`);
    const links = await page
      .locator('a.heard-reference')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    let found = false;
    for (const href of links) {
      await page.goto(href);
      if ((await page.getByRole('button', { name: 'Accept suggestion' }).count()) === 1) {
        found = true;
        break;
      }
    }
    expect(found, 'a new concern with a suggestion').toBe(true);
    await checkA11y(page);
    const lead = (await page.locator('#suggested-lead').innerText()).split('\n')[0]!.trim();
    await page.getByRole('button', { name: 'Accept suggestion' }).click();
    await expect.poll(() => page.locator('#suggestion-decision').count()).toBe(1);
    expect(await page.locator('#suggestion-decision').innerText()).toContain('The suggestion was accepted');
    expect(await page.locator('#history').innerText()).toContain(`Shared with ${lead} as lead`);
    await checkA11y(page);
    await page.context().close();
  });

  it('has no accessibility violations on any page visited', () => {
    expect(violations).toEqual([]);
  });
});
