import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { hashToken } from '../../platform/auth/tokens.js';
import { count, location, rows } from './staff.testing.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function signedIn(local: string, partnership = t.a) {
  const c = await t.signedIn(partnership, local);
  expect((await c.get('/staff/account/api-tokens')).statusCode).toBe(200);
  return c;
}

function shownToken(body: string): string {
  const match = /id="new-token"[^>]*value="(heard_[A-Za-z0-9_-]+)"/.exec(body);
  expect(match).not.toBeNull();
  return match![1]!;
}

describe('personal API tokens (pages)', () => {
  it('creates a token, shows it once, and stores only its hash', async () => {
    const c = await signedIn('triage');
    const res = await c.post('/staff/account/api-tokens', { name: 'Weekly report' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const token = shownToken(res.body);
    expect(token).toMatch(/^heard_.{40,}$/);

    const list = await c.get('/staff/account/api-tokens');
    expect(list.body).toContain('Weekly report');
    expect(list.body).not.toContain(token);

    const [stored] = await rows<Record<string, unknown>>(
      t,
      sql`select * from api_tokens where name = 'Weekly report'`,
    );
    expect(stored!.token_hash).toBe(hashToken(token));
    expect(stored!.staff_id).toBe(t.a.staff[t.a.email('triage')]);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token.slice('heard_'.length));
    const audit = await count(
      t,
      sql`select count(*)::int as n from audit_log where action = 'api-token.created' and entity_id = ${String(stored!.id)}`,
    );
    expect(audit).toBe(1);
  });

  it('the token works as a Bearer token until it is revoked', async () => {
    const c = await signedIn('police');
    const token = shownToken((await c.post('/staff/account/api-tokens', { name: 'Script' })).body);

    const me = await t.client().get('/api/v1/me', bearer(token));
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      email: t.a.email('police'),
      roles: ['agency_officer'],
      organisation: { id: t.a.organisations.police, name: 'Police a' },
      partnership: { id: t.a.id, name: 'Partnership A' },
      via: 'token',
    });
    const [row] = await rows<{ id: string; last_used_at: unknown }>(
      t,
      sql`select id, last_used_at from api_tokens where token_hash = ${hashToken(token)}`,
    );
    expect(row!.last_used_at).not.toBeNull();

    // Bearer calls carry no ambient credential, so they need no CSRF token.
    const list = await t
      .client()
      .request({ method: 'GET', url: '/api/v1/api-tokens', headers: bearer(token) });
    expect((list.json() as { name: string }[]).map((x) => x.name)).toContain('Script');

    const revoke = await c.post(`/staff/account/api-tokens/${row!.id}/revoke`);
    expect(location(revoke)).toBe('/staff/account/api-tokens?revoked=1');
    const after = await t.client().get('/api/v1/me', bearer(token));
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ error: 'unauthorised' });
    const page = await c.get(location(revoke)!);
    expect(page.body).toContain('Token revoked');
    expect(page.body).toContain('Revoked');
    expect(
      await count(
        t,
        sql`select count(*)::int as n from audit_log where action = 'api-token.revoked' and entity_id = ${row!.id}`,
      ),
    ).toBe(1);
  });

  it('cannot revoke someone else’s token', async () => {
    const owner = await signedIn('fire');
    shownToken((await owner.post('/staff/account/api-tokens', { name: 'Fire token' })).body);
    const [row] = await rows<{ id: string }>(t, sql`select id from api_tokens where name = 'Fire token'`);
    const other = await signedIn('council');
    expect((await other.post(`/staff/account/api-tokens/${row!.id}/revoke`)).statusCode).toBe(404);
    const otherPartnership = await signedIn('fire', t.b);
    expect((await otherPartnership.post(`/staff/account/api-tokens/${row!.id}/revoke`)).statusCode).toBe(404);
    expect((await other.api('POST', `/api/v1/api-tokens/${row!.id}/revoke`, {})).statusCode).toBe(404);
    const [still] = await rows<{ revoked_at: unknown }>(
      t,
      sql`select revoked_at from api_tokens where id = ${row!.id}`,
    );
    expect(still!.revoked_at).toBeNull();
  });

  it('stops working while its owner is deactivated', async () => {
    const c = await signedIn('cohesion');
    const token = shownToken((await c.post('/staff/account/api-tokens', { name: 'Cohesion' })).body);
    expect((await t.client().get('/api/v1/me', bearer(token))).statusCode).toBe(200);
    const admin = await signedIn('admin');
    const id = t.a.staff[t.a.email('cohesion')]!;
    expect((await admin.post(`/staff/admin/staff/${id}/deactivate`)).statusCode).toBe(302);
    expect((await t.client().get('/api/v1/me', bearer(token))).statusCode).toBe(401);
  });
});

describe('personal API tokens (API)', () => {
  it('creates, lists and revokes through the API with a session', async () => {
    const c = await signedIn('analyst');
    const created = await c.api('POST', '/api/v1/api-tokens', { name: 'From the API' });
    expect(created.statusCode).toBe(201);
    const { token, secret } = created.json() as { token: { id: string; name: string }; secret: string };
    expect(token.name).toBe('From the API');
    expect(secret).toMatch(/^heard_/);

    const me = await t.client().get('/api/v1/me', bearer(secret));
    expect(me.json()).toMatchObject({ email: t.a.email('analyst'), via: 'token' });

    const list = await c.api('GET', '/api/v1/api-tokens');
    expect(list.json()).toEqual([
      expect.objectContaining({ id: token.id, name: 'From the API', revokedAt: null }),
    ]);

    // A token cannot mint more tokens: revoking it must be the end of it.
    const minted = await t.client().request({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: { ...bearer(secret), 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Sneaky' }),
    });
    expect(minted.statusCode).toBe(403);
    expect(await count(t, sql`select count(*)::int as n from api_tokens where name = 'Sneaky'`)).toBe(0);

    // But it can revoke itself.
    const revoked = await t.client().request({
      method: 'POST',
      url: `/api/v1/api-tokens/${token.id}/revoke`,
      headers: bearer(secret),
    });
    expect(revoked.statusCode).toBe(200);
    expect((revoked.json() as { revokedAt: string | null }).revokedAt).not.toBeNull();
    expect((await t.client().get('/api/v1/me', bearer(secret))).statusCode).toBe(401);
    expect((await t.client().get('/api/v1/me', bearer('heard_made_up'))).statusCode).toBe(401);
  });

  it('rejects a missing or over-long name', async () => {
    const c = await signedIn('triage', t.b);
    expect((await c.api('POST', '/api/v1/api-tokens', {})).statusCode).toBe(400);
    expect((await c.api('POST', '/api/v1/api-tokens', { name: '   ' })).statusCode).toBe(400);
    expect((await c.api('POST', '/api/v1/api-tokens', { name: 'x'.repeat(101) })).statusCode).toBe(400);
    expect(
      await count(t, sql`select count(*)::int as n from api_tokens where partnership_id = ${t.b.id}`),
    ).toBe(0);
  });

  it('needs the CSRF header when using a session', async () => {
    const c = await t.signedIn(t.a, 'admin');
    const res = await c.request({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'No CSRF' }),
    });
    expect(res.statusCode).toBe(403);
    expect(await count(t, sql`select count(*)::int as n from api_tokens where name = 'No CSRF'`)).toBe(0);
  });
});
