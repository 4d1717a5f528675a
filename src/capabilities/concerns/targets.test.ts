import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  DEFAULT_TARGETS,
  dueDates,
  endOfLondonDay,
  isOverdue,
  isWorkingDay,
} from './targets.js';

const at = (iso: string) => new Date(iso);

/** London wall-clock time of an instant, e.g. "Tue 29/12/2026, 10:00:00". */
function london(d: Date): string {
  return d.toLocaleString('en-GB', {
    timeZone: 'Europe/London',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
}

describe('isWorkingDay', () => {
  it('is Monday to Friday', () => {
    expect(isWorkingDay(at('2026-03-02T12:00:00Z'))).toBe(true); // Monday
    expect(isWorkingDay(at('2026-03-06T12:00:00Z'))).toBe(true); // Friday
    expect(isWorkingDay(at('2026-03-07T12:00:00Z'))).toBe(false); // Saturday
    expect(isWorkingDay(at('2026-03-08T12:00:00Z'))).toBe(false); // Sunday
  });

  it('excludes England and Wales bank holidays, including substitute days', () => {
    for (const day of ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31']) {
      expect(isWorkingDay(at(`${day}T12:00:00Z`)), day).toBe(false);
    }
    expect(isWorkingDay(at('2026-12-25T12:00:00Z'))).toBe(false); // Christmas Day, a Friday
    expect(isWorkingDay(at('2026-12-28T12:00:00Z'))).toBe(false); // Boxing Day substitute, a Monday
    expect(isWorkingDay(at('2027-12-27T12:00:00Z'))).toBe(false);
    expect(isWorkingDay(at('2027-12-28T12:00:00Z'))).toBe(false);
    expect(isWorkingDay(at('2026-12-29T12:00:00Z'))).toBe(true);
  });

  it('uses the London date, not the UTC date', () => {
    // 23:30 UTC on Friday 3 July 2026 is 00:30 on Saturday in London (BST).
    expect(isWorkingDay(at('2026-07-03T23:30:00Z'))).toBe(false);
    // 23:30 UTC on Sunday 5 July is 00:30 on Monday in London.
    expect(isWorkingDay(at('2026-07-05T23:30:00Z'))).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it('skips Christmas 2026: one working day after Thursday 24 December is Tuesday 29th, same time', () => {
    const created = at('2026-12-24T10:15:30.250Z');
    expect(addWorkingDays(created, 1)).toEqual(at('2026-12-29T10:15:30.250Z'));
    expect(addWorkingDays(created, 2)).toEqual(at('2026-12-30T10:15:30.250Z'));
  });

  it('skips weekends', () => {
    expect(addWorkingDays(at('2026-03-05T09:00:00Z'), 2)).toEqual(at('2026-03-09T09:00:00Z')); // Thu -> Mon
    expect(addWorkingDays(at('2026-03-07T09:00:00Z'), 1)).toEqual(at('2026-03-09T09:00:00Z')); // Sat -> Mon
    expect(addWorkingDays(at('2026-03-02T09:00:00Z'), 10)).toEqual(at('2026-03-16T09:00:00Z')); // two weeks
  });

  it('skips Easter', () => {
    // Thursday 2 April 2026 (BST): Good Friday and Easter Monday are holidays.
    expect(london(addWorkingDays(at('2026-04-02T13:00:00Z'), 1))).toBe('Tue, 07/04/2026, 14:00:00');
  });

  it('keeps the London time of day across the autumn clock change', () => {
    // Friday 23 October 2026, 10:00 BST; clocks go back on Sunday 25th.
    const due = addWorkingDays(at('2026-10-23T09:00:00Z'), 2);
    expect(london(due)).toBe('Tue, 27/10/2026, 10:00:00');
  });

  it('keeps the London time of day across the spring clock change, late in the evening', () => {
    // Friday 27 March 2026, 23:30 GMT; clocks go forward on Sunday 29th.
    const due = addWorkingDays(at('2026-03-27T23:30:00Z'), 2);
    expect(london(due)).toBe('Tue, 31/03/2026, 23:30:00');
  });

  it('adds nothing for zero days', () => {
    const d = at('2026-05-05T08:00:00Z');
    expect(addWorkingDays(d, 0)).toEqual(d);
  });
});

describe('endOfLondonDay', () => {
  it('is 23:59:59 GMT in winter', () => {
    expect(endOfLondonDay(at('2026-01-15T09:00:00Z'))).toEqual(at('2026-01-15T23:59:59Z'));
  });

  it('is 23:59:59 BST in summer', () => {
    expect(endOfLondonDay(at('2026-07-15T09:00:00Z'))).toEqual(at('2026-07-15T22:59:59Z'));
  });

  it('uses the London day for times just after midnight in summer', () => {
    // 23:30 UTC on 15 July is 00:30 on 16 July in London.
    expect(endOfLondonDay(at('2026-07-15T23:30:00Z'))).toEqual(at('2026-07-16T22:59:59Z'));
  });

  it('handles the days the clocks change', () => {
    expect(london(endOfLondonDay(at('2026-03-29T00:30:00Z')))).toBe('Sun, 29/03/2026, 23:59:59');
    expect(london(endOfLondonDay(at('2026-10-25T00:30:00Z')))).toBe('Sun, 25/10/2026, 23:59:59');
  });
});

describe('dueDates', () => {
  it('urgent concerns are due to be acknowledged and answered by the end of the London day', () => {
    const winter = dueDates(at('2026-12-24T10:00:00Z'), true);
    expect(winter).toEqual({
      acknowledgeDueAt: at('2026-12-24T23:59:59Z'),
      respondDueAt: at('2026-12-24T23:59:59Z'),
    });
    const summer = dueDates(at('2026-06-10T07:00:00Z'), true);
    expect(summer.acknowledgeDueAt).toEqual(at('2026-06-10T22:59:59Z'));
    expect(london(summer.respondDueAt)).toBe('Wed, 10/06/2026, 23:59:59');
  });

  it('other concerns use the working-day targets, by default 2 to acknowledge and 10 to respond', () => {
    expect(DEFAULT_TARGETS).toEqual({ acknowledgeWorkingDays: 2, respondWorkingDays: 10 });
    const due = dueDates(at('2026-12-24T10:00:00Z'), false);
    expect(due.acknowledgeDueAt).toEqual(at('2026-12-30T10:00:00Z'));
    // 29, 30, 31 December, then (after 1 January) 4-8 and 11-12 January.
    expect(due.respondDueAt).toEqual(at('2027-01-12T10:00:00Z'));
  });

  it('uses the targets it is given', () => {
    const due = dueDates(at('2026-12-24T10:00:00Z'), false, {
      acknowledgeWorkingDays: 1,
      respondWorkingDays: 3,
    });
    expect(due.acknowledgeDueAt).toEqual(at('2026-12-29T10:00:00Z'));
    expect(due.respondDueAt).toEqual(at('2026-12-31T10:00:00Z'));
  });
});

describe('isOverdue', () => {
  const base = {
    acknowledgeDueAt: at('2026-03-03T09:00:00Z'),
    respondDueAt: at('2026-03-13T09:00:00Z'),
    firstResponseAt: null,
    closedAt: null,
  };

  it('is not overdue before the acknowledgement is due', () => {
    expect(isOverdue(base, at('2026-03-03T08:59:59Z'))).toBe(false);
    expect(isOverdue(base, at('2026-03-03T09:00:00Z'))).toBe(false);
  });

  it('is overdue once the acknowledgement is late and nobody has responded', () => {
    expect(isOverdue(base, at('2026-03-03T09:00:01Z'))).toBe(true);
  });

  it('a first response clears the acknowledgement, but not the response target', () => {
    const responded = { ...base, firstResponseAt: at('2026-03-04T10:00:00Z') };
    expect(isOverdue(responded, at('2026-03-10T09:00:00Z'))).toBe(false);
    expect(isOverdue(responded, at('2026-03-13T09:00:01Z'))).toBe(true);
  });

  it('a closed concern is never overdue', () => {
    expect(isOverdue({ ...base, closedAt: at('2026-03-20T09:00:00Z') }, at('2026-06-01T00:00:00Z'))).toBe(
      false,
    );
  });
});
