import { z } from 'zod';
import { checkboxList as list, optionalText, requiredText } from '../../platform/forms.js';
import { AFFECTED_GROUPS, EQUALITY_QUESTIONS, KINDS, TOPICS } from '../concerns/vocabulary.js';
import { ACCESSIBILITY, CONTACT_PREFERENCES, PARTICIPATION, REQUEST_STATUSES } from './forums.vocabulary.js';

/**
 * What the forum pages and API accept. Form messages are translation keys under forums.errors;
 * API schemas use zod's own messages and describe themselves for OpenAPI.
 */
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const EMAIL = z.string().max(254).email();
const PHONE = z
  .string()
  .max(30)
  .regex(/^\+?[0-9 ()-]{7,}$/);
const WEB = /^https?:\/\/[^\s]+$/i;

export const isGuid = (s: string) => GUID.test(s);

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

/** An optional equality question: blank (not answered) or one of its answers, "prefer not to say" included. */
const answer = (q: keyof typeof EQUALITY_QUESTIONS) =>
  z
    .union([z.enum(EQUALITY_QUESTIONS[q] as unknown as [string, ...string[]]), z.literal('')], {
      error: 'forums.errors.answerInvalid',
    })
    .optional()
    .transform((v) => v || undefined);

export const EQUALITY_KEYS = Object.keys(EQUALITY_QUESTIONS) as (keyof typeof EQUALITY_QUESTIONS)[];

export const joinForm = z
  .object({
    name: requiredText(200, 'forums.errors.nameRequired', 'forums.errors.nameTooLong'),
    email: optionalText(254, 'forums.errors.emailInvalid'),
    phone: optionalText(30, 'forums.errors.phoneInvalid'),
    preferredContact: z
      .union([z.enum(CONTACT_PREFERENCES), z.literal('')], { error: 'forums.errors.preferredRequired' })
      .optional()
      .transform((v) => v || undefined),
    participation: z.enum(PARTICIPATION, { error: 'forums.errors.participationRequired' }),
    accessNeeds: list.pipe(z.array(z.enum(ACCESSIBILITY, { error: 'forums.errors.accessInvalid' }))),
    accessNotes: optionalText(1000, 'forums.errors.accessNotesTooLong'),
    ageBand: answer('ageBand'),
    sex: answer('sex'),
    genderSameAsBirth: answer('genderSameAsBirth'),
    disability: answer('disability'),
    ethnicity: answer('ethnicity'),
    religion: answer('religion'),
    sexualOrientation: answer('sexualOrientation'),
    consent: z.literal('yes', { error: 'forums.errors.consentRequired' }),
  })
  .superRefine(
    (v, ctx) => {
      const issue = (path: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: [path], message });
      if (!v.email && !v.phone) issue('email', 'forums.errors.emailOrPhoneRequired');
      if (v.email && !EMAIL.safeParse(v.email).success) issue('email', 'forums.errors.emailInvalid');
      if (v.phone && !PHONE.safeParse(v.phone).success) issue('phone', 'forums.errors.phoneInvalid');
      if (v.email && v.phone && !v.preferredContact)
        issue('preferredContact', 'forums.errors.preferredRequired');
    },
    { when: () => true },
  );
export type JoinForm = z.output<typeof joinForm>;

export const contactForm = z.object({
  note: requiredText(2000, 'forums.errors.noteRequired', 'forums.errors.noteTooLong'),
});

export const declineForm = z.object({
  reason: requiredText(1000, 'forums.errors.reasonRequired', 'forums.errors.reasonTooLong'),
});

const dayPart = (message: string) =>
  z
    .string()
    .optional()
    .transform((s) => (s ?? '').trim())
    .pipe(z.string().regex(/^\d{1,4}$/, message))
    .transform(Number);

export const meetingForm = z.object({
  title: requiredText(200, 'forums.errors.titleRequired', 'forums.errors.titleTooLong'),
  day: dayPart('forums.errors.dateInvalid'),
  month: dayPart('forums.errors.dateInvalid'),
  year: dayPart('forums.errors.dateInvalid'),
  startTime: requiredText(5, 'forums.errors.startTimeRequired', 'forums.errors.timeInvalid'),
  endTime: requiredText(5, 'forums.errors.endTimeRequired', 'forums.errors.timeInvalid'),
  venueName: optionalText(200, 'forums.errors.venueTooLong'),
  venueAddress: optionalText(300, 'forums.errors.venueTooLong'),
  venueAccess: optionalText(1000, 'forums.errors.venueAccessTooLong'),
  onlineUrl: optionalText(500, 'forums.errors.onlineUrlInvalid').pipe(
    z.union([z.string().regex(WEB, 'forums.errors.onlineUrlInvalid'), z.undefined()]),
  ),
  agenda: optionalText(5000, 'forums.errors.agendaTooLong'),
  public: z.enum(['yes', 'no'], { error: 'forums.errors.publicRequired' }),
});
export type MeetingForm = z.output<typeof meetingForm>;

export const attendanceForm = z.object({
  memberIds: list.pipe(z.array(z.string().regex(GUID, 'forums.errors.memberInvalid'))),
  guestCount: z
    .string()
    .optional()
    .transform((s) => (s ?? '').trim() || '0')
    .pipe(z.string().regex(/^\d{1,4}$/, 'forums.errors.guestCountInvalid'))
    .transform(Number),
});

export const minutesForm = z.object({
  minutes: requiredText(20000, 'forums.errors.minutesRequired', 'forums.errors.minutesTooLong'),
});

/**
 * A forum's details, for creating and editing it. Staff pages are English only, so these messages
 * are under forums.admin rather than forums.errors (which residents read, in every language).
 */
export const forumForm = z.object({
  name: requiredText(120, 'forums.admin.errors.nameRequired', 'forums.admin.errors.nameTooLong'),
  characteristics: list.pipe(
    z
      .array(z.enum(AFFECTED_GROUPS, { error: 'forums.admin.errors.characteristicsInvalid' }))
      .min(1, 'forums.admin.errors.characteristicsRequired'),
  ),
  description: requiredText(
    2000,
    'forums.admin.errors.descriptionRequired',
    'forums.admin.errors.descriptionTooLong',
  ),
  facilitatorStaffIds: list.pipe(z.array(z.string().regex(GUID, 'forums.admin.errors.facilitatorsInvalid'))),
  coChairs: optionalText(300, 'forums.admin.errors.coChairsTooLong'),
  howToJoin: requiredText(
    1000,
    'forums.admin.errors.howToJoinRequired',
    'forums.admin.errors.howToJoinTooLong',
  ),
  meetingPattern: requiredText(
    1000,
    'forums.admin.errors.meetingPatternRequired',
    'forums.admin.errors.meetingPatternTooLong',
  ),
  accessibility: list.pipe(
    z.array(z.enum(ACCESSIBILITY, { error: 'forums.admin.errors.accessibilityInvalid' })),
  ),
  accessibilityNotes: optionalText(1000, 'forums.admin.errors.accessibilityNotesTooLong'),
  published: z.enum(['yes', 'no'], { error: 'forums.admin.errors.publishedRequired' }),
});
export type ForumForm = z.output<typeof forumForm>;

/** Cancelling a meeting: the reason is optional, and shown publicly. */
export const cancelForm = z.object({
  reason: optionalText(500, 'forums.cancel.errors.reasonTooLong'),
});

export const issueForm = z.object({
  kind: z.enum(KINDS, { error: 'forums.errors.kindRequired' }),
  topic: z.enum(TOPICS, { error: 'forums.errors.topicRequired' }),
  summary: requiredText(200, 'forums.errors.summaryRequired', 'forums.errors.summaryTooLong'),
  details: requiredText(5000, 'forums.errors.detailsRequired', 'forums.errors.detailsTooLong'),
  raisedBy: z
    .string({ error: 'forums.errors.raisedByRequired' })
    .refine((v) => v === 'anonymous' || GUID.test(v), 'forums.errors.raisedByRequired'),
  public: z.enum(['yes', 'no'], { error: 'forums.errors.publicRequired' }),
});
export type IssueForm = z.output<typeof issueForm>;

// ---------------------------------------------------------------------------------------------
// JSON API
// ---------------------------------------------------------------------------------------------

const guid = z.string().regex(GUID, 'Expected an id (UUID)').describe('An id (UUID)');
const isoDate = z.string().describe('ISO 8601 date and time');

export const slugParams = z.object({ slug: z.string().max(80).describe('The forum, as in its address') });
export const requestParams = slugParams.extend({ id: guid });
export const meetingParams = slugParams.extend({ id: guid });

export const apiRequestsQuery = z.object({
  status: z
    .enum(['open', ...REQUEST_STATUSES])
    .default('open')
    .describe('open (new or contacted, the default), or one status'),
});

export const apiContactBody = z.object({ note: z.string().trim().min(1).max(2000) });
export const apiDeclineBody = z.object({ reason: z.string().trim().min(1).max(1000) });

export const apiMeetingBody = z.object({
  title: z.string().trim().min(1).max(200),
  startsAt: z.iso.datetime({ offset: true }).describe('ISO 8601 with offset, e.g. 2026-12-03T18:00:00Z'),
  endsAt: z.iso.datetime({ offset: true }),
  venueName: z.string().trim().max(200).optional(),
  venueAddress: z.string().trim().max(300).optional(),
  venueAccess: z.string().trim().max(1000).optional().describe('Step-free entrance, hearing loop, parking…'),
  onlineUrl: z.string().trim().regex(WEB).max(500).optional(),
  agenda: z.string().trim().max(5000).optional(),
  public: z.boolean().default(true).describe('Shown on the public page and in the calendar feeds'),
});

const forumFields = {
  name: z.string().trim().min(1).max(120).describe('The forum’s name; its address is made from it'),
  characteristics: z
    .array(z.enum(AFFECTED_GROUPS))
    .min(1)
    .max(AFFECTED_GROUPS.length)
    .describe('The protected characteristics it serves'),
  description: z.string().trim().min(1).max(2000).describe('Shown publicly'),
  facilitatorStaffIds: z
    .array(guid)
    .max(50)
    .describe('Staff who run it; each must hold the forum facilitator role. Shown publicly by name'),
  coChairs: z.string().trim().max(300).describe('Community co-chairs, named as they wish to be'),
  howToJoin: z.string().trim().min(1).max(1000),
  meetingPattern: z.string().trim().min(1).max(1000).describe('Where and how it usually meets'),
  accessibility: z.array(z.enum(ACCESSIBILITY)).max(ACCESSIBILITY.length).describe('What it offers'),
  accessibilityNotes: z.string().trim().max(1000).describe('Anything more about access'),
  published: z.boolean().describe('Listed on the public forums page, with its own page and calendar'),
};

export const apiForumBody = z.object({
  ...forumFields,
  facilitatorStaffIds: forumFields.facilitatorStaffIds.default([]),
  coChairs: forumFields.coChairs.optional(),
  accessibility: forumFields.accessibility.default([]),
  accessibilityNotes: forumFields.accessibilityNotes.optional(),
  published: forumFields.published.default(true),
});

/** An edit: only the fields given change; null (or an empty string) clears an optional one. */
export const apiForumPatch = z
  .object({
    name: forumFields.name.optional(),
    characteristics: forumFields.characteristics.optional(),
    description: forumFields.description.optional(),
    facilitatorStaffIds: forumFields.facilitatorStaffIds.optional(),
    coChairs: forumFields.coChairs.nullable().optional(),
    howToJoin: forumFields.howToJoin.optional(),
    meetingPattern: forumFields.meetingPattern.optional(),
    accessibility: forumFields.accessibility.optional(),
    accessibilityNotes: forumFields.accessibilityNotes.nullable().optional(),
    published: forumFields.published.optional(),
  })
  .strict();

export const apiCancelBody = z.object({
  reason: z.string().trim().max(500).optional().describe('Shown publicly beside “Cancelled”'),
});

export const apiAttendanceBody = z.object({
  memberIds: z.array(guid).max(1000).describe('Members present (replaces the previous record)'),
  guestCount: z.number().int().min(0).max(9999).describe('People present who did not give their names'),
});

export const apiIssueBody = z.object({
  kind: z.enum(KINDS),
  topic: z.enum(TOPICS),
  summary: z.string().trim().min(1).max(200).describe('The line published on the forum page; no names'),
  details: z.string().trim().min(1).max(5000).describe('What was said; becomes the concern description'),
  raisedByMemberId: guid.optional().describe('Omit for an anonymous issue'),
  areaId: guid.optional(),
  public: z.boolean().default(true),
});

export const problemResponse = z.object({
  error: z.string(),
  message: z.string(),
  correlationId: z.string(),
  problem: z.string().optional(),
});

const meetingJson = z.object({
  id: z.string(),
  title: z.string(),
  startsAt: isoDate,
  endsAt: isoDate,
  venueName: z.string().nullable(),
  venueAddress: z.string().nullable(),
  venueAccess: z.string().nullable(),
  onlineUrl: z.string().nullable(),
  agenda: z.string().nullable(),
  minutes: z.string().nullable(),
  guestCount: z.number().int(),
  memberAttendance: z.number().int(),
  public: z.boolean(),
  cancelled: z.boolean(),
  cancelReason: z.string().nullable(),
  issues: z.array(
    z.object({
      id: z.string(),
      summary: z.string(),
      kind: z.string(),
      reference: z.string(),
      status: z.string(),
      anonymous: z.boolean(),
      public: z.boolean(),
      updates: z.array(z.object({ body: z.string().nullable(), at: isoDate })),
    }),
  ),
});

export const forumsResponse = z.object({
  items: z.array(
    z.object({
      slug: z.string(),
      name: z.string(),
      characteristics: z.array(z.enum(AFFECTED_GROUPS)),
      description: z.string(),
      facilitators: z.array(z.string()),
      coChairs: z.string().nullable(),
      howToJoin: z.string(),
      meetingPattern: z.string(),
      accessibility: z.array(z.string()),
      published: z.boolean(),
      memberCount: z.number().int(),
      openRequests: z.number().int(),
      nextMeeting: isoDate.nullable(),
    }),
  ),
});

export const forumResponse = z.object({
  slug: z.string().describe('Its address: /forums/<slug>. It stays the same when the forum is renamed'),
  name: z.string(),
  characteristics: z.array(z.enum(AFFECTED_GROUPS)),
  description: z.string(),
  facilitators: z.array(z.object({ id: z.string(), name: z.string() })),
  coChairs: z.string().nullable(),
  howToJoin: z.string(),
  meetingPattern: z.string(),
  accessibility: z.array(z.enum(ACCESSIBILITY)),
  accessibilityNotes: z.string().nullable(),
  published: z.boolean(),
  updatedAt: isoDate,
});

export const cancelResponse = z.object({
  id: z.string(),
  cancelled: z.literal(true),
  cancelledAt: isoDate.nullable(),
  cancelReason: z.string().nullable(),
  sequence: z.number().int().describe('The iCalendar SEQUENCE the feeds now give it'),
});

export const requestsResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      preferredContact: z.string().nullable(),
      participation: z.string(),
      accessNeeds: z.array(z.string()),
      accessNotes: z.string().nullable(),
      status: z.string(),
      contactNote: z.string().nullable(),
      declineReason: z.string().nullable(),
      createdAt: isoDate,
    }),
  ),
});

export const requestActionResponse = z.object({
  ok: z.literal(true),
  memberId: z.string().nullable().describe('The new member, when approved'),
});

export const membersResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      preferredContact: z.string().nullable(),
      participation: z.string().nullable(),
      accessNeeds: z.array(z.string()),
      accessNotes: z.string().nullable(),
      consentAt: isoDate.nullable(),
      joinedAt: isoDate,
    }),
  ),
});

export const meetingsResponse = z.object({ items: z.array(meetingJson) });
export const meetingResponse = meetingJson;
export const attendanceResponse = z.object({ ok: z.literal(true), members: z.number(), guests: z.number() });
export const issueResponse = z.object({
  reference: z.string().describe('The concern it became'),
  urgent: z.boolean(),
});
