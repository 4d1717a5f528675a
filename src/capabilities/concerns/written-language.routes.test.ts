import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, type TestApp, type TestClient } from '../../../test/helpers/app.js';
import { LANGUAGES } from '../../platform/i18n/index.js';
import { LANG_COOKIE } from '../../platform/http/context.js';
import { normaliseReference } from './reference.js';
import { concernRow, createConcern, queueRefs, staffClient, unescapeHtml } from './concerns.test-helpers.js';

/**
 * The written language from end to end: detected when a concern is stored (whatever the channel),
 * shown to triage on the concern page and in the queue, filterable, and in the JSON API.
 */
let t: TestApp;
let triage: TestClient;

const DARI =
  'هر شب چند نفر جوان در نزدیکی پارک جمع می‌شوند و به مردم دشنام می‌دهند. من و خانواده‌ام می‌ترسیم که از خانه بیرون برویم.';
const UKRAINIAN =
  "Кожного вечора біля магазину збираються п'яні чоловіки, кричать на перехожих і кидають пляшки. Мої діти бояться ходити повз них до школи.";
const POLISH =
  'Od kilku tygodni grupa nastolatków niszczy przystanek autobusowy na naszej ulicy i zaczepia starsze osoby. Boję się wychodzić wieczorem z domu.';

beforeAll(async () => {
  t = await buildTestApp();
  triage = await staffClient(t, t.a, 'triage');
});
afterAll(async () => {
  await t.close();
});

const text = (res: LightMyRequestResponse, id: string) =>
  unescapeHtml(new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(res.body)?.[1] ?? '').trim();

async function answer(c: TestClient, url: string, form: Record<string, string | string[]>) {
  expect((await c.get(url)).statusCode, `GET ${url}`).toBe(200);
  const res = await c.post(url, form);
  expect(res.statusCode, `POST ${url}`).toBe(302);
}

describe('a Dari description sent through the web share journey', () => {
  let reference: string;
  // The Dari pages may not exist yet: the cookie asks for them, and the page language is whatever was served.
  const pageLanguage = 'fa-AF' in LANGUAGES ? 'fa-AF' : 'en';

  beforeAll(async () => {
    const resident = t.client();
    resident.cookies.set(LANG_COOKIE, 'fa-AF');
    await answer(resident, '/share/kind', { kind: 'concern' });
    await answer(resident, '/share/topic', { topic: 'antisocial_behaviour' });
    await answer(resident, '/share/details', { description: DARI, whenText: '' });
    await answer(resident, '/share/where', { areaId: '', placeDescription: '' });
    await answer(resident, '/share/groups', { affectedGroups: ['_none'] });
    await answer(resident, '/share/who', { forGroup: 'no' });
    await answer(resident, '/share/contact', { contactMode: 'anonymous' });
    await answer(resident, '/share/consent', { consentToShare: 'yes' });
    await answer(resident, '/share/equality', {});
    expect((await resident.post('/share/check')).statusCode).toBe(302);
    const confirmation = await resident.get('/share/confirmation');
    reference = /<strong class="heard-reference">([^<]+)<\/strong>/.exec(confirmation.body)![1]!;
  });

  it('stores the written language beside the page language', async () => {
    const row = await concernRow(t, t.a, normaliseReference(reference)!);
    expect(row.language).toBe(pageLanguage);
    // Dari for someone on the Dari pages; franc alone cannot tell it from Iranian Persian.
    expect(row.written_language).toBe(pageLanguage === 'fa-AF' ? 'fa-AF' : 'fa');
    expect(row.written_language_source).toBe('library');
  });

  it('shows triage what it was written in, and that it may need translation', async () => {
    const page = await triage.get(`/staff/concerns/${reference}`);
    expect(page.statusCode).toBe(200);
    const name = pageLanguage === 'fa-AF' ? 'Dari' : 'Persian';
    expect(text(page, 'written-language')).toBe(`${name} (detected from the text)`);
    expect(page.body).toContain(`Written in ${name}: this may need translation.`);
    // The description is marked up in its own language, and laid out right to left.
    expect(page.body).toMatch(/id="description" dir="auto" lang="fa(-AF)?"/);
  });
});

describe('the staff concern page', () => {
  it('shows Dari, and the Dari page language, for a concern sent from the Dari pages', async () => {
    const c = await createConcern(t, t.a, { description: DARI, language: 'fa-AF', channel: 'open311' });
    const page = await triage.get(`/staff/concerns/${c.ref}`);
    expect(text(page, 'written-language')).toBe('Dari (detected from the text)');
    expect(text(page, 'page-language')).toBe('Dari');
    expect(page.body).toContain('id="translation"');
  });

  it('raises no translation flag for English', async () => {
    const c = await createConcern(t, t.a, { channel: 'open311' });
    const page = await triage.get(`/staff/concerns/${c.ref}`);
    expect(text(page, 'written-language')).toBe('English (detected from the text)');
    expect(text(page, 'page-language')).toBe('English');
    expect(page.body).not.toContain('id="translation"');
  });

  it('says so when only the script could be told, or when nothing was recorded', async () => {
    const short = await createConcern(t, t.a, { description: 'همه جا کثیف است', channel: 'open311' });
    const page = await triage.get(`/staff/concerns/${short.ref}`);
    expect(text(page, 'written-language')).toBe('A language written in Arabic script (could not tell which)');
    expect(page.body).toContain('id="translation"');

    // Concerns from before the column existed.
    await t.db.tenant(t.a.id, (tx) =>
      tx.execute(
        sql`update concerns set written_language = null, written_language_source = null where reference = ${normaliseReference(short.ref)}`,
      ),
    );
    const older = await triage.get(`/staff/concerns/${short.ref}`);
    expect(text(older, 'written-language')).toBe(
      'Not recorded: this concern came in before Heard detected the written language',
    );
    expect(older.body).not.toContain('id="translation"');
  });

  it('records what staff typed for someone, in the language they typed it', async () => {
    const officer = await staffClient(t, t.a, 'triage');
    expect((await officer.get('/staff/concerns/record')).statusCode).toBe(200);
    const res = await officer.post('/staff/concerns/record', {
      channel: 'walk_in',
      source: '',
      kind: 'concern',
      topic: 'antisocial_behaviour',
      description: UKRAINIAN,
      areaId: '',
      placeDescription: '',
      whenText: '',
      contactMode: 'anonymous',
      consentToShare: 'no',
    });
    expect(res.statusCode).toBe(302);
    const ref = String(res.headers.location).split('/').pop()!;
    const row = await concernRow(t, t.a, normaliseReference(ref)!);
    expect([row.language, row.written_language, row.written_language_source]).toEqual(['en', 'uk', 'script']);
  });
});

describe('the queue', () => {
  let english: string;
  let polish: string;
  let ukrainian: string;
  beforeAll(async () => {
    // The engagement channel is used by nothing else in this file, so the lists are exact.
    english = (await createConcern(t, t.a, { channel: 'engagement' })).ref;
    polish = (await createConcern(t, t.a, { channel: 'engagement', description: POLISH })).ref;
    ukrainian = (await createConcern(t, t.a, { channel: 'engagement', description: UKRAINIAN })).ref;
  });
  const queue = (query: string) => triage.get(`/staff/concerns?channel=engagement&sort=oldest&${query}`);

  it('tags concerns not written in English', async () => {
    const res = await queue('');
    expect(queueRefs(res.body)).toEqual([english, polish, ukrainian]);
    const tags = [...res.body.matchAll(/heard-written-language">\s*([^<]+?)\s*</g)].map((m) => m[1]);
    expect(tags).toEqual(['Written in Polish', 'Written in Ukrainian']);
  });

  it('filters by written language alongside the other filters', async () => {
    expect(queueRefs((await queue('written=not-en')).body)).toEqual([polish, ukrainian]);
    expect(queueRefs((await queue('written=uk')).body)).toEqual([ukrainian]);
    expect(queueRefs((await queue('written=en')).body)).toEqual([english]);
    // A value that is not a language tag is ignored, as every other filter is.
    expect(queueRefs((await queue('written=%3Cscript%3E')).body)).toEqual([english, polish, ukrainian]);
    const page = await queue('written=not-en');
    expect(page.body).toContain(
      '<option value="not-en" selected>Not English (may need translation)</option>',
    );
  });

  it('is in the JSON API, with how it was found', async () => {
    const list = await triage.api(
      'GET',
      '/api/v1/concerns?channel=engagement&sort=oldest&writtenLanguage=not-en',
    );
    expect(list.statusCode).toBe(200);
    const items = (JSON.parse(list.body) as { items: { reference: string; writtenLanguage: string }[] })
      .items;
    expect(items.map((i) => [i.reference, i.writtenLanguage])).toEqual([
      [polish, 'pl'],
      [ukrainian, 'uk'],
    ]);
    const detail = JSON.parse((await triage.api('GET', `/api/v1/concerns/${ukrainian}`)).body) as Record<
      string,
      unknown
    >;
    expect(detail).toMatchObject({ language: 'en', writtenLanguage: 'uk', writtenLanguageSource: 'script' });
  });

  it('describes both fields in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.body;
    expect(doc).toContain('writtenLanguageSource');
    expect(doc).toContain('not-en for anything but English');
  });
});
