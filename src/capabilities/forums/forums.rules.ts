import { can } from '../../platform/auth/permissions.js';
import { londonDateTime } from '../../platform/calendar/ical.js';
import type { RequestStatus } from './forums.vocabulary.js';

/**
 * The forums' rules, free of HTTP and SQL so they can be tested on their own.
 */

/** A forum's address part: lower case letters, digits and single dashes. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\+/g, ' plus ')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return slug || 'forum';
}

/** Slugs the staff pages use as fixed path segments (/staff/forums/new), so no forum may have them. */
const RESERVED_SLUGS: ReadonlySet<string> = new Set(['new']);

/** The address a new forum gets from its name: its slug, unless that is reserved. */
export function forumSlug(name: string): string {
  const slug = slugify(name);
  return RESERVED_SLUGS.has(slug) ? `${slug}-forum` : slug;
}

/**
 * Whether a name (and the address it would give) is too close to another forum's: the same address,
 * or a name that makes the same address. A forum keeps its address when renamed, so both are checked,
 * or two forums could end up with one name.
 */
export function nameClashes(
  others: readonly { id: string; slug: string; name: string }[],
  candidate: { name: string; slug: string },
  exceptId?: string,
): boolean {
  const wanted = forumSlug(candidate.name);
  return others.some(
    (f) =>
      f.id !== exceptId && (f.slug === candidate.slug || f.slug === wanted || forumSlug(f.name) === wanted),
  );
}

/** Partnership admins edit any forum and cancel any meeting; a facilitator only those of their forums. */
export function mayEditForum(roles: readonly string[], facilitatesIt: boolean): boolean {
  if (can(roles, 'forums.admin')) return true;
  return facilitatesIt && can(roles, 'forums.manage');
}

export interface ForumFields {
  name: string;
  characteristics: readonly string[];
  description: string;
  coChairs: string | null;
  howToJoin: string;
  meetingPattern: string;
  accessibility: readonly string[];
  accessibilityNotes: string | null;
  published: boolean;
}

const FORUM_FIELDS = [
  'name',
  'characteristics',
  'description',
  'coChairs',
  'howToJoin',
  'meetingPattern',
  'accessibility',
  'accessibilityNotes',
  'published',
] as const satisfies readonly (keyof ForumFields)[];

/** The fields an edit changes, for the audit record. Lists compare as sets: order is not a change. */
export function changedForumFields(before: ForumFields, after: ForumFields): (keyof ForumFields)[] {
  const same = (a: unknown, b: unknown) =>
    Array.isArray(a) && Array.isArray(b)
      ? a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000')
      : a === b;
  return FORUM_FIELDS.filter((k) => !same(before[k], after[k]));
}

/**
 * Whether a meeting can be cancelled. Cancelling twice is the same as once. A meeting with
 * attendance, minutes or issues recorded took place, so it cannot be cancelled.
 */
export function cancelAllowed(
  meeting: { cancelled: boolean; guestCount: number; minutes: string | null },
  recorded: { attendees: number; issues: number },
): 'ok' | 'already' | 'meetingHeld' {
  if (meeting.cancelled) return 'already';
  if (recorded.attendees > 0 || recorded.issues > 0 || meeting.guestCount > 0 || meeting.minutes)
    return 'meetingHeld';
  return 'ok';
}

/**
 * What a meeting row becomes when cancelled. SEQUENCE goes up so calendar apps that already have
 * the meeting take the cancelled copy in its place.
 */
export function cancelledMeeting(
  meeting: { sequence: number },
  by: { staffId: string | null; reason: string | undefined; now: Date },
) {
  return {
    cancelled: true,
    cancelledAt: by.now,
    cancelledByStaffId: by.staffId,
    cancelReason: by.reason ?? null,
    sequence: meeting.sequence + 1,
  };
}

/** Attendance, minutes and issues record a meeting that took place, which a cancelled one did not. */
export function recordsRefused(meeting: { cancelled: boolean }): 'meetingCancelled' | undefined {
  return meeting.cancelled ? 'meetingCancelled' : undefined;
}

/**
 * A wall-clock time in London as an instant. Facilitators type local times; the offset (GMT or BST)
 * is whatever London uses on that day. In the hour skipped in spring the time is read as BST.
 */
export function londonToUtc(year: number, month: number, day: number, hour: number, minute: number): Date {
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const local = londonDateTime(new Date(guess));
    const asUtc = Date.UTC(
      Number(local.slice(0, 4)),
      Number(local.slice(4, 6)) - 1,
      Number(local.slice(6, 8)),
      Number(local.slice(9, 11)),
      Number(local.slice(11, 13)),
    );
    const next = guess + (wanted - asUtc);
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}

/** A real calendar date (no 31 June), as the date input's three boxes give it. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (![year, month, day].every(Number.isInteger)) return false;
  if (year < 2000 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "18:30", "6:30" or "1830" → hours and minutes; undefined if it is not a time of day. */
export function parseTime(text: string): { hour: number; minute: number } | undefined {
  const m = /^\s*(\d{1,2})[:.]?(\d{2})\s*$/.exec(text);
  if (!m) return undefined;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute };
}

export type MeetingProblem = 'endBeforeStart' | 'placeRequired' | 'tooLong';

/** A meeting must end after it starts, last under a day, and be somewhere: a venue, online, or both. */
export function checkMeeting(m: {
  startsAt: Date;
  endsAt: Date;
  venueName?: string | undefined;
  onlineUrl?: string | undefined;
}): MeetingProblem | undefined {
  if (m.endsAt.getTime() <= m.startsAt.getTime()) return 'endBeforeStart';
  if (m.endsAt.getTime() - m.startsAt.getTime() > 24 * 60 * 60 * 1000) return 'tooLong';
  if (!m.venueName && !m.onlineUrl) return 'placeRequired';
  return undefined;
}

export type RequestAction = 'approve' | 'contact' | 'decline';

/**
 * What a facilitator may do with a join request in each state. Approving twice is the same as once
 * (a double click); a decided request is not reopened here: the person can ask again.
 */
export function requestActionAllowed(status: RequestStatus, action: RequestAction): 'ok' | 'already' | 'no' {
  if (action === 'approve') {
    if (status === 'approved') return 'already';
    return status === 'declined' ? 'no' : 'ok';
  }
  if (action === 'decline') {
    if (status === 'declined') return 'already';
    return status === 'approved' ? 'no' : 'ok';
  }
  return status === 'new' || status === 'contacted' ? 'ok' : 'no';
}

/** The personal data a member's row loses when they leave; attendance and counts stay. */
export function anonymisedMember(now: Date) {
  return {
    status: 'left' as const,
    leftAt: now,
    name: null,
    email: null,
    phone: null,
    preferredContact: null,
    participation: null,
    accessNeeds: [] as string[],
    accessNotes: null,
    consentAt: null,
  };
}

/** The same, for the join request the member came through (it held the same details). */
export function anonymisedRequest() {
  return {
    name: null,
    email: null,
    phone: null,
    preferredContact: null,
    accessNeeds: [] as string[],
    accessNotes: null,
    contactNote: null,
  };
}

/**
 * Whether an issue may appear on the public forum page: the forum chose to publish it, and the
 * partnership has not marked its concern private or redacted its text.
 */
export function issueIsPublic(issue: { public: boolean; private: boolean; redacted: boolean }): boolean {
  return issue.public && !issue.private && !issue.redacted;
}

/** Equality answers kept only when given: empty answers are not stored. */
export function keptAnswers(answers: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(answers).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  );
}
