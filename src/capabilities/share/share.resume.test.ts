import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { buildTestApp, type TestApp, type TestClient } from '../../../test/helpers/app.js';
import { loggedUrl } from '../../app.js';
import { hashToken } from '../../platform/auth/tokens.js';
import { createI18n } from '../../platform/i18n/index.js';
import { CSRF_COOKIE } from '../../platform/http/csrf.js';
import { outbox } from '../../platform/mail/outbox.table.js';
import { shareDrafts } from './share.table.js';
import { DRAFT_COOKIE, RESUME_COOKIE, RESUME_LIMIT } from './share.routes.js';
import { STEPS } from './share.service.js';

/**
 * "Save and come back later": a link that brings the answers back in any browser, for as long as
 * the draft lives, and that is a secret kept only as a keyed hash.
 */
let t: TestApp;
const en = createI18n().translator('en');

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

async function answer(c: TestClient, url: string, form: Record<string, string | string[]>) {
  expect((await c.get(url)).statusCode, `GET ${url}`).toBe(200);
  const res = await c.post(url, form);
  expect(res.statusCode, `POST ${url}`).toBe(302);
  return res;
}

/** Saves the page at `url` with `form`, and returns the link shown on the "saved" page. */
async function saveForLater(c: TestClient, url: string, form: Record<string, string | string[]>) {
  await c.get(url);
  const res = await c.post(url, { ...form, save: 'later' });
  expect(res.statusCode).toBe(302);
  expect(res.headers.location).toBe('/share/saved');
  const saved = await c.get('/share/saved');
  expect(saved.statusCode).toBe(200);
  const link = /href="(http:\/\/[^"]+\/share\/resume\/([^"]+))"/.exec(saved.body);
  expect(link).not.toBeNull();
  return { saved, url: link![1]!, path: new URL(link![1]!).pathname, secret: link![2]! };
}

/** Opens a resume link in a browser: the page with its button, then the button. */
async function resume(c: TestClient, path: string) {
  const page = await c.get(path);
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain(en('share.resume.private'));
  return c.post(path);
}

async function draftRows() {
  return t.db.tenant(t.a.id, (tx) => tx.select().from(shareDrafts));
}

describe('saving and coming back with a link', () => {
  it('offers to save on every question page', async () => {
    const c = t.client();
    for (const step of STEPS) {
      const page = await c.get(`/share/${step}`);
      expect(page.body, step).toContain(`value="later" name="save"`);
      expect(page.body, step).toContain(en('share.save.button'));
    }
  });

  it('brings the answers back in another browser, at the first unanswered question', async () => {
    const c = t.client();
    await answer(c, '/share/kind', { kind: 'concern' });
    await answer(c, '/share/topic', { topic: 'antisocial_behaviour' });
    const { saved, path, secret } = await saveForLater(c, '/share/details', {
      description: 'Motorbikes on the footpath every night',
      whenText: 'Every night',
    });
    expect(saved.body).toContain(en('share.saved.private'));
    expect(saved.body).toContain(en('share.saved.keep'));
    // Drafts last 7 days from the last save: the page says until when.
    const expires = new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    }).format(new Date(Date.now() + 7 * 24 * 60 * 60 * 1000));
    expect(saved.body).toContain(en('share.saved.expires', { date: expires }));
    // No email address given yet: no button to email the link.
    expect(saved.body).not.toContain(en('share.saved.emailButton'));

    // The secret is never stored as it is, nor as its plain hash.
    const rows = await draftRows();
    const row = rows.find(
      (r) => r.resumeHash !== null && r.answers.description?.toString().startsWith('Motorbikes'),
    );
    expect(row).toBeDefined();
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row!.resumeHash).not.toBe(createHash('sha256').update(secret).digest('hex'));
    expect(row!.resumeHash).not.toBe(hashToken(secret));
    expect(row!.tokenHash).toBe(hashToken(c.cookies.get(DRAFT_COOKIE)!));

    // Saving again from the same browser gives the same link.
    const again = await saveForLater(c, '/share/where', { placeDescription: 'Path behind the school' });
    expect(again.secret).toBe(secret);

    const other = t.client();
    const resumed = await resume(other, path);
    expect(resumed.statusCode).toBe(302);
    // The where page was saved with good answers, so it counts as answered.
    expect(resumed.headers.location).toBe('/share/groups');
    expect(other.cookies.get(DRAFT_COOKIE)).toBeDefined();
    expect(other.cookies.get(DRAFT_COOKIE)).not.toBe(c.cookies.get(DRAFT_COOKIE));
    const details = await other.get('/share/details');
    expect(details.body).toContain('Motorbikes on the footpath every night');
    const where = await other.get('/share/where');
    expect(where.body).toContain('Path behind the school');

    // The draft moved to the browser that opened the link; the first one starts afresh.
    expect(await t.services.share.load(t.a.id, c.cookies.get(DRAFT_COOKIE))).toEqual({});
    // The link still works, for a second device or a second try.
    expect((await resume(t.client(), path)).statusCode).toBe(302);
  });

  it('keeps what was typed even when it does not pass yet', async () => {
    const c = t.client();
    await answer(c, '/share/kind', { kind: 'concern' });
    await answer(c, '/share/topic', { topic: 'something_else' });
    const long = `A long account. ${'x'.repeat(5100)}`;
    const { path } = await saveForLater(c, '/share/details', { description: long });

    const other = t.client();
    const resumed = await resume(other, path);
    expect(resumed.headers.location).toBe('/share/details');
    const details = await other.get('/share/details');
    expect(details.body).toContain(long);
    // Continuing applies the rules as usual, and a good answer replaces what was kept.
    expect((await other.post('/share/details', { description: long })).statusCode).toBe(400);
    expect((await other.post('/share/details', { description: 'Shorter now' })).statusCode).toBe(302);
    const answers = await t.services.share.load(t.a.id, other.cookies.get(DRAFT_COOKIE));
    expect(answers.description).toBe('Shorter now');
    expect(answers._pending).toBeUndefined();
  });

  it('goes to Check answers when everything was answered', async () => {
    const c = t.client();
    const steps: [string, Record<string, string | string[]>][] = [
      ['/share/kind', { kind: 'suggestion' }],
      ['/share/topic', { topic: 'idea' }],
      ['/share/details', { description: 'More benches in the park' }],
      ['/share/where', { areaId: '', placeDescription: '' }],
      ['/share/groups', { affectedGroups: ['_none'] }],
      ['/share/who', { forGroup: 'no' }],
      ['/share/contact', { contactMode: 'anonymous' }],
      ['/share/consent', { consentToShare: 'no' }],
    ];
    for (const [url, form] of steps) await answer(c, url, form);
    // Saving a page stores its answers as Continue would: the equality questions are all optional.
    const { path } = await saveForLater(c, '/share/equality', {});
    const third = t.client();
    expect((await resume(third, path)).headers.location).toBe('/share/check');
    // Once sent, the link no longer works.
    await third.get('/share/check');
    expect((await third.post('/share/check')).headers.location).toBe('/share/confirmation');
    expect(third.cookies.has(RESUME_COOKIE)).toBe(false);
    const gone = await t.client().get(path);
    expect(gone.statusCode).toBe(404);
  });

  it('offers to email the link only when an email address was given, and sends it only there', async () => {
    const c = t.client();
    await answer(c, '/share/kind', { kind: 'concern' });
    await answer(c, '/share/topic', { topic: 'unsafe_place' });
    await answer(c, '/share/details', { description: 'Dark alley' });
    await answer(c, '/share/where', { areaId: '' });
    await answer(c, '/share/groups', { affectedGroups: ['_none'] });
    await answer(c, '/share/who', { forGroup: 'no' });
    const { saved, url } = await saveForLater(c, '/share/contact', {
      contactMode: 'named',
      contactName: 'Ada',
      contactEmail: 'ada@example.com',
    });
    expect(saved.body).toContain(en('share.saved.emailButton'));
    expect(saved.body).toContain(en('share.saved.emailBody', { email: 'ada@example.com' }));

    const sent = await c.post('/share/saved/email');
    expect(sent.headers.location).toBe('/share/saved?emailed=1');
    const after = await c.get('/share/saved?emailed=1');
    expect(after.body).toContain(en('share.saved.emailed', { email: 'ada@example.com' }));
    const mails = await t.db.tenant(t.a.id, (tx) =>
      tx
        .select()
        .from(outbox)
        .where(and(eq(outbox.purpose, 'share.resume'), eq(outbox.toAddress, 'ada@example.com'))),
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.textBody).toContain(url);
    expect(mails[0]!.subject).toBe(en('share.resumeEmail.subject'));
  });

  it('does not email a link when only a half-typed address was saved', async () => {
    const c = t.client();
    await answer(c, '/share/kind', { kind: 'concern' });
    const { saved } = await saveForLater(c, '/share/topic', {});
    expect(saved.body).not.toContain(en('share.saved.emailButton'));
    const d = t.client();
    const { saved: half } = await saveForLater(d, '/share/contact', {
      contactMode: 'named',
      contactName: 'Bo',
      contactEmail: 'bo@',
    });
    expect(half.body).not.toContain(en('share.saved.emailButton'));
    expect((await d.post('/share/saved/email')).headers.location).toBe('/share/saved');
    const mails = await t.db.tenant(t.a.id, (tx) =>
      tx.select().from(outbox).where(eq(outbox.toAddress, 'bo@')),
    );
    expect(mails).toHaveLength(0);
  });
});

describe('a link that does not work', () => {
  it('gives the same neutral page whether unknown, malformed or expired', async () => {
    const c = t.client();
    await answer(c, '/share/kind', { kind: 'concern' });
    const { path, secret } = await saveForLater(c, '/share/topic', { topic: 'idea' });
    await t.db.tenant(t.a.id, (tx) =>
      tx
        .update(shareDrafts)
        .set({ expiresAt: sql`now() - interval '1 minute'` })
        .where(eq(shareDrafts.tokenHash, hashToken(c.cookies.get(DRAFT_COOKIE)!))),
    );
    const texts: string[] = [];
    for (const p of [
      path,
      `/share/resume/${secret.slice(0, -2)}AA`,
      '/share/resume/short',
      `/share/resume/${'%27'.repeat(30)}`,
    ]) {
      const res = await t.client().get(p);
      expect(res.statusCode, p).toBe(404);
      expect(res.body).toContain(en('share.resumeInvalid.title'));
      expect(res.body).toContain('href="/share"');
      texts.push(/<main[\s\S]*<\/main>/.exec(res.body)![0]);
      const post = await t.client().post(p);
      expect(post.statusCode, p).toBe(404);
      expect(post.cookies.find((k) => k.name === DRAFT_COOKIE)).toBeUndefined();
    }
    expect(new Set(texts).size).toBe(1);
  });

  it('the saved page without a link goes back to the start', async () => {
    const res = await t.client().get('/share/saved');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/share');
  });
});

describe('the link is a secret', () => {
  it('is kept out of the request log', () => {
    expect(loggedUrl('/share/resume/abcdefghijklmnopqrstuvwxyz012345?x=1')).toBe('/share/resume/:secret');
    expect(loggedUrl('/share/kind?format=easy-read')).toBe('/share/kind');
  });

  it('cannot be guessed at speed: opening links is rate limited', async () => {
    const open = (n: number) =>
      t.app.inject({
        method: 'GET',
        url: `/share/resume/guess${String(n).padStart(30, '0')}`,
        remoteAddress: '192.0.2.77',
      });
    for (let i = 0; i < RESUME_LIMIT.max; i++) expect((await open(i)).statusCode).toBe(404);
    const limited = await open(RESUME_LIMIT.max);
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain(en('errors.tooMany.title'));
  });
});

describe('a page open so long its security check fails', () => {
  it('is shown again with what was typed, and nothing is stored', async () => {
    const c = t.client();
    await answer(c, '/share/kind', { kind: 'concern' });
    await answer(c, '/share/topic', { topic: 'unsafe_place' });
    await c.get('/share/details');
    // The browser lost its security cookie (closed and reopened, say) while the page stayed open.
    c.cookies.delete(CSRF_COOKIE);
    const typed = 'Three paragraphs written over an hour <b>with care</b>';
    const res = await c.post('/share/details', { description: typed });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain(en('share.sendAgain'));
    expect(res.body).toContain('Three paragraphs written over an hour &lt;b&gt;with care&lt;/b&gt;');
    expect(c.cookies.get(CSRF_COOKIE)).toBeDefined();
    expect((await t.services.share.load(t.a.id, c.cookies.get(DRAFT_COOKIE))).description).toBeUndefined();
    // Pressing the button again (the page carries a fresh token) goes through.
    const again = await c.post('/share/details', { description: typed });
    expect(again.statusCode).toBe(302);
    expect((await t.services.share.load(t.a.id, c.cookies.get(DRAFT_COOKIE))).description).toBe(typed);
  });

  it('other forms still refuse a missing token', async () => {
    const c = t.client();
    await c.get('/progress');
    c.cookies.delete(CSRF_COOKIE);
    const res = await c.post('/share/check');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain(en('errors.csrf.title'));
  });
});
