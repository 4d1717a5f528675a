import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, type TestApp, type TestClient } from '../../../test/helpers/app.js';
import { createI18n, flattenKeys, loadCatalogs } from '../../platform/i18n/index.js';
import { DRAFT_COOKIE, EASY_COOKIE, easyTranslator } from './share.routes.js';

/**
 * Easy Read: the same journey and the same rules as the standard pages, shown in short lines of
 * plain words, each with a picture that has alt text.
 */
let t: TestApp;
const en = createI18n().translator('en');
const here = import.meta.dirname;
const PICTURES = path.join(here, 'static', 'easy-read');

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

/** A client that chose Easy Read on the start page. */
async function easyClient(): Promise<TestClient> {
  const c = t.client();
  const start = await c.get('/');
  expect(start.body).toContain(en('share.easy.switchTo'));
  expect(start.body).toContain('href="/?format=easy-read"');
  const chosen = await c.get('/?format=easy-read');
  expect(chosen.statusCode).toBe(302);
  expect(chosen.headers.location).toBe('/');
  expect(c.cookies.get(EASY_COOKIE)).toBe('1');
  return c;
}

/** The <img> tags of a page, as attribute maps. */
function images(body: string): Record<string, string>[] {
  return [...body.matchAll(/<img\b([^>]*)>/g)].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([a-z-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );
}

/** What every Easy Read page has: its title, pictures with alt text and a size, no key left untranslated. */
function expectEasyPage(res: LightMyRequestResponse, title: string) {
  expect(res.body).toContain('class="heard-easy"');
  expect(res.body).toContain('/static/share/easy-read.css');
  expect(res.body).toContain(title);
  expect(res.body).toContain('href="?format=standard"');
  const pictures = images(res.body).filter((i) => i.src?.startsWith('/static/share/easy-read/'));
  expect(pictures.length).toBeGreaterThanOrEqual(2);
  for (const img of pictures) {
    expect(img.alt, img.src).toBeTruthy();
    expect(img.alt, img.src).not.toMatch(/^share\./);
    expect(img.width).toBe(img.height);
    expect(Number(img.width)).toBeGreaterThan(0);
  }
  // A missing translation shows its key: none may be left on the page.
  expect(res.body).not.toMatch(/\bshare\.[a-z]+\.[a-zA-Z_.]+/);
}

async function answer(c: TestClient, url: string, form: Record<string, string | string[]>) {
  const page = await c.get(url);
  expect(page.statusCode, `GET ${url}`).toBe(200);
  const res = await c.post(url, form);
  expect(res.statusCode, `POST ${url}`).toBe(302);
  return { page, res };
}

describe('choosing Easy Read', () => {
  it('is offered on the start page and shows the Easy Read start page, with a way back', async () => {
    const c = await easyClient();
    const start = await c.get('/');
    expectEasyPage(start, en('share.easy.start.title'));
    expect(start.body).toContain(en('share.easy.start.lines.anonymous'));
    expect(start.body).toContain(`href="/share/kind"`);

    const back = await c.get('/share/kind?format=standard');
    expect(back.statusCode).toBe(302);
    expect(back.headers.location).toBe('/share/kind');
    expect(c.cookies.has(EASY_COOKIE)).toBe(false);
    const standard = await c.get('/share/kind');
    expect(standard.body).toContain(en('share.kind.title'));
    expect(standard.body).not.toContain('class="heard-easy"');
    expect(standard.body).toContain('href="?format=easy-read"');
  });

  it('keeps other query parameters when switching', async () => {
    const c = t.client();
    const res = await c.get('/progress?format=easy-read&lang=en');
    expect(res.headers.location).toBe('/progress?lang=en');
  });
});

describe('the Easy Read journey', () => {
  it('shows every page in Easy Read, stores the same answers, and sends', async () => {
    const c = await easyClient();
    const pages: [string, Record<string, string | string[]>, string][] = [
      ['/share/kind', { kind: 'concern' }, en('share.easy.kind.title')],
      ['/share/topic', { topic: 'unsafe_place' }, en('share.easy.topic.title')],
      [
        '/share/details',
        { description: 'Lights broken in the underpass', whenText: 'Friday' },
        en('share.easy.details.title.concern'),
      ],
      ['/share/where', { areaId: '', placeDescription: 'Underpass' }, en('share.easy.where.title')],
      ['/share/groups', { affectedGroups: ['_none', 'disability'] }, en('share.easy.groups.title')],
      ['/share/who', { forGroup: 'no' }, en('share.easy.who.title')],
      [
        '/share/contact',
        { contactMode: 'named', contactName: 'Sam', contactEmail: 'sam@example.com' },
        en('share.easy.contact.title'),
      ],
      ['/share/consent', { consentToShare: 'yes' }, en('share.easy.consent.title')],
      ['/share/equality', { skip: 'yes' }, en('share.easy.equality.title')],
    ];
    for (const [url, form, title] of pages) {
      const { page } = await answer(c, url, form);
      expectEasyPage(page, title);
      // Every question page offers to save and come back, in Easy Read words.
      expect(page.body).toContain(en('share.easy.save.button'));
      expect(page.body).toContain(`<title>${title}`);
    }
    const answers = await t.services.share.load(t.a.id, c.cookies.get(DRAFT_COOKIE));
    expect(answers).toMatchObject({
      kind: 'concern',
      topic: 'unsafe_place',
      description: 'Lights broken in the underpass',
      affectedGroups: ['disability'],
      contactMode: 'named',
      contactEmail: 'sam@example.com',
      equalityAnswered: true,
    });

    const check = await c.get('/share/check');
    expectEasyPage(check, en('share.easy.check.title'));
    expect(check.body).toContain(en('share.easy.vocab.group.disability'));
    expect(check.body).toContain(en('share.easy.vocab.topic.unsafe_place'));

    expect((await c.post('/share/check')).headers.location).toBe('/share/confirmation');
    const confirmation = await c.get('/share/confirmation');
    expectEasyPage(confirmation, en('share.easy.confirmation.title.concern'));
    const reference = /<strong class="heard-reference">([^<]+)<\/strong>/.exec(confirmation.body)![1]!;
    expect(confirmation.body).toContain(en('share.easy.confirmation.lines.reference', { reference }));

    const progress = await c.get('/progress');
    expectEasyPage(progress, en('share.easy.progress.title'));
    const result = await c.post('/progress', { reference, email: 'sam@example.com', trackingCode: '' });
    expect(result.statusCode).toBe(200);
    expectEasyPage(result, en('share.easy.progress.resultTitle'));
    expect(result.body).toContain(en('share.easy.progress.statuses.new'));
  });

  it('shows the idea wording for a suggestion', async () => {
    const c = await easyClient();
    await answer(c, '/share/kind', { kind: 'suggestion' });
    const details = await c.get('/share/details');
    expectEasyPage(details, en('share.easy.details.title.suggestion'));
    expect(details.body).toContain(en('share.easy.details.ideaLabel'));
  });
});

describe('Easy Read errors', () => {
  it('use Easy Read words and link to the same fields', async () => {
    const c = await easyClient();
    const kind = await c.post('/share/kind', {});
    expect(kind.statusCode).toBe(400);
    expect(kind.body).toContain(`<a href="#kind">${en('share.easy.errors.kindRequired')}</a>`);
    expect(kind.body).toContain(`<title>${en('common.errorPrefix')} ${en('share.easy.kind.title')}`);
    expectEasyPage(kind, en('share.easy.kind.title'));

    await answer(c, '/share/kind', { kind: 'concern' });
    await answer(c, '/share/topic', { topic: 'something_else' });
    const details = await c.post('/share/details', { description: '   ' });
    expect(details.body).toContain(
      `<a href="#description">${en('share.easy.errors.descriptionRequired')}</a>`,
    );
    const contact = await c.post('/share/contact', {
      contactMode: 'named',
      contactName: 'Sam',
      contactEmail: 'sam@',
    });
    expect(contact.body).toContain(`<a href="#contactEmail">${en('share.easy.errors.emailInvalid')}</a>`);
    expect(contact.body).toContain('id="contactEmail"');

    const progress = await c.post('/progress', { reference: '', email: '' });
    expect(progress.body).toContain(
      `<a href="#reference">${en('share.easy.progress.errors.referenceRequired')}</a>`,
    );
  });

  it('the standard pages keep the standard words', async () => {
    const c = t.client();
    const kind = await c.post('/share/kind', {});
    expect(kind.body).toContain(`<a href="#kind">${en('share.errors.kindRequired')}</a>`);
  });

  it('every form error has Easy Read words', () => {
    const catalog = loadCatalogs().get('en')!;
    const keys = flattenKeys(catalog);
    const errorKeys = keys.filter((k) => /^share\.(progress\.)?errors\./.test(k));
    expect(errorKeys.length).toBeGreaterThan(20);
    const easyT = easyTranslator(en);
    for (const key of errorKeys) {
      const easy = easyT(key);
      expect(easy, key).not.toBe(key.replace(/^share\./, 'share.easy.'));
      expect(easy, key).not.toBe(en(key));
    }
    // Other keys go through unchanged.
    expect(easyT('common.continue')).toBe(en('common.continue'));
  });
});

describe('the pictures', () => {
  const files = readdirSync(PICTURES).filter((f) => f.endsWith('.svg'));

  it('are our own small SVG files, each with alt text, served from the app', async () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const file of files) {
      const name = file.slice(0, -4);
      expect(statSync(path.join(PICTURES, file)).size, file).toBeLessThan(3 * 1024);
      const svg = readFileSync(path.join(PICTURES, file), 'utf8');
      // Nothing fetched from elsewhere, nothing that runs.
      expect(svg).not.toMatch(/<script|href=|url\(/i);
      expect(en(`share.easy.pictures.${name}`), name).not.toMatch(/^share\./);
      const res = await t.client().get(`/static/share/easy-read/${file}`);
      expect(res.statusCode, file).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    }
  });

  it('every picture a template names exists', () => {
    const views = path.join(here, 'views', 'easy');
    const named = new Set<string>();
    for (const file of readdirSync(views)) {
      const text = readFileSync(path.join(views, file), 'utf8');
      for (const m of text.matchAll(/\['([a-z-]+)', t\(/g)) named.add(m[1]!);
      for (const m of text.matchAll(/er\.heading\('([a-z-]+)'/g)) named.add(m[1]!);
    }
    expect(named.size).toBeGreaterThanOrEqual(12);
    for (const name of named) expect(files, name).toContain(`${name}.svg`);
  });
});
