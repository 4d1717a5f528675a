import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  type TestApp,
  type TestClient,
  type TestPartnership,
} from '../../../test/helpers/app.js';
import { dateFormFields } from '../../platform/forms/date-input.js';
import { staffClient } from '../concerns/concerns.test-helpers.js';
import { londonToday } from '../engagement/engagement.dates.js';
import { addDays } from './tension.rules.js';

let t: TestApp;
let officer: TestClient;
let police: TestClient;
let fire: TestClient;
const today = londonToday();

function rows<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
async function count(p: TestPartnership, table: string, where = 'true'): Promise<number> {
  const r = await t.db.system((tx) =>
    tx.execute(
      sql.raw(`select count(*)::int as n from ${table} where partnership_id = '${p.id}' and ${where}`),
    ),
  );
  return Number(rows<{ n: number }>(r)[0]!.n);
}
function area(p: TestPartnership, n: number): string {
  return Object.entries(p.areas).find(([code]) => code.endsWith(`-0${n}`))![1];
}
function report(p: TestPartnership, overrides: Record<string, string> = {}) {
  return {
    areaId: area(p, 1),
    reportedOn: today,
    source: 'officer',
    category: 'rumour',
    assessment: 'evidenced',
    level: 'medium',
    summary: 'Rumours on social media about a planned gathering outside the mosque on Friday.',
    actions: 'Police and faith leaders briefed.',
    reviewDate: addDays(today, 7),
    ...overrides,
  };
}

/** A report as the form sends it: each date in three boxes. */
function asForm(r: Record<string, string>): Record<string, string> {
  const { reportedOn, reviewDate, ...rest } = r;
  return {
    ...rest,
    ...dateFormFields('reportedOn', reportedOn!),
    ...dateFormFields('reviewDate', reviewDate!),
  };
}

beforeAll(async () => {
  t = await buildTestApp();
  officer = await staffClient(t, t.a, 'cohesion');
  police = await staffClient(t, t.a, 'police');
  fire = await staffClient(t, t.a, 'fire');
});
afterAll(async () => {
  await t.close();
});

describe('tension reports and escalation', () => {
  let highId: string;

  it('a medium report is saved without telling the leads', async () => {
    const page = await officer.get('/staff/tension/new');
    expect(page.statusCode).toBe(200);
    const res = await officer.post('/staff/tension/new', asForm(report(t.a)));
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toMatch(/^\/staff\/tension\/reports\/[0-9a-f-]{36}\?saved=yes$/);
    expect(await count(t.a, 'outbox', `purpose = 'tension.escalation'`)).toBe(0);
  });

  it('a report raising the area to high emails every partnership lead at once', async () => {
    const res = await officer.post(
      '/staff/tension/new',
      asForm(
        report(t.a, {
          level: 'high',
          category: 'planned_protest',
          summary: 'A march is planned for Saturday.',
        }),
      ),
    );
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toMatch(/saved=escalated$/);
    highId = (res.headers.location as string).split('/')[4]!.split('?')[0]!;
    const mail = rows<{
      to_address: string;
      subject: string;
      text_body: string;
      headers: Record<string, string>;
    }>(
      await t.db.system((tx) =>
        tx.execute(
          sql`select to_address, subject, text_body, headers from outbox where partnership_id = ${t.a.id} and purpose = 'tension.escalation'`,
        ),
      ),
    );
    expect(mail.map((m) => m.to_address)).toEqual(['admin@a.test']);
    expect(mail[0]!.subject).toBe('Community tension: North a raised to High');
    expect(mail[0]!.text_body).toContain('A march is planned for Saturday.');
    expect(mail[0]!.text_body).toContain(`/staff/tension/reports/${highId}`);
    expect(mail[0]!.headers['Auto-Submitted']).toBe('auto-generated');
    const page = await officer.get(res.headers.location as string);
    expect(page.body).toContain('The partnership leads have been told');
    expect(page.body).toContain('Partnership leads told on');
  });

  it('another high report in the same area and week does not tell them again; critical does', async () => {
    await officer.post('/staff/tension/new', asForm(report(t.a, { level: 'high' })));
    expect(await count(t.a, 'outbox', `purpose = 'tension.escalation'`)).toBe(1);
    const api = await officer.api('POST', '/api/v1/tension/reports', {
      ...report(t.a, { level: 'critical' }),
    });
    expect(api.statusCode).toBe(201);
    expect(api.json()).toMatchObject({ escalated: true, leadsNotified: 1 });
    expect(await count(t.a, 'outbox', `purpose = 'tension.escalation'`)).toBe(2);
  });

  it('stores nothing and says why on bad input', async () => {
    const before = await count(t.a, 'tension_reports');
    const res = await officer.post('/staff/tension/new', {
      ...asForm(report(t.a, { level: '', summary: '' })),
      'reviewDate-day': '30',
      'reviewDate-month': '2',
      'reviewDate-year': '2026',
      'reportedOn-year': '',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<title>Error:/);
    expect(res.body).toContain('href="#level"');
    expect(res.body).toContain('href="#summary"');
    expect(res.body).toContain('<a href="#reviewDate-day">Review date must be a real date</a>');
    expect(res.body).toContain('<a href="#reportedOn-year">Date of the report must include a year</a>');
    const early = await officer.post(
      '/staff/tension/new',
      asForm(report(t.a, { reviewDate: addDays(today, -1) })),
    );
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain(
      '<a href="#reviewDate-day">Review date must be the same as or after the date of the report</a>',
    );
    const api = await officer.api('POST', '/api/v1/tension/reports', { ...report(t.a), level: 'extreme' });
    expect(api.statusCode).toBe(400);
    expect(await count(t.a, 'tension_reports')).toBe(before);
  });

  it('shows the weekly picture with the area at its highest level this week, rising', async () => {
    const page = await police.get('/staff/tension');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/North a<\/th>[\s\S]*Critical[\s\S]*Rising/);
    const api = await police.api('GET', '/api/v1/tension/picture?weeks=4');
    expect(api.statusCode).toBe(200);
    const picture = api.json();
    expect(picture.weeks).toHaveLength(4);
    expect(picture.areas[0]).toMatchObject({ area: 'North a', current: 'critical', trend: 'rising' });
    expect(picture.areas[0].levels).toEqual(['none', 'none', 'none', 'critical']);
  });

  it('a police officer can open a report, and every read is audited', async () => {
    const page = await police.get(`/staff/tension/reports/${highId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('A march is planned for Saturday.');
    const api = await police.api('GET', `/api/v1/tension/reports/${highId}`);
    expect(api.json()).toMatchObject({ level: 'high', escalated: true, area: { name: 'North a' } });
    const policeId = t.a.staff[t.a.email('police')]!;
    expect(
      await count(t.a, 'audit_log', `action = 'tension.report.viewed' and actor_staff_id = '${policeId}'`),
    ).toBe(2);
    expect(
      await count(t.a, 'audit_log', `action = 'tension.picture.viewed' and actor_staff_id = '${policeId}'`),
    ).toBe(2);
    const list = await police.api('GET', '/api/v1/tension/reports');
    expect(list.json().items.length).toBe(4);
    expect(
      await count(t.a, 'audit_log', `action = 'tension.reports.viewed' and actor_staff_id = '${policeId}'`),
    ).toBe(1);
  });
});

describe('who may see community tension', () => {
  it('a fire service officer gets 403 on every page and API route, and no menu link', async () => {
    const [one] = rows<{ id: string }>(
      await t.db.system((tx) =>
        tx.execute(sql`select id from tension_reports where partnership_id = ${t.a.id} limit 1`),
      ),
    );
    const denied = [
      await fire.get('/staff/tension'),
      await fire.get('/staff/tension/new'),
      await fire.post('/staff/tension/new', asForm(report(t.a, { level: 'critical' }))),
      await fire.get(`/staff/tension/reports/${one!.id}`),
      await fire.api('GET', '/api/v1/tension/picture'),
      await fire.api('GET', '/api/v1/tension/reports'),
      await fire.api('GET', `/api/v1/tension/reports/${one!.id}`),
      await fire.api('POST', '/api/v1/tension/reports', report(t.a)),
    ];
    expect(denied.map((r) => r.statusCode)).toEqual(Array(8).fill(403));
    expect(denied[0]!.body).not.toContain('North a');
    expect(denied[4]!.json()).toMatchObject({ error: 'forbidden' });
    expect((await fire.get('/staff/concerns')).body).not.toContain('/staff/tension');
    const fireId = t.a.staff[t.a.email('fire')]!;
    expect(
      await count(t.a, 'audit_log', `action = 'tension.access.denied' and actor_staff_id = '${fireId}'`),
    ).toBe(8);
  });

  it('nor do triage officers, council agency officers or analysts', async () => {
    for (const local of ['triage', 'council', 'analyst']) {
      const c = await staffClient(t, t.a, local);
      expect((await c.get('/staff/tension')).statusCode, local).toBe(403);
      expect((await c.api('GET', '/api/v1/tension/picture')).statusCode, local).toBe(403);
    }
  });

  it('cohesion officers, police officers and partnership leads see it in their menu', async () => {
    for (const local of ['cohesion', 'police', 'admin']) {
      const c = await staffClient(t, t.a, local);
      const page = await c.get('/staff/tension');
      expect(page.statusCode, local).toBe(200);
      expect(page.body, local).toContain('href="/staff/tension"');
    }
  });

  it('without signing in: the sign-in page, or 401 from the API', async () => {
    const anon = t.client();
    expect((await anon.get('/staff/tension')).statusCode).toBe(302);
    expect((await anon.get('/api/v1/tension/picture')).statusCode).toBe(401);
  });

  it("partnership B sees none of A's tension, on pages or the API", async () => {
    const [one] = rows<{ id: string }>(
      await t.db.system((tx) =>
        tx.execute(sql`select id from tension_reports where partnership_id = ${t.a.id} limit 1`),
      ),
    );
    for (const local of ['cohesion', 'police', 'admin']) {
      const c = await staffClient(t, t.b, local);
      const page = await c.get('/staff/tension');
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('North a');
      expect(page.body).toContain('No tension reported in any area');
      expect((await c.get(`/staff/tension/reports/${one!.id}`)).statusCode).toBe(404);
      expect((await c.api('GET', `/api/v1/tension/reports/${one!.id}`)).statusCode).toBe(404);
      expect((await c.api('GET', '/api/v1/tension/reports')).json().items).toEqual([]);
      expect((await c.api('GET', '/api/v1/tension/picture')).json().areas).toEqual([]);
    }
    // Nor can B report against A's area.
    const bOfficer = await staffClient(t, t.b, 'cohesion');
    const res = await bOfficer.post('/staff/tension/new', asForm(report(t.b, { areaId: area(t.a, 1) })));
    expect(res.statusCode).toBe(400);
    expect(await count(t.b, 'tension_reports')).toBe(0);
  });
});
