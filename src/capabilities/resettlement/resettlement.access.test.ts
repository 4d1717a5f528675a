import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { paths } from '../../platform/paths.js';
import { resettlementRepository } from './resettlement.repository.js';
import {
  addResettlementStaff,
  householdFixture,
  memberFixture,
  resettlementActor,
} from './resettlement.test-helpers.js';

/**
 * Only the resettlement team sees cases. Every household page and API route is listed here and
 * tried as staff without a resettlement role; a caseworker of another partnership sees nothing.
 */
let t: TestApp;
let ids: { household: string; member: string; goal: string; referral: string; session: string };

beforeAll(async () => {
  t = await buildTestApp();
  await addResettlementStaff(t.db, t.a);
  await addResettlementStaff(t.db, t.b);
  const cw = resettlementActor(t.a, 'caseworker');
  const rs = t.services.resettlement;
  const must = <T extends { ok: boolean }>(r: T) => r as Extract<T, { ok: true }>;
  const h = must(await rs.createHousehold(cw, householdFixture({ name: 'Private family A' })));
  const m = must(await rs.addMember(cw, h.id, memberFixture({ name: 'Private Person A' })));
  const g = must(
    await rs.addGoal(cw, h.id, { domain: 'housing', goal: 'Private goal A', owner: 'Caseworker' }),
  );
  const r = must(
    await rs.addReferral(cw, h.id, {
      domain: 'health',
      service: 'Private Clinic A',
      referredOn: '2026-11-01',
    }),
  );
  const s = must(
    await rs.createSession(cw, {
      topic: 'health_system',
      date: '2026-12-10',
      startTime: '10:00',
      endTime: '12:00',
      venue: 'Venue A',
      languages: ['en'],
      capacity: 10,
    }),
  );
  must(await rs.book(cw, s.id, [m.id]));
  ids = { household: h.id, member: m.id, goal: g.id, referral: r.id, session: s.id };
});
afterAll(async () => t?.close());

type Call = { method: 'GET' | 'POST'; url: string; body?: Record<string, unknown> };

/** Every case page and every case API route: the list the issue asks for. */
function caseRoutes(): { pages: Call[]; api: Call[] } {
  const r = paths.resettlement;
  const a = paths.api.resettlement;
  const { household: h, member: m, goal: g, referral: f, session: s } = ids;
  return {
    pages: [
      { method: 'GET', url: r.home() },
      { method: 'GET', url: r.households() },
      { method: 'GET', url: r.newHousehold() },
      { method: 'POST', url: r.newHousehold(), body: { name: 'X' } },
      { method: 'GET', url: r.household(h) },
      { method: 'GET', url: r.edit(h) },
      { method: 'POST', url: r.edit(h), body: { name: 'X' } },
      { method: 'GET', url: r.close(h) },
      { method: 'POST', url: r.close(h), body: { closureReason: 'X' } },
      { method: 'POST', url: r.reopen(h) },
      { method: 'POST', url: r.assign(h), body: { caseworkerStaffId: h } },
      { method: 'GET', url: r.newMember(h) },
      { method: 'POST', url: r.newMember(h), body: { name: 'X' } },
      { method: 'GET', url: r.member(h, m) },
      { method: 'POST', url: r.member(h, m), body: { name: 'X' } },
      { method: 'GET', url: r.host(h) },
      { method: 'POST', url: r.host(h), body: { name: 'X' } },
      { method: 'GET', url: r.needs(h) },
      { method: 'POST', url: r.needs(h), body: {} },
      { method: 'GET', url: r.newGoal(h) },
      { method: 'POST', url: r.newGoal(h), body: { goal: 'X' } },
      { method: 'POST', url: r.goal(h, g), body: { status: 'achieved' } },
      { method: 'GET', url: r.newReferral(h) },
      { method: 'POST', url: r.newReferral(h), body: { service: 'X' } },
      { method: 'GET', url: r.referral(h, f) },
      { method: 'POST', url: r.referral(h, f), body: { outcome: 'accepted' } },
      { method: 'GET', url: r.exportHtml(h) },
      { method: 'GET', url: r.exportJson(h) },
      { method: 'GET', url: r.sessions() },
      { method: 'GET', url: r.calendar() },
      { method: 'GET', url: r.newSession() },
      { method: 'POST', url: r.newSession(), body: { venue: 'X' } },
      { method: 'GET', url: r.session(s) },
      { method: 'POST', url: r.bookings(s), body: { memberIds: m } },
      { method: 'POST', url: r.attendance(s), body: { memberId: m, [`attended-${m}`]: 'yes' } },
    ],
    api: [
      { method: 'GET', url: a.caseload() },
      { method: 'GET', url: a.households() },
      { method: 'POST', url: a.households(), body: {} },
      { method: 'GET', url: a.household(h) },
      { method: 'POST', url: a.household(h), body: {} },
      { method: 'POST', url: a.close(h), body: {} },
      { method: 'POST', url: a.reopen(h) },
      { method: 'POST', url: a.assign(h), body: {} },
      { method: 'POST', url: a.members(h), body: {} },
      { method: 'POST', url: a.member(h, m), body: {} },
      { method: 'POST', url: a.host(h), body: {} },
      { method: 'POST', url: a.needs(h), body: {} },
      { method: 'POST', url: a.goals(h), body: {} },
      { method: 'POST', url: a.goal(h, g), body: {} },
      { method: 'POST', url: a.referrals(h), body: {} },
      { method: 'POST', url: a.referral(h, f), body: {} },
      { method: 'GET', url: a.subjectAccess(h) },
      { method: 'GET', url: a.sessions() },
      { method: 'POST', url: a.sessions(), body: {} },
      { method: 'GET', url: a.session(s) },
      { method: 'POST', url: a.bookings(s), body: {} },
      { method: 'POST', url: a.attendance(s), body: {} },
    ],
  };
}

async function call(c: Awaited<ReturnType<TestApp['signedIn']>>, route: Call, api: boolean) {
  if (api)
    return c.api(
      route.method as 'GET' | 'POST',
      route.url,
      route.method === 'GET' ? undefined : (route.body ?? {}),
    );
  if (route.method === 'GET') return c.get(route.url);
  return c.post(route.url, (route.body ?? {}) as Record<string, string>);
}

describe('access to resettlement cases', () => {
  it('lists only routes the app really has (so the list below cannot go stale)', () => {
    const { pages, api } = caseRoutes();
    for (const route of [...pages, ...api]) {
      const url = route.url
        .replace(ids.household, ':id')
        .replace(ids.session, ':id')
        .replace(/\/(members|goals|referrals)\/[0-9a-f-]{36}/, '/$1/:sub');
      expect(t.app.hasRoute({ method: route.method, url }), `${route.method} ${url}`).toBe(true);
    }
  });

  for (const role of ['police', 'admin', 'triage', 'analyst', 'cohesion'] as const) {
    it(`${role} (no resettlement role) gets 403 on every household page and API route`, async () => {
      const c = await t.signedIn(t.a, role);
      const { pages, api } = caseRoutes();
      for (const route of pages)
        expect((await call(c, route, false)).statusCode, `${route.method} ${route.url}`).toBe(403);
      for (const route of api) {
        const res = await call(c, route, true);
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
        expect(res.body).not.toContain('Private');
      }
    });
  }

  it('a caseworker of another partnership sees nothing of A', async () => {
    const c = await t.signedIn(t.b, 'caseworker');
    const { pages, api } = caseRoutes();
    for (const route of [...pages, ...api].filter((r) => r.method === 'GET')) {
      const res = await call(c, route, route.url.startsWith('/api/'));
      expect(res.body, route.url).not.toContain('Private');
      expect(res.body, route.url).not.toContain('Venue A');
      if (route.url.includes(ids.household) || route.url.includes(ids.session))
        expect(res.statusCode, route.url).toBe(404);
    }
    const list = await c.api('GET', paths.api.resettlement.households());
    expect(list.json().households).toEqual([]);
    const sessions = await c.api('GET', paths.api.resettlement.sessions());
    expect(sessions.json().sessions).toEqual([]);
    const changed = await c.post(paths.resettlement.edit(ids.household), {
      scheme: 'other',
      schemeOther: 'X',
      name: 'Taken',
      lawfulBasis: 'public_task',
      consentGiven: 'no',
      interpreterNeeded: 'no',
    });
    expect(changed.statusCode).toBe(404);
    // B's outcome figures are counted from B's rows only (published suppressed, so check the counts).
    expect(await t.db.tenant(t.b.id, (tx) => resettlementRepository.outcomePeople(tx))).toEqual([]);
    expect((await t.db.tenant(t.a.id, (tx) => resettlementRepository.outcomePeople(tx))).length).toBe(1);
  });

  it('outcomes are open to admins and analysts, aggregate only', async () => {
    for (const role of ['admin', 'analyst'] as const) {
      const c = await t.signedIn(t.a, role);
      const page = await c.get(paths.resettlement.outcomes());
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('Private');
      expect((await c.get(paths.resettlement.outcomesExport('csv'))).statusCode).toBe(200);
    }
    const police = await t.signedIn(t.a, 'police');
    expect((await police.get(paths.resettlement.outcomes())).statusCode).toBe(403);
    expect((await police.api('GET', paths.api.resettlement.outcomes())).statusCode).toBe(403);
  });

  it('the navigation offers resettlement only to the roles that use it', async () => {
    const cw = await t.signedIn(t.a, 'caseworker');
    expect((await cw.get(paths.resettlement.home())).body).toContain(`href="${paths.resettlement.home()}"`);
    const police = await t.signedIn(t.a, 'police');
    const page = await police.get(paths.staff.apiTokens());
    expect(page.body).not.toContain('/staff/resettlement');
  });
});
