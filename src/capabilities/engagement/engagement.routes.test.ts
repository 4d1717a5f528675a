import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  type TestApp,
  type TestClient,
  type TestPartnership,
} from '../../../test/helpers/app.js';
import { dateFormFields } from '../../platform/forms/date-input.js';
import { createConcern, staffClient } from '../concerns/concerns.test-helpers.js';
import { addDays } from '../tension/tension.rules.js';
import { londonToday } from './engagement.dates.js';

let t: TestApp;
let officer: TestClient;
let admin: TestClient;

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

/** The partnership's n-th test area (codes a-01, a-02…). */
function area(p: TestPartnership, n: number): string {
  return Object.entries(p.areas).find(([code]) => code.endsWith(`-0${n}`))![1];
}

/** A filled-in form as the officer would send it: two issues heard and one referral. */
function form(p: TestPartnership, overrides: Record<string, string | string[]> = {}) {
  return {
    idempotencyKey: randomUUID(),
    // Yesterday, so a time of day is never in the future whenever the test runs.
    ...dateFormFields('occurredDate', addDays(londonToday(), -1)),
    occurredTime: '10:30',
    areaId: area(p, 1),
    place: 'Spencer Parade shops',
    type: 'door_knocking',
    groupsMet: 'Residents of the flats above the shops',
    peopleEstimate: '14',
    languages: ['English', 'Polish'],
    languagesOther: 'Tamil',
    issue1Summary: 'Young people gathering at the underpass at night; people are afraid to walk through.',
    issue1Outcome: 'concern',
    issue1Topic: 'unsafe_place',
    issue2Summary: 'A community noticeboard in Polish and English would help newcomers.',
    issue2Outcome: 'suggestion',
    issue2Topic: 'idea',
    referral1Organisation: p.organisations.voluntary!,
    referral1Reason: 'Family struggling with heating costs',
    ...dateFormFields('referral1FollowUp', '2099-01-15'),
    ...dateFormFields('followUpDue', '2099-01-20'),
    followUpNote: 'Go back with the noticeboard plan',
    ...overrides,
  };
}

beforeAll(async () => {
  t = await buildTestApp();
  officer = await staffClient(t, t.a, 'cohesion');
  admin = await staffClient(t, t.a, 'admin');
});
afterAll(async () => {
  await t.close();
});

describe('logging an engagement', () => {
  it('offers a form with a fresh idempotency key each time', async () => {
    const one = await officer.get('/staff/engagements/new');
    const two = await officer.get('/staff/engagements/new');
    expect(one.statusCode).toBe(200);
    const key = (html: string) => /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1];
    expect(key(one.body)).toMatch(/^[0-9a-f-]{36}$/);
    expect(key(two.body)).not.toBe(key(one.body));
    expect(one.body).toContain('data-heard-draft="fresh"');
    expect(one.body).toContain('src="/staff/engagements/draft.js"');
    // Dates are GOV.UK date inputs: day, month and year boxes, today's date filled in.
    const [year, month, day] = londonToday().split('-').map(Number);
    expect(one.body).toContain(`id="occurredDate-day" name="occurredDate-day" type="text" value="${day}"`);
    expect(one.body).toContain(`name="occurredDate-month" type="text" value="${month}"`);
    expect(one.body).toContain(`name="occurredDate-year" type="text" value="${year}"`);
    expect(one.body).toContain('name="referral1FollowUp-day" type="text" value=""');
    expect(one.body).toContain('name="followUpDue-year"');
    expect(one.body).not.toContain('type="date"');
  });

  it('saves the engagement, raises the issues as a concern and a suggestion, and records the referral', async () => {
    const before = await count(t.a, 'concerns');
    const res = await officer.post('/staff/engagements/new', form(t.a));
    expect(res.statusCode).toBe(302);
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/staff\/engagements\/[0-9a-f-]{36}\?saved=yes$/);
    const id = location.split('/')[3]!.split('?')[0]!;

    const concerns = rows<{
      kind: string;
      channel: string;
      source: string;
      anonymous: boolean;
      area_id: string;
    }>(
      await t.db.system((tx) =>
        tx.execute(
          sql`select c.kind, c.channel, c.source, c.anonymous, c.area_id from engagement_issues i join concerns c on c.id = i.concern_id where i.engagement_id = ${id} order by i.position`,
        ),
      ),
    );
    expect(concerns.map((c) => c.kind)).toEqual(['concern', 'suggestion']);
    for (const c of concerns) {
      expect(c.channel).toBe('engagement');
      expect(c.source).toBe('engagement: Door-knocking, Spencer Parade shops');
      expect(c.anonymous).toBe(true);
      expect(c.area_id).toBe(t.a.areas['a-01']);
    }
    expect(await count(t.a, 'concerns')).toBe(before + 2);
    expect(await count(t.a, 'engagement_referrals', `engagement_id = '${id}' and status = 'open'`)).toBe(1);
    expect(await count(t.a, 'audit_log', `action = 'engagement.logged' and entity_id = '${id}'`)).toBe(1);

    const page = await officer.get(location);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Engagement saved.');
    expect(page.body).toContain('Voluntary a');
    expect(page.body).toContain('English, Polish, Tamil');
    // Not shared with the officer's organisation yet, so shown by reference without a link…
    expect([...page.body.matchAll(/<strong class="heard-reference">[A-Z0-9-]+<\/strong>/g)]).toHaveLength(2);
    // …while an admin, who sees every concern, can follow them.
    const asAdmin = await admin.get(location);
    expect([...asAdmin.body.matchAll(/href="\/staff\/concerns\/([A-Z0-9-]+)"/g)]).toHaveLength(2);
    expect(page.body).toContain(`data-heard-draft-saved="`);

    const home = await officer.get('/staff/engagements');
    expect(home.body).toContain('Spencer Parade shops, North a');
    expect(home.body).toContain('Family struggling with heating costs');
    expect(home.body).toContain('Go back with the noticeboard plan');
  });

  it('saves one record when the same form is sent twice (a double tap), and says so', async () => {
    const body = form(t.a, { place: 'Double tap community centre' });
    const beforeConcerns = await count(t.a, 'concerns');
    const [first, second] = await Promise.all([
      officer.post('/staff/engagements/new', body),
      officer.post('/staff/engagements/new', body),
    ]);
    const third = await officer.post('/staff/engagements/new', body);
    const ids = [first, second, third].map((r) => (r.headers.location as string).split('?')[0]);
    expect(new Set(ids).size).toBe(1);
    expect(third.headers.location).toMatch(/saved=again$/);
    expect(await count(t.a, 'engagements', `place = 'Double tap community centre'`)).toBe(1);
    expect(await count(t.a, 'concerns')).toBe(beforeConcerns + 2);
  });

  it('stores nothing when the form is incomplete, and says what to fix', async () => {
    const before = [await count(t.a, 'engagements'), await count(t.a, 'concerns')];
    const res = await officer.post(
      '/staff/engagements/new',
      form(t.a, {
        place: '',
        issue2Outcome: '',
        referral1Reason: '',
        ...dateFormFields('occurredDate', '2026-02-28'),
        'occurredDate-day': '31',
        'followUpDue-month': '',
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<title>Error:/);
    expect(res.body).toContain('href="#place"');
    expect(res.body).toContain('href="#issue2Outcome"');
    expect(res.body).toContain('href="#referral1Reason"');
    // The GOV.UK messages for a date, linking to the first box to fix.
    expect(res.body).toContain('<a href="#occurredDate-day">Date of the engagement must be a real date</a>');
    expect(res.body).toContain('<a href="#followUpDue-month">Follow-up visit date must include a month</a>');
    // Only the empty month box is highlighted, and what was typed in the others comes back.
    expect(res.body).toMatch(
      /class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error" id="followUpDue-month"/,
    );
    expect(res.body).toMatch(
      /class="govuk-input govuk-date-input__input govuk-input--width-2" id="followUpDue-day" name="followUpDue-day" type="text" value="20"/,
    );
    expect(res.body).toContain('data-heard-draft="errors"');
    // What was typed comes back, so nothing is lost.
    expect(res.body).toContain('Young people gathering at the underpass');
    expect([await count(t.a, 'engagements'), await count(t.a, 'concerns')]).toEqual(before);
  });

  it('stores nothing when an issue links to a concern the officer cannot see', async () => {
    const hidden = await createConcern(t, t.a); // not shared with the officer's organisation
    const before = [await count(t.a, 'engagements'), await count(t.a, 'concerns')];
    const res = await officer.post(
      '/staff/engagements/new',
      form(t.a, { issue2Outcome: 'linked', issue2Topic: '', issue2Reference: hidden.ref }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#issue2Reference"');
    expect(res.body).toContain('No concern you can see has this reference');
    expect([await count(t.a, 'engagements'), await count(t.a, 'concerns')]).toEqual(before);
  });

  it('links an issue to a concern the officer can see', async () => {
    const shared = await createConcern(t, t.a);
    await t.services.concerns.share(
      {
        partnershipId: t.a.id,
        staffId: t.a.staff[t.a.email('triage')]!,
        organisationId: t.a.organisations.council!,
        roles: ['triage_officer'],
        label: 'triage',
        correlationId: 'test',
      },
      shared.ref,
      t.a.organisations.council!,
      [],
    );
    const res = await officer.post(
      '/staff/engagements/new',
      form(t.a, { issue2Outcome: 'linked', issue2Topic: '', issue2Reference: shared.ref }),
    );
    expect(res.statusCode).toBe(302);
    const page = await officer.get(res.headers.location as string);
    expect(page.body).toContain(shared.ref);
  });

  it('refuses a date in the future', async () => {
    const before = await count(t.a, 'engagements');
    const res = await officer.post(
      '/staff/engagements/new',
      form(t.a, dateFormFields('occurredDate', '2099-01-01')),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(
      '<a href="#occurredDate-day">Date of the engagement must be today or in the past</a>',
    );
    expect(await count(t.a, 'engagements')).toBe(before);
  });

  it('updates a referral and marks a follow-up done', async () => {
    const res = await officer.post('/staff/engagements/new', form(t.a, { place: 'Referral hall' }));
    const id = (res.headers.location as string).split('/')[3]!.split('?')[0]!;
    const [referral] = rows<{ id: string }>(
      await t.db.system((tx) =>
        tx.execute(sql`select id from engagement_referrals where engagement_id = ${id}`),
      ),
    );
    const shown = await officer.get(res.headers.location as string);
    // The referral's own form shows its follow-up date in three boxes, with ids unique on the page.
    expect(shown.body).toContain(
      `id="followUpDue-${referral!.id}-day" name="followUpDue-day" type="text" value="15"`,
    );
    const url = `/staff/engagements/${id}/referrals/${referral!.id}`;

    // A date that cannot be right: the page again, saying why, and nothing changed.
    const bad = await officer.post(url, {
      status: 'accepted',
      'followUpDue-day': '12',
      'followUpDue-month': '14',
      'followUpDue-year': '2099',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<title>Error:/);
    expect(bad.body).toContain(
      `<a href="#followUpDue-${referral!.id}-month">Follow-up date must be a real date</a>`,
    );
    expect(bad.body).toContain(
      `id="followUpDue-${referral!.id}-month" name="followUpDue-month" type="text" value="14"`,
    );
    expect(await count(t.a, 'engagement_referrals', `id = '${referral!.id}' and status = 'open'`)).toBe(1);

    const moved = await officer.post(url, {
      status: 'accepted',
      ...dateFormFields('followUpDue', '2099-03-04'),
    });
    expect(moved.statusCode).toBe(302);
    expect(
      await count(
        t.a,
        'engagement_referrals',
        `id = '${referral!.id}' and status = 'accepted' and follow_up_due = '2099-03-04'`,
      ),
    ).toBe(1);
    // Emptying the boxes clears the follow-up date.
    const update = await officer.post(url, {
      status: 'completed',
      'followUpDue-day': '',
      'followUpDue-month': '',
      'followUpDue-year': '',
    });
    expect(update.statusCode).toBe(302);
    expect(
      await count(
        t.a,
        'engagement_referrals',
        `id = '${referral!.id}' and status = 'completed' and follow_up_due is null`,
      ),
    ).toBe(1);
    const done = await officer.post(`/staff/engagements/${id}/follow-up-done`);
    expect(done.statusCode).toBe(302);
    expect(await count(t.a, 'engagements', `id = '${id}' and follow_up_done_at is not null`)).toBe(1);
  });
});

describe('who may use the engagement log', () => {
  it('turns away staff without the role, on pages and the API', async () => {
    for (const local of ['fire', 'police', 'triage', 'analyst']) {
      const c = await staffClient(t, t.a, local);
      expect((await c.get('/staff/engagements')).statusCode, local).toBe(403);
      expect((await c.get('/staff/engagements/new')).statusCode, local).toBe(403);
      expect((await c.get('/staff/engagements/coverage')).statusCode, local).toBe(403);
      expect((await c.api('GET', '/api/v1/engagements')).statusCode, local).toBe(403);
      expect((await c.api('POST', '/api/v1/engagements', {})).statusCode, local).toBe(403);
      expect((await c.get('/staff/concerns')).body, local).not.toContain('Engagement log');
    }
  });

  it('lets partnership admins read the log and the coverage, but not log engagements', async () => {
    const home = await admin.get('/staff/engagements');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Recent engagements');
    expect(home.body).toContain('Spencer Parade shops');
    expect((await admin.get('/staff/engagements/coverage')).statusCode).toBe(200);
    expect((await admin.get('/staff/engagements/new')).statusCode).toBe(403);
    expect((await admin.post('/staff/engagements/new', form(t.a))).statusCode).toBe(403);
  });

  it('shows the manager view: coverage by area and type, and areas without contact', async () => {
    const page = await officer.get('/staff/engagements/coverage?weeks=4&months=3');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Areas with no contact in 4 weeks');
    // A is visited in every test above; South a and East a never are.
    expect(page.body).toMatch(/South a[\s\S]*Never/);
    expect(page.body).toContain('2 of 3 areas.');
    expect(page.body).toMatch(/Door-knocking<\/th>(\s*<td[^>]*>\d+<\/td>)+/);
  });

  it("partnership B sees none of A's engagements, on pages or the API", async () => {
    const [aRow] = rows<{ id: string }>(
      await t.db.system((tx) =>
        tx.execute(sql`select id from engagements where partnership_id = ${t.a.id} limit 1`),
      ),
    );
    const bOfficer = await staffClient(t, t.b, 'cohesion');
    const bAdmin = await staffClient(t, t.b, 'admin');
    expect((await bOfficer.get(`/staff/engagements/${aRow!.id}`)).statusCode).toBe(404);
    expect((await bAdmin.get(`/staff/engagements/${aRow!.id}`)).statusCode).toBe(404);
    expect((await bOfficer.api('GET', `/api/v1/engagements/${aRow!.id}`)).statusCode).toBe(404);
    const list = await bAdmin.api('GET', '/api/v1/engagements');
    expect(list.json().items).toEqual([]);
    const home = await bAdmin.get('/staff/engagements');
    expect(home.body).not.toContain('Spencer Parade');
    const coverage = await bAdmin.api('GET', '/api/v1/engagements/coverage');
    expect(coverage.json().byArea).toEqual([]);
    // Nor can B file an engagement against A's area.
    const res = await bOfficer.post('/staff/engagements/new', form(t.b, { areaId: t.a.areas['a-01']! }));
    expect(res.statusCode).toBe(400);
    expect(await count(t.b, 'engagements')).toBe(0);
  });
});

describe('the engagement API', () => {
  const body = (p: TestPartnership, key = randomUUID()) => ({
    idempotencyKey: key,
    occurredOn: londonToday(),
    areaId: area(p, 2),
    place: 'St Giles church hall',
    type: 'faith_venue',
    languages: ['English', 'Urdu'],
    peopleEstimate: 30,
    issues: [
      { summary: 'Worry about leaflets blaming refugees', outcome: 'concern', topic: 'hate_disinformation' },
      { summary: 'Parking on the pavement on Sundays', outcome: 'noted' },
    ],
    referrals: [
      {
        serviceName: 'Citizens Advice West Northamptonshire',
        reason: 'Debt advice',
        followUpDue: '2099-02-01',
      },
    ],
  });

  it('logs an engagement (201), and the same key again returns it (200, replayed)', async () => {
    const key = randomUUID();
    const first = await officer.api('POST', '/api/v1/engagements', body(t.a, key));
    expect(first.statusCode).toBe(201);
    const saved = first.json();
    expect(saved.replayed).toBe(false);
    expect(saved.engagement.issues[0].concern.reference).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{3}$/);
    expect(saved.engagement.issues[1].concern).toBeNull();
    expect(saved.engagement.referrals[0]).toMatchObject({
      to: 'Citizens Advice West Northamptonshire',
      status: 'open',
    });
    const again = await officer.api('POST', '/api/v1/engagements', body(t.a, key));
    expect(again.statusCode).toBe(200);
    expect(again.json().replayed).toBe(true);
    expect(again.json().engagement.id).toBe(saved.engagement.id);
    expect(await count(t.a, 'engagements', `idempotency_key = '${key}'`)).toBe(1);

    const one = await officer.api('GET', `/api/v1/engagements/${saved.engagement.id}`);
    expect(one.json().place).toBe('St Giles church hall');
    const referralId = saved.engagement.referrals[0].id;
    const updated = await officer.api(
      'POST',
      `/api/v1/engagements/${saved.engagement.id}/referrals/${referralId}`,
      { status: 'accepted' },
    );
    expect(updated.statusCode).toBe(200);
    expect(updated.json().referrals[0].status).toBe('accepted');
    const followUps = await officer.api('GET', '/api/v1/engagements/follow-ups');
    expect(followUps.json().openReferrals.map((r: { id: string }) => r.id)).toContain(referralId);
  });

  it('refuses bad input with a clear message and stores nothing', async () => {
    const before = [await count(t.a, 'engagements'), await count(t.a, 'concerns')];
    const bad = await officer.api('POST', '/api/v1/engagements', {
      ...body(t.a),
      issues: [{ summary: 'x', outcome: 'concern' }],
    });
    expect(bad.statusCode).toBe(400);
    const unknownOrg = await officer.api('POST', '/api/v1/engagements', {
      ...body(t.a),
      referrals: [{ organisationId: t.b.organisations.police, reason: 'x' }],
    });
    expect(unknownOrg.statusCode).toBe(400);
    expect(unknownOrg.json()).toMatchObject({
      problem: 'unknownOrganisation',
      field: 'referrals[0].organisationId',
    });
    expect([await count(t.a, 'engagements'), await count(t.a, 'concerns')]).toEqual(before);
  });

  it('lists your own engagements and the coverage', async () => {
    const list = await officer.api('GET', '/api/v1/engagements?mine=true');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.length).toBeGreaterThan(0);
    const coverage = await admin.api('GET', '/api/v1/engagements/coverage?weeks=8&months=2');
    expect(coverage.statusCode).toBe(200);
    const c = coverage.json();
    expect(c.months).toHaveLength(2);
    expect(c.byType.find((x: { type: string }) => x.type === 'door_knocking').total).toBeGreaterThan(0);
    expect(c.noContact.map((n: { area: string }) => n.area)).toEqual(['East a']);
  });
});
