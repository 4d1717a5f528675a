import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { PROGRESS_LIMIT } from '../src/platform/http/rate-limit.js';
import { buildTestApp, type TestApp, type TestClient } from './helpers/app.js';
import { createTestDatabase } from './helpers/db.js';
import { createTestPartnership } from './helpers/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

async function count(table: 'share_drafts' | 'concerns'): Promise<number> {
  const r = (await t.db.tenant(t.a.id, (tx) =>
    tx.execute(sql.raw(`select count(*)::int as n from ${table}`)),
  )) as unknown as {
    rows: { n: number }[];
  };
  return Number(r.rows[0]!.n);
}

function header(res: LightMyRequestResponse, name: string): string {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(', ') : String(v ?? '');
}

function cspNonce(res: LightMyRequestResponse): string | undefined {
  return /'nonce-([^']+)'/.exec(header(res, 'content-security-policy'))?.[1];
}

/** Answers every question page up to Check your answers. */
async function answerAll(c: TestClient, description: string): Promise<void> {
  const steps: [string, Record<string, string | string[]>][] = [
    ['/share/kind', { kind: 'concern' }],
    ['/share/topic', { topic: 'unsafe_place' }],
    ['/share/details', { description, whenText: 'Last night' }],
    ['/share/where', { areaId: '', placeDescription: '' }],
    ['/share/groups', { affectedGroups: '_none' }],
    ['/share/who', { forGroup: 'no' }],
    ['/share/contact', { contactMode: 'anonymous' }],
    ['/share/consent', { consentToShare: 'yes' }],
    ['/share/equality', { skip: 'yes' }],
  ];
  for (const [url, form] of steps) {
    await c.get(url); // as a browser would: the form on the page carries the CSRF token
    const res = await c.post(url, form);
    expect(res.statusCode, url).toBe(302);
  }
}

describe('health', () => {
  it('answers 200 {"status":"ok"} while the database answers', async () => {
    const res = await t.client().get('/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 when the database does not', async () => {
    const db = await createTestDatabase();
    await createTestPartnership(db, 'h');
    const app = await buildApp({ config: testConfig(), db });
    await app.ready();
    await db.close();
    try {
      const res = await app.inject({ url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'unavailable' });
    } finally {
      await app.close();
    }
  });

  it('answers 503 when the database ping fails', async () => {
    const app = await buildApp({
      config: testConfig(),
      db: { ...t.db, ping: async () => false },
      services: t.services,
    });
    await app.ready();
    try {
      const res = await app.inject({ url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'unavailable' });
    } finally {
      await app.close();
    }
  });
});

describe('security headers', () => {
  const urls = [
    '/',
    '/share/kind',
    '/progress',
    '/health',
    '/no-such-page',
    '/static/heard.css',
    '/assets/govuk-frontend.min.css',
  ];

  it.each(urls)('are on %s', async (url) => {
    const res = await t.client().get(url);
    const csp = header(res, 'content-security-policy');
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(header(res, 'x-content-type-options')).toBe('nosniff');
    expect(header(res, 'referrer-policy')).toBe('no-referrer');
    expect(header(res, 'x-frame-options')).toBe('DENY');
    expect(header(res, 'x-correlation-id')).not.toBe('');
  });

  it('are on a refused POST too', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/share/kind', payload: { kind: 'concern' } });
    expect(res.statusCode).toBe(403);
    expect(header(res, 'content-security-policy')).toContain("frame-ancestors 'none'");
    expect(header(res, 'x-content-type-options')).toBe('nosniff');
  });

  it('use a fresh nonce for every response, matching every <script> on the page', async () => {
    const c = t.client();
    const nonces = new Set<string>();
    for (const url of ['/', '/', '/share/kind', '/progress']) {
      const res = await c.get(url);
      const nonce = cspNonce(res);
      expect(nonce).toBeDefined();
      nonces.add(nonce!);
      const scripts = res.body.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(4);
  });

  it('HSTS only in production', async () => {
    expect(header(await t.client().get('/'), 'strict-transport-security')).toBe('');
  });
});

describe('CSRF', () => {
  it('refuses a form posted without the token, and stores nothing', async () => {
    const drafts = await count('share_drafts');
    const c = t.client();
    await c.get('/share/kind'); // has the CSRF cookie, but the attacker cannot know the token
    const res = await c.request({
      method: 'POST',
      url: '/share/kind',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'kind=concern',
    });
    expect(res.statusCode).toBe(403);
    // Question pages (csrfRedisplay) show the form again with what was sent, storing nothing.
    expect(res.body).toContain('For your security, this page was not saved');
    expect(res.cookies.find((k) => k.name === 'heard_share')).toBeUndefined();
    expect(await count('share_drafts')).toBe(drafts);
  });

  it('refuses a wrong token, a token without its cookie, and a token in the wrong header', async () => {
    const drafts = await count('share_drafts');
    const c = t.client();
    const page = await c.get('/share/kind');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };

    const wrong = await c.request({
      method: 'POST',
      url: '/share/kind',
      headers: form,
      payload: `_csrf=${token}x&kind=concern`,
    });
    expect(wrong.statusCode).toBe(403);

    const noCookie = await t.app.inject({
      method: 'POST',
      url: '/share/kind',
      headers: form,
      payload: `_csrf=${encodeURIComponent(token)}&kind=concern`,
    });
    expect(noCookie.statusCode).toBe(403);

    const otherCookie = t.client();
    await otherCookie.get('/');
    const crossed = await otherCookie.request({
      method: 'POST',
      url: '/share/kind',
      headers: form,
      payload: `_csrf=${encodeURIComponent(token)}&kind=concern`,
    });
    expect(crossed.statusCode).toBe(403);
    expect(await count('share_drafts')).toBe(drafts);

    // The same browser with the right token gets through.
    const ok = await c.post('/share/kind', { kind: 'concern' });
    expect(ok.statusCode).toBe(302);
    expect(await count('share_drafts')).toBe(drafts + 1);
  });

  it('guards submitting a concern', async () => {
    const c = t.client();
    await answerAll(c, 'Broken fence by the railway');
    const concerns = await count('concerns');
    const res = await c.request({
      method: 'POST',
      url: '/share/check',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '_csrf=nope',
    });
    expect(res.statusCode).toBe(403);
    expect(await count('concerns')).toBe(concerns);
  });
});

describe('cookies', () => {
  function setCookies(res: LightMyRequestResponse): string[] {
    const v = res.headers['set-cookie'];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }

  async function cookiesFrom(app: TestApp): Promise<string[]> {
    const c = app.client();
    const all = [...setCookies(await c.get('/?lang=en'))];
    await c.get('/share/kind');
    all.push(...setCookies(await c.post('/share/kind', { kind: 'concern' })));
    return all;
  }

  it('are HttpOnly and SameSite, and not Secure over plain http', async () => {
    const all = await cookiesFrom(t);
    const names = all.map((c) => c.split('=')[0]);
    expect(names).toEqual(expect.arrayContaining(['heard_lang', 'heard_csrf', 'heard_share']));
    for (const c of all) {
      expect(c).toMatch(/;\s*HttpOnly/i);
      expect(c).toMatch(/;\s*SameSite=(Lax|Strict)/i);
      expect(c).not.toMatch(/;\s*Secure/i);
    }
  });

  it('are Secure when the public URL is https', async () => {
    const secure = await buildTestApp({ secureCookies: true });
    try {
      const all = await cookiesFrom(secure);
      expect(all.length).toBeGreaterThanOrEqual(3);
      for (const c of all) {
        expect(c).toMatch(/;\s*Secure/i);
        expect(c).toMatch(/;\s*HttpOnly/i);
        expect(c).toMatch(/;\s*SameSite=(Lax|Strict)/i);
      }
    } finally {
      await secure.close();
    }
  });
});

describe('error pages', () => {
  it('404 is a GOV.UK-style page', async () => {
    const res = await t.client().get('/no-such-page');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toMatch(/<html lang="en" dir="ltr" class="govuk-template/);
    expect(res.body).toContain('<title>Page not found – ');
    expect(res.body).toContain('<h1 class="govuk-heading-l">Page not found</h1>');
    expect(res.body).toContain('govuk-template__header');
    expect(res.body).toContain('govuk-footer');
    expect(res.body).toContain('href="/"');
    expect(res.body).toContain(String(res.headers['x-correlation-id']));
  });

  it('an API 404 is JSON', async () => {
    const res = await t.client().get('/api/v1/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'notFound' });
  });

  async function failingApp(production: boolean) {
    const app = await buildApp({ config: testConfig({ production }), db: t.db, services: t.services });
    app.get('/boom', async () => {
      throw new Error('secret internal detail');
    });
    await app.ready();
    return app;
  }

  it('in production, a server error page hides the message and stack but gives a reference', async () => {
    const app = await failingApp(true);
    try {
      const res = await app.inject({ url: '/boom', headers: { 'x-request-id': 'boom-request-0001' } });
      expect(res.statusCode).toBe(500);
      expect(res.body).toContain('Sorry, there is a problem with the service');
      expect(res.body).toContain('boom-request-0001');
      expect(res.body).not.toContain('secret internal detail');
      expect(res.body).not.toMatch(/\bat .*\.ts:\d+/);
      expect(res.body).not.toContain('<pre');
      expect(header(res, 'strict-transport-security')).toContain('max-age=');
    } finally {
      await app.close();
    }
  });

  it('in development, the same page shows the stack to help debugging', async () => {
    const app = await failingApp(false);
    try {
      const res = await app.inject({ url: '/boom' });
      expect(res.statusCode).toBe(500);
      expect(res.body).toContain('secret internal detail');
    } finally {
      await app.close();
    }
  });
});

describe('escaping', () => {
  it('shows a description containing markup as text on Check your answers', async () => {
    const c = t.client();
    const attack = '<script>alert(1)</script> & "quotes" <img src=x onerror=alert(2)>';
    await answerAll(c, attack);
    const res = await c.get('/share/check');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &lt;img src=x onerror=alert(2)&gt;',
    );
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).not.toContain('<img src=x');
  });
});

describe('rate limiting', () => {
  it(`Check progress answers 429 after ${PROGRESS_LIMIT.max} tries`, async () => {
    // A separate app, so the limit does not leak into the other tests.
    const limited = await buildTestApp();
    try {
      const c = limited.client();
      await c.get('/progress');
      const statuses: number[] = [];
      for (let i = 0; i < PROGRESS_LIMIT.max + 2; i++) {
        const res = await c.post('/progress', { reference: 'ABCD-EFGH-JKM', trackingCode: 'ABCD-EFGH' });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) {
          expect(res.body).toContain('Too many attempts');
          expect(res.headers['retry-after']).toBeDefined();
        }
      }
      expect(statuses.slice(0, PROGRESS_LIMIT.max).every((s) => s === 400)).toBe(true);
      expect(statuses.slice(PROGRESS_LIMIT.max)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });
});
