import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startHeard, type RunningHeard } from './support.js';

/**
 * Low bandwidth, in Chromium: a resident on a cold cache gets the start page in under 100 KB, the
 * resident pages ask nothing of any other origin, and they work with JavaScript switched off (a
 * concern can be shared from start to finish). Bytes are what went over the wire (Chromium's own
 * count, headers included), not the size of the files.
 */
const START_PAGE_BUDGET = 100 * 1024;
const RESIDENT_PAGES = ['/', '/share/kind', '/progress', '/forums', '/you-said-we-did', '/open-data'];

let heard: RunningHeard;
let browser: Browser;
const contexts: BrowserContext[] = [];

interface Visit {
  page: Page;
  /** Every URL the page asked for (data: and blob: URLs are not requests over the network). */
  requested: string[];
  /** Bytes received per URL, headers included (CDP Network.loadingFinished encodedDataLength). */
  received: Map<string, number>;
  failed: string[];
}

/** A fresh context: nothing cached, no cookies, as a resident's first visit. */
async function coldVisit(path: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Visit> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // Make sure nothing is served from a cache Chromium might share between contexts.
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const urls = new Map<string, string>();
  const visit: Visit = { page, requested: [], received: new Map(), failed: [] };
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    const url = urls.get(e.requestId) ?? e.requestId;
    visit.received.set(url, (visit.received.get(url) ?? 0) + e.encodedDataLength);
  });
  page.on('request', (r) => {
    if (!/^(data|blob):/.test(r.url())) visit.requested.push(r.url());
  });
  page.on('response', (r) => {
    if (r.status() >= 400) visit.failed.push(`${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => visit.failed.push(`${r.failure()?.errorText} ${r.url()}`));
  const response = await page.goto(`${heard.baseUrl}${path}`, { waitUntil: 'networkidle' });
  expect(response?.status(), path).toBe(200);
  return visit;
}

const total = (visit: Visit) => [...visit.received.values()].reduce((a, b) => a + b, 0);

beforeAll(async () => {
  heard = await startHeard();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await heard?.close();
});

describe('a resident on a slow or costly connection', () => {
  it('gets the start page in under 100 KB on a cold cache', async () => {
    const visit = await coldVisit('/');
    expect(visit.failed).toEqual([]);
    const bytes = total(visit);
    const breakdown = [...visit.received]
      .sort((a, b) => b[1] - a[1])
      .map(([url, n]) => `${n} ${url.replace(heard.baseUrl, '')}`)
      .join(', ');
    console.log(`start page, cold cache: ${bytes} bytes (${breakdown})`);
    expect(bytes, breakdown).toBeGreaterThan(0);
    expect(bytes, breakdown).toBeLessThan(START_PAGE_BUDGET);
    // The stylesheet and script went compressed: that is most of the saving.
    const css = await visit.page.request.get(`${heard.baseUrl}/assets/govuk-frontend.min.css`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(css.headers()['content-encoding']).toBe('gzip');
  });

  it('makes no third-party requests on the resident pages', async () => {
    const origin = new URL(heard.baseUrl).origin;
    for (const path of RESIDENT_PAGES) {
      const visit = await coldVisit(path);
      expect(visit.requested.length, path).toBeGreaterThan(0);
      expect(
        visit.requested.filter((url) => new URL(url).origin !== origin),
        path,
      ).toEqual([]);
      expect(visit.failed, path).toEqual([]);
    }
  });

  it('can use every resident page with JavaScript switched off', async () => {
    for (const path of RESIDENT_PAGES) {
      const { page } = await coldVisit(path, { javaScriptEnabled: false });
      expect(await page.title(), path).not.toMatch(/^Error:/);
      expect(await page.locator('h1').count(), path).toBe(1);
    }
  });

  it('can share a concern from start to finish with JavaScript switched off', async () => {
    const { page } = await coldVisit('/', { javaScriptEnabled: false });
    expect(await page.evaluate(() => document.body.className)).not.toContain('js-enabled');
    const next = (button = 'Continue') => page.getByRole('button', { name: button, exact: true }).click();
    await page.getByRole('button', { name: 'Start now' }).click();
    await page.waitForURL(/\/share\/kind$/);
    await page.getByLabel('A concern').check();
    await next();
    // The form posted and the next question came back from the server.
    await page.waitForURL(/\/share\/topic$/);
    await page.getByLabel('Anti-social behaviour').check();
    await next();
    await page.waitForURL(/\/share\/details$/);
    await page
      .getByLabel('What happened, or what worries you?')
      .fill('Motorbikes on the footpath by the canal.');
    await next();
    await page.waitForURL(/\/share\/where$/);
    await next();
    await page.waitForURL(/\/share\/groups$/);
    await next();
    await page.waitForURL(/\/share\/who$/);
    await page.getByLabel('No, for myself').check();
    await next();
    await page.waitForURL(/\/share\/contact$/);
    await page.getByLabel('No, I want to stay anonymous').check();
    await next();
    await page.waitForURL(/\/share\/consent$/);
    await page.getByLabel('Yes, you can share it').check();
    await next();
    await page.waitForURL(/\/share\/equality$/);
    await next('Skip these questions');
    await page.waitForURL(/\/share\/check$/);
    await next('Send');
    await page.waitForURL(/\/share\/confirmation$/);
    const codes = await page.locator('.heard-reference').allTextContents();
    expect(codes[0]).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{3}$/);
  });
});
