import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { dateFormFields } from '../../platform/forms/date-input.js';
import { paths } from '../../platform/paths.js';
import { addResettlementStaff, resettlementActor } from './resettlement.test-helpers.js';

/** The pages, driven as a caseworker would through a browser-like client. */
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  await addResettlementStaff(t.db, t.a);
  await addResettlementStaff(t.db, t.b);
});
afterAll(async () => t?.close());

const idFrom = (location: string | undefined) =>
  /households\/([0-9a-f-]{36})/.exec(location ?? '')?.[1] ?? '';

describe('resettlement pages', () => {
  it('a caseworker creates a household, adds members, a host, needs, a goal and a referral', async () => {
    const c = await t.signedIn(t.a, 'caseworker');
    const home = await c.get(paths.resettlement.home());
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Resettlement casework');

    const form = await c.get(paths.resettlement.newHousehold());
    expect(form.statusCode).toBe(200);
    const empty = await c.post(paths.resettlement.newHousehold(), {});
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<title>Error:');
    expect(empty.body).toContain('href="#scheme"');
    expect(empty.body).toContain('Enter a name for the household');

    const created = await c.post(paths.resettlement.newHousehold(), {
      scheme: 'homes_for_ukraine',
      name: 'Melnyk family',
      ...dateFormFields('arrivalDate', '2026-04-02'),
      interpreterNeeded: 'yes',
      interpreterLanguage: 'Ukrainian',
      lawfulBasis: 'public_task',
      consentGiven: 'yes',
      ...dateFormFields('consentDate', '2026-04-03'),
    });
    expect(created.statusCode).toBe(302);
    const id = idFrom(created.headers.location as string);
    const page = await c.get(created.headers.location as string);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Melnyk family');
    expect(page.body).toContain('Household created.');

    const badMember = await c.post(paths.resettlement.newMember(id), {
      name: 'Oksana Melnyk',
      relationship: 'main_applicant',
    });
    expect(badMember.statusCode).toBe(400);
    expect(badMember.body).toContain('Enter a date of birth or choose an age band');
    const member = await c.post(paths.resettlement.newMember(id), {
      name: 'Oksana Melnyk',
      ...dateFormFields('dateOfBirth', '1986-02-11'),
      relationship: 'main_applicant',
      languages: ['uk', 'ru'],
      englishLevel: 'entry',
      workStatus: 'seeking_work',
      ...dateFormFields('visaExpiry', '2027-04-01'),
    });
    expect(member.statusCode).toBe(302);
    expect((await c.get(paths.resettlement.host(id))).statusCode).toBe(200);
    const host = await c.post(paths.resettlement.host(id), {
      name: 'Graham Whitlock',
      email: 'graham@example.test',
      checkStatus: 'booked',
      ...dateFormFields('checkDate', '2026-04-10'),
      arrangementStatus: 'at_risk',
    });
    expect(host.statusCode).toBe(302);
    expect((await c.get(paths.resettlement.needs(id))).statusCode).toBe(200);
    const needs = await c.post(paths.resettlement.needs(id), {
      housingStatus: 'in_progress',
      housingNotes: 'Looking for a private rental before the sponsorship ends',
      englishStatus: 'need_identified',
      'english-esolProvider': 'Northampton College',
      employmentStatus: 'need_identified',
      educationStatus: 'no_need',
      healthStatus: 'need_identified',
      financesStatus: 'met',
      transportStatus: 'not_assessed',
      wellbeingStatus: 'not_assessed',
      legalStatus: 'no_need',
    });
    expect(needs.statusCode).toBe(302);
    expect((await c.get(paths.resettlement.newGoal(id))).statusCode).toBe(200);
    expect(
      (
        await c.post(paths.resettlement.newGoal(id), {
          domain: 'english',
          goal: 'Start ESOL',
          owner: 'Caseworker',
        })
      ).statusCode,
    ).toBe(302);
    expect((await c.get(paths.resettlement.newReferral(id))).statusCode).toBe(200);
    expect(
      (
        await c.post(paths.resettlement.newReferral(id), {
          domain: 'english',
          service: 'Northampton College ESOL',
          ...dateFormFields('referredOn', '2026-04-05'),
          ...dateFormFields('responseDueOn', '2026-04-19'),
        })
      ).statusCode,
    ).toBe(302);
    const full = await c.get(paths.resettlement.household(id));
    expect(full.body).toContain('Oksana Melnyk');
    expect(full.body).toContain('Graham Whitlock');
    expect(full.body).toContain('At risk of breaking down');
    expect(full.body).toContain('Northampton College ESOL');
    expect(full.body).toContain('Looking for a private rental');
    expect(full.body).toContain('Start ESOL');
  });
});

describe('resettlement dates on the pages', () => {
  // Dates are GOV.UK date inputs (three boxes each); the JSON API keeps taking yyyy-mm-dd.
  const detail = async (id: string) => {
    const result = await t.services.resettlement.household(resettlementActor(t.a, 'caseworker'), id);
    if (!result.ok) throw new Error(result.problem);
    return result;
  };
  const household = {
    scheme: 'afghan_arap_acrs',
    name: 'Dates family',
    lawfulBasis: 'public_task',
  };

  it('stores dates typed as boxes, month names too, and shows them back in boxes to edit', async () => {
    const c = await t.signedIn(t.a, 'caseworker');
    const created = await c.post(paths.resettlement.newHousehold(), {
      ...household,
      'arrivalDate-day': '2',
      'arrivalDate-month': 'April',
      'arrivalDate-year': '2026',
      ...dateFormFields('moveOnDeadline', '2026-12-31'),
    });
    expect(created.statusCode).toBe(302);
    const id = idFrom(created.headers.location as string);
    const saved = (await detail(id)).household;
    expect(saved.arrivalDate).toBe('2026-04-02');
    expect(saved.moveOnDeadline).toBe('2026-12-31');

    const edit = await c.get(paths.resettlement.edit(id));
    expect(edit.body).toMatch(/id="arrivalDate-day" name="arrivalDate-day" type="text" value="2"/);
    expect(edit.body).toMatch(/id="arrivalDate-month" name="arrivalDate-month" type="text" value="4"/);
    expect(edit.body).toMatch(/id="moveOnDeadline-year" name="moveOnDeadline-year" type="text" value="2026"/);
    expect(edit.body).not.toContain('type="date"');
  });

  it('names the missing box or the wrong date, links to its box, and stores nothing', async () => {
    const c = await t.signedIn(t.a, 'caseworker');
    const created = await c.post(paths.resettlement.newHousehold(), {
      ...household,
      ...dateFormFields('arrivalDate', '2026-04-02'),
    });
    const id = idFrom(created.headers.location as string);

    const halfTyped = await c.post(paths.resettlement.edit(id), {
      ...household,
      name: 'Renamed family',
      'arrivalDate-day': '9',
      'arrivalDate-year': '2026',
    });
    expect(halfTyped.statusCode).toBe(400);
    expect(halfTyped.body).toContain('<title>Error:');
    expect(halfTyped.body).toContain('Arrival date must include a month');
    expect(halfTyped.body).toContain('href="#arrivalDate-month"');
    // What was typed is shown back, so only the month needs adding.
    expect(halfTyped.body).toMatch(/id="arrivalDate-day" name="arrivalDate-day" type="text" value="9"/);
    expect((await detail(id)).household).toMatchObject({ name: 'Dates family', arrivalDate: '2026-04-02' });

    // Each refusal: the message, and the box its link goes to.
    const refusals: { what: string; url: string; form: Record<string, string>; says: string; box: string }[] =
      [
        {
          what: 'consent given without its date',
          url: paths.resettlement.edit(id),
          form: { ...household, consentGiven: 'yes' },
          says: 'Enter the date consent was given',
          box: 'consentDate-day',
        },
        {
          what: 'neither a date of birth nor an age band',
          url: paths.resettlement.newMember(id),
          form: { name: 'No Age', relationship: 'main_applicant' },
          says: 'Enter a date of birth or choose an age band',
          box: 'dateOfBirth-day',
        },
        {
          what: '31 February',
          url: paths.resettlement.newMember(id),
          form: {
            name: 'Not Real',
            relationship: 'main_applicant',
            ...dateFormFields('dateOfBirth', '1990-01-01'),
            'visaExpiry-day': '31',
            'visaExpiry-month': '2',
            'visaExpiry-year': '2027',
          },
          says: 'Date the visa or leave expires must be a real date',
          box: 'visaExpiry-day',
        },
        {
          what: 'a referral with no date',
          url: paths.resettlement.newReferral(id),
          form: { domain: 'health', service: 'GP' },
          says: 'Enter the date of the referral',
          box: 'referredOn-day',
        },
        {
          what: 'a reply due before the referral',
          url: paths.resettlement.newReferral(id),
          form: {
            domain: 'health',
            service: 'GP',
            ...dateFormFields('referredOn', '2026-05-10'),
            ...dateFormFields('responseDueOn', '2026-05-01'),
          },
          says: 'Answer expected by must be on or after the date referred',
          box: 'responseDueOn-day',
        },
        {
          what: 'a two-digit year',
          url: paths.resettlement.newSession(),
          form: {
            topic: 'health_system',
            'date-day': '10',
            'date-month': '12',
            'date-year': '26',
            startTime: '10:00',
            endTime: '12:00',
            venue: 'Guildhall',
            languages: 'en',
            capacity: '10',
          },
          says: 'Year must include 4 numbers',
          box: 'date-year',
        },
      ];
    for (const r of refusals) {
      const res = await c.post(r.url, r.form);
      expect(res.statusCode, r.what).toBe(400);
      expect(res.body, r.what).toContain(r.says);
      expect(res.body, r.what).toContain(`href="#${r.box}"`);
    }
    const after = await detail(id);
    expect(after.members).toHaveLength(0);
    expect(after.referrals).toHaveLength(0);
    expect(after.household.consentGiven).toBe(false);
    const sessions = await t.services.resettlement.sessions(resettlementActor(t.a, 'caseworker'));
    expect(sessions.ok && sessions.sessions.some((s) => s.venue === 'Guildhall')).toBe(false);

    // A refusal from the service about a date links to its first box too.
    const past = await c.post(paths.resettlement.close(id), {
      closureReason: 'Moved away',
      ...dateFormFields('retentionUntil', '2020-01-01'),
    });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('href="#retentionUntil-day"');
    expect((await detail(id)).household.status).toBe('open');
  });
});
