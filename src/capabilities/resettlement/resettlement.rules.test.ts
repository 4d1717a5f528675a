import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addYears,
  ageOn,
  bandForAge,
  countOutcomes,
  defaultRetention,
  isDueForAnonymisation,
  isReferralOverdue,
  memberBand,
  publishOutcomes,
  upcomingDeadlines,
  type OutcomePerson,
} from './resettlement.rules.js';
import { householdInput, memberInput, sessionInput } from './resettlement.schema.js';
import { londonInstant } from './resettlement.service.js';
import type { Scheme } from './resettlement.vocabulary.js';

describe('ages', () => {
  it('counts whole years, the birthday itself included', () => {
    expect(ageOn('2010-06-15', '2026-06-14')).toBe(15);
    expect(ageOn('2010-06-15', '2026-06-15')).toBe(16);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
  });

  it('bands ages at school and working-age boundaries', () => {
    expect([0, 4, 5, 10, 11, 15, 16, 17, 18, 24, 25, 64, 65].map(bandForAge)).toEqual([
      '0_4',
      '0_4',
      '5_10',
      '5_10',
      '11_15',
      '11_15',
      '16_17',
      '16_17',
      '18_24',
      '18_24',
      '25_64',
      '25_64',
      '65_plus',
    ]);
  });

  it('prefers the date of birth to a recorded band', () => {
    expect(memberBand({ dateOfBirth: '2000-01-01', ageBand: '0_4' }, '2026-12-01')).toBe('25_64');
    expect(memberBand({ dateOfBirth: null, ageBand: '11_15' }, '2026-12-01')).toBe('11_15');
    expect(memberBand({ dateOfBirth: null, ageBand: null }, '2026-12-01')).toBeNull();
  });
});

describe('deadlines, referrals and retention', () => {
  const base = { householdId: 'h', householdReference: 'RH-1', householdName: 'A' };
  it('lists deadlines up to six weeks ahead and past ones as overdue, soonest first', () => {
    const list = upcomingDeadlines(
      [
        { ...base, kind: 'visa_expiry', date: '2026-12-20', memberName: 'X' },
        { ...base, kind: 'move_on', date: '2026-11-30' },
        { ...base, kind: 'accommodation_check', date: '2027-03-01' },
      ],
      '2026-12-01',
    );
    expect(list.map((d) => [d.kind, d.overdue])).toEqual([
      ['move_on', true],
      ['visa_expiry', false],
    ]);
  });

  it('a referral is overdue only while awaiting an answer past its due date', () => {
    expect(isReferralOverdue({ outcome: 'awaiting', responseDueOn: '2026-11-30' }, '2026-12-01')).toBe(true);
    expect(isReferralOverdue({ outcome: 'awaiting', responseDueOn: '2026-12-01' }, '2026-12-01')).toBe(false);
    expect(isReferralOverdue({ outcome: 'accepted', responseDueOn: '2026-11-01' }, '2026-12-01')).toBe(false);
    expect(isReferralOverdue({ outcome: 'awaiting', responseDueOn: null }, '2026-12-01')).toBe(false);
  });

  it('keeps a closed case two years by default, and anonymises it only once that has passed', () => {
    expect(defaultRetention('2026-12-01')).toBe('2028-12-01');
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
    const closed = { status: 'closed', retentionUntil: '2026-11-30', anonymisedAt: null };
    expect(isDueForAnonymisation(closed, '2026-12-01')).toBe(true);
    expect(isDueForAnonymisation({ ...closed, retentionUntil: '2026-12-01' }, '2026-12-01')).toBe(false);
    expect(isDueForAnonymisation({ ...closed, status: 'open' }, '2026-12-01')).toBe(false);
    expect(isDueForAnonymisation({ ...closed, anonymisedAt: new Date() }, '2026-12-01')).toBe(false);
  });
});

describe('outcomes', () => {
  const person = (scheme: Scheme, over: Partial<OutcomePerson> = {}): OutcomePerson => ({
    scheme,
    band: '25_64',
    englishLevel: 'entry',
    education: 'not_applicable',
    workStatus: 'seeking_work',
    gpRegistered: false,
    esolEnrolled: false,
    sessionsAttended: 0,
    ...over,
  });
  const many = (n: number, make: (i: number) => OutcomePerson) =>
    Array.from({ length: n }, (_, i) => make(i));

  it('counts each measure against its own base', () => {
    const counts = countOutcomes(
      [{ scheme: 'homes_for_ukraine' }, { scheme: 'homes_for_ukraine' }],
      [
        person('homes_for_ukraine', {
          gpRegistered: true,
          esolEnrolled: true,
          workStatus: 'employed',
          sessionsAttended: 2,
        }),
        person('homes_for_ukraine', { englishLevel: 'fluent', workStatus: 'training' }),
        person('homes_for_ukraine', { band: '11_15', education: 'school', gpRegistered: true }),
        person('homes_for_ukraine', { band: '0_4', education: 'early_years' }),
      ],
    ).homes_for_ukraine;
    expect(counts).toEqual({
      households: 2,
      people: 4,
      gpRegistered: 2,
      esolEligible: 1,
      esolEnrolled: 1,
      workingAge: 2,
      inWorkOrTraining: 2,
      schoolAge: 1,
      inSchool: 1,
      sessionsAttended: 2,
    });
  });

  it('publishes a percentage only when the count, its base and the rest are all 5 or more', () => {
    const people = [
      ...many(20, (i) => person('homes_for_ukraine', { gpRegistered: i < 12 })),
      ...many(20, (i) => person('afghan_arap_acrs', { gpRegistered: i < 17 })),
      ...many(20, (i) => person('refugee_asylum_decision', { gpRegistered: i < 14 })),
      ...many(20, (i) => person('other', { gpRegistered: i < 10 })),
    ];
    const o = publishOutcomes(countOutcomes([], people));
    expect(o.rows.homes_for_ukraine.gp.percent).toEqual({ state: 'shown', value: 60 });
    // 17 of 20 leaves 3 not registered: showing 85% of 20 would reveal them.
    expect(o.rows.afghan_arap_acrs.gp.percent).toEqual({ state: 'suppressed' });
    // …and the next smallest "not registered" (6 of 20) is withheld too, so the total cannot give the 3 away.
    expect(o.rows.refugee_asylum_decision.gp.percent).toEqual({ state: 'suppressed' });
    expect(o.rows.other.gp.percent).toEqual({ state: 'shown', value: 50 });
    expect(o.rows.homes_for_ukraine.gp.base).toEqual({ state: 'shown', value: 20 });
  });

  it('never shows a count below 5, and no total reveals a hidden cell (property)', () => {
    const scheme = fc.constantFrom<Scheme>(
      'homes_for_ukraine',
      'afghan_arap_acrs',
      'refugee_asylum_decision',
      'other',
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ scheme, gp: fc.boolean(), attended: fc.nat(3) }), { maxLength: 60 }),
        (rows) => {
          const o = publishOutcomes(
            countOutcomes(
              rows.map((r) => ({ scheme: r.scheme })),
              rows.map((r) => person(r.scheme, { gpRegistered: r.gp, sessionsAttended: r.attended })),
            ),
          );
          const cells = [...Object.values(o.rows), o.total];
          for (const c of cells) {
            for (const p of [c.households, c.sessionsAttended, c.gp.base])
              if (p.state === 'shown') expect(p.value === 0 || p.value >= 5).toBe(true);
            if (c.gp.percent.state === 'shown') expect(c.gp.base.state).toBe('shown');
          }
          const hidden = Object.values(o.rows).filter((r) => r.households.state !== 'shown').length;
          if (o.total.households.state === 'shown') expect(hidden === 0 || hidden >= 2).toBe(true);
        },
      ),
    );
  });
});

describe('input rules', () => {
  it('needs the lawful basis, and consent with its date when the basis is consent', () => {
    const base = { scheme: 'homes_for_ukraine', name: 'A family', lawfulBasis: 'consent' };
    const r = householdInput.safeParse(base);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toContain('resettlement.errors.consentNeeded');
    expect(
      householdInput.safeParse({ ...base, consentGiven: 'yes', consentDate: '2026-02-30' }).success,
    ).toBe(false);
    expect(
      householdInput.safeParse({ ...base, consentGiven: 'yes', consentDate: '2026-02-28' }).success,
    ).toBe(true);
  });

  it('a member needs a date of birth or an age band', () => {
    expect(memberInput.safeParse({ name: 'A', relationship: 'child' }).success).toBe(false);
    expect(memberInput.safeParse({ name: 'A', relationship: 'child', ageBand: '5_10' }).success).toBe(true);
  });

  it('a session ends after it starts and has a whole number of places', () => {
    const s = {
      topic: 'road_safety',
      date: '2026-12-10',
      startTime: '10:00',
      endTime: '09:00',
      venue: 'Hall',
      languages: 'en',
      capacity: '10',
    };
    expect(sessionInput.safeParse(s).success).toBe(false);
    expect(sessionInput.safeParse({ ...s, endTime: '11:00', capacity: '2.5' }).success).toBe(false);
    expect(sessionInput.safeParse({ ...s, endTime: '11:00' }).data?.capacity).toBe(10);
  });

  it('session times are UK wall-clock times in summer and winter', () => {
    expect(londonInstant('2026-07-01', '10:00').toISOString()).toBe('2026-07-01T09:00:00.000Z');
    expect(londonInstant('2026-12-01', '10:00').toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });
});
