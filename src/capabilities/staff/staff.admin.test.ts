import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TEST_TOTP_SECRET } from '../../../test/helpers/fixtures.js';
import { SESSION_COOKIE } from '../../platform/auth/auth.plugin.js';
import { hashToken } from '../../platform/auth/tokens.js';
import { totp } from '../../platform/auth/totp.js';
import { count, location, rows, shownSecret, submitPassword } from './staff.testing.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ publicUrl: 'https://heard.example' });
});
afterAll(async () => {
  await t.close();
});

interface StaffRow {
  id: string;
  active: boolean;
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  invite_token_hash: string | null;
  invite_expires_at: Date | string | null;
  roles: string[];
  organisation_id: string;
}

async function staffRow(email: string): Promise<StaffRow | undefined> {
  const [row] = await rows<StaffRow>(t, sql`select * from staff where email = ${email}`);
  return row;
}

async function sessions(staffId: string): Promise<number> {
  return count(t, sql`select count(*)::int as n from staff_sessions where staff_id = ${staffId}`);
}

async function auditActions(entityId: string): Promise<string[]> {
  const list = await rows<{ action: string }>(
    t,
    sql`select action from audit_log where entity_id = ${entityId} order by id`,
  );
  return list.map((r) => r.action);
}

/** A signed-in client that has loaded a page with a form, so it holds a CSRF token as a browser would. */
async function signedIn(local: string, partnership = t.a) {
  const c = await t.signedIn(partnership, local);
  expect((await c.get('/staff/sign-out')).statusCode).toBe(200);
  return c;
}

/** Invites someone through the page and returns the token from the queued email. */
async function inviteThroughPage(email: string, roles: string[] = ['agency_officer']) {
  const admin = await signedIn('admin');
  const form = await admin.get('/staff/admin/staff/invite');
  expect(form.statusCode).toBe(200);
  const res = await admin.post('/staff/admin/staff/invite', {
    name: 'Priya Shah',
    email,
    organisationId: t.a.organisations.police!,
    roles,
  });
  expect(res.statusCode).toBe(302);
  const [mail] = await rows<{ text_body: string; subject: string; partnership_id: string; purpose: string }>(
    t,
    sql`select * from outbox where to_address = ${email.toLowerCase()}`,
  );
  const token = /https:\/\/heard\.example\/staff\/invitation\/([A-Za-z0-9_-]+)/.exec(mail!.text_body)![1]!;
  return { admin, res, mail: mail!, token };
}

describe('staff list', () => {
  it('lists the partnership’s own staff for an administrator', async () => {
    const admin = await signedIn('admin');
    const res = await admin.get('/staff/admin/staff');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(t.a.email('triage'));
    expect(res.body).toContain('Triage officer');
    expect(res.body).toContain('Council a');
    expect(res.body).not.toContain(t.b.email('triage'));
    expect(res.body).toContain('href="/staff/admin/staff/invite"');
  });

  it('refuses anyone who is not a partnership administrator, on pages and the API', async () => {
    const triage = await signedIn('triage');
    expect((await triage.get('/staff/admin/staff')).statusCode).toBe(403);
    expect((await triage.get('/staff/admin/staff/invite')).statusCode).toBe(403);
    expect((await triage.get(`/staff/admin/staff/${t.a.staff[t.a.email('police')]!}`)).statusCode).toBe(403);
    const post = await triage.post('/staff/admin/staff/invite', {
      name: 'Sneaky',
      email: 'sneaky@a.test',
      organisationId: t.a.organisations.council!,
      roles: 'partnership_admin',
    });
    expect(post.statusCode).toBe(403);
    expect(await staffRow('sneaky@a.test')).toBeUndefined();
    const deactivate = await triage.post(`/staff/admin/staff/${t.a.staff[t.a.email('police')]!}/deactivate`);
    expect(deactivate.statusCode).toBe(403);
    expect((await staffRow(t.a.email('police')))!.active).toBe(true);

    const api = await triage.api('GET', '/api/v1/staff');
    expect(api.statusCode).toBe(403);
    expect(api.json()).toMatchObject({ error: 'forbidden' });
    const apiPost = await triage.api(
      'POST',
      `/api/v1/staff/${t.a.staff[t.a.email('police')]!}/deactivate`,
      {},
    );
    expect(apiPost.statusCode).toBe(403);

    const anonymous = await t.client().get('/api/v1/staff');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: 'unauthorised' });
    expect(location(await t.client().get('/staff/admin/staff'))).toBe('/staff/sign-in');
  });
});

describe('inviting staff', () => {
  it('creates the account with a hashed invitation, queues the email and audits it', async () => {
    const { res, mail, token } = await inviteThroughPage('Priya.Shah@A.test');
    const row = await staffRow('priya.shah@a.test');
    expect(row).toBeDefined();
    expect(location(res)).toBe(`/staff/admin/staff/${row!.id}?notice=invited`);
    expect(row!.password_hash).toBeNull();
    expect(row!.totp_secret).toBeNull();
    expect(row!.roles).toEqual(['agency_officer']);
    expect(row!.organisation_id).toBe(t.a.organisations.police);
    expect(row!.invite_token_hash).toBe(hashToken(token));
    const days = (new Date(row!.invite_expires_at!).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    // The token itself is stored nowhere but in the email.
    expect(await count(t, sql`select count(*)::int as n from staff where invite_token_hash = ${token}`)).toBe(
      0,
    );

    expect(mail.partnership_id).toBe(t.a.id);
    expect(mail.purpose).toBe('staff.invitation');
    expect(mail.subject).toContain('Partnership A');
    expect(mail.text_body).toContain('Priya Shah');
    const audit = await rows<{ action: string; actor_staff_id: string; details: Record<string, unknown> }>(
      t,
      sql`select action, actor_staff_id, details from audit_log where entity_id = ${row!.id}`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'staff.invited',
      actor_staff_id: t.a.staff[t.a.email('admin')],
      details: { email: 'priya.shah@a.test', roles: ['agency_officer'] },
    });

    const admin = await signedIn('admin');
    const member = await admin.get(location(res)!);
    expect(member.statusCode).toBe(200);
    expect(member.body).toContain('Invitation sent');
    expect(member.body).toContain('Invited');
  });

  it('accepting the invitation sets a password, then asks for an authenticator app', async () => {
    const { token } = await inviteThroughPage('new.starter@a.test', ['triage_officer']);
    const c = t.client();
    const page = await c.get(`/staff/invitation/${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('new.starter@a.test');
    expect(page.body).toContain('autocomplete="new-password"');

    const password = 'a long new password for the test';
    const res = await c.post(`/staff/invitation/${token}`, { password, confirmPassword: password });
    expect(res.statusCode).toBe(302);
    expect(location(res)).toBe('/staff/sign-in/set-up');
    const row = await staffRow('new.starter@a.test');
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
    expect(row!.invite_token_hash).toBeNull();
    expect(await auditActions(row!.id)).toContain('staff.invitation-accepted');

    // Still only halfway signed in.
    expect((await c.get('/staff/account/api-tokens')).statusCode).toBe(302);
    const setUp = await c.get('/staff/sign-in/set-up');
    expect(setUp.statusCode).toBe(200);
    expect(setUp.body).toContain('src="data:image/svg+xml;base64,');
    expect(setUp.body).not.toContain('<svg');
    const secret = shownSecret(setUp.body);
    const done = await c.post('/staff/sign-in/set-up', { code: totp(secret) });
    expect(location(done)).toBe('/staff/concerns');
    expect((await c.get('/staff/account/api-tokens')).statusCode).toBe(200);
    expect(await auditActions(row!.id)).toEqual(
      expect.arrayContaining(['staff.mfa-set-up', 'sign-in.succeeded']),
    );

    // The link works once.
    const again = await t.client().get(`/staff/invitation/${token}`);
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('This invitation link does not work');
    const reuse = t.client();
    await reuse.get('/staff/sign-in');
    expect(
      (await reuse.post(`/staff/invitation/${token}`, { password, confirmPassword: password })).statusCode,
    ).toBe(404);
  });

  it('rejects unknown and expired invitation links', async () => {
    expect((await t.client().get('/staff/invitation/not-a-real-token')).statusCode).toBe(404);
    const { token } = await inviteThroughPage('late.starter@a.test');
    await t.db.system((tx) =>
      tx.execute(
        sql`update staff set invite_expires_at = now() - interval '1 minute' where email = 'late.starter@a.test'`,
      ),
    );
    expect((await t.client().get(`/staff/invitation/${token}`)).statusCode).toBe(404);
  });

  it('invites through the API too', async () => {
    const admin = await signedIn('admin');
    const body = {
      name: 'Api Invitee',
      email: 'api.invitee@a.test',
      organisationId: t.a.organisations.fire!,
      roles: ['agency_officer'],
    };
    const res = await admin.api('POST', '/api/v1/staff', body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      email: 'api.invitee@a.test',
      organisation: { id: t.a.organisations.fire, name: 'Fire a' },
      roles: ['agency_officer'],
      active: true,
      mfaSetUp: false,
      invitationPending: true,
    });
    expect(
      await count(t, sql`select count(*)::int as n from outbox where to_address = 'api.invitee@a.test'`),
    ).toBe(1);

    const duplicate = await admin.api('POST', '/api/v1/staff', body);
    expect(duplicate.statusCode).toBe(409);
    const bad = await admin.api('POST', '/api/v1/staff', {
      ...body,
      email: 'not an email',
      roles: ['emperor'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'badRequest' });
    const otherOrg = await admin.api('POST', '/api/v1/staff', {
      ...body,
      email: 'other.org@a.test',
      organisationId: t.b.organisations.fire!,
    });
    expect(otherOrg.statusCode).toBe(400);
    expect(await staffRow('other.org@a.test')).toBeUndefined();

    const list = await admin.api('GET', '/api/v1/staff');
    expect(list.statusCode).toBe(200);
    const emails = (list.json() as { email: string }[]).map((m) => m.email);
    expect(emails).toContain('api.invitee@a.test');
    expect(emails).toContain(t.a.email('triage'));
    expect(emails).not.toContain(t.b.email('triage'));
  });
});

describe('deactivating, reactivating and resetting the authenticator app', () => {
  it('deactivating ends their sessions and blocks sign-in; reactivating lets them back', async () => {
    const email = t.a.email('police');
    const id = t.a.staff[email]!;
    const police = await t.signedIn(t.a, 'police');
    expect((await police.get('/staff/account/api-tokens')).statusCode).toBe(200);

    const admin = await signedIn('admin');
    const member = await admin.get(`/staff/admin/staff/${id}`);
    expect(member.statusCode).toBe(200);
    expect(member.body).toContain(`action="/staff/admin/staff/${id}/deactivate"`);
    const res = await admin.post(`/staff/admin/staff/${id}/deactivate`);
    expect(location(res)).toBe(`/staff/admin/staff/${id}?notice=deactivated`);
    expect((await staffRow(email))!.active).toBe(false);
    expect(await sessions(id)).toBe(0);
    expect(await auditActions(id)).toContain('staff.deactivated');

    expect(location(await police.get('/staff/account/api-tokens'))).toBe('/staff/sign-in');
    const signIn = await submitPassword(t.client(), email);
    expect(signIn.statusCode).toBe(400);
    expect(signIn.body).toContain('Enter a correct email address and password');

    const shown = await admin.get(`/staff/admin/staff/${id}?notice=deactivated`);
    expect(shown.body).toContain('Deactivated');
    expect(shown.body).toContain(`action="/staff/admin/staff/${id}/reactivate"`);
    expect(location(await admin.post(`/staff/admin/staff/${id}/reactivate`))).toBe(
      `/staff/admin/staff/${id}?notice=reactivated`,
    );
    expect((await staffRow(email))!.active).toBe(true);
    expect(await auditActions(id)).toContain('staff.reactivated');
    expect(location(await submitPassword(t.client(), email))).toBe('/staff/sign-in/code');
  });

  it('does not let administrators deactivate themselves', async () => {
    const id = t.a.staff[t.a.email('admin')]!;
    const admin = await signedIn('admin');
    const page = await admin.get(`/staff/admin/staff/${id}`);
    expect(page.body).not.toContain(`action="/staff/admin/staff/${id}/deactivate"`);
    const res = await admin.post(`/staff/admin/staff/${id}/deactivate`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('You cannot deactivate your own account');
    expect((await staffRow(t.a.email('admin')))!.active).toBe(true);
    const api = await admin.api('POST', `/api/v1/staff/${id}/deactivate`, {});
    expect(api.statusCode).toBe(409);
  });

  it('resetting the authenticator app ends sessions and the next sign-in sets one up again', async () => {
    const email = t.a.email('cohesion');
    const id = t.a.staff[email]!;
    const before = await t.signedIn(t.a, 'cohesion');
    const admin = await signedIn('admin');
    const res = await admin.post(`/staff/admin/staff/${id}/reset-mfa`);
    expect(location(res)).toBe(`/staff/admin/staff/${id}?notice=mfaReset`);
    const row = await staffRow(email);
    expect(row!.totp_secret).toBeNull();
    expect(row!.totp_last_step).toBeNull();
    expect(await sessions(id)).toBe(0);
    expect(await auditActions(id)).toContain('staff.mfa-reset');
    expect(location(await before.get('/staff/account/api-tokens'))).toBe('/staff/sign-in');

    const c = t.client();
    const password = await submitPassword(c, email);
    expect(location(password)).toBe('/staff/sign-in/set-up');
    // The old code page is not a way round setting up.
    expect(location(await c.get('/staff/sign-in/code'))).toBe('/staff/sign-in/set-up');
    const setUp = await c.get('/staff/sign-in/set-up');
    const secret = shownSecret(setUp.body);
    expect(secret).not.toBe(TEST_TOTP_SECRET);
    // Refreshing the page shows the same secret, so a slow scan still works.
    expect(shownSecret((await c.get('/staff/sign-in/set-up')).body)).toBe(secret);
    const wrong = await c.post('/staff/sign-in/set-up', { code: totp(TEST_TOTP_SECRET) });
    expect(wrong.statusCode).toBe(400);
    const done = await c.post('/staff/sign-in/set-up', { code: totp(secret) });
    expect(location(done)).toBe('/staff/concerns');
    expect(c.cookies.has(SESSION_COOKIE)).toBe(true);
    expect((await c.get('/staff/account/api-tokens')).statusCode).toBe(200);
    // Set up now: the set-up page is closed to a later password-only session.
    const later = t.client();
    await submitPassword(later, email);
    expect(location(await later.get('/staff/sign-in/set-up'))).toBe('/staff/sign-in/code');
  });

  it('works through the API', async () => {
    const id = t.a.staff[t.a.email('analyst')]!;
    const admin = await signedIn('admin');
    const off = await admin.api('POST', `/api/v1/staff/${id}/deactivate`, {});
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ id, active: false });
    const on = await admin.api('POST', `/api/v1/staff/${id}/reactivate`, {});
    expect(on.json()).toMatchObject({ id, active: true });
    const reset = await admin.api('POST', `/api/v1/staff/${id}/reset-mfa`, {});
    expect(reset.json()).toMatchObject({ id, mfaSetUp: false });
    expect(await auditActions(id)).toEqual(['staff.deactivated', 'staff.reactivated', 'staff.mfa-reset']);
    expect((await admin.api('POST', '/api/v1/staff/not-a-uuid/deactivate')).statusCode).toBe(400);
    expect((await admin.api('POST', `/api/v1/staff/${crypto.randomUUID()}/deactivate`, {})).statusCode).toBe(
      404,
    );
  });
});

describe('partnerships are kept apart', () => {
  it('an administrator of B cannot see or change A’s staff, on pages or the API', async () => {
    const target = t.a.staff[t.a.email('triage')]!;
    const adminB = await signedIn('admin', t.b);
    expect((await adminB.get('/staff/admin/staff')).body).not.toContain(t.a.email('triage'));
    expect((await adminB.get(`/staff/admin/staff/${target}`)).statusCode).toBe(404);
    for (const action of ['deactivate', 'reactivate', 'reset-mfa']) {
      expect((await adminB.post(`/staff/admin/staff/${target}/${action}`)).statusCode).toBe(404);
      expect((await adminB.api('POST', `/api/v1/staff/${target}/${action}`, {})).statusCode).toBe(404);
    }
    const list = await adminB.api('GET', '/api/v1/staff');
    expect((list.json() as { id: string }[]).map((m) => m.id)).not.toContain(target);
    const row = await staffRow(t.a.email('triage'));
    expect(row!.active).toBe(true);
    expect(row!.totp_secret).toBe(TEST_TOTP_SECRET);

    // Nor invite into A's organisations.
    const res = await adminB.post('/staff/admin/staff/invite', {
      name: 'Cross Over',
      email: 'cross.over@b.test',
      organisationId: t.a.organisations.council!,
      roles: 'triage_officer',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Select an organisation from the list');
    expect(await staffRow('cross.over@b.test')).toBeUndefined();
  });

  it('a malformed staff id is simply not found', async () => {
    const admin = await signedIn('admin');
    expect((await admin.get('/staff/admin/staff/nonsense')).statusCode).toBe(404);
    expect((await admin.post('/staff/admin/staff/nonsense/deactivate')).statusCode).toBe(404);
  });
});

describe('API documentation', () => {
  it('describes the staff and token endpoints', async () => {
    const res = await t.client().get('/api/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, unknown> };
    for (const p of [
      '/api/v1/me',
      '/api/v1/staff',
      '/api/v1/staff/{id}/deactivate',
      '/api/v1/staff/{id}/reactivate',
      '/api/v1/staff/{id}/reset-mfa',
      '/api/v1/api-tokens',
      '/api/v1/api-tokens/{id}/revoke',
    ]) {
      expect(doc.paths).toHaveProperty([p]);
    }
  });
});
