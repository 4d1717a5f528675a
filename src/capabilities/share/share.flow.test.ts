import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql, type SQL } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, type TestApp, type TestClient } from '../../../test/helpers/app.js';
import { staffActor } from '../../platform/auth/actor.js';
import { hashToken } from '../../platform/auth/tokens.js';
import type { Tx } from '../../platform/db/index.js';
import { createI18n } from '../../platform/i18n/index.js';
import { concernEquality, concerns } from '../concerns/concerns.table.js';
import {
  formatReference,
  generateReference,
  normaliseReference,
  REFERENCE_ALPHABET,
} from '../concerns/reference.js';
import { endOfLondonDay } from '../concerns/targets.js';
import { DRAFT_COOKIE } from './share.routes.js';

/**
 * The resident's whole journey through the pages, as a browser without JavaScript makes it: each
 * page fetched, each form posted with its CSRF token, redirects followed by hand.
 */
let t: TestApp;
const en = createI18n().translator('en');

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

type Form = Record<string, string | string[]>;

/** Raw SQL as partnership A (or as the owner, for checks across every partnership). */
async function query<T>(q: SQL, as: 'tenant' | 'system' = 'tenant'): Promise<T[]> {
  const run = (tx: Tx) => tx.execute(q) as unknown as Promise<{ rows: T[] }>;
  return (as === 'tenant' ? await t.db.tenant(t.a.id, run) : await t.db.system(run)).rows;
}

async function count(table: 'concerns' | 'share_drafts' | 'concern_equality'): Promise<number> {
  const [r] = await query<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`));
  return Number(r!.n);
}

async function draftAnswers(c: TestClient): Promise<Record<string, unknown> | undefined> {
  const token = c.cookies.get(DRAFT_COOKIE);
  if (!token) return undefined;
  return (await t.services.share.load(t.a.id, token)) as Record<string, unknown>;
}

/** Fetches a question page, then posts its form: a 302 to the next page is expected. */
async function answer(c: TestClient, url: string, form: Form): Promise<LightMyRequestResponse> {
  const page = await c.get(url);
  expect(page.statusCode, `GET ${url}`).toBe(200);
  const res = await c.post(url, form);
  expect(
    res.statusCode,
    `POST ${url}: ${res.statusCode === 400 ? errorSummary(res.body).join('; ') : ''}`,
  ).toBe(302);
  return res;
}

function errorSummary(body: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`);
}

interface Journey {
  description: string;
  contact: Form;
  equality: Form;
  areaId?: string;
}

/** Answers every question and sends; returns the confirmation page. */
async function journey(
  c: TestClient,
  j: Journey,
): Promise<{ confirmation: LightMyRequestResponse; draftToken: string }> {
  await answer(c, '/share/kind', { kind: 'concern' });
  await answer(c, '/share/topic', { topic: 'hate_harassment' });
  await answer(c, '/share/details', { description: j.description, whenText: '  Most evenings  ' });
  await answer(c, '/share/where', {
    areaId: j.areaId ?? '',
    placeDescription: 'The underpass by the station',
  });
  await answer(c, '/share/groups', { affectedGroups: ['_none', 'race', 'religion_belief'] });
  await answer(c, '/share/who', { forGroup: 'yes', groupName: 'Riverside Residents' });
  await answer(c, '/share/contact', j.contact);
  await answer(c, '/share/consent', { consentToShare: 'yes' });
  const last = await answer(c, '/share/equality', j.equality);
  expect(last.headers.location).toBe('/share/check');
  const draftToken = c.cookies.get(DRAFT_COOKIE)!;
  expect(draftToken).toBeDefined();

  const check = await c.get('/share/check');
  expect(check.statusCode).toBe(200);
  const sent = await c.post('/share/check');
  expect(sent.statusCode).toBe(302);
  expect(sent.headers.location).toBe('/share/confirmation');
  const confirmation = await c.get('/share/confirmation');
  expect(confirmation.statusCode).toBe(200);
  return { confirmation, draftToken };
}

/** The reference and tracking code shown on the confirmation page. */
function shownCodes(body: string): { reference: string; trackingCode: string | undefined } {
  const codes = [...body.matchAll(/<strong class="heard-reference">([^<]+)<\/strong>/g)].map((m) => m[1]!);
  return { reference: codes[0]!, trackingCode: codes[1] };
}

async function storedConcern(reference: string) {
  const [row] = await t.db.tenant(t.a.id, (tx) =>
    tx.select().from(concerns).where(eq(concerns.reference, reference)),
  );
  return row!;
}

async function storedEquality(concernId: string) {
  const [row] = await t.db.tenant(t.a.id, (tx) =>
    tx.select().from(concernEquality).where(eq(concernEquality.concernId, concernId)),
  );
  return row;
}

async function draftExists(token: string): Promise<boolean> {
  const [r] = await query<{ n: number }>(
    sql`select count(*)::int as n from share_drafts where token_hash = ${hashToken(token)}`,
  );
  return Number(r!.n) > 0;
}

function triageActor() {
  const email = t.a.email('triage');
  return staffActor(
    {
      id: t.a.staff[email]!,
      partnershipId: t.a.id,
      organisationId: t.a.organisations.council!,
      organisationName: 'Council a',
      name: 'Triage A',
      email,
      roles: ['triage_officer'],
      via: 'session',
      sessionId: null,
    },
    'share-flow-test',
  );
}

describe('a named resident', () => {
  let reference: string;
  let trackingCode: string;
  let draftToken: string;
  let confirmation: LightMyRequestResponse;
  const c = () => client;
  let client: TestClient;

  beforeAll(async () => {
    client = t.client();
    const done = await journey(client, {
      description: 'People shout at my neighbours in the street because of their religion.',
      areaId: t.a.areas['a-02'],
      contact: {
        contactMode: 'named',
        contactName: 'Amina Khan',
        contactEmail: 'Amina.Khan@Example.test',
        contactPhone: '07700 900982',
        preferredContact: 'phone',
      },
      equality: { ageBand: '35_44', sex: '', religion: 'muslim', ethnicity: 'prefer_not' },
    });
    confirmation = done.confirmation;
    draftToken = done.draftToken;
    const codes = shownCodes(confirmation.body);
    reference = codes.reference;
    trackingCode = codes.trackingCode!;
  });

  it('sees a valid reference and a tracking code on the confirmation page', () => {
    expect(reference).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}$/);
    expect(normaliseReference(reference)).toBe(reference.replace(/-/g, ''));
    expect(trackingCode).toMatch(new RegExp(`^[${REFERENCE_ALPHABET}]{4}-[${REFERENCE_ALPHABET}]{4}$`));
    expect(confirmation.body).toContain('Thank you, we have your concern');
    expect(confirmation.body).toContain(en('share.confirmation.keepBoth'));
    expect(confirmation.body).not.toContain(en('share.confirmation.urgentHeading'));
  });

  it('is stored as a web concern in English with every answer', async () => {
    const row = await storedConcern(normaliseReference(reference)!);
    expect(row).toMatchObject({
      partnershipId: t.a.id,
      kind: 'concern',
      topic: 'hate_harassment',
      description: 'People shout at my neighbours in the street because of their religion.',
      whenText: 'Most evenings',
      areaId: t.a.areas['a-02'],
      placeDescription: 'The underpass by the station',
      affectedGroups: ['race', 'religion_belief'],
      forGroup: true,
      groupName: 'Riverside Residents',
      anonymous: false,
      contactName: 'Amina Khan',
      contactEmail: 'amina.khan@example.test',
      contactPhone: '07700 900982',
      preferredContact: 'phone',
      consentToShare: true,
      channel: 'web',
      language: 'en',
      status: 'new',
      urgent: false,
      urgentSignals: [],
      recordedByStaffId: null,
      closedAt: null,
    });
    expect(row.trackingCodeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.trackingCodeHash).not.toContain(trackingCode.replace('-', ''));
    expect(row.acknowledgeDueAt.getTime()).toBeGreaterThan(row.createdAt.getTime());
  });

  it('keeps equality answers only in concern_equality, and only those answered', async () => {
    const row = await storedConcern(normaliseReference(reference)!);
    const equality = await storedEquality(row.id);
    expect(equality?.answers).toEqual({ ageBand: '35_44', religion: 'muslim', ethnicity: 'prefer_not' });
    // Nowhere else: not on the concern, its events or the audit log.
    const elsewhere = await query(
      sql`
        select (select count(*)::int from concerns c where c.id = ${row.id} and to_jsonb(c)::text like '%muslim%') as concern,
               (select count(*)::int from concern_events e where e.concern_id = ${row.id} and e.details::text like '%muslim%') as events,
               (select count(*)::int from audit_log l where l.details::text like '%muslim%' or l.details::text like '%35_44%') as audit`,
    );
    expect(elsewhere[0]).toEqual({ concern: 0, events: 0, audit: 0 });
  });

  it('deletes the draft on sending, and a second send creates nothing', async () => {
    expect(await draftExists(draftToken)).toBe(false);
    expect(c().cookies.has(DRAFT_COOKIE)).toBe(false);
    const before = await count('concerns');
    // A double click: the browser sends the old draft cookie again.
    c().cookies.set(DRAFT_COOKIE, draftToken);
    const again = await c().post('/share/check');
    expect(again.statusCode).toBe(302);
    expect(again.headers.location).toBe('/share');
    expect(await count('concerns')).toBe(before);
    c().cookies.delete(DRAFT_COOKIE);
    const noDraft = await c().post('/share/check');
    expect(noDraft.headers.location).toBe('/share');
    expect(await count('concerns')).toBe(before);
  });

  describe('Check progress', () => {
    const noMatch = en('share.progress.errors.noMatch');

    let residents = 0;
    /** Each check comes from a different resident (address), so the rate limit stays out of the way. */
    async function check(form: Record<string, string>): Promise<LightMyRequestResponse> {
      const resident = t.client();
      const page = await resident.get('/progress');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      return resident.request({
        method: 'POST',
        url: '/progress',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
        remoteAddress: `192.0.2.${++residents}`,
      });
    }

    it('shows the status with the email address, in any case', async () => {
      const res = await check({ reference, email: '  AMINA.KHAN@example.test ' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(en('share.progress.statuses.new'));
      expect(res.body).toContain(en('share.progress.statusHelp.new'));
      expect(res.body).toContain(reference);
      expect(res.body).toContain(en('share.progress.noUpdates'));
    });

    it('shows the status with the tracking code, typed loosely', async () => {
      const res = await check({
        reference: reference.toLowerCase().replace(/-/g, ' '),
        trackingCode: trackingCode.toLowerCase(),
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(en('share.progress.statuses.new'));
    });

    it('shows public updates, never internal notes or personal details', async () => {
      const actor = triageActor();
      const pub = await t.services.concerns.addNote(
        actor,
        reference,
        'We have asked the police to patrol the street.',
        'public',
      );
      expect(pub.ok).toBe(true);
      const internal = await t.services.concerns.addNote(
        actor,
        reference,
        'INTERNAL: neighbour known to us',
        'internal',
      );
      expect(internal.ok).toBe(true);

      const forms: Record<string, string>[] = [
        { reference, email: 'amina.khan@example.test' },
        { reference, trackingCode },
      ];
      for (const form of forms) {
        const res = await check(form);
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('We have asked the police to patrol the street.');
        expect(res.body).not.toContain('INTERNAL');
        expect(res.body).not.toContain('Amina Khan');
        expect(res.body).not.toContain('07700 900982');
        expect(res.body).not.toContain('People shout at my neighbours');
        expect(res.body).not.toContain(en('share.progress.noUpdates'));
      }
    });

    it('gives one neutral answer for a wrong email, a wrong code, an unknown or a mistyped reference', async () => {
      const raw = normaliseReference(reference)!;
      const typoAt = 3;
      const other =
        REFERENCE_ALPHABET[(REFERENCE_ALPHABET.indexOf(raw[typoAt]!) + 1) % REFERENCE_ALPHABET.length]!;
      const mistyped = formatReference(raw.slice(0, typoAt) + other + raw.slice(typoAt + 1));
      const attempts: Record<string, string>[] = [
        { reference, email: 'someone.else@example.test' },
        { reference, trackingCode: 'ABCD-EFGH' },
        { reference: formatReference(generateReference()), email: 'amina.khan@example.test' },
        { reference: formatReference(generateReference()), trackingCode },
        { reference: mistyped, email: 'amina.khan@example.test' },
        { reference: 'NOT-A-REF', trackingCode },
      ];
      const answers = new Set<string>();
      for (const form of attempts) {
        const res = await check(form);
        expect(res.statusCode, JSON.stringify(form)).toBe(400);
        expect(errorSummary(res.body)).toEqual([`#reference ${noMatch}`]);
        expect(res.body).not.toContain(en('share.progress.resultTitle') + '</h1>');
        answers.add(errorSummary(res.body).join());
      }
      expect(answers.size).toBe(1);
    });

    it('asks for a reference, and for an email address or tracking code', async () => {
      const res = await check({ reference: '', email: '', trackingCode: '' });
      expect(res.statusCode).toBe(400);
      expect(errorSummary(res.body)).toEqual([
        `#reference ${en('share.progress.errors.referenceRequired')}`,
        `#email ${en('share.progress.errors.emailOrCodeRequired')}`,
      ]);
      expect(res.body).toMatch(/<title>Error: /);
    });
  });
});

describe('an anonymous resident', () => {
  it('keeps no contact details, even ones typed before choosing anonymous', async () => {
    const c = t.client();
    // Typed details while "named" was chosen, then changed their mind on the same page...
    await answer(c, '/share/kind', { kind: 'concern' });
    await answer(c, '/share/topic', { topic: 'unsafe_place' });
    await answer(c, '/share/details', { description: 'No lights in the car park' });
    await answer(c, '/share/where', { areaId: '', placeDescription: '' });
    await answer(c, '/share/groups', { affectedGroups: '_none' });
    await answer(c, '/share/who', { forGroup: 'no', groupName: 'Typed but not for a group' });
    await answer(c, '/share/contact', {
      contactMode: 'named',
      contactName: 'Jo Bloggs',
      contactEmail: 'jo@example.test',
      contactPhone: '01632 960001',
      preferredContact: 'email',
    });
    expect(JSON.stringify(await draftAnswers(c))).toContain('jo@example.test');
    // ...and went back to stay anonymous, with the details still in the fields.
    await answer(c, '/share/contact', {
      contactMode: 'anonymous',
      contactName: 'Jo Bloggs',
      contactEmail: 'jo@example.test',
      contactPhone: '01632 960001',
      preferredContact: 'email',
    });
    const draft = JSON.stringify(await draftAnswers(c));
    expect(draft).not.toContain('jo@example.test');
    expect(draft).not.toContain('Jo Bloggs');
    expect(draft).not.toContain('01632');

    await answer(c, '/share/consent', { consentToShare: 'no' });
    await answer(c, '/share/equality', { skip: 'yes', ageBand: '25_34' });
    const check = await c.get('/share/check');
    expect(check.body).not.toContain('jo@example.test');
    expect(await c.post('/share/check')).toMatchObject({ statusCode: 302 });
    const confirmation = await c.get('/share/confirmation');

    const { reference, trackingCode } = shownCodes(confirmation.body);
    expect(normaliseReference(reference)).toBeDefined();
    // An anonymous resident gets a tracking code too: it is their only way to check progress.
    expect(trackingCode).toMatch(new RegExp(`^[${REFERENCE_ALPHABET}]{4}-[${REFERENCE_ALPHABET}]{4}$`));
    expect(confirmation.body).toContain(en('share.confirmation.anonymousKeep'));
    expect(confirmation.body).not.toContain(en('share.confirmation.contactBody'));

    const row = await storedConcern(normaliseReference(reference)!);
    expect(row).toMatchObject({
      anonymous: true,
      contactName: null,
      contactEmail: null,
      contactPhone: null,
      preferredContact: null,
      consentToShare: false,
      forGroup: false,
      groupName: null,
      areaId: null,
      placeDescription: null,
      whenText: null,
      affectedGroups: [],
      channel: 'web',
      language: 'en',
    });
    // Skipping the equality questions stores nothing, even an answer ticked before skipping.
    expect(await storedEquality(row.id)).toBeUndefined();
    const everywhere = await query(
      sql`
        select (select count(*)::int from audit_log where details::text like '%jo@example%') +
               (select count(*)::int from concern_events where details::text like '%jo@example%') +
               (select count(*)::int from outbox where to_address like '%jo@example%') as n`,
      'system',
    );
    expect(everywhere[0]).toEqual({ n: 0 });
  });

  it('cannot use an area belonging to another partnership', async () => {
    const c = t.client();
    const { confirmation } = await journey(c, {
      description: 'Broken glass in the play area',
      areaId: t.b.areas['b-01'],
      contact: { contactMode: 'anonymous' },
      equality: {},
    });
    const row = await storedConcern(normaliseReference(shownCodes(confirmation.body).reference)!);
    expect(row.areaId).toBeNull();
  });
});

describe('an urgent concern', () => {
  it('tells the resident to call 999 now, and is marked urgent with end-of-day targets', async () => {
    const c = t.client();
    const { confirmation } = await journey(c, {
      description: 'My ex said he will kill me and he is outside now',
      contact: { contactMode: 'anonymous' },
      equality: {},
    });
    expect(confirmation.body).toContain(en('share.confirmation.urgentHeading'));
    expect(confirmation.body).toContain('call 999 now');
    expect(confirmation.body).toContain('role="alert"');
    const row = await storedConcern(normaliseReference(shownCodes(confirmation.body).reference)!);
    expect(row.urgent).toBe(true);
    expect(row.urgentSignals).toContain('threatToLife');
    expect(row.acknowledgeDueAt).toEqual(endOfLondonDay(row.createdAt));
  });
});

describe('question pages with bad answers', () => {
  const long = (n: number) => 'x'.repeat(n);
  const cases: [url: string, form: Form, field: string, key: string][] = [
    ['/share/kind', {}, 'kind', 'share.errors.kindRequired'],
    ['/share/kind', { kind: 'complaint' }, 'kind', 'share.errors.kindRequired'],
    ['/share/topic', {}, 'topic', 'share.errors.topicRequired'],
    ['/share/details', { description: '   ' }, 'description', 'share.errors.descriptionRequired'],
    ['/share/details', { description: long(5001) }, 'description', 'share.errors.descriptionTooLong'],
    ['/share/details', { description: 'ok', whenText: long(201) }, 'whenText', 'share.errors.whenTooLong'],
    ['/share/where', { areaId: 'not-an-area' }, 'areaId', 'share.errors.areaInvalid'],
    ['/share/where', { placeDescription: long(501) }, 'placeDescription', 'share.errors.placeTooLong'],
    ['/share/groups', { affectedGroups: ['_none', 'aliens'] }, 'affectedGroups', 'share.errors.groupInvalid'],
    ['/share/who', {}, 'forGroup', 'share.errors.forGroupRequired'],
    ['/share/who', { forGroup: 'yes', groupName: '' }, 'groupName', 'share.errors.groupNameRequired'],
    ['/share/contact', {}, 'contactMode', 'share.errors.contactModeRequired'],
    [
      '/share/contact',
      { contactMode: 'named', contactEmail: 'a@b.test' },
      'contactName',
      'share.errors.nameRequired',
    ],
    [
      '/share/contact',
      { contactMode: 'named', contactName: 'Jo' },
      'contactEmail',
      'share.errors.emailOrPhoneRequired',
    ],
    [
      '/share/contact',
      { contactMode: 'named', contactName: 'Jo', contactEmail: 'jo@' },
      'contactEmail',
      'share.errors.emailInvalid',
    ],
    [
      '/share/contact',
      { contactMode: 'named', contactName: 'Jo', contactPhone: 'call me' },
      'contactPhone',
      'share.errors.phoneInvalid',
    ],
    [
      '/share/contact',
      {
        contactMode: 'named',
        contactName: 'Jo',
        contactEmail: 'jo@example.test',
        contactPhone: '01632 960001',
      },
      'preferredContact',
      'share.errors.preferredRequired',
    ],
    ['/share/consent', { consentToShare: 'maybe' }, 'consentToShare', 'share.errors.consentRequired'],
    ['/share/equality', { ageBand: '200' }, 'ageBand', 'share.errors.equalityInvalid'],
  ];

  it.each(cases)('%s %j links the error to #%s and stores nothing', async (url, form, field, key) => {
    const c = t.client();
    await c.get(url);
    const drafts = await count('share_drafts');
    const res = await c.post(url, form);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<title>Error: /);
    const summary = errorSummary(res.body);
    expect(summary[0]).toBe(`#${field} ${en(key)}`);
    // The link lands on a real field, and the message is also shown by it.
    expect(res.body).toContain(`id="${field}"`);
    expect(res.body).toContain(`id="${field}-error"`);
    expect(await count('share_drafts')).toBe(drafts);
    expect(c.cookies.has(DRAFT_COOKIE)).toBe(false);
  });

  it('keep the answers already given when a later page is wrong', async () => {
    const c = t.client();
    await answer(c, '/share/kind', { kind: 'suggestion' });
    const before = await draftAnswers(c);
    await c.get('/share/topic');
    const res = await c.post('/share/topic', { topic: 'nonsense' });
    expect(res.statusCode).toBe(400);
    expect(await draftAnswers(c)).toEqual(before);
  });

  it('redisplay what was typed, escaped', async () => {
    const c = t.client();
    await c.get('/share/details');
    const res = await c.post('/share/details', { description: '', whenText: '"><b>x</b>' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('value="&quot;&gt;&lt;b&gt;x&lt;/b&gt;"');
  });
});
