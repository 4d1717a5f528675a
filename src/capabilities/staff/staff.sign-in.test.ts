import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TEST_TOTP_SECRET } from '../../../test/helpers/fixtures.js';
import { SESSION_COOKIE } from '../../platform/auth/auth.plugin.js';
import { lockoutFor } from '../../platform/auth/auth.service.js';
import { totp } from '../../platform/auth/totp.js';
import { count, location, rows, signInThroughPages, submitPassword } from './staff.testing.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

/** The page without what differs per request (nonce, CSRF token), to compare two responses. */
const stable = (body: string) =>
  body.replace(/nonce="[^"]*"/g, '').replace(/name="_csrf" value="[^"]*"/g, '');

describe('sign-in pages', () => {
  it('shows the sign-in form, and /staff sends people who are not signed in there', async () => {
    const c = t.client();
    const page = await c.get('/staff/sign-in');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Sign in');
    expect(page.body).toContain('name="email"');
    expect(page.body).toContain('autocomplete="current-password"');
    expect(page.body).toContain('name="_csrf"');
    const home = await c.get('/staff');
    expect(location(home)).toBe('/staff/sign-in');
  });

  it('signs in with a password and a code, then the staff pages open', async () => {
    const c = t.client();
    const email = t.a.email('triage');
    const res = await signInThroughPages(c, email);
    expect(res.statusCode).toBe(302);
    expect(location(res)).toBe('/staff/concerns');
    const tokens = await c.get('/staff/account/api-tokens');
    expect(tokens.statusCode).toBe(200);
    expect(tokens.body).toContain('API tokens');
    expect(location(await c.get('/staff'))).toBe('/staff/concerns');
    expect(location(await c.get('/staff/sign-in'))).toBe('/staff');
    const audit = await rows<{ action: string }>(
      t,
      sql`select action from audit_log where entity_id = ${t.a.staff[email]!} order by id`,
    );
    expect(audit.map((a) => a.action)).toContain('sign-in.succeeded');
    const [row] = await rows<{ last_sign_in_at: Date | null }>(
      t,
      sql`select last_sign_in_at from staff where id = ${t.a.staff[email]!}`,
    );
    expect(row!.last_sign_in_at).not.toBeNull();
  });

  it('does not open staff pages after the password alone', async () => {
    const c = t.client();
    const res = await submitPassword(c, t.a.email('analyst'));
    expect(location(res)).toBe('/staff/sign-in/code');
    const halfway = c.cookies.get(SESSION_COOKIE);
    expect(halfway).toBeDefined();
    const page = await c.get('/staff/account/api-tokens');
    expect(page.statusCode).toBe(302);
    expect(location(page)).toBe('/staff/sign-in');
    const api = await c.get('/api/v1/me');
    expect(api.statusCode).toBe(401);
  });

  it('sends the code page back to sign-in when no password has been given', async () => {
    const c = t.client();
    expect(location(await c.get('/staff/sign-in/code'))).toBe('/staff/sign-in');
    expect(location(await c.get('/staff/sign-in/set-up'))).toBe('/staff/sign-in');
    await c.get('/staff/sign-in');
    expect(location(await c.post('/staff/sign-in/code', { code: '123456' }))).toBe('/staff/sign-in');
  });

  it('gives one neutral message for a wrong password and for an unknown email', async () => {
    const wrong = t.client();
    const wrongRes = await submitPassword(wrong, t.a.email('police'), 'not the password at all');
    expect(wrongRes.statusCode).toBe(400);
    expect(wrongRes.body).toMatch(/<title>Error: Sign in/);
    expect(wrongRes.body).toContain('Enter a correct email address and password');
    expect(wrong.cookies.has(SESSION_COOKIE)).toBe(false);

    const unknown = t.client();
    const unknownRes = await submitPassword(unknown, 'nobody@a.test', 'not the password at all');
    expect(unknownRes.statusCode).toBe(400);
    expect(unknown.cookies.has(SESSION_COOKIE)).toBe(false);

    // Identical pages apart from the email typed: nothing says whether the account exists.
    expect(stable(unknownRes.body).replace('nobody@a.test', t.a.email('police'))).toBe(stable(wrongRes.body));
  });

  it('locks the account after repeated failures, as lockoutFor says, even for the right password', async () => {
    expect(lockoutFor(4)).toBe(0);
    expect(lockoutFor(5)).toBe(30_000);
    expect(lockoutFor(10)).toBe(30 * 60_000);
    const email = t.a.email('fire');
    const c = t.client();
    for (let i = 1; i <= 5; i++) {
      const res = await submitPassword(c, email, `wrong password number ${i}`);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('Enter a correct email address and password');
    }
    const [row] = await rows<{ failed_sign_ins: number; locked_until: Date | null }>(
      t,
      sql`select failed_sign_ins, locked_until from staff where id = ${t.a.staff[email]!}`,
    );
    expect(row!.failed_sign_ins).toBe(5);
    expect(row!.locked_until).not.toBeNull();

    const locked = await submitPassword(c, email);
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toMatch(/<title>Error: /);
    expect(locked.body).toMatch(/Try again after \d{1,2}:\d{2}(am|pm)/);
    expect(c.cookies.has(SESSION_COOKIE)).toBe(false);
    const failures = await count(
      t,
      sql`select count(*)::int as n from audit_log where action = 'sign-in.failed' and entity_id = ${t.a.staff[email]!}`,
    );
    expect(failures).toBe(5);
  });

  it('refuses a code that has already been used', async () => {
    const email = t.a.email('council');
    const code = totp(TEST_TOTP_SECRET);
    const first = t.client();
    expect(location(await signInThroughPages(first, email, code))).toBe('/staff/concerns');

    const second = t.client();
    const replay = await signInThroughPages(second, email, code);
    expect(replay.statusCode).toBe(400);
    expect(replay.body).toContain('The code is not correct or has already been used');
    expect(second.cookies.has(SESSION_COOKIE)).toBe(true);
    expect((await second.get('/staff/account/api-tokens')).statusCode).toBe(302);

    // The next code from the app still works.
    const next = await second.post('/staff/sign-in/code', {
      code: totp(TEST_TOTP_SECRET, Date.now() + 30_000),
    });
    expect(location(next)).toBe('/staff/concerns');
  });

  it('signs out with a POST from the sign-out page, and the old cookie stops working', async () => {
    const c = t.client();
    await signInThroughPages(c, t.a.email('cohesion'));
    const oldToken = c.cookies.get(SESSION_COOKIE)!;
    expect((await c.get('/staff/account/api-tokens')).statusCode).toBe(200);

    const page = await c.get('/staff/sign-out');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('action="/staff/sign-out"');
    const res = await c.post('/staff/sign-out');
    expect(res.statusCode).toBe(302);
    expect(location(res)).toBe('/staff/sign-in?signedOut=1');
    expect(c.cookies.has(SESSION_COOKIE)).toBe(false);
    const after = await c.get(location(res)!);
    expect(after.body).toContain('You have signed out');

    const stolen = t.client();
    stolen.cookies.set(SESSION_COOKIE, oldToken);
    const denied = await stolen.get('/staff/account/api-tokens');
    expect(denied.statusCode).toBe(302);
    expect(location(denied)).toBe('/staff/sign-in');
    expect((await stolen.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('needs the CSRF token to sign out', async () => {
    const c = await t.signedIn(t.a, 'admin');
    const res = await c.request({
      method: 'POST',
      url: '/staff/sign-out',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(res.statusCode).toBe(403);
    expect((await c.get('/staff/account/api-tokens')).statusCode).toBe(200);
  });

  it('signs staff in to their own partnership only', async () => {
    const onA = t.client();
    const wrongPlace = await submitPassword(onA, t.b.email('triage'));
    expect(wrongPlace.statusCode).toBe(400);
    expect(wrongPlace.body).toContain('Enter a correct email address and password');

    const onB = t.client({ host: 'b.heard.test' });
    const res = await signInThroughPages(onB, t.b.email('triage'));
    expect(location(res)).toBe('/staff/concerns');
    const me = await onB.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      email: t.b.email('triage'),
      partnership: { id: t.b.id },
      via: 'session',
    });
  });
});
