import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { paths } from '../../platform/paths.js';
import { addResettlementStaff } from './resettlement.test-helpers.js';

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
      arrivalDate: '2026-04-02',
      interpreterNeeded: 'yes',
      interpreterLanguage: 'Ukrainian',
      lawfulBasis: 'public_task',
      consentGiven: 'yes',
      consentDate: '2026-04-03',
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
      dateOfBirth: '1986-02-11',
      relationship: 'main_applicant',
      languages: ['uk', 'ru'],
      englishLevel: 'entry',
      workStatus: 'seeking_work',
      visaExpiry: '2027-04-01',
    });
    expect(member.statusCode).toBe(302);
    expect((await c.get(paths.resettlement.host(id))).statusCode).toBe(200);
    const host = await c.post(paths.resettlement.host(id), {
      name: 'Graham Whitlock',
      email: 'graham@example.test',
      checkStatus: 'booked',
      checkDate: '2026-04-10',
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
          referredOn: '2026-04-05',
          responseDueOn: '2026-04-19',
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
