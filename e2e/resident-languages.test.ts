import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { createI18n } from '../src/platform/i18n/index.js';
import { concerns } from '../src/capabilities/concerns/concerns.table.js';
import { axeViolations, launchBrowser, startHeard, tabTo, type RunningHeard } from './support.js';

/**
 * A Ukrainian-speaking and a Dari-speaking resident, each using only the keyboard, share a concern in
 * their own language and then check its progress. In Dari the page must really read right to left:
 * text, labels and radio buttons sit on the right.
 */
let heard: RunningHeard;
let browser: Browser;

beforeAll(async () => {
  heard = await startHeard();
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await heard?.close();
});

const WRITTEN = {
  uk: 'Біля зупинки на Веллінгборо-роуд увечері збираються підлітки, кричать і ображають жінок.',
  'fa-AF': 'چراغ‌های سرک نزدیک مکتب خاموش است و شب‌ها عبور از آنجا برای زنان و کودکان ناامن است.',
} as const;

/**
 * Tab reaches a radio group once (its first radio), and the arrow keys then move the choice through
 * it, as a keyboard user does; the page's direction does not change which arrow means "next".
 */
async function chooseRadio(page: Page, value: string) {
  await tabTo(page, (el) => el.tag === 'input');
  for (let i = 0; i < 20; i++) {
    const current = await page.evaluate(() => (document.activeElement as HTMLInputElement).value);
    if (current === value) {
      await page.keyboard.press('Space');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`No radio ${value} in the group`);
}

async function continueByKeyboard(page: Page, text: string) {
  await tabTo(page, (el) => el.tag === 'button' && el.text === text);
  await page.keyboard.press('Enter');
}

/** Where a right-to-left page puts things: measured, not assumed from the `dir` attribute. */
async function rightToLeftLayout(page: Page) {
  return page.evaluate(() => {
    const main = document.querySelector('main')!.getBoundingClientRect();
    const heading = document.querySelector('h1, legend')!;
    const radio = document.querySelector('.govuk-radios__input')!.getBoundingClientRect();
    const label = document.querySelector('.govuk-radios__label')!.getBoundingClientRect();
    return {
      direction: getComputedStyle(document.body).direction,
      headingAlign: getComputedStyle(heading).textAlign,
      // The heading starts at the right-hand edge of the content column.
      headingGapFromRight: Math.round(main.right - heading.getBoundingClientRect().right),
      radioRightOfLabel: radio.left >= label.right - 1,
    };
  });
}

describe.each(['uk', 'fa-AF'] as const)('a resident using %s and only the keyboard', (lang) => {
  const t = createI18n().translator(lang);
  let reference = '';
  let trackingCode = '';
  const violations: string[] = [];

  it('shares a concern in their language and is given a reference and a tracking code', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${heard.baseUrl}/?lang=${lang}`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    violations.push(...(await axeViolations(page)));
    await tabTo(page, (el) => el.tag === 'a' && el.text.startsWith(t('share.start.button')));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/share\/kind/);

    if (lang === 'fa-AF') {
      const layout = await rightToLeftLayout(page);
      expect(layout.direction).toBe('rtl');
      expect(['right', 'start']).toContain(layout.headingAlign);
      expect(layout.headingGapFromRight).toBeLessThanOrEqual(20);
      expect(layout.radioRightOfLabel).toBe(true);
      // Dari letters are drawn with a real Arabic-script face: Heard's own Naskh where the machine has
      // none (as this test machine has not), so no resident sees empty boxes.
      const naskh = await page.evaluate(async () => {
        await document.fonts.ready;
        let loaded = false;
        document.fonts.forEach((f) => {
          if (f.family.replace(/"/g, '') === 'Heard Naskh' && f.status === 'loaded') loaded = true;
        });
        return loaded;
      });
      expect(naskh).toBe(true);
    }

    await chooseRadio(page, 'concern');
    await continueByKeyboard(page, t('common.continue'));
    await page.waitForURL(/\/share\/topic/);
    await chooseRadio(page, 'antisocial_behaviour');
    await continueByKeyboard(page, t('common.continue'));
    await page.waitForURL(/\/share\/details/);
    violations.push(...(await axeViolations(page)));
    await tabTo(page, (el) => el.tag === 'textarea');
    await page.keyboard.type(WRITTEN[lang]);
    await continueByKeyboard(page, t('common.continue'));
    await page.waitForURL(/\/share\/where/);
    await continueByKeyboard(page, t('common.continue'));
    await page.waitForURL(/\/share\/groups/);
    await tabTo(page, (el) => el.tag === 'input' && el.value === 'sex');
    await page.keyboard.press('Space');
    await continueByKeyboard(page, t('common.continue'));
    await page.waitForURL(/\/share\/who/);
    await chooseRadio(page, 'no');
    await continueByKeyboard(page, t('common.continue'));
    await page.waitForURL(/\/share\/contact/);
    await chooseRadio(page, 'anonymous');
    await continueByKeyboard(page, t('common.continue'));
    await page.waitForURL(/\/share\/consent/);
    await chooseRadio(page, 'yes');
    await continueByKeyboard(page, t('common.continue'));
    await page.waitForURL(/\/share\/equality/);
    await continueByKeyboard(page, t('share.equality.skip'));
    await page.waitForURL(/\/share\/check/);
    violations.push(...(await axeViolations(page)));
    // What they wrote is shown back to them as they wrote it.
    expect(await page.locator('main').textContent()).toContain(WRITTEN[lang]);
    await continueByKeyboard(page, t('share.check.submit'));
    await page.waitForURL(/\/share\/confirmation/);
    violations.push(...(await axeViolations(page)));
    const codes = await page.locator('.heard-reference').allTextContents();
    expect(codes).toHaveLength(2);
    [reference, trackingCode] = codes as [string, string];
    await context.close();
    expect(violations).toEqual([]);
  });

  it('checks its progress with the reference and tracking code', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${heard.baseUrl}/?lang=${lang}`);
    await tabTo(page, (el) => el.tag === 'a' && el.text === t('common.nav.progress'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/progress/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    await tabTo(page, (el) => el.tag === 'input' && el.label.startsWith(t('share.progress.referenceLabel')));
    await page.keyboard.type(reference);
    await tabTo(page, (el) => el.tag === 'input' && el.label.startsWith(t('share.progress.codeLabel')));
    await page.keyboard.type(trackingCode);
    await continueByKeyboard(page, t('share.progress.submit'));
    await expect.poll(() => page.locator('h1').textContent()).toBe(t('share.progress.resultTitle'));
    expect(await page.locator('main').textContent()).toContain(t('share.progress.statuses.new'));
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('was recorded in the language they chose, so replies and staff know it', async () => {
    const found = await heard.db.system((tx) =>
      tx
        .select({ language: concerns.language })
        .from(concerns)
        .where(eq(concerns.description, WRITTEN[lang])),
    );
    expect(found.map((r) => r.language)).toEqual([lang]);
  });
});
