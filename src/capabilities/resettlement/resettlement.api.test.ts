import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { validateICalendar } from '../../../test/helpers/ical.js';
import { paths } from '../../platform/paths.js';
import { addResettlementStaff } from './resettlement.test-helpers.js';

/** The JSON API end to end, the calendar feed and the outcome exports. */
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  await addResettlementStaff(t.db, t.a);
}, 120_000);
afterAll(async () => t?.close());

const a = paths.api.resettlement;

describe('resettlement API', () => {
  it('creates a household with a member, host, needs, plan and referral, books a session and reads it back', async () => {
    const c = await t.signedIn(t.a, 'caseworker');
    const bad = await c.api('POST', a.households(), { scheme: 'nope', name: '' });
    expect(bad.statusCode).toBe(400);

    const created = await c.api('POST', a.households(), {
      scheme: 'afghan_arap_acrs',
      name: 'Api family',
      arrivalDate: '2026-05-01',
      interpreterNeeded: true,
      interpreterLanguage: 'Dari',
      lawfulBasis: 'public_task',
      consentGiven: true,
      consentDate: '2026-05-02',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const member = await c.api('POST', a.members(id), {
      name: 'Api Person',
      dateOfBirth: '2012-01-01',
      relationship: 'child',
      languages: ['prs'],
      education: 'school',
    });
    expect(member.statusCode).toBe(201);
    const memberId = member.json().id as string;
    // Hosts belong to Homes for Ukraine only.
    const host = await c.api('POST', a.host(id), {
      name: 'Host',
      checkStatus: 'passed',
      arrangementStatus: 'active',
    });
    expect(host.statusCode).toBe(400);
    expect(host.json().problem).toBe('notHomesForUkraine');
    expect(
      (
        await c.api('POST', a.needs(id), {
          education: { status: 'met', details: { schoolPlaces: 'Year 9' } },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await c.api('POST', a.goals(id), {
          domain: 'english',
          goal: 'ESOL',
          owner: 'Caseworker',
          dueDate: '2027-01-01',
        })
      ).statusCode,
    ).toBe(201);
    const referral = await c.api('POST', a.referrals(id), {
      domain: 'health',
      service: 'Dentist',
      referredOn: '2026-11-01',
      responseDueOn: '2026-11-15',
    });
    expect(referral.statusCode).toBe(201);
    const caseload = await c.api('GET', a.caseload());
    expect(caseload.json().overdueReferrals.map((r: { service: string }) => r.service)).toContain('Dentist');
    expect(
      (
        await c.api('POST', a.referral(id, referral.json().id), {
          outcome: 'completed',
          outcomeNotes: 'Seen',
        })
      ).statusCode,
    ).toBe(200);

    const session = await c.api('POST', a.sessions(), {
      topic: 'education_system',
      date: '2026-12-15',
      startTime: '10:00',
      endTime: '11:30',
      venue: 'Library; Room 1, Ground floor',
      languages: ['en', 'prs'],
      interpreter: 'Dari',
      capacity: 12,
    });
    expect(session.statusCode).toBe(201);
    const sessionId = session.json().id as string;
    expect((await c.api('POST', a.bookings(sessionId), { memberIds: [memberId] })).statusCode).toBe(200);
    expect(
      (
        await c.api('POST', a.attendance(sessionId), {
          entries: [{ memberId, attended: true, feedback: 'Good' }],
        })
      ).statusCode,
    ).toBe(200);

    const detail = await c.api('GET', a.household(id));
    expect(detail.statusCode).toBe(200);
    const body = detail.json();
    expect(body.members[0]).toMatchObject({ name: 'Api Person', ageBand: '11_15', education: 'school' });
    expect(body.needs.find((n: { domain: string }) => n.domain === 'education')).toMatchObject({
      status: 'met',
      details: { schoolPlaces: 'Year 9' },
    });
    expect(body.referrals[0]).toMatchObject({ outcome: 'completed', overdue: false });
    expect(body.sessions[0]).toMatchObject({ topic: 'education_system', attended: true, feedback: 'Good' });
    const list = await c.api('GET', `${a.households()}?scheme=afghan_arap_acrs`);
    expect(list.json().households.map((h: { name: string }) => h.name)).toEqual(['Api family']);

    const closed = await c.api('POST', a.close(id), { closureReason: 'Moved to Leeds' });
    expect(closed.statusCode).toBe(200);
    expect((await c.api('GET', a.household(id))).json().retentionUntil).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await c.api('POST', a.reopen(id))).statusCode).toBe(200);
  });

  it('changes a household, a member and a goal, and reassigns the case, each by its own ids', async () => {
    const c = await t.signedIn(t.a, 'caseworker');
    const household = {
      scheme: 'refugee_asylum_decision',
      name: 'Change family',
      lawfulBasis: 'public_task',
      interpreterNeeded: false,
      consentGiven: false,
    };
    const id = (await c.api('POST', a.households(), household)).json().id as string;
    const person = {
      name: 'First Name',
      ageBand: '25_64',
      relationship: 'main_applicant',
      languages: ['ar'],
    };
    const first = (await c.api('POST', a.members(id), person)).json().id as string;
    const second = (await c.api('POST', a.members(id), { ...person, name: 'Second Name' })).json()
      .id as string;
    const goal = { domain: 'housing', goal: 'Find a flat', owner: 'Caseworker' };
    await c.api('POST', a.goals(id), goal);
    const goalId = (await c.api('POST', a.goals(id), { ...goal, goal: 'Open a bank account' })).json()
      .id as string;

    expect((await c.api('POST', a.household(id), { ...household, name: 'Changed family' })).statusCode).toBe(
      200,
    );
    expect((await c.api('POST', a.member(id, second), { ...person, name: 'Changed Name' })).statusCode).toBe(
      200,
    );
    expect((await c.api('POST', a.goal(id, goalId), { status: 'achieved' })).statusCode).toBe(200);
    // Reassigning is for managers; the caseworker is refused and nothing changes.
    const manager = t.a.staff[t.a.email('manager')]!;
    expect((await c.api('POST', a.assign(id), { caseworkerStaffId: manager })).statusCode).toBe(403);
    const m = await t.signedIn(t.a, 'manager');
    expect((await m.api('POST', a.assign(id), { caseworkerStaffId: manager })).statusCode).toBe(200);

    const detail = (await c.api('GET', a.household(id))).json();
    expect(detail.name).toBe('Changed family');
    expect(detail.caseworker.id).toBe(manager);
    const names = Object.fromEntries(detail.members.map((x: { id: string; name: string }) => [x.id, x.name]));
    expect(names).toEqual({ [first]: 'First Name', [second]: 'Changed Name' });
    expect(detail.goals.map((g: { goal: string; status: string }) => [g.goal, g.status]).sort()).toEqual([
      ['Find a flat', 'open'],
      ['Open a bank account', 'achieved'],
    ]);
    // Ids that do not belong together are not found.
    expect((await c.api('POST', a.member(second, id), person)).statusCode).toBe(404);
  });

  it('serves a valid iCalendar feed of sessions with no personal data', async () => {
    const c = await t.signedIn(t.a, 'caseworker');
    const res = await c.get(paths.resettlement.calendar());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const { summaries } = await validateICalendar(res.body);
    expect(summaries).toContain('The education system in the UK');
    expect(res.body).toContain('LOCATION:Library\\; Room 1\\, Ground floor');
    expect(res.body).not.toContain('Api Person');
    expect(res.body).not.toContain('Api family');
  });

  it('exports the outcomes as CSV and XLSX with the same suppressed figures as the page', async () => {
    const c = await t.signedIn(t.a, 'caseworker');
    const page = await c.get(paths.resettlement.outcomes());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('fewer than 5');
    const csv = await c.get(paths.resettlement.outcomesExport('csv'));
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      '"Measure","Homes for Ukraine","Afghan resettlement (ARAP / ACRS)","Refugee after a positive asylum decision","Other","All schemes"',
    );
    expect(lines[1]).toBe(
      '"Households supported","fewer than 5","fewer than 5","fewer than 5","fewer than 5","fewer than 5"',
    );
    const xlsx = await c.request({ method: 'GET', url: paths.resettlement.outcomesExport('xlsx') });
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Outcomes')!;
    expect(sheet.getRow(2).getCell(1).value).toBe('Households supported');
    expect(sheet.getRow(2).getCell(6).value).toBe('fewer than 5');
    const api = await c.api('GET', a.outcomes());
    expect(api.json().total.households).toBe('fewer than 5');
  });
});
