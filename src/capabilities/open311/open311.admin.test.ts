import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { auditRows, unescapeHtml } from '../concerns/concerns.test-helpers.js';
import { form, get, jsonOf, postRaw } from './open311.test-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const PAGE = '/staff/admin/open311';

function postRequest(key: string) {
  return postRaw(
    t,
    '/open311/v2/requests.json',
    form([
      ['api_key', key],
      ['service_code', 'unsafe_place'],
      ['description', 'The path by the river has no lights.'],
    ]),
  );
}

describe('Open311 administration page', () => {
  it('is for partnership admins only', async () => {
    expect((await t.client().get(PAGE)).statusCode).toBe(302);
    const triage = await t.signedIn(t.a, 'triage');
    expect((await triage.get(PAGE)).statusCode).toBe(403);
    expect((await triage.post(`${PAGE}/keys`, { name: 'Sneaky' })).statusCode).toBe(403);
    const admin = await t.signedIn(t.a, 'admin');
    const page = await admin.get(PAGE);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('There are no keys yet.');
    expect(page.body).toContain('/open311/v2/discovery.json');
  });

  it('is linked from the staff administration page', async () => {
    const admin = await t.signedIn(t.a, 'admin');
    expect((await admin.get('/staff/admin/staff')).body).toContain(`href="${PAGE}"`);
  });

  it('creates a key shown once, which then works, records its use, and can be revoked', async () => {
    const admin = await t.signedIn(t.a, 'admin');
    await admin.get(PAGE);
    const empty = await admin.post(`${PAGE}/keys`, { name: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#name"');
    expect(empty.body).toContain('Enter which system the key is for');

    const created = await admin.post(`${PAGE}/keys`, { name: 'FixMyStreet' });
    expect(created.statusCode).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const key = unescapeHtml(/id="new-key"[^>]*value="([^"]+)"/.exec(created.body)?.[1] ?? '');
    expect(key).toMatch(/^heard311_/);
    const [row] = await t.db.tenant(t.a.id, (tx) => tx.query.open311Keys.findMany());
    expect(row!.keyHash).not.toContain(key);
    expect(row!.lastUsedAt).toBeNull();
    expect(await auditRows(t, t.a, 'open311.key.created', row!.id)).toHaveLength(1);

    // Shown once: the list afterwards names the key but never shows it.
    const listed = await admin.get(PAGE);
    expect(listed.body).toContain('FixMyStreet');
    expect(listed.body).not.toContain(key);

    const posted = await postRequest(key);
    expect(posted.statusCode).toBe(200);
    const [used] = await t.db.tenant(t.a.id, (tx) => tx.query.open311Keys.findMany());
    expect(used!.lastUsedAt).not.toBeNull();

    await admin.get(PAGE);
    const revoked = await admin.post(`${PAGE}/keys/${row!.id}/revoke`);
    expect(revoked.statusCode).toBe(302);
    expect(revoked.headers.location).toBe(`${PAGE}?notice=revoked`);
    expect((await admin.get(`${PAGE}?notice=revoked`)).body).toContain('The key has been revoked.');
    expect((await postRequest(key)).statusCode).toBe(403);
    expect(await auditRows(t, t.a, 'open311.key.revoked', row!.id)).toHaveLength(1);

    // Another partnership's admin cannot revoke it (row-level security hides it).
    const otherAdmin = await t.signedIn(t.b, 'admin');
    await otherAdmin.get(PAGE);
    expect((await otherAdmin.post(`${PAGE}/keys/${row!.id}/revoke`)).statusCode).toBe(404);
  });

  it('chooses which topics are published, and never offers the sensitive ones', async () => {
    const admin = await t.signedIn(t.a, 'admin');
    const page = await admin.get(PAGE);
    expect(page.body).toContain('value="unsafe_place"');
    for (const sensitive of ['hate_harassment', 'hate_disinformation', 'community_tensions'])
      expect(page.body).not.toContain(`value="${sensitive}"`);
    expect(page.body).toContain('Never published: Hate, prejudice or harassment');

    // Even if a crafted form asks, a sensitive topic is not published.
    const saved = await admin.post(`${PAGE}/services`, { topics: ['unsafe_place', 'hate_harassment'] });
    expect(saved.statusCode).toBe(302);
    expect(saved.headers.location).toBe(`${PAGE}?notice=saved`);
    const services = jsonOf<{ service_code: string; description: string }[]>(
      await get(t, '/open311/v2/services.json'),
    );
    const published = services
      .filter((s) => !s.description.includes('never published'))
      .map((s) => s.service_code);
    expect(published).toEqual(['unsafe_place']);

    const bad = await admin.post(`${PAGE}/services`, { topics: 'potholes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose categories from the list');

    // Nothing ticked publishes nothing.
    expect((await admin.post(`${PAGE}/services`, {})).statusCode).toBe(302);
    const none = jsonOf<{ description: string }[]>(await get(t, '/open311/v2/services.json'));
    expect(none.every((s) => s.description.includes('never published'))).toBe(true);
  });
});
