import { describe, expect, it } from 'vitest';
import {
  anonymisedMember,
  cancelAllowed,
  cancelledMeeting,
  changedForumFields,
  checkMeeting,
  forumSlug,
  isRealDate,
  issueIsPublic,
  keptAnswers,
  londonToUtc,
  mayEditForum,
  nameClashes,
  parseTime,
  recordsRefused,
  requestActionAllowed,
  slugify,
  type ForumFields,
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

  it('never gives a forum an address the staff pages use as a fixed segment', () => {
    expect(forumSlug('Disability Forum')).toBe('disability-forum');
    expect(forumSlug('New')).toBe('new-forum');
    expect(forumSlug('  NEW!  ')).toBe('new-forum');
    expect(forumSlug('New Forum')).toBe('new-forum');
  });

  it('refuses a name whose address, or another forum’s name, would be the same', () => {
    const others = [
      { id: 'a', slug: 'disability-forum', name: 'Disability Forum' },
      // Renamed after it was created: its address stayed.
      { id: 'b', slug: 'youth-forum', name: 'Young People’s Forum' },
    ];
    const candidate = (name: string) => ({ name, slug: forumSlug(name) });
    expect(nameClashes(others, candidate('Disability forum'))).toBe(true);
    expect(nameClashes(others, candidate('Youth Forum'))).toBe(true);
    expect(nameClashes(others, candidate('Young people’s forum'))).toBe(true);
    expect(nameClashes(others, candidate('Faith Forum'))).toBe(false);
    // A forum does not clash with itself, when renamed or saved unchanged.
    expect(nameClashes(others, { name: 'Disability Forum', slug: 'disability-forum' }, 'a')).toBe(false);
    expect(nameClashes(others, { name: 'Youth Forum', slug: 'youth-forum' }, 'b')).toBe(false);
    expect(nameClashes(others, { name: 'Youth Forum', slug: 'disability-forum' }, 'a')).toBe(true);
  });

  it('admins edit any forum; facilitators only theirs; other roles none', () => {
    expect(mayEditForum(['partnership_admin'], false)).toBe(true);
    expect(mayEditForum(['forum_facilitator'], true)).toBe(true);
    expect(mayEditForum(['forum_facilitator'], false)).toBe(false);
    // Being named on a forum is not enough without the role.
    expect(mayEditForum(['triage_officer'], true)).toBe(false);
    expect(mayEditForum([], true)).toBe(false);
  });

  it('names the fields an edit changes; list order is not a change', () => {
    const before: ForumFields = {
      name: 'Disability Forum',
      characteristics: ['disability', 'age'],
      description: 'For disabled people.',
      coChairs: null,
      howToJoin: 'Ask on this page.',
      meetingPattern: 'Monthly.',
      accessibility: ['bsl', 'online'],
      accessibilityNotes: null,
      published: true,
    };
    expect(changedForumFields(before, { ...before })).toEqual([]);
    expect(
      changedForumFields(before, {
        ...before,
        characteristics: ['age', 'disability'],
        accessibility: ['online', 'bsl'],
      }),
    ).toEqual([]);
    expect(
      changedForumFields(before, {
        ...before,
        name: 'Disabled People’s Forum',
        coChairs: 'Ruth Bailey',
        accessibility: ['bsl'],
        published: false,
      }),
    ).toEqual(['name', 'coChairs', 'accessibility', 'published']);
  });

  it('cancels a meeting that did not take place; twice is once; never one with records', () => {
    const planned = { cancelled: false, guestCount: 0, minutes: null };
    const none = { attendees: 0, issues: 0 };
    expect(cancelAllowed(planned, none)).toBe('ok');
    expect(cancelAllowed({ ...planned, cancelled: true }, none)).toBe('already');
    expect(cancelAllowed(planned, { attendees: 1, issues: 0 })).toBe('meetingHeld');
    expect(cancelAllowed(planned, { attendees: 0, issues: 2 })).toBe('meetingHeld');
    expect(cancelAllowed({ ...planned, guestCount: 3 }, none)).toBe('meetingHeld');
    expect(cancelAllowed({ ...planned, minutes: 'We met.' }, none)).toBe('meetingHeld');
  });

  it('a cancelled meeting gets a higher SEQUENCE, the reason, and who and when', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(cancelledMeeting({ sequence: 0 }, { staffId: 's1', reason: 'Venue flooded', now })).toEqual({
      cancelled: true,
      cancelledAt: now,
      cancelledByStaffId: 's1',
      cancelReason: 'Venue flooded',
      sequence: 1,
    });
    expect(cancelledMeeting({ sequence: 2 }, { staffId: 's1', reason: undefined, now })).toMatchObject({
      cancelReason: null,
      sequence: 3,
    });
  });

  it('records nothing for a cancelled meeting', () => {
    expect(recordsRefused({ cancelled: true })).toBe('meetingCancelled');
    expect(recordsRefused({ cancelled: false })).toBeUndefined();
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
