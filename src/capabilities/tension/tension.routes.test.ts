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
// Read at each use, not once when the file loads, so a run that crosses midnight still means today.
const today = () => londonToday();

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
    reportedOn: today(),
    source: 'officer',
    category: 'rumour',
    assessment: 'evidenced',
    level: 'medium',
    summary: 'Rumours on social media about a planned gathering outside the mosque on Friday.',
    actions: 'Police and faith leaders briefed.',
    reviewDate: addDays(today(), 7),
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
      asForm(report(t.a, { reviewDate: addDays(today(), -1) })),
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

describe('editing and closing a report', () => {
  const escalations = () => count(t.a, 'outbox', `purpose = 'tension.escalation'`);
  let id: string;

  it('offers the report in the edit form, every field filled in, dates in three boxes', async () => {
    const created = await officer.api(
      'POST',
      '/api/v1/tension/reports',
      report(t.a, { areaId: area(t.a, 2) }),
    );
    expect(created.json()).toMatchObject({ escalated: false });
    id = created.json().id;
    const page = await officer.get(`/staff/tension/reports/${id}`);
    expect(page.body).toContain(`href="/staff/tension/reports/${id}/edit"`);
    expect(page.body).toContain(`href="/staff/tension/reports/${id}/close"`);
    const form = await officer.get(`/staff/tension/reports/${id}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<title>Edit tension report');
    expect(form.body).toContain(`action="/staff/tension/reports/${id}/edit"`);
    expect(form.body).toContain('name="version" value="1"');
    expect(form.body).toMatch(new RegExp(`<option value="${area(t.a, 2)}" selected>South a</option>`));
    expect(form.body).toMatch(/value="medium" checked/);
    expect(form.body).toContain('Police and faith leaders briefed.');
    const [y, m, d] = addDays(today(), 7).split('-').map(Number);
    expect(form.body).toContain(`name="reviewDate-day" type="text" value="${d}"`);
    expect(form.body).toContain(`name="reviewDate-month" type="text" value="${m}"`);
    expect(form.body).toContain(`name="reviewDate-year" type="text" value="${y}"`);
  });

  it('stores nothing and says why when the edit is wrong', async () => {
    const before = [
      await count(t.a, 'tension_report_events'),
      await count(t.a, 'audit_log', `action = 'tension.report.edited'`),
    ];
    const res = await officer.post(`/staff/tension/reports/${id}/edit`, {
      ...asForm(report(t.a, { areaId: area(t.a, 2), summary: '' })),
      'reviewDate-month': '',
      version: '1',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<title>Error: Edit tension report/);
    expect(res.body).toContain('<a href="#summary">Enter what is happening</a>');
    expect(res.body).toContain('<a href="#reviewDate-month">Review date must include a month</a>');
    // Still the edit form, with what was typed.
    expect(res.body).toContain(`action="/staff/tension/reports/${id}/edit"`);
    expect(res.body).toContain('name="version" value="1"');
    const future = await officer.post(`/staff/tension/reports/${id}/edit`, {
      ...asForm(
        report(t.a, {
          areaId: area(t.a, 2),
          reportedOn: addDays(today(), 1),
          reviewDate: addDays(today(), 8),
        }),
      ),
      version: '1',
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain(
      '<a href="#reportedOn-day">Date of the report must be today or in the past</a>',
    );
    const api = await officer.api('PATCH', `/api/v1/tension/reports/${id}`, { level: 'extreme' });
    expect(api.statusCode).toBe(400);
    const empty = await officer.api('PATCH', `/api/v1/tension/reports/${id}`, { version: 1 });
    expect(empty.statusCode).toBe(400);
    const unknownArea = await officer.api('PATCH', `/api/v1/tension/reports/${id}`, { areaId: area(t.b, 1) });
    expect(unknownArea.statusCode).toBe(400);
    expect(unknownArea.json()).toMatchObject({ problem: 'unknownArea' });
    expect([
      await count(t.a, 'tension_report_events'),
      await count(t.a, 'audit_log', `action = 'tension.report.edited'`),
    ]).toEqual(before);
    expect(await count(t.a, 'tension_reports', `id = '${id}' and version = 1 and level = 'medium'`)).toBe(1);
  });

  it('raising the level to high through an edit tells the leads, as a new report does', async () => {
    const before = await escalations();
    const res = await officer.post(`/staff/tension/reports/${id}/edit`, {
      ...asForm(
        report(t.a, {
          areaId: area(t.a, 2),
          level: 'high',
          summary: 'Rumours have spread: a group plans to gather on Friday.',
          actions: '',
        }),
      ),
      version: '1',
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/staff/tension/reports/${id}?saved=editedEscalated`);
    expect(await escalations()).toBe(before + 1);
    const [mail] = rows<{ subject: string; text_body: string }>(
      await t.db.system((tx) =>
        tx.execute(
          sql`select subject, text_body from outbox where partnership_id = ${t.a.id} and purpose = 'tension.escalation' order by created_at desc limit 1`,
        ),
      ),
    );
    expect(mail!.subject).toBe('Community tension: South a raised to High');
    expect(mail!.text_body).toContain('Rumours have spread: a group plans to gather on Friday.');

    const page = await officer.get(res.headers.location as string);
    expect(page.body).toContain('Changes saved. The partnership leads have been told');
    expect(page.body).toContain('Edited by Cohesion A');
    expect(page.body).toContain('Level: Medium to High');
    expect(page.body).toContain('What is happening changed');
    expect(page.body).toContain(
      'Rumours on social media about a planned gathering outside the mosque on Friday.',
    );
    expect(page.body).toContain('Actions taken or planned changed');
    expect(page.body).toMatch(/Text before the change[\s\S]*Police and faith leaders briefed\./);
    expect(page.body).toContain('This change raised the area to high or critical');

    const [event] = rows<{
      kind: string;
      changes: { field: string; from: string; to: string }[];
      escalated: boolean;
    }>(
      await t.db.system((tx) =>
        tx.execute(sql`select kind, changes, escalated from tension_report_events where report_id = ${id}`),
      ),
    );
    expect(event!.kind).toBe('edited');
    expect(event!.escalated).toBe(true);
    expect(event!.changes.map((c) => c.field)).toEqual(['level', 'summary', 'actions']);
    expect(event!.changes[0]).toEqual({ field: 'level', from: 'medium', to: 'high' });
    const [audited] = rows<{ details: { changes: unknown[]; escalated: boolean } }>(
      await t.db.system((tx) =>
        tx.execute(
          sql`select details from audit_log where action = 'tension.report.edited' and entity_id = ${id}`,
        ),
      ),
    );
    expect(audited!.details.escalated).toBe(true);
    // The audit log names what changed, but does not copy the free text.
    expect(audited!.details.changes).toEqual([
      { field: 'level', from: 'medium', to: 'high' },
      { field: 'summary' },
      { field: 'actions' },
    ]);
  });

  it('tells them once: down to medium and back to high does not mail again; critical does', async () => {
    const before = await escalations();
    const down = await officer.api('PATCH', `/api/v1/tension/reports/${id}`, { level: 'medium', version: 2 });
    expect(down.statusCode).toBe(200);
    expect(down.json()).toEqual({ id, version: 3, changed: ['level'], escalated: false, leadsNotified: 0 });
    const up = await officer.api('PATCH', `/api/v1/tension/reports/${id}`, { level: 'high' });
    expect(up.json()).toMatchObject({ escalated: false, leadsNotified: 0 });
    expect(await escalations()).toBe(before);
    const critical = await police.api('PATCH', `/api/v1/tension/reports/${id}`, { level: 'critical' });
    expect(critical.json()).toMatchObject({ escalated: true, leadsNotified: 1, version: 5 });
    expect(await escalations()).toBe(before + 1);
    // The same values again change nothing and record nothing.
    const same = await officer.api('PATCH', `/api/v1/tension/reports/${id}`, { level: 'critical' });
    expect(same.json()).toEqual({ id, version: 5, changed: [], escalated: false, leadsNotified: 0 });
    expect(await count(t.a, 'tension_report_events', `report_id = '${id}'`)).toBe(4);
  });

  it('refuses an edit made on a copy someone else has changed since, keeping what was typed', async () => {
    const res = await officer.post(`/staff/tension/reports/${id}/edit`, {
      ...asForm(report(t.a, { areaId: area(t.a, 2), level: 'low', summary: 'Calmer now.' })),
      version: '2',
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).toMatch(/<title>Error:/);
    expect(res.body).toContain('Someone else changed this report after you opened it');
    expect(res.body).toContain('Calmer now.');
    expect(res.body).toContain('name="version" value="5"');
    const api = await officer.api('PATCH', `/api/v1/tension/reports/${id}`, { level: 'low', version: 3 });
    expect(api.statusCode).toBe(409);
    expect(api.json()).toMatchObject({ error: 'conflict', problem: 'stale' });
    expect(await count(t.a, 'tension_reports', `id = '${id}' and level = 'critical' and version = 5`)).toBe(
      1,
    );
  });

  it('the API shows the report with its history', async () => {
    const res = await police.api('GET', `/api/v1/tension/reports/${id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ level: 'critical', version: 5, closed: null, escalated: true });
    expect(body.history.map((h: { kind: string; escalated: boolean }) => [h.kind, h.escalated])).toEqual([
      ['edited', true],
      ['edited', false],
      ['edited', false],
      ['edited', true],
    ]);
    expect(body.history[3]).toMatchObject({
      by: 'Police A',
      changes: [{ field: 'level', from: 'high', to: 'critical' }],
    });
  });

  it('closing needs a reason and a note, and a report to merge into; bad input stores nothing', async () => {
    const page = await officer.get(`/staff/tension/reports/${id}/close`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Close this report');
    expect(page.body).toContain('Merged into another report');
    const empty = await officer.post(`/staff/tension/reports/${id}/close`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toMatch(/<title>Error:/);
    expect(empty.body).toContain('<a href="#reason">Choose why the report is being closed</a>');
    expect(empty.body).toContain('<a href="#note">Enter a note about why the report is being closed</a>');
    const merged = await officer.post(`/staff/tension/reports/${id}/close`, {
      reason: 'merged',
      note: 'Same event',
    });
    expect(merged.statusCode).toBe(400);
    expect(merged.body).toContain('<a href="#mergedIntoId">Choose the report it was merged into</a>');
    const itself = await officer.post(`/staff/tension/reports/${id}/close`, {
      reason: 'merged',
      mergedIntoId: id,
      note: 'Same event',
    });
    expect(itself.statusCode).toBe(400);
    expect(itself.body).toContain('Choose an open report other than this one');
    const api = await officer.api('POST', `/api/v1/tension/reports/${id}/close`, {
      reason: 'finished',
      note: 'x',
    });
    expect(api.statusCode).toBe(400);
    expect(await count(t.a, 'tension_reports', `id = '${id}' and closed_at is null`)).toBe(1);
    expect(await count(t.a, 'tension_report_events', `report_id = '${id}' and kind = 'closed'`)).toBe(0);
  });

  it('a closed report shows as closed and stops counting in the weekly picture from this week', async () => {
    const before = await police.api('GET', '/api/v1/tension/picture?weeks=2');
    expect(before.json().areas.map((a: { area: string }) => a.area)).toContain('South a');
    const res = await officer.post(`/staff/tension/reports/${id}/close`, {
      reason: 'resolved',
      note: 'The gathering was called off after talks with the organisers.',
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/staff/tension/reports/${id}?saved=closed`);
    const page = await officer.get(res.headers.location as string);
    expect(page.body).toContain('Report closed. It no longer counts in the weekly picture from this week.');
    expect(page.body).toContain('Closed by Cohesion A');
    expect(page.body).toContain('The gathering was called off after talks with the organisers.');
    expect(page.body).not.toContain(`href="/staff/tension/reports/${id}/edit"`);

    // Reported this week and closed this week: South a has no tension left in the picture.
    const after = await police.api('GET', '/api/v1/tension/picture?weeks=2');
    expect(after.json().areas.map((a: { area: string }) => a.area)).not.toContain('South a');
    const picture = await police.get('/staff/tension');
    expect(picture.body).toMatch(
      /South a: Rumour<\/a>[^<]*<strong class="govuk-tag[^"]*">\s*Critical\s*<\/strong>\s*<strong class="govuk-tag govuk-tag--grey">\s*Closed/,
    );
    expect(picture.body).toContain('Closed on');
    const list = await police.api('GET', '/api/v1/tension/reports');
    const item = list.json().items.find((i: { id: string }) => i.id === id);
    expect(item.closed).toMatchObject({
      reason: 'resolved',
      note: 'The gathering was called off after talks with the organisers.',
      mergedIntoId: null,
    });
    expect(await count(t.a, 'audit_log', `action = 'tension.report.closed' and entity_id = '${id}'`)).toBe(1);
  });

  it('a closed report cannot be edited or closed again', async () => {
    const events = await count(t.a, 'tension_report_events', `report_id = '${id}'`);
    expect((await officer.get(`/staff/tension/reports/${id}/edit`)).headers.location).toBe(
      `/staff/tension/reports/${id}`,
    );
    const post = await officer.post(`/staff/tension/reports/${id}/edit`, {
      ...asForm(report(t.a, { areaId: area(t.a, 2) })),
      version: '6',
    });
    expect(post.headers.location).toBe(`/staff/tension/reports/${id}`);
    const api = await officer.api('PATCH', `/api/v1/tension/reports/${id}`, { level: 'low' });
    expect(api.statusCode).toBe(409);
    expect(api.json()).toMatchObject({ problem: 'closed' });
    const again = await officer.api('POST', `/api/v1/tension/reports/${id}/close`, {
      reason: 'resolved',
      note: 'Again',
    });
    expect(again.statusCode).toBe(409);
    expect(await count(t.a, 'tension_report_events', `report_id = '${id}'`)).toBe(events);
  });

  it('merges one report into another, and each page links to the other', async () => {
    const one = await officer.api(
      'POST',
      '/api/v1/tension/reports',
      report(t.a, { areaId: area(t.a, 3), level: 'low' }),
    );
    const two = await officer.api(
      'POST',
      '/api/v1/tension/reports',
      report(t.a, { areaId: area(t.a, 3), level: 'low' }),
    );
    const closeForm = await officer.get(`/staff/tension/reports/${one.json().id}/close`);
    expect(closeForm.body).toContain(`<option value="${two.json().id}"`);
    // A closed report is not offered to merge into.
    expect(closeForm.body).not.toContain(`<option value="${id}"`);
    const res = await officer.api('POST', `/api/v1/tension/reports/${one.json().id}/close`, {
      reason: 'merged',
      mergedIntoId: two.json().id,
      note: 'The same rumour, reported twice.',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: one.json().id, version: 2 });
    const merged = await officer.get(`/staff/tension/reports/${one.json().id}`);
    expect(merged.body).toContain(`href="/staff/tension/reports/${two.json().id}"`);
    expect(merged.body).toContain('Merged into another report');
    const target = await officer.get(`/staff/tension/reports/${two.json().id}`);
    expect(target.body).toContain('Reports merged into this one');
    expect(target.body).toContain(`href="/staff/tension/reports/${one.json().id}"`);
    // Merging into a closed report is refused.
    const intoClosed = await officer.api('POST', `/api/v1/tension/reports/${two.json().id}/close`, {
      reason: 'merged',
      mergedIntoId: one.json().id,
      note: 'x',
    });
    expect(intoClosed.statusCode).toBe(400);
    expect(intoClosed.json()).toMatchObject({ problem: 'mergeTargetInvalid' });
  });

  it('a fire service officer gets 403 on editing and closing, on pages and the API', async () => {
    const fireId = t.a.staff[t.a.email('fire')]!;
    const deniedBefore = await count(
      t.a,
      'audit_log',
      `action = 'tension.access.denied' and actor_staff_id = '${fireId}'`,
    );
    const [open] = rows<{ id: string }>(
      await t.db.system((tx) =>
        tx.execute(
          sql`select id from tension_reports where partnership_id = ${t.a.id} and closed_at is null limit 1`,
        ),
      ),
    );
    const denied = [
      await fire.get(`/staff/tension/reports/${open!.id}/edit`),
      await fire.post(`/staff/tension/reports/${open!.id}/edit`, asForm(report(t.a, { level: 'critical' }))),
      await fire.get(`/staff/tension/reports/${open!.id}/close`),
      await fire.post(`/staff/tension/reports/${open!.id}/close`, { reason: 'resolved', note: 'x' }),
      await fire.api('PATCH', `/api/v1/tension/reports/${open!.id}`, { level: 'critical' }),
      await fire.api('POST', `/api/v1/tension/reports/${open!.id}/close`, { reason: 'resolved', note: 'x' }),
    ];
    expect(denied.map((r) => r.statusCode)).toEqual(Array(6).fill(403));
    expect(denied[0]!.body).not.toContain('North a');
    expect(
      await count(t.a, 'audit_log', `action = 'tension.access.denied' and actor_staff_id = '${fireId}'`),
    ).toBe(deniedBefore + 6);
    expect(
      await count(t.a, 'tension_reports', `id = '${open!.id}' and closed_at is null and version = 1`),
    ).toBe(1);
  });

  it("partnership B cannot edit or close A's reports", async () => {
    const [open] = rows<{ id: string }>(
      await t.db.system((tx) =>
        tx.execute(
          sql`select id from tension_reports where partnership_id = ${t.a.id} and closed_at is null limit 1`,
        ),
      ),
    );
    const b = await staffClient(t, t.b, 'cohesion');
    expect((await b.get(`/staff/tension/reports/${open!.id}/edit`)).statusCode).toBe(404);
    expect((await b.get(`/staff/tension/reports/${open!.id}/close`)).statusCode).toBe(404);
    expect(
      (await b.post(`/staff/tension/reports/${open!.id}/close`, { reason: 'resolved', note: 'x' }))
        .statusCode,
    ).toBe(404);
    expect((await b.api('PATCH', `/api/v1/tension/reports/${open!.id}`, { level: 'low' })).statusCode).toBe(
      404,
    );
    expect(
      (await b.api('POST', `/api/v1/tension/reports/${open!.id}/close`, { reason: 'resolved', note: 'x' }))
        .statusCode,
    ).toBe(404);
    expect(
      await count(t.a, 'tension_reports', `id = '${open!.id}' and closed_at is null and version = 1`),
    ).toBe(1);
  });
});

describe('the tension API documentation', () => {
  it('documents editing and closing a report, with their schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    type Operation = {
      requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
      responses: Record<string, unknown>;
    };
    const doc = JSON.parse(res.body) as { paths: Record<string, Record<string, Operation>> };
    const one = doc.paths['/api/v1/tension/reports/{id}']!;
    expect(Object.keys(one)).toEqual(expect.arrayContaining(['get', 'patch']));
    expect(Object.keys(one.patch!.requestBody!.content['application/json']!.schema.properties!)).toEqual(
      expect.arrayContaining(['version', 'level', 'reviewDate', 'actions']),
    );
    expect(Object.keys(one.patch!.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '409']));
    const close = doc.paths['/api/v1/tension/reports/{id}/close']!.post!;
    expect(Object.keys(close.requestBody!.content['application/json']!.schema.properties!)).toEqual([
      'reason',
      'note',
      'mergedIntoId',
    ]);
  });
});
