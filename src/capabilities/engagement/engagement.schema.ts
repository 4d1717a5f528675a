import { z } from 'zod';
import { checkboxList, optionalText, requiredText } from '../../platform/forms.js';
import { optionalDateInput, requiredDateInput, withDateInputs } from '../../platform/forms/date-input.js';
import { TOPICS, type Topic } from '../concerns/vocabulary.js';
import { parseDay, parseTime } from './engagement.dates.js';
import type { NewEngagement } from './engagement.service.js';
import {
  COMMON_LANGUAGES,
  ENGAGEMENT_TYPES,
  ISSUE_OUTCOMES,
  ISSUE_SLOTS,
  REFERRAL_SLOTS,
  REFERRAL_STATUSES,
} from './vocabulary.js';

/**
 * What the engagement pages and API accept. Form messages are translation keys (parseForm links each
 * to its field); the form has fixed slots for issues and referrals so it works without JavaScript.
 */
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const guid = z.string().regex(GUID, 'Must be a UUID');

const KEY = /^[A-Za-z0-9_-]{8,100}$/;
const text = (s: string | undefined) => (s ?? '').replace(/\r\n/g, '\n').trim();

const slotField = z.string().optional().transform(text);

/** A referral's follow-up date, in each referral slot. */
const referralFollowUp = (i: number) => `referral${i}FollowUp`;
const REFERRAL_FOLLOW_UPS = Array.from({ length: REFERRAL_SLOTS }, (_, i) => referralFollowUp(i + 1));

function slotShape() {
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (let i = 1; i <= ISSUE_SLOTS; i++)
    for (const f of ['Summary', 'Outcome', 'Topic', 'Reference']) shape[`issue${i}${f}`] = slotField;
  for (let i = 1; i <= REFERRAL_SLOTS; i++) {
    for (const f of ['Organisation', 'Service', 'Reason']) shape[`referral${i}${f}`] = slotField;
    shape[referralFollowUp(i)] = optionalDateInput({ name: 'engagement.errors.followUpName' });
  }
  return shape;
}

/** Dates are GOV.UK date inputs: three boxes each (platform/forms/date-input.ts). */
export const engagementForm = withDateInputs(
  ['occurredDate', 'followUpDue', ...REFERRAL_FOLLOW_UPS],
  z
    .object({
      idempotencyKey: z
        .string({ error: 'engagement.errors.keyMissing' })
        .regex(KEY, 'engagement.errors.keyMissing'),
      occurredDate: requiredDateInput({
        name: 'engagement.errors.dateName',
        required: 'engagement.errors.dateRequired',
      }),
      occurredTime: z
        .string()
        .optional()
        .transform(text)
        .refine((s) => s === '' || parseTime(s) !== undefined, 'engagement.errors.timeInvalid'),
      areaId: z
        .string({ error: 'engagement.errors.areaRequired' })
        .regex(GUID, 'engagement.errors.areaRequired'),
      place: requiredText(200, 'engagement.errors.placeRequired', 'engagement.errors.placeTooLong'),
      type: z.enum(ENGAGEMENT_TYPES, { error: 'engagement.errors.typeRequired' }),
      groupsMet: optionalText(1000, 'engagement.errors.groupsTooLong'),
      peopleEstimate: z
        .string()
        .optional()
        .transform(text)
        .refine(
          (s) => s === '' || (/^\d{1,6}$/.test(s) && Number(s) <= 100000),
          'engagement.errors.peopleInvalid',
        )
        .transform((s) => (s === '' ? undefined : Number(s))),
      languages: checkboxList.pipe(z.array(z.enum(COMMON_LANGUAGES, 'engagement.errors.languageInvalid'))),
      languagesOther: optionalText(200, 'engagement.errors.languagesOtherTooLong'),
      notes: optionalText(5000, 'engagement.errors.notesTooLong'),
      followUpDue: optionalDateInput({ name: 'engagement.errors.followUpVisitName' }),
      followUpNote: optionalText(500, 'engagement.errors.followUpNoteTooLong'),
      ...slotShape(),
    })
    .superRefine((v, ctx) => {
      const at = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
      const f = v as unknown as Record<string, string | undefined>;
      for (let i = 1; i <= ISSUE_SLOTS; i++) {
        const summary = f[`issue${i}Summary`]!;
        const outcome = f[`issue${i}Outcome`]!;
        const topic = f[`issue${i}Topic`]!;
        const reference = f[`issue${i}Reference`]!;
        if (summary === '') {
          if (reference !== '') at(`issue${i}Summary`, 'engagement.errors.issueSummaryRequired');
          continue;
        }
        if (summary.length > 5000) at(`issue${i}Summary`, 'engagement.errors.issueSummaryTooLong');
        if (!(ISSUE_OUTCOMES as readonly string[]).includes(outcome))
          at(`issue${i}Outcome`, 'engagement.errors.issueOutcomeRequired');
        if (
          (outcome === 'concern' || outcome === 'suggestion') &&
          !(TOPICS as readonly string[]).includes(topic)
        )
          at(`issue${i}Topic`, 'engagement.errors.issueTopicRequired');
        if (outcome === 'linked' && reference === '')
          at(`issue${i}Reference`, 'engagement.errors.issueReferenceRequired');
      }
      for (let i = 1; i <= REFERRAL_SLOTS; i++) {
        const organisation = f[`referral${i}Organisation`]!;
        const service = f[`referral${i}Service`]!;
        const reason = f[`referral${i}Reason`]!;
        // A follow-up date typed but not readable is not undefined here, so its slot is in use.
        const followUp = f[referralFollowUp(i)];
        if (organisation === '' && service === '' && reason === '' && followUp === undefined) continue;
        if (organisation !== '' && !GUID.test(organisation))
          at(`referral${i}Organisation`, 'engagement.errors.referralOrganisationInvalid');
        if (organisation === '' && service === '')
          at(`referral${i}Organisation`, 'engagement.errors.referralToRequired');
        if (service.length > 200) at(`referral${i}Service`, 'engagement.errors.referralServiceTooLong');
        if (reason === '') at(`referral${i}Reason`, 'engagement.errors.referralReasonRequired');
        if (reason.length > 2000) at(`referral${i}Reason`, 'engagement.errors.referralReasonTooLong');
      }
    }),
);
export type EngagementForm = z.output<typeof engagementForm>;

/** The service's input from a valid form. */
export function engagementFromForm(v: EngagementForm): NewEngagement {
  const f = v as unknown as Record<string, string | undefined>;
  const issues: NewEngagement['issues'] = [];
  for (let i = 1; i <= ISSUE_SLOTS; i++) {
    const summary = f[`issue${i}Summary`]!;
    if (summary === '') continue;
    const outcome = f[`issue${i}Outcome`] as NewEngagement['issues'][number]['outcome'];
    issues.push({
      summary,
      outcome,
      topic: outcome === 'concern' || outcome === 'suggestion' ? (f[`issue${i}Topic`] as Topic) : undefined,
      reference: outcome === 'linked' ? f[`issue${i}Reference`] : undefined,
      field: `issue${i}Reference`,
    });
  }
  const referrals: NewEngagement['referrals'] = [];
  for (let i = 1; i <= REFERRAL_SLOTS; i++) {
    const organisationId = f[`referral${i}Organisation`]!;
    const serviceName = f[`referral${i}Service`]!;
    const reason = f[`referral${i}Reason`]!;
    const followUp = f[referralFollowUp(i)];
    if (organisationId === '' && serviceName === '' && reason === '' && followUp === undefined) continue;
    referrals.push({
      organisationId: organisationId || undefined,
      serviceName: serviceName || undefined,
      reason,
      followUpDue: followUp,
      field: `referral${i}Organisation`,
    });
  }
  const other = (v.languagesOther ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return {
    idempotencyKey: v.idempotencyKey,
    occurredDay: v.occurredDate,
    occurredTime: v.occurredTime ? parseTime(v.occurredTime) : undefined,
    areaId: v.areaId,
    place: v.place,
    type: v.type,
    groupsMet: v.groupsMet,
    peopleEstimate: v.peopleEstimate,
    languages: [...new Set([...v.languages, ...other])],
    notes: v.notes,
    followUpDue: v.followUpDue,
    followUpNote: v.followUpNote,
    issues,
    referrals,
  };
}

/** A referral's status and follow-up date; an empty date clears it. */
export const referralForm = withDateInputs(
  ['followUpDue'],
  z.object({
    status: z.enum(REFERRAL_STATUSES, { error: 'engagement.errors.referralStatusRequired' }),
    followUpDue: optionalDateInput({ name: 'engagement.errors.followUpName' }).transform((d) => d ?? null),
  }),
);

export const coverageQuery = z.object({
  weeks: z.coerce.number().int().min(1).max(104).catch(8),
  months: z.coerce.number().int().min(1).max(24).catch(6),
});

// ---------------------------------------------------------------------------------------------
// API (JSON)
// ---------------------------------------------------------------------------------------------

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => parseDay(s) !== undefined, 'Not a real date')
  .describe('yyyy-mm-dd');

export const apiEngagementBody = z.object({
  idempotencyKey: z
    .string()
    .regex(KEY)
    .describe(
      'Chosen by the client (e.g. a UUID) once per engagement; sending it again returns the saved record',
    ),
  occurredOn: day.describe('The day of the engagement (London), yyyy-mm-dd'),
  occurredTime: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .refine((s) => parseTime(s) !== undefined, 'Not a real time')
    .optional()
    .describe('hh:mm, London time'),
  areaId: guid,
  place: z.string().trim().min(1).max(200),
  type: z.enum(ENGAGEMENT_TYPES),
  groupsMet: z.string().trim().max(1000).optional(),
  peopleEstimate: z.number().int().min(0).max(100000).optional(),
  languages: z.array(z.string().trim().min(1).max(60)).max(30).default([]),
  notes: z.string().trim().max(5000).optional(),
  followUpDue: day.optional(),
  followUpNote: z.string().trim().max(500).optional(),
  issues: z
    .array(
      z
        .object({
          summary: z.string().trim().min(1).max(5000),
          outcome: z
            .enum(ISSUE_OUTCOMES)
            .describe('noted; concern or suggestion (creates one); linked (to reference)'),
          topic: z.enum(TOPICS).optional().describe('Required for concern and suggestion'),
          reference: z
            .string()
            .trim()
            .max(40)
            .optional()
            .describe('Required for linked: an existing concern'),
        })
        .refine(
          (i) => (i.outcome === 'concern' || i.outcome === 'suggestion' ? i.topic !== undefined : true),
          {
            message: 'A topic is required to raise a concern or suggestion',
            path: ['topic'],
          },
        )
        .refine((i) => (i.outcome === 'linked' ? !!i.reference : true), {
          message: 'A reference is required to link an issue',
          path: ['reference'],
        }),
    )
    .max(20)
    .default([]),
  referrals: z
    .array(
      z
        .object({
          organisationId: guid.optional().describe('A partner organisation of the partnership'),
          serviceName: z.string().trim().max(200).optional().describe('Another service, by name'),
          reason: z.string().trim().min(1).max(2000),
          followUpDue: day.optional(),
        })
        .refine((r) => r.organisationId !== undefined || !!r.serviceName, {
          message: 'Give an organisationId or a serviceName',
          path: ['serviceName'],
        }),
    )
    .max(20)
    .default([]),
});
export type ApiEngagementBody = z.output<typeof apiEngagementBody>;

export function engagementFromApi(b: ApiEngagementBody): NewEngagement {
  return {
    idempotencyKey: b.idempotencyKey,
    occurredDay: b.occurredOn,
    occurredTime: b.occurredTime,
    areaId: b.areaId,
    place: b.place,
    type: b.type,
    groupsMet: b.groupsMet || undefined,
    peopleEstimate: b.peopleEstimate,
    languages: [...new Set(b.languages)],
    notes: b.notes || undefined,
    followUpDue: b.followUpDue,
    followUpNote: b.followUpNote || undefined,
    issues: b.issues.map((i, n) => ({ ...i, field: `issues[${n}].reference` })),
    referrals: b.referrals.map((r, n) => ({
      organisationId: r.organisationId,
      serviceName: r.serviceName || undefined,
      reason: r.reason,
      followUpDue: r.followUpDue,
      field: `referrals[${n}].organisationId`,
    })),
  };
}

export const idParams = z.object({ id: guid });
export const referralParams = z.object({ id: guid, referralId: guid });

export const apiReferralBody = z.object({
  status: z.enum(REFERRAL_STATUSES),
  followUpDue: day.nullable().optional().describe('A new follow-up date; null clears it'),
});

export const apiListQuery = z.object({
  mine: z
    .enum(['true', 'false'])
    .default('false')
    .transform((s) => s === 'true')
    .describe('true: only your own engagements'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const apiCoverageQuery = z.object({
  weeks: z.coerce.number().int().min(1).max(104).default(8).describe('No contact in this many weeks'),
  months: z.coerce.number().int().min(1).max(24).default(6),
});

export const problemResponse = z.object({
  error: z.string(),
  problem: z.string().optional(),
  field: z.string().optional(),
  message: z.string(),
  correlationId: z.string(),
});

const issueJson = z.object({
  summary: z.string(),
  outcome: z.enum(ISSUE_OUTCOMES),
  concern: z.object({ reference: z.string(), kind: z.string(), status: z.string() }).nullable(),
});
const referralJson = z.object({
  id: z.string(),
  to: z.string(),
  organisationId: z.string().nullable(),
  reason: z.string(),
  status: z.enum(REFERRAL_STATUSES),
  followUpDue: z.string().nullable(),
});
export const engagementJson = z.object({
  id: z.string(),
  occurredAt: z.string(),
  area: z.object({ id: z.string(), name: z.string() }),
  place: z.string(),
  type: z.enum(ENGAGEMENT_TYPES),
  officer: z.string(),
  groupsMet: z.string().nullable(),
  peopleEstimate: z.number().nullable(),
  languages: z.array(z.string()),
  notes: z.string().nullable(),
  followUpDue: z.string().nullable(),
  followUpNote: z.string().nullable(),
  followUpDone: z.boolean(),
  issues: z.array(issueJson),
  referrals: z.array(referralJson),
  createdAt: z.string(),
});
export const savedResponse = z.object({ replayed: z.boolean(), engagement: engagementJson });

export const listResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      occurredAt: z.string(),
      area: z.string(),
      place: z.string(),
      type: z.enum(ENGAGEMENT_TYPES),
      officer: z.string(),
      issues: z.number(),
      referrals: z.number(),
    }),
  ),
});

export const followUpsResponse = z.object({
  followUps: z.array(
    z.object({
      kind: z.enum(['engagement', 'referral']),
      due: z.string(),
      overdue: z.boolean(),
      engagementId: z.string(),
      referralId: z.string().nullable(),
      text: z.string(),
      area: z.string(),
    }),
  ),
  openReferrals: z.array(referralJson.extend({ engagementId: z.string(), area: z.string() })),
});

export const coverageResponse = z.object({
  months: z.array(z.string()),
  weeks: z.number(),
  byArea: z.array(
    z.object({ areaId: z.string(), area: z.string(), perMonth: z.array(z.number()), total: z.number() }),
  ),
  byType: z.array(
    z.object({ type: z.enum(ENGAGEMENT_TYPES), perMonth: z.array(z.number()), total: z.number() }),
  ),
  noContact: z.array(z.object({ areaId: z.string(), area: z.string(), lastContact: z.string().nullable() })),
});
