import { z } from 'zod';
import { optionalDateInput, requiredDateInput, withDateInputs } from '../../platform/forms/date-input.js';
import {
  AGE_BANDS,
  ARRANGEMENT_STATUSES,
  CHECK_STATUSES,
  DOMAIN_KEYS,
  DOMAINS,
  EDUCATION_STATUSES,
  ENGLISH_LEVELS,
  GOAL_STATUSES,
  LANGUAGES,
  LAWFUL_BASES,
  NEED_STATUSES,
  REFERRAL_OUTCOMES,
  RELATIONSHIPS,
  SCHEMES,
  SESSION_TOPICS,
  WORK_STATUSES,
  type Domain,
} from './resettlement.vocabulary.js';

/**
 * One schema per thing a caseworker records, used by the JSON API as it is. The pages use the same
 * schema, except that their dates are GOV.UK date inputs (`pageForm` below), and the needs and
 * attendance forms are first turned into the same shape (`needsFromForm`, `attendanceFromForm`).
 * Issue messages are translation keys under resettlement.errors.
 */
const E = (key: string) => `resettlement.errors.${key}`;

const trimmed = (s: unknown) => (typeof s === 'string' ? s.replace(/\r\n/g, '\n').trim() : s);
const emptyToUndefined = (s: unknown) => {
  const t = trimmed(s);
  return t === '' || t === null ? undefined : t;
};

const required = (max: number, key: string) =>
  z.preprocess(
    (v) => trimmed(v ?? ''),
    z
      .string({ error: E(`${key}Required`) })
      .min(1, E(`${key}Required`))
      .max(max, E(`${key}TooLong`)),
  );
const optional = (max: number, key: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .max(max, E(`${key}TooLong`))
      .optional(),
  );

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const realDate = (s: string) =>
  ISO_DATE.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const optionalDate = (key: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine(realDate, E(`${key}Invalid`))
      .optional(),
  );
const requiredDate = (key: string) =>
  z.preprocess(
    (v) => trimmed(v ?? ''),
    z
      .string()
      .min(1, E(`${key}Required`))
      .refine(realDate, E(`${key}Invalid`)),
  );
/**
 * On the pages a date is three boxes, so an issue a rule raises about a date links to its first box
 * (the date-input helper's own issues say which box). The JSON API ignores it.
 */
const DAY_BOX = { part: 'day' };

const oneOf = <T extends readonly [string, ...string[]]>(list: T, key: string) =>
  z.preprocess(emptyToUndefined, z.enum(list, { error: E(key) }));
const optionalOneOf = <T extends readonly [string, ...string[]]>(list: T, key: string) =>
  z.preprocess(emptyToUndefined, z.enum(list, { error: E(key) }).optional());
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const optionalId = (key: string) => z.preprocess(emptyToUndefined, z.string().regex(UUID, E(key)).optional());
const flag = z.preprocess((v) => v === true || v === 'yes' || v === 'true', z.boolean());
const list = <T extends readonly [string, ...string[]]>(values: T, key: string) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== '_none'),
    z.array(z.enum(values, { error: E(key) })),
  );

export const householdInput = z
  .object({
    scheme: oneOf(SCHEMES, 'scheme'),
    schemeOther: optional(200, 'schemeOther'),
    name: required(120, 'householdName'),
    arrivalDate: optionalDate('arrivalDate'),
    address: optional(500, 'address'),
    areaId: optionalId('area'),
    caseworkerStaffId: optionalId('caseworker'),
    interpreterNeeded: flag,
    interpreterLanguage: optional(100, 'interpreterLanguage'),
    moveOnDeadline: optionalDate('moveOnDeadline'),
    lawfulBasis: oneOf(LAWFUL_BASES, 'lawfulBasis'),
    consentGiven: flag,
    consentDate: optionalDate('consentDate'),
    consentNotes: optional(1000, 'consentNotes'),
    notes: optional(2000, 'notes'),
  })
  .superRefine((v, ctx) => {
    if (v.scheme === 'other' && !v.schemeOther)
      ctx.addIssue({ code: 'custom', path: ['schemeOther'], message: E('schemeOtherRequired') });
    if (v.interpreterNeeded && !v.interpreterLanguage)
      ctx.addIssue({
        code: 'custom',
        path: ['interpreterLanguage'],
        message: E('interpreterLanguageRequired'),
      });
    if (v.lawfulBasis === 'consent' && !v.consentGiven)
      ctx.addIssue({ code: 'custom', path: ['consentGiven'], message: E('consentNeeded') });
    if (v.consentGiven && !v.consentDate)
      ctx.addIssue({
        code: 'custom',
        path: ['consentDate'],
        message: E('consentDateRequired'),
        params: DAY_BOX,
      });
  });
export type HouseholdInput = z.output<typeof householdInput>;

export const memberInput = z
  .object({
    name: required(120, 'memberName'),
    dateOfBirth: optionalDate('dateOfBirth'),
    ageBand: optionalOneOf(AGE_BANDS, 'ageBand'),
    relationship: oneOf(RELATIONSHIPS, 'relationship'),
    languages: list(LANGUAGES, 'languages'),
    englishLevel: optionalOneOf(ENGLISH_LEVELS, 'englishLevel'),
    education: z.preprocess(
      (v) => emptyToUndefined(v) ?? 'not_applicable',
      z.enum(EDUCATION_STATUSES, { error: E('education') }),
    ),
    workStatus: z.preprocess(
      (v) => emptyToUndefined(v) ?? 'not_applicable',
      z.enum(WORK_STATUSES, { error: E('workStatus') }),
    ),
    esolEnrolled: flag,
    gpRegistered: flag,
    visaExpiry: optionalDate('visaExpiry'),
  })
  .superRefine((v, ctx) => {
    if (!v.dateOfBirth && !v.ageBand)
      ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: E('ageRequired'), params: DAY_BOX });
  });
export type MemberInput = z.output<typeof memberInput>;

export const hostInput = z.object({
  name: required(120, 'hostName'),
  email: z.preprocess(
    emptyToUndefined,
    z.email(E('hostEmailInvalid')).max(254, E('hostEmailInvalid')).optional(),
  ),
  phone: optional(40, 'hostPhone'),
  address: optional(500, 'address'),
  checkStatus: oneOf(CHECK_STATUSES, 'checkStatus'),
  checkDate: optionalDate('checkDate'),
  arrangementStatus: oneOf(ARRANGEMENT_STATUSES, 'arrangementStatus'),
  notes: optional(2000, 'notes'),
});
export type HostInput = z.output<typeof hostInput>;

export const needInput = z.object({
  status: oneOf(NEED_STATUSES, 'needStatus'),
  notes: optional(2000, 'notes'),
  details: z.record(z.string(), z.string().max(500, E('detailTooLong'))).default({}),
});
export type NeedInput = z.output<typeof needInput>;

export const needsInput = z.object(
  Object.fromEntries(DOMAIN_KEYS.map((d) => [d, needInput])) as Record<Domain, typeof needInput>,
);
export type NeedsInput = z.output<typeof needsInput>;

/** The needs form posts `<domain>Status`, `<domain>Notes` and `<domain>.<detail>` fields. */
export function needsFromForm(body: Record<string, unknown>) {
  return Object.fromEntries(
    DOMAIN_KEYS.map((d) => [
      d,
      {
        status: body[`${d}Status`],
        notes: body[`${d}Notes`],
        details: Object.fromEntries(
          (DOMAINS[d] as readonly string[])
            .map((f) => [f, trimmed(body[`${d}-${f}`] ?? '')])
            .filter(([, v]) => typeof v === 'string' && v !== ''),
        ),
      },
    ]),
  );
}

export const goalInput = z.object({
  domain: oneOf(DOMAIN_KEYS as [Domain, ...Domain[]], 'domain'),
  goal: required(500, 'goal'),
  owner: required(200, 'owner'),
  dueDate: optionalDate('dueDate'),
});
export type GoalInput = z.output<typeof goalInput>;

export const goalStatusInput = z.object({ status: oneOf(GOAL_STATUSES, 'goalStatus') });

export const referralInput = z
  .object({
    domain: oneOf(DOMAIN_KEYS as [Domain, ...Domain[]], 'domain'),
    service: required(200, 'service'),
    reason: optional(1000, 'reason'),
    referredOn: requiredDate('referredOn'),
    responseDueOn: optionalDate('responseDueOn'),
  })
  .superRefine((v, ctx) => {
    if (v.responseDueOn && v.responseDueOn < v.referredOn)
      ctx.addIssue({
        code: 'custom',
        path: ['responseDueOn'],
        message: E('responseDueBeforeReferral'),
        params: DAY_BOX,
      });
  });
export type ReferralInput = z.output<typeof referralInput>;

export const referralOutcomeInput = z.object({
  outcome: oneOf(REFERRAL_OUTCOMES, 'outcome'),
  outcomeNotes: optional(1000, 'outcomeNotes'),
  outcomeOn: optionalDate('outcomeOn'),
});
export type ReferralOutcomeInput = z.output<typeof referralOutcomeInput>;

export const closeInput = z.object({
  closureReason: required(500, 'closureReason'),
  retentionUntil: optionalDate('retentionUntil'),
});
export type CloseInput = z.output<typeof closeInput>;

export const assignInput = z.object({
  caseworkerStaffId: z.preprocess(
    emptyToUndefined,
    z.string({ error: E('caseworker') }).regex(UUID, E('caseworker')),
  ),
});

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const sessionInput = z
  .object({
    topic: oneOf(SESSION_TOPICS, 'topic'),
    date: requiredDate('sessionDate'),
    startTime: z.preprocess((v) => trimmed(v ?? ''), z.string().regex(TIME, E('startTime'))),
    endTime: z.preprocess((v) => trimmed(v ?? ''), z.string().regex(TIME, E('endTime'))),
    venue: required(300, 'venue'),
    languages: list(LANGUAGES, 'languages').refine((l) => l.length > 0, E('sessionLanguagesRequired')),
    interpreter: optional(200, 'interpreter'),
    capacity: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v),
      z
        .number({ error: E('capacity') })
        .int(E('capacity'))
        .min(1, E('capacity'))
        .max(500, E('capacity')),
    ),
    notes: optional(1000, 'notes'),
  })
  .superRefine((v, ctx) => {
    if (TIME.test(v.startTime) && TIME.test(v.endTime) && v.endTime <= v.startTime)
      ctx.addIssue({ code: 'custom', path: ['endTime'], message: E('endBeforeStart') });
  });
export type SessionInput = z.output<typeof sessionInput>;

export const bookingInput = z.object({
  memberIds: z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== '_none'),
    z.array(z.string().regex(UUID, E('members'))).min(1, E('membersRequired')),
  ),
});

export const attendanceInput = z.object({
  entries: z.array(
    z.object({
      memberId: z.string().regex(UUID, E('members')),
      attended: z.boolean().nullable(),
      feedback: optional(1000, 'feedback'),
    }),
  ),
});
export type AttendanceInput = z.output<typeof attendanceInput>;

/** The attendance form posts `attended-<memberId>` (yes / no / blank) and `feedback-<memberId>`. */
export function attendanceFromForm(body: Record<string, unknown>, memberIds: readonly string[]) {
  return {
    entries: memberIds.map((id) => {
      const a = body[`attended-${id}`];
      return {
        memberId: id,
        attended: a === 'yes' ? true : a === 'no' ? false : null,
        feedback: body[`feedback-${id}`],
      };
    }),
  };
}

export const householdFilters = z.object({
  scheme: z.preprocess(emptyToUndefined, z.enum(SCHEMES).optional()).catch(undefined),
  status: z.preprocess(emptyToUndefined, z.enum(['open', 'closed', 'any']).optional()).catch(undefined),
  mine: z.preprocess(emptyToUndefined, z.enum(['yes', 'no']).optional()).catch(undefined),
});

// ---- The pages' forms: the same schemas, with GOV.UK date inputs for the dates ----

const dateFields = new Set<string>();
/** The fields that are date inputs on the pages: a refusal about one links to its first box. */
export const PAGE_DATE_FIELDS: ReadonlySet<string> = dateFields;

/** A date as three boxes; its messages are named by `resettlement.errors.<key>Name`. */
const boxes = (key: string) => optionalDateInput({ name: E(`${key}Name`) });
const requiredBoxes = (key: string) =>
  requiredDateInput({ name: E(`${key}Name`), required: E(`${key}Required`) });

/**
 * The page form of an API schema: the named dates are read from their day, month and year boxes
 * into the same yyyy-mm-dd the API takes, so the schema's rules and output are the API's. safeExtend
 * keeps the schema's refinements (a due date after the referral, a date when consent was given).
 */
function pageForm<S extends z.ZodObject>(schema: S, dates: Record<string, z.ZodType>) {
  for (const field of Object.keys(dates)) dateFields.add(field);
  // The boxes parse to the same output as the API's yyyy-mm-dd field, so the output type is S's.
  return withDateInputs(Object.keys(dates), schema.safeExtend(dates) as unknown as S);
}

export const householdPageInput = pageForm(householdInput, {
  arrivalDate: boxes('arrivalDate'),
  moveOnDeadline: boxes('moveOnDeadline'),
  consentDate: boxes('consentDate'),
});
export const memberPageInput = pageForm(memberInput, {
  dateOfBirth: boxes('dateOfBirth'),
  visaExpiry: boxes('visaExpiry'),
});
export const hostPageInput = pageForm(hostInput, { checkDate: boxes('checkDate') });
export const goalPageInput = pageForm(goalInput, { dueDate: boxes('dueDate') });
export const referralPageInput = pageForm(referralInput, {
  referredOn: requiredBoxes('referredOn'),
  responseDueOn: boxes('responseDueOn'),
});
export const referralOutcomePageInput = pageForm(referralOutcomeInput, { outcomeOn: boxes('outcomeOn') });
export const closePageInput = pageForm(closeInput, { retentionUntil: boxes('retentionUntil') });
export const sessionPageInput = pageForm(sessionInput, { date: requiredBoxes('sessionDate') });
