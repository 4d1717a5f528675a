import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createI18n, LANGUAGES } from '../src/platform/i18n/index.js';
import { paths } from '../src/platform/paths.js';
import { CONFIRMATION_COOKIE } from '../src/capabilities/share/share.routes.js';
import { STEPS } from '../src/capabilities/share/share.service.js';
import { axeViolations, launchBrowser, startHeard, type RunningHeard } from './support.js';

/**
 * Every page residents use, in every language Heard speaks, in Chromium:
 * - axe finds no WCAG 2.2 AA violation;
 * - no string falls back to English (the app is built with an i18n that reports each fallback);
 * - `lang` and `dir` are right, and right-to-left pages really lay out right to left;
 * - at 320 CSS pixels wide (what a 1280-pixel screen shows at 400% zoom) nothing scrolls sideways.
 */
const LOCALES = Object.keys(LANGUAGES);
const fallbacks = new Set<string>();
const i18n = createI18n(undefined, undefined, { onFallback: (lang, key) => fallbacks.add(`${lang} ${key}`) });

let heard: RunningHeard;
let browser: Browser;
/** A resident's browser with a finished, unsent draft, so Check your answers renders. */
let drafted: BrowserContext;
let forumSlug = '';
let sent = { reference: '', trackingCode: '' };
let resumeLink = '';

async function answerEveryQuestion(page: Page) {
  const base = heard.baseUrl;
  await page.goto(`${base}${paths.share.kind()}?lang=en`);
  await page.check('input[name=kind][value=concern]');
  await page.click('form button.govuk-button');
  await page.check('input[name=topic][value=unsafe_place]');
  await page.click('form button.govuk-button');
  await page.fill('#description', 'Дорогу біля школи погано освітлено, і ввечері там небезпечно.');
  await page.click('form button.govuk-button');
  await page.click('form button.govuk-button'); // where: optional
  await page.check('input[name=affectedGroups][value=age]');
  await page.click('form button.govuk-button');
  await page.check('input[name=forGroup][value=no]');
  await page.click('form button.govuk-button');
  await page.check('input[name=contactMode][value=anonymous]');
  await page.click('form button.govuk-button');
  await page.check('input[name=consentToShare][value=yes]');
  await page.click('form button.govuk-button');
  await page.click('form button[name=skip]');
  await page.waitForURL(/\/share\/check/);
}

beforeAll(async () => {
  heard = await startHeard({ i18n });
  browser = await launchBrowser();
  drafted = await browser.newContext();
  const page = await drafted.newPage();
  await answerEveryQuestion(page);
  await page.goto(`${heard.baseUrl}${paths.forums.list()}`);
  const href = await page
    .locator('main a[href^="/forums/"]:not([href$=".ics"])')
    .first()
    .getAttribute('href');
  forumSlug = decodeURIComponent(href!.split('/')[2]!);
  // "Save and come back later" on a question page gives this browser a link back to its draft.
  await page.goto(`${heard.baseUrl}${paths.share.details()}`);
  await page.click('form button[name=save]');
  await page.waitForURL(/\/share\/saved/);
  resumeLink = new URL((await page.locator('.heard-resume-link a').getAttribute('href'))!).pathname;
  await page.close();

  // One concern really sent, so Check progress has something to show in every language.
  const sender = await drafted.browser()!.newContext();
  const p = await sender.newPage();
  await answerEveryQuestion(p);
  await p.click('form button.govuk-button');
  await p.waitForURL(/\/share\/confirmation/);
  const codes = await p.locator('.heard-reference').allTextContents();
  sent = { reference: codes[0]!, trackingCode: codes[1]! };
  await sender.close();
}, 300_000);

afterAll(async () => {
  await drafted?.close();
  await browser?.close();
  await heard?.close();
});

interface Visit {
  name: string;
  /** Opens the page (already in the right language, from the cookie). */
  open(page: Page): Promise<unknown>;
  status?: number;
}

function visits(): Visit[] {
  const base = heard.baseUrl;
  const get = (path: string) => (page: Page) => page.goto(`${base}${path}`);
  // The share journey and Check progress come in two presentations, standard and Easy Read: the same
  // routes, so each is visited once in each.
  const sharePages = (easy: boolean): Visit[] => {
    const version = easy ? 'Easy Read' : 'standard';
    return [
      {
        name: `${version}: start`,
        open: get(easy ? paths.share.easyRead() : `${paths.home()}?format=standard`),
      },
      ...STEPS.map((step) => ({ name: `${version}: share ${step}`, open: get(paths.share[step]()) })),
      {
        name: `${version}: share kind, unanswered`,
        open: async (page: Page) => {
          await page.goto(`${base}${paths.share.kind()}`);
          await page.click('form button.govuk-button:not([name=save])');
        },
        status: 400,
      },
      { name: `${version}: check your answers`, open: get(paths.share.check()) },
      { name: `${version}: confirmation (urgent, anonymous)`, open: get(paths.share.confirmation()) },
      { name: `${version}: saved, with the link back`, open: get(paths.share.saved()) },
      { name: `${version}: coming back by the link`, open: get(resumeLink) },
      {
        name: `${version}: a link back that does not work`,
        open: get(paths.share.resume('x'.repeat(43))),
        status: 404,
      },
      { name: `${version}: check progress`, open: get(paths.progress.form()) },
      {
        name: `${version}: check progress, the result`,
        open: async (page: Page) => {
          await page.goto(`${base}${paths.progress.form()}`);
          await page.fill('#reference', sent.reference);
          await page.fill('#trackingCode', sent.trackingCode);
          await page.click('form button.govuk-button');
          await expect.poll(() => page.locator('h1').count()).toBe(1);
        },
      },
    ];
  };
  return [
    ...sharePages(false),
    ...sharePages(true),
    { name: 'forums', open: get(paths.forums.list()) },
    { name: 'a forum', open: get(paths.forums.forum(forumSlug)) },
    { name: 'joining a forum', open: get(paths.forums.join(forumSlug)) },
    {
      name: 'joining a forum, unanswered',
      open: async (page: Page) => {
        await page.goto(`${base}${paths.forums.join(forumSlug)}`);
        await page.click('form button.govuk-button');
      },
      status: 400,
    },
    { name: 'you said, we did', open: get(paths.youSaidWeDid.page()) },
    {
      name: 'unsubscribe, with a link that does not work',
      open: get(paths.youSaidWeDid.unsubscribe('nope')),
      status: 404,
    },
    { name: 'open data', open: get(paths.openData.page()) },
    { name: 'accessibility statement', open: get(paths.accessibility()) },
    { name: 'page not found', open: get('/no-such-page'), status: 404 },
  ];
}

describe.each(LOCALES)('every resident page in %s', (lang) => {
  it('passes axe, is wholly translated, reads in the right direction and fits 320 pixels', async () => {
    const dir = LANGUAGES[lang as keyof typeof LANGUAGES].dir;
    const context = drafted;
    // The confirmation page shows what the last submission put in a signed cookie.
    await context.addCookies([
      {
        name: CONFIRMATION_COOKIE,
        // The cookie holds the codes as stored, without the dashes the page adds for reading.
        value: heard.app.signCookie(
          JSON.stringify({
            reference: sent.reference.replace(/-/g, ''),
            trackingCode: sent.trackingCode.replace(/-/g, ''),
            urgent: true,
            kind: 'concern',
            anonymous: true,
          }),
        ),
        url: heard.baseUrl,
      },
    ]);
    const page = await context.newPage();
    await page.goto(`${heard.baseUrl}/?lang=${encodeURIComponent(lang)}`);
    const problems: string[] = [];
    for (const visit of visits()) {
      await page.setViewportSize({ width: 1024, height: 768 });
      const before = fallbacks.size;
      const response = await visit.open(page);
      if (response && typeof response === 'object' && 'status' in response) {
        const status = (response as { status(): number }).status();
        if (status !== (visit.status ?? 200)) problems.push(`${visit.name}: HTTP ${status}`);
      }
      const html = await page.evaluate(() => ({
        lang: document.documentElement.lang,
        dir: document.documentElement.dir,
        direction: getComputedStyle(document.body).direction,
      }));
      if (html.lang !== lang || html.dir !== dir || html.direction !== dir)
        problems.push(`${visit.name}: lang=${html.lang} dir=${html.dir} direction=${html.direction}`);
      problems.push(...(await axeViolations(page)).map((v) => `${visit.name}: ${v}`));
      if (fallbacks.size > before) problems.push(`${visit.name}: English stood in for a missing translation`);

      await page.setViewportSize({ width: 320, height: 640 });
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const by = document.documentElement.scrollWidth - width;
        if (by <= 0) return null;
        // Name the innermost elements that stick out, so a failure says where to look.
        const out = Array.from(document.querySelectorAll('body *')).filter((el) => {
          const r = el.getBoundingClientRect();
          return (
            (r.right > width + 1 || r.left < -1) &&
            !Array.from(el.children).some((c) => {
              const cr = c.getBoundingClientRect();
              return cr.right > width + 1 || cr.left < -1;
            })
          );
        });
        return {
          by,
          where: out
            .slice(0, 3)
            .map(
              (el) =>
                `${el.tagName.toLowerCase()}.${Array.from(el.classList).join('.')} "${(el.textContent ?? '').trim().slice(0, 40)}"`,
            ),
        };
      });
      if (overflow)
        problems.push(
          `${visit.name}: scrolls sideways by ${overflow.by}px at 320px wide: ${overflow.where.join('; ')}`,
        );
    }
    await page.close();
    expect(problems).toEqual([]);
    expect([...fallbacks].filter((f) => f.startsWith(`${lang} `))).toEqual([]);
  }, 300_000);
});
