import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { SESSION_COOKIE } from '../../platform/auth/auth.plugin.js';
import { ROLES } from '../../platform/auth/permissions.js';
import { createI18n } from '../../platform/i18n/index.js';
import { MEMBER_NOTICES } from './staff.routes.js';
import { count, expectFormError, location, rows, submitPassword } from './staff.testing.js';

/** Bad input on every staff form: a clear message, status 400, the error summary, and nothing stored. */

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

async function signedIn(local: string) {
  const c = await t.signedIn(t.a, local);
  expect((await c.get('/staff/sign-out')).statusCode).toBe(200);
  return c;
}

const staffCount = () => count(t, sql`select count(*)::int as n from staff`);
const outboxCount = () => count(t, sql`select count(*)::int as n from outbox`);

describe('sign-in form', () => {
  it('asks for the email address and password when they are missing', async () => {
    const c = t.client();
    const res = await submitPassword(c, '', '');
    expectFormError(res, 'Enter your email address', 'Enter your password');
    expect(res.body).toContain('href="#email"');
    expect(res.body).toContain('href="#password"');
    expect(c.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it('never sends the password back into the page', async () => {
    const c = t.client();
    const res = await submitPassword(c, '', 'secret-password-typed');
    expectFormError(res, 'Enter your email address');
    expect(res.body).not.toContain('secret-password-typed');
  });
});

describe('code form', () => {
  it('asks for a code, then for six digits, without signing in', async () => {
    const c = t.client();
    expect(location(await submitPassword(c, t.a.email('triage')))).toBe('/staff/sign-in/code');
    await c.get('/staff/sign-in/code');
    expectFormError(
      await c.post('/staff/sign-in/code', { code: '' }),
      'Enter the 6-digit code from your authenticator app',
    );
    expectFormError(await c.post('/staff/sign-in/code', { code: '12ab56' }), 'The code must be 6 digits');
    expectFormError(await c.post('/staff/sign-in/code', { code: '1234567' }), 'The code must be 6 digits');
    expect(location(await c.get('/staff/account/api-tokens'))).toBe('/staff/sign-in');
  });
});

describe('set-up form', () => {
  it('keeps showing the key and QR code alongside the error', async () => {
    await t.db.system((tx) =>
      tx.execute(
        sql`update staff set totp_secret = null, totp_last_step = null where email = ${t.a.email('analyst')}`,
      ),
    );
    const c = t.client();
    expect(location(await submitPassword(c, t.a.email('analyst')))).toBe('/staff/sign-in/set-up');
    await c.get('/staff/sign-in/set-up');
    const res = await c.post('/staff/sign-in/set-up', { code: 'abc' });
    expectFormError(res, 'The code must be 6 digits');
    expect(res.body).toContain('id="totp-secret"');
    expect(res.body).toContain('data:image/svg+xml;base64,');
    const [row] = await rows<{ totp_last_step: number | null }>(
      t,
      sql`select totp_last_step from staff where email = ${t.a.email('analyst')}`,
    );
    expect(row!.totp_last_step).toBeNull();
  });
});

describe('invite form', () => {
  it('asks for every answer when the form is empty', async () => {
    const admin = await signedIn('admin');
    const [staffBefore, mailBefore] = [await staffCount(), await outboxCount()];
    const res = await admin.post('/staff/admin/staff/invite', {});
    expectFormError(
      res,
      'Enter their full name',
      'Enter their email address',
      'Select an organisation',
      'Select at least one role',
    );
    expect(res.body).toContain('href="#organisationId"');
    expect(res.body).toContain('href="#roles"');
    expect(res.body).toContain('id="roles"');
    expect(await staffCount()).toBe(staffBefore);
    expect(await outboxCount()).toBe(mailBefore);
  });

  it('checks the email format, the organisation, the roles and that the email is new', async () => {
    const admin = await signedIn('admin');
    const [staffBefore, mailBefore] = [await staffCount(), await outboxCount()];
    const good = {
      name: 'Sam Jones',
      email: 'sam.jones@a.test',
      organisationId: t.a.organisations.council!,
      roles: ['triage_officer', 'analyst'],
    };
    const badEmail = await admin.post('/staff/admin/staff/invite', { ...good, email: 'sam.jones' });
    expectFormError(badEmail, 'Enter an email address in the correct format, like name@example.com');
    // What was typed is kept.
    expect(badEmail.body).toContain('value="Sam Jones"');
    expect(badEmail.body).toMatch(/value="analyst" checked/);

    expectFormError(
      await admin.post('/staff/admin/staff/invite', { ...good, roles: 'emperor' }),
      'Select roles from the list',
    );
    expectFormError(
      await admin.post('/staff/admin/staff/invite', { ...good, organisationId: 'not-a-uuid' }),
      'Select an organisation',
    );
    expectFormError(
      await admin.post('/staff/admin/staff/invite', { ...good, organisationId: crypto.randomUUID() }),
      'Select an organisation from the list',
    );
    expectFormError(
      await admin.post('/staff/admin/staff/invite', { ...good, email: t.a.email('Triage').toUpperCase() }),
      'There is already a staff account with this email address',
    );
    expectFormError(
      await admin.post('/staff/admin/staff/invite', { ...good, name: 'x'.repeat(201) }),
      'Name must be 200 characters or fewer',
    );
    expect(await staffCount()).toBe(staffBefore);
    expect(await outboxCount()).toBe(mailBefore);
    expect(await count(t, sql`select count(*)::int as n from audit_log where action = 'staff.invited'`)).toBe(
      0,
    );
  });
});

describe('invitation form', () => {
  it('asks for a long enough password, typed the same twice, and stores nothing until then', async () => {
    const admin = await signedIn('admin');
    await admin.post('/staff/admin/staff/invite', {
      name: 'Alex Green',
      email: 'alex.green@a.test',
      organisationId: t.a.organisations.nhs!,
      roles: 'agency_officer',
    });
    const [mail] = await rows<{ text_body: string }>(
      t,
      sql`select text_body from outbox where to_address = 'alex.green@a.test'`,
    );
    const path = /(\/staff\/invitation\/[A-Za-z0-9_-]+)/.exec(mail!.text_body)![1]!;

    const c = t.client();
    expect((await c.get(path)).statusCode).toBe(200);
    expectFormError(await c.post(path, {}), 'Enter a password');
    expectFormError(
      await c.post(path, { password: 'short', confirmPassword: 'short' }),
      'Password must be 12 characters or more',
    );
    expectFormError(
      await c.post(path, { password: 'x'.repeat(257), confirmPassword: 'x'.repeat(257) }),
      'Password must be 256 characters or fewer',
    );
    expectFormError(
      await c.post(path, {
        password: 'a perfectly long password',
        confirmPassword: 'a different long password',
      }),
      'The passwords do not match',
    );
    expectFormError(await c.post(path, { password: 'a perfectly long password' }), 'Confirm your password');
    const [row] = await rows<{ password_hash: string | null; invite_token_hash: string | null }>(
      t,
      sql`select password_hash, invite_token_hash from staff where email = 'alex.green@a.test'`,
    );
    expect(row!.password_hash).toBeNull();
    expect(row!.invite_token_hash).not.toBeNull();
    expect(c.cookies.has(SESSION_COOKIE)).toBe(false);
  });
});

describe('API token form', () => {
  it('asks for a name, no longer than 100 characters', async () => {
    const c = await signedIn('council');
    expectFormError(await c.post('/staff/account/api-tokens', { name: '  ' }), 'Enter a name for the token');
    const long = await c.post('/staff/account/api-tokens', { name: 'y'.repeat(101) });
    expectFormError(long, 'Token name must be 100 characters or fewer');
    expect(long.body).not.toMatch(/heard_[A-Za-z0-9_-]{40,}/);
    expect(await count(t, sql`select count(*)::int as n from api_tokens`)).toBe(0);
  });
});

describe('translations built from names', () => {
  it('has a name and hint for every role, and text for every notice and refusal', () => {
    const t = createI18n().translator('en');
    const keys = [
      ...ROLES.flatMap((r) => [`staff.roles.${r}`, `staff.roleHints.${r}`]),
      ...MEMBER_NOTICES.map((n) => `staff.admin.notices.${n}`),
      ...['emailTaken', 'organisationUnknown', 'self'].map((p) => `staff.errors.${p}`),
    ];
    for (const key of keys) expect(t(key), key).not.toBe(key);
  });
});

describe('rate limit', () => {
  it('slows down repeated sign-in attempts from one client', async () => {
    const c = t.client();
    await c.get('/staff/sign-in');
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++)
      statuses.push((await c.post('/staff/sign-in', { email: '', password: '' })).statusCode);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(20);
  });
});
