import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, startHeard, type RunningHeard } from './support.js';

/**
 * Easy Read and "save and come back later" in Chromium: a resident chooses Easy Read on the start
 * page and shares a concern with the keyboard alone; another saves half-way, opens the link in a
 * fresh browser and finishes. axe checks every page; every picture must load.
 */
let heard: RunningHeard;
let browser: Browser;

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

/** axe finds nothing, and every Easy Read picture on the page has loaded and has alt text. */
async function checkPage(page: Page, violations: string[], minPictures = 0) {
  violations.push(...(await axeViolations(page)));
  const pictures = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLImageElement>('img[src*="/static/share/easy-read/"]')).map(
      (img) => ({
        src: img.getAttribute('src'),
        loaded: img.complete && img.naturalWidth > 0,
        alt: img.getAttribute('alt'),
      }),
    ),
  );
  expect(pictures.length, page.url()).toBeGreaterThanOrEqual(minPictures);
  for (const p of pictures) {
    expect(p.loaded, `${page.url()} ${p.src}`).toBe(true);
    expect(p.alt, `${page.url()} ${p.src}`).not.toBeNull();
  }
}

/** Presses Tab until the focused element matches, as a keyboard user would; fails if it never does. */
async function tabTo(page: Page, matches: (el: { tag: string; text: string; value: string }) => boolean) {
  for (let i = 0; i < 100; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement & { value?: string };
      return { tag: a.tagName.toLowerCase(), text: (a.textContent ?? '').trim(), value: a.value ?? '' };
    });
    if (matches(el)) {
      const visible = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement!);
        return (s.outlineStyle !== 'none' && s.outlineWidth !== '0px') || s.boxShadow !== 'none';
      });
      expect(visible, `focus visible on ${el.tag} ${el.text}`).toBe(true);
      return;
    }
  }
  throw new Error('Could not reach the element by keyboard');
}

const button = (text: string) => (el: { tag: string; text: string }) =>
  el.tag === 'button' && el.text === text;
const radio = (value: string) => (el: { tag: string; value: string }) =>
  el.tag === 'input' && el.value === value;

async function next(page: Page, url: RegExp) {
  await tabTo(page, button('Next'));
  await page.keyboard.press('Enter');
  await page.waitForURL(url);
}

describe('Easy Read in a real browser', () => {
  it('a resident chooses Easy Read and shares a concern with the keyboard alone', async () => {
    const violations: string[] = [];
    const { context, page } = await newPage();
    await page.goto(heard.baseUrl);
    await checkPage(page, violations);
    await tabTo(
      page,
      (el) => el.tag === 'a' && el.text.includes('Easy Read: share with pictures and simple words'),
    );
    await page.keyboard.press('Enter');
    await page.waitForURL(`${heard.baseUrl}/`);
    expect(await page.locator('h1').textContent()).toBe('Tell us about safety where you live');
    await checkPage(page, violations, 8);

    // Pictures sit before their text: on the left here, and on the right when the page is right-to-left.
    const sides = async () =>
      page.evaluate(() => {
        const line = document.querySelector('.heard-easy-line')!;
        const img = line.querySelector('img')!.getBoundingClientRect();
        const text = line.querySelector('.heard-easy-line__text')!.getBoundingClientRect();
        return { pictureFirst: img.right <= text.left, pictureAfter: img.left >= text.right };
      });
    expect((await sides()).pictureFirst).toBe(true);
    await page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
    expect((await sides()).pictureAfter).toBe(true);
    await page.evaluate(() => document.documentElement.setAttribute('dir', 'ltr'));

    await tabTo(page, (el) => el.tag === 'a' && el.text.startsWith('Start'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/kind$/);
    await checkPage(page, violations, 2);

    // Next without choosing: the error, in Easy Read words, links to the field.
    await tabTo(page, button('Next'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/kind$/);
    expect(await page.locator('.govuk-error-summary a[href="#kind"]').textContent()).toContain(
      'Choose a worry or an idea.',
    );
    await checkPage(page, violations, 2);

    await tabTo(page, radio('concern'));
    await page.keyboard.press('Space');
    await next(page, /\/share\/topic$/);
    await checkPage(page, violations, 1);
    await tabTo(page, radio('unsafe_place'));
    await page.keyboard.press('Space');
    await next(page, /\/share\/details$/);
    await checkPage(page, violations, 4);
    await tabTo(page, (el) => el.tag === 'textarea');
    await page.keyboard.type('The lights in the underpass are broken. I feel scared at night.');
    await next(page, /\/share\/where$/);
    await checkPage(page, violations, 2);
    await next(page, /\/share\/groups$/);
    await checkPage(page, violations, 2);
    await tabTo(page, radio('disability'));
    await page.keyboard.press('Space');
    await next(page, /\/share\/who$/);
    await checkPage(page, violations, 1);
    await tabTo(page, radio('yes'));
    await page.keyboard.press('ArrowDown');
    await next(page, /\/share\/contact$/);
    await checkPage(page, violations, 3);
    await tabTo(page, radio('anonymous'));
    await page.keyboard.press('Space');
    await next(page, /\/share\/consent$/);
    await checkPage(page, violations, 3);
    await tabTo(page, radio('yes'));
    await page.keyboard.press('Space');
    await next(page, /\/share\/equality$/);
    await checkPage(page, violations, 4);
    await tabTo(page, button('Skip'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/check$/);
    expect(await page.locator('h1').textContent()).toBe('Check your answers');
    await checkPage(page, violations, 4);
    await tabTo(page, button('Send'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/confirmation$/);
    expect(await page.locator('h1').textContent()).toBe('Thank you. We have your worry.');
    await checkPage(page, violations, 4);

    await tabTo(page, (el) => el.tag === 'a' && el.text === 'See what is happening');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/progress$/);
    await checkPage(page, violations, 3);

    // And back to the standard version.
    await tabTo(page, (el) => el.tag === 'a' && el.text === 'Go back to the standard version');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/progress$/);
    expect(await page.locator('h1').textContent()).toBe('Check progress');
    expect(violations).toEqual([]);
    await context.close();
  });
});

describe('save and come back later in a real browser', () => {
  it('a resident saves half-way, opens the link in a fresh browser and finishes', async () => {
    const violations: string[] = [];
    const first = await newPage();
    let page = first.page;
    await page.goto(`${heard.baseUrl}/?format=easy-read`);
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByLabel('A worry').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('People causing trouble, like noise or damage').check();
    await page.getByRole('button', { name: 'Next' }).click();
    const story = 'Cars race along Kingsthorpe Road every Saturday night.\nSomeone will get hurt.';
    await page.getByLabel('What happened?').fill(story);
    await page.getByRole('button', { name: 'Save and finish later' }).click();
    await page.waitForURL(/\/share\/saved$/);
    expect(await page.locator('h1').textContent()).toBe('Your answers are saved');
    await checkPage(page, violations, 4);
    const link = await page.locator('.heard-resume-link a').getAttribute('href');
    expect(link).toMatch(/\/share\/resume\/[A-Za-z0-9_-]{40,}$/);
    await first.context.close();

    // A fresh browser: no cookies, so the standard version.
    const second = await newPage();
    page = second.page;
    await page.goto(link!);
    expect(await page.locator('h1').textContent()).toBe('Carry on with your answers');
    expect(await page.getByText('Anyone with this link can see your answers').count()).toBe(1);
    await checkPage(page, violations);
    await page.getByRole('button', { name: 'Carry on' }).click();
    await page.waitForURL(/\/share\/where$/);
    await page.goto(`${heard.baseUrl}/share/details`);
    expect(await page.getByLabel('What happened, or what worries you?').inputValue()).toBe(story);
    expect(await page.getByLabel(/When did it happen/).inputValue()).toBe('');
    await page.getByLabel(/When did it happen/).fill('Saturday nights');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/share\/where$/);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('No, for myself').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Yes, you can contact me').check();
    await page.getByLabel('Your name').fill('Kim');
    await page.getByLabel('Email address').fill('kim@example.com');
    // Save again: the same link, and now it can be emailed.
    await page.getByRole('button', { name: 'Save and come back later' }).click();
    await page.waitForURL(/\/share\/saved$/);
    await checkPage(page, violations);
    expect(await page.locator('.heard-resume-link a').getAttribute('href')).toBe(link);
    await page.getByRole('button', { name: 'Email me the link' }).click();
    await page.waitForURL(/\/share\/saved\?emailed=1$/);
    expect(await page.getByText('We have emailed the link to kim@example.com.').count()).toBe(1);
    await checkPage(page, violations);
    await page.getByRole('link', { name: 'Carry on with your answers now' }).click();
    await page.waitForURL(/\/share\/consent$/);
    await page.getByLabel('Yes, you can share it').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Skip these questions' }).click();
    await page.waitForURL(/\/share\/check$/);
    expect(await page.getByText('Cars race along Kingsthorpe Road').count()).toBe(1);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/share\/confirmation$/);
    await checkPage(page, violations);

    // Sent: the link no longer works, and says so plainly.
    const response = await page.goto(link!);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('This link does not work');
    await checkPage(page, violations);
    expect(violations).toEqual([]);
    await second.context.close();
  });
});
