import { describe, expect, it } from 'vitest';
import { parseForm } from '../../platform/forms.js';
import { dateFormFields } from '../../platform/forms/date-input.js';
import { areasWithoutContact, coverageByArea, coverageByType, recentMonths } from './engagement.coverage.js';
import { londonInstant, londonMonth, londonToday, parseDay, parseTime } from './engagement.dates.js';
import { engagementForm, engagementFromForm } from './engagement.schema.js';

const t = (key: string) => key;

describe('dates and times as officers type them', () => {
  it('reads yyyy-mm-dd and dd/mm/yyyy, and refuses dates that do not exist', () => {
    expect(parseDay('2026-03-27')).toBe('2026-03-27');
    expect(parseDay('27/3/2026')).toBe('2026-03-27');
    expect(parseDay('29/02/2026')).toBeUndefined();
    expect(parseDay('2026-13-01')).toBeUndefined();
    expect(parseDay('next week')).toBeUndefined();
    expect(parseTime('9:05')).toBe('09:05');
    expect(parseTime('24:00')).toBeUndefined();
  });

  it('places a London time correctly in winter and summer', () => {
    expect(londonInstant('2026-01-15', '10:30').toISOString()).toBe('2026-01-15T10:30:00.000Z');
    expect(londonInstant('2026-07-15', '10:30').toISOString()).toBe('2026-07-15T09:30:00.000Z');
    expect(londonToday(new Date('2026-07-15T23:30:00Z'))).toBe('2026-07-16');
    expect(londonMonth(new Date('2026-05-31T23:30:00Z'))).toBe('2026-06');
  });
});

describe('coverage', () => {
  const areas = [
    { id: 'a', name: 'Abington', groupName: 'Northampton' },
    { id: 'b', name: 'Brixworth', groupName: 'Daventry' },
    { id: 'c', name: 'Castle', groupName: 'Northampton' },
  ];

  it('lists months ending with this one, across a year', () => {
    expect(recentMonths('2026-02-10', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
  });

  it('counts engagements per area and per type each month', () => {
    const facts = [
      { areaId: 'a', type: 'drop_in' as const, month: '2026-01', count: 2 },
      { areaId: 'a', type: 'online' as const, month: '2026-02', count: 1 },
      { areaId: 'c', type: 'drop_in' as const, month: '2026-02', count: 3 },
    ];
    const months = ['2026-01', '2026-02'];
    expect(coverageByArea(facts, areas, months)).toEqual([
      { area: areas[0], perMonth: [2, 1], total: 3 },
      { area: areas[2], perMonth: [0, 3], total: 3 },
    ]);
    expect(coverageByType(facts, ['drop_in', 'online', 'faith_venue'], months)).toEqual([
      { type: 'drop_in', perMonth: [2, 3], total: 5 },
      { type: 'online', perMonth: [0, 1], total: 1 },
      { type: 'faith_venue', perMonth: [0, 0], total: 0 },
    ]);
  });

  it('finds areas with no contact in N weeks, never-visited first', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const last = new Map([
      ['a', new Date('2026-11-20T12:00:00Z')], // 11 days ago
      ['b', new Date('2026-09-01T12:00:00Z')], // 13 weeks ago
    ]);
    expect(areasWithoutContact(areas, last, 8, now).map((x) => x.area.id)).toEqual(['c', 'b']);
    expect(areasWithoutContact(areas, last, 1, now).map((x) => x.area.id)).toEqual(['c', 'b', 'a']);
  });
});

describe('the engagement form', () => {
  const base = {
    idempotencyKey: '0b6c1f4e-3d7a-4b8e-9f2a-1c2d3e4f5a6b',
    ...dateFormFields('occurredDate', '2026-11-30'),
    areaId: '0b6c1f4e-3d7a-4b8e-9f2a-1c2d3e4f5a6b',
    place: 'Market Square',
    type: 'community_event',
  };

  it('reads filled slots into issues and referrals, and skips empty ones', () => {
    const parsed = parseForm(
      engagementForm,
      {
        ...base,
        languages: ['English', 'Romanian'],
        languagesOther: 'Tamil, Romanian',
        issue1Summary: 'Bins overflowing',
        issue1Outcome: 'noted',
        issue3Summary: 'Racist graffiti on the bus shelter',
        issue3Outcome: 'concern',
        issue3Topic: 'hate_harassment',
        referral2Service: 'Food bank',
        referral2Reason: 'No food until payday',
        'referral2FollowUp-day': '10',
        'referral2FollowUp-month': 'Dec',
        'referral2FollowUp-year': '2026',
      },
      t,
    );
    expect(parsed.ok).toBe(true);
    const value = engagementFromForm((parsed as { ok: true; value: never }).value);
    expect(value.languages).toEqual(['English', 'Romanian', 'Tamil']);
    expect(value.issues).toEqual([
      {
        summary: 'Bins overflowing',
        outcome: 'noted',
        topic: undefined,
        reference: undefined,
        field: 'issue1Reference',
      },
      {
        summary: 'Racist graffiti on the bus shelter',
        outcome: 'concern',
        topic: 'hate_harassment',
        reference: undefined,
        field: 'issue3Reference',
      },
    ]);
    expect(value.referrals).toEqual([
      {
        organisationId: undefined,
        serviceName: 'Food bank',
        reason: 'No food until payday',
        followUpDue: '2026-12-10',
        field: 'referral2Organisation',
      },
    ]);
  });

  it('says what each half-filled slot is missing', () => {
    const parsed = parseForm(
      engagementForm,
      {
        ...base,
        issue1Summary: 'Something',
        issue2Summary: 'Another',
        issue2Outcome: 'suggestion',
        issue3Summary: 'Linked',
        issue3Outcome: 'linked',
        issue4Reference: 'ABCD-EFGH-JKM',
        ...dateFormFields('referral1FollowUp', '2026-12-01'),
        'referral2FollowUp-day': '31',
        'referral2FollowUp-month': '2',
        'referral2FollowUp-year': '2026',
        'followUpDue-day': '3',
        'followUpDue-year': '2026',
      },
      t,
    );
    expect(parsed.ok).toBe(false);
    const { byField, errors } = parsed as { byField: Record<string, string>; errors: { href: string }[] };
    expect(byField).toEqual({
      issue1Outcome: 'engagement.errors.issueOutcomeRequired',
      issue2Topic: 'engagement.errors.issueTopicRequired',
      issue3Reference: 'engagement.errors.issueReferenceRequired',
      issue4Summary: 'engagement.errors.issueSummaryRequired',
      referral1Organisation: 'engagement.errors.referralToRequired',
      referral1Reason: 'engagement.errors.referralReasonRequired',
      // A slot with only a date typed is a referral still to be filled in.
      referral2Organisation: 'engagement.errors.referralToRequired',
      referral2Reason: 'engagement.errors.referralReasonRequired',
      referral2FollowUp: 'dateInput.notReal',
      followUpDue: 'dateInput.mustInclude.month',
    });
    // Each date's error links to its first box to fix.
    expect(errors.map((e) => e.href)).toContain('#referral2FollowUp-day');
    expect(errors.map((e) => e.href)).toContain('#followUpDue-month');
  });

  it('refuses a date of the engagement that is missing or not a real date', () => {
    const missing = parseForm(
      engagementForm,
      { ...base, 'occurredDate-day': '', 'occurredDate-month': '', 'occurredDate-year': '' },
      t,
    );
    expect(missing).toMatchObject({
      ok: false,
      errors: [{ href: '#occurredDate-day', text: 'engagement.errors.dateRequired' }],
    });
    const notReal = parseForm(engagementForm, { ...base, 'occurredDate-month': '13' }, t);
    expect(notReal).toMatchObject({
      ok: false,
      errors: [{ href: '#occurredDate-month', text: 'dateInput.notReal' }],
    });
  });
});
