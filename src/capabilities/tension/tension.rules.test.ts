import { describe, expect, it } from 'vitest';
import { canSeeTension, isPartnershipLead } from './tension.access.js';
import {
  addDays,
  countsInWeek,
  currentLevel,
  escalates,
  escalationOnEdit,
  recentWeeks,
  trendOf,
  weeklyLevels,
  weeklyPicture,
  weekStart,
  type ReportFact,
} from './tension.rules.js';

const r = (
  reportedOn: string,
  level: ReportFact['level'],
  reviewDate = addDays(reportedOn, 14),
  areaId = 'x',
) => ({
  areaId,
  reportedOn,
  reviewDate,
  level,
});

describe('weeks', () => {
  it('start on Monday', () => {
    expect(weekStart('2026-12-02')).toBe('2026-11-30'); // a Wednesday
    expect(weekStart('2026-11-30')).toBe('2026-11-30');
    expect(weekStart('2026-12-06')).toBe('2026-11-30'); // Sunday
    expect(weekStart('2027-01-01')).toBe('2026-12-28'); // across a year
  });

  it('are listed oldest first, ending with this week', () => {
    expect(recentWeeks('2026-12-02', 3)).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
  });
});

describe('weekly levels', () => {
  const weeks = recentWeeks('2026-12-02', 4); // 9, 16, 23, 30 November
  it('are the highest level reported in the week', () => {
    expect(
      weeklyLevels([r('2026-11-10', 'low'), r('2026-11-12', 'high'), r('2026-11-13', 'medium')], weeks)[0],
    ).toBe('high');
  });

  it('carry the last assessment into quiet weeks until its review date, then fall to none', () => {
    expect(weeklyLevels([r('2026-11-10', 'medium', '2026-11-20')], weeks)).toEqual([
      'medium',
      'medium',
      'none',
      'none',
    ]);
  });

  it('use only the latest day’s assessment when carrying forward, so a lower later report stands', () => {
    expect(
      weeklyLevels([r('2026-11-10', 'high', '2026-12-31'), r('2026-11-12', 'low', '2026-12-31')], weeks),
    ).toEqual(['high', 'low', 'low', 'low']);
  });

  it('are none for an area with no reports', () => {
    expect(weeklyLevels([], weeks)).toEqual(['none', 'none', 'none', 'none']);
  });
});

describe('trend and escalation', () => {
  it('compares a week with the one before', () => {
    expect(trendOf('low', 'high')).toBe('rising');
    expect(trendOf('none', 'low')).toBe('rising');
    expect(trendOf('medium', 'medium')).toBe('steady');
    expect(trendOf('critical', 'medium')).toBe('falling');
  });

  it('escalates only a rise to high or critical', () => {
    expect(escalates('medium', 'high')).toBe(true);
    expect(escalates('none', 'critical')).toBe(true);
    expect(escalates('high', 'critical')).toBe(true);
    expect(escalates('high', 'high')).toBe(false);
    expect(escalates('low', 'medium')).toBe(false);
    expect(escalates('critical', 'high')).toBe(false);
  });

  it('takes the current level from this week, or the standing assessment', () => {
    expect(currentLevel([r('2026-11-25', 'high')], '2026-12-02')).toBe('high');
    expect(currentLevel([r('2026-11-25', 'high', '2026-11-28')], '2026-12-02')).toBe('none');
    expect(currentLevel([r('2026-11-25', 'high'), r('2026-12-01', 'low')], '2026-12-02')).toBe('low');
  });
});

describe('closed reports', () => {
  const weeks = recentWeeks('2026-12-02', 4); // 9, 16, 23, 30 November

  it('stop counting from the week they were closed, and count in the weeks before', () => {
    const closed = { ...r('2026-11-10', 'high', '2026-12-31'), closedOn: '2026-11-25' };
    expect(weeklyLevels([closed], weeks)).toEqual(['high', 'high', 'none', 'none']);
    expect(countsInWeek(closed, '2026-11-16')).toBe(true);
    expect(countsInWeek(closed, '2026-11-23')).toBe(false);
    expect(countsInWeek({ closedOn: null }, '2026-11-23')).toBe(true);
  });

  it('closed on the Monday it was reported: never counts that week', () => {
    expect(weeklyLevels([{ ...r('2026-11-30', 'critical'), closedOn: '2026-11-30' }], weeks)).toEqual([
      'none',
      'none',
      'none',
      'none',
    ]);
  });

  it('leave the earlier assessment standing once closed, until its review date', () => {
    const earlier = r('2026-11-10', 'low', '2026-12-20');
    const later = { ...r('2026-11-18', 'high', '2026-12-20'), closedOn: '2026-12-01' };
    expect(weeklyLevels([earlier, later], weeks)).toEqual(['low', 'high', 'high', 'low']);
  });

  it('leave the picture without the area when nothing else stands', () => {
    const closed = { ...r('2026-11-25', 'medium', '2026-12-20', 'gone'), closedOn: '2026-11-26' };
    // Reported and closed in the week of 23 November: it counts in no week at all.
    expect(weeklyPicture([closed], '2026-12-02', 3).areas).toEqual([]);
    // Closed this week: last week keeps it, this week falls.
    const lastWeek = { ...r('2026-11-25', 'medium', '2026-12-20', 'falls'), closedOn: '2026-12-01' };
    expect(weeklyPicture([lastWeek], '2026-12-02', 2).areas).toEqual([
      { areaId: 'falls', levels: ['medium', 'none'], current: 'none', trend: 'falling' },
    ]);
  });
});

describe('escalation on an edit', () => {
  const today = '2026-12-02';
  const fact = (level: ReportFact['level'], id = 'edited', reportedOn = '2026-12-01') => ({
    ...r(reportedOn, level),
    id,
  });

  it('tells the leads when an edit raises the area to high or critical, as a new report would', () => {
    expect(
      escalationOnEdit({ others: [], was: fact('medium'), now: fact('high'), today, alreadyToldOf: null }),
    ).toEqual({ before: 'medium', after: 'high', escalate: true });
    expect(
      escalationOnEdit({ others: [], was: fact('low'), now: fact('critical'), today, alreadyToldOf: null }),
    ).toMatchObject({ escalate: true });
  });

  it('does not when the area was already that high, or the level only rises to medium', () => {
    const other = fact('high', 'other');
    expect(
      escalationOnEdit({ others: [other], was: fact('low'), now: fact('high'), today, alreadyToldOf: null }),
    ).toEqual({ before: 'high', after: 'high', escalate: false });
    expect(
      escalationOnEdit({ others: [], was: fact('low'), now: fact('medium'), today, alreadyToldOf: null }),
    ).toMatchObject({ escalate: false });
    expect(
      escalationOnEdit({
        others: [],
        was: fact('critical'),
        now: fact('high'),
        today,
        alreadyToldOf: 'critical',
      }),
    ).toEqual({ before: 'critical', after: 'high', escalate: false });
  });

  it('tells them once: not again when the same report goes down and back up to a level they know', () => {
    expect(
      escalationOnEdit({ others: [], was: fact('medium'), now: fact('high'), today, alreadyToldOf: 'high' }),
    ).toEqual({ before: 'medium', after: 'high', escalate: false });
    // Higher than they were told of: they hear of it.
    expect(
      escalationOnEdit({
        others: [],
        was: fact('high'),
        now: fact('critical'),
        today,
        alreadyToldOf: 'high',
      }),
    ).toMatchObject({ escalate: true });
  });

  it('judges a report moved to another area against that area', () => {
    const there = fact('medium', 'there');
    expect(
      escalationOnEdit({ others: [there], was: null, now: fact('high'), today, alreadyToldOf: null }),
    ).toEqual({ before: 'medium', after: 'high', escalate: true });
  });

  it('counts a report moved back into last week while its assessment still stands', () => {
    expect(
      escalationOnEdit({
        others: [],
        was: fact('low'),
        now: fact('high', 'edited', '2026-11-20'),
        today,
        alreadyToldOf: null,
      }),
    ).toMatchObject({ before: 'low', escalate: true, after: 'high' });
  });
});

describe('the weekly picture', () => {
  it('lists areas with tension, highest first, with their trend', () => {
    const picture = weeklyPicture(
      [
        r('2026-11-18', 'low', '2026-12-30', 'quiet'),
        r('2026-11-25', 'low', '2026-12-01', 'rising'),
        r('2026-12-01', 'medium', '2026-12-10', 'rising'),
        r('2026-11-24', 'high', '2026-12-20', 'falling'),
        r('2026-12-01', 'low', '2026-12-20', 'falling'),
        r('2026-01-01', 'critical', '2026-01-10', 'long-ago'),
      ],
      '2026-12-02',
      3,
    );
    expect(picture.weeks).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
    expect(picture.areas).toEqual([
      { areaId: 'rising', levels: ['none', 'low', 'medium'], current: 'medium', trend: 'rising' },
      { areaId: 'falling', levels: ['none', 'high', 'low'], current: 'low', trend: 'falling' },
      { areaId: 'quiet', levels: ['low', 'low', 'low'], current: 'low', trend: 'steady' },
    ]);
  });
});

describe('who may see tension', () => {
  it('cohesion officers and partnership leads by role, whatever their organisation', () => {
    expect(canSeeTension({ roles: ['cohesion_officer'], organisationKind: 'council' })).toBe(true);
    expect(canSeeTension({ roles: ['partnership_admin'], organisationKind: 'council' })).toBe(true);
  });

  it('agency officers only when their organisation is the police', () => {
    expect(canSeeTension({ roles: ['agency_officer'], organisationKind: 'police' })).toBe(true);
    for (const kind of ['fire', 'nhs', 'council', 'voluntary', 'other', null] as const)
      expect(canSeeTension({ roles: ['agency_officer'], organisationKind: kind }), String(kind)).toBe(false);
  });

  it('nobody else, even in a police organisation', () => {
    for (const role of ['triage_officer', 'analyst', 'forum_facilitator', 'resettlement_caseworker'])
      expect(canSeeTension({ roles: [role], organisationKind: 'police' }), role).toBe(false);
    expect(canSeeTension({ roles: [], organisationKind: 'police' })).toBe(false);
  });

  it('partnership leads are the partnership admins', () => {
    expect(isPartnershipLead(['partnership_admin'])).toBe(true);
    expect(isPartnershipLead(['cohesion_officer', 'triage_officer'])).toBe(false);
  });
});
