import { describe, expect, it } from 'vitest';
import {
  anonymisedMember,
  checkMeeting,
  isRealDate,
  issueIsPublic,
  keptAnswers,
  londonToUtc,
  parseTime,
  requestActionAllowed,
  slugify,
} from './forums.rules.js';
import { meetingTime, meetingWhen } from './forums.format.js';

describe('forum rules', () => {
  it('makes address-safe slugs from names', () => {
    expect(slugify('LGBTQ+ Forum')).toBe('lgbtq-plus-forum');
    expect(slugify('Older People’s Forum')).toBe('older-people-s-forum');
    expect(slugify('Faith & Belief  Forum')).toBe('faith-and-belief-forum');
    expect(slugify('Fórum de Saúde')).toBe('forum-de-saude');
    expect(slugify('!!!')).toBe('forum');
    expect(slugify('x'.repeat(100))).toHaveLength(60);
  });

  it('reads London wall-clock times in winter (GMT) and summer (BST)', () => {
    expect(londonToUtc(2026, 12, 3, 18, 0).toISOString()).toBe('2026-12-03T18:00:00.000Z');
    expect(londonToUtc(2027, 7, 1, 18, 30).toISOString()).toBe('2027-07-01T17:30:00.000Z');
    // The days the clocks change: after 01:00 UTC on 28 March 2027, London is on BST.
    expect(londonToUtc(2027, 3, 28, 0, 30).toISOString()).toBe('2027-03-28T00:30:00.000Z');
    expect(londonToUtc(2027, 3, 28, 10, 0).toISOString()).toBe('2027-03-28T09:00:00.000Z');
    expect(londonToUtc(2027, 10, 31, 10, 0).toISOString()).toBe('2027-10-31T10:00:00.000Z');
  });

  it('accepts only real dates and times of day', () => {
    expect(isRealDate(2027, 2, 28)).toBe(true);
    expect(isRealDate(2028, 2, 29)).toBe(true);
    expect(isRealDate(2027, 2, 29)).toBe(false);
    expect(isRealDate(2027, 6, 31)).toBe(false);
    expect(isRealDate(2027, 13, 1)).toBe(false);
    expect(isRealDate(27, 1, 1)).toBe(false);
    expect(parseTime('18:30')).toEqual({ hour: 18, minute: 30 });
    expect(parseTime('6.05')).toEqual({ hour: 6, minute: 5 });
    expect(parseTime('1830')).toEqual({ hour: 18, minute: 30 });
    expect(parseTime('25:00')).toBeUndefined();
    expect(parseTime('18:60')).toBeUndefined();
    expect(parseTime('evening')).toBeUndefined();
  });

  it('a meeting ends after it starts, within the day, somewhere', () => {
    const start = new Date('2026-12-03T18:00:00Z');
    const hours = (h: number) => new Date(start.getTime() + h * 3_600_000);
    expect(checkMeeting({ startsAt: start, endsAt: hours(2), venueName: 'Guildhall' })).toBeUndefined();
    expect(
      checkMeeting({ startsAt: start, endsAt: hours(2), onlineUrl: 'https://x.example' }),
    ).toBeUndefined();
    expect(checkMeeting({ startsAt: start, endsAt: start, venueName: 'Guildhall' })).toBe('endBeforeStart');
    expect(checkMeeting({ startsAt: start, endsAt: hours(-1), venueName: 'Guildhall' })).toBe(
      'endBeforeStart',
    );
    expect(checkMeeting({ startsAt: start, endsAt: hours(25), venueName: 'Guildhall' })).toBe('tooLong');
    expect(checkMeeting({ startsAt: start, endsAt: hours(2) })).toBe('placeRequired');
  });

  it('join requests: approve and decline are idempotent, and a decision is final', () => {
    expect(requestActionAllowed('new', 'approve')).toBe('ok');
    expect(requestActionAllowed('contacted', 'approve')).toBe('ok');
    expect(requestActionAllowed('approved', 'approve')).toBe('already');
    expect(requestActionAllowed('declined', 'approve')).toBe('no');
    expect(requestActionAllowed('new', 'decline')).toBe('ok');
    expect(requestActionAllowed('declined', 'decline')).toBe('already');
    expect(requestActionAllowed('approved', 'decline')).toBe('no');
    expect(requestActionAllowed('contacted', 'contact')).toBe('ok');
    expect(requestActionAllowed('approved', 'contact')).toBe('no');
  });

  it('a member who leaves keeps no personal data', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const gone = anonymisedMember(now);
    expect(gone).toMatchObject({ status: 'left', leftAt: now, name: null, email: null, phone: null });
    expect(gone.accessNeeds).toEqual([]);
    expect(gone.accessNotes).toBeNull();
    expect(gone.consentAt).toBeNull();
  });

  it('issues are public only when the forum chose so and the concern is neither private nor redacted', () => {
    expect(issueIsPublic({ public: true, private: false, redacted: false })).toBe(true);
    expect(issueIsPublic({ public: false, private: false, redacted: false })).toBe(false);
    expect(issueIsPublic({ public: true, private: true, redacted: false })).toBe(false);
    expect(issueIsPublic({ public: true, private: false, redacted: true })).toBe(false);
  });

  it('keeps only the equality answers given, "prefer not to say" included', () => {
    expect(keptAnswers({ sex: 'female', religion: 'prefer_not', ethnicity: '', ageBand: undefined })).toEqual(
      {
        sex: 'female',
        religion: 'prefer_not',
      },
    );
  });

  it('writes meeting times the GOV.UK way', () => {
    expect(meetingTime(new Date('2026-12-03T18:00:00Z'), 'en')).toBe('6pm');
    expect(meetingTime(new Date('2026-12-03T18:30:00Z'), 'en')).toBe('6:30pm');
    expect(meetingTime(new Date('2026-12-03T12:00:00Z'), 'en')).toBe('midday');
    expect(meetingTime(new Date('2026-12-03T10:15:00Z'), 'en')).toBe('10:15am');
    expect(meetingWhen(new Date('2027-07-01T17:30:00Z'), new Date('2027-07-01T19:00:00Z'), 'en')).toBe(
      'Thursday 1 July 2027, 6:30pm to 8pm',
    );
  });
});
