import { z } from 'zod';
import { checkboxList as list, optionalText, requiredText } from '../../platform/forms.js';
import { STATUSES } from './workflow.js';
import { WRITTEN_LANGUAGE_SOURCES } from './written-language.js';
import { AFFECTED_GROUPS, CHANNELS, KINDS, RECORDED_CHANNELS, TOPICS } from './vocabulary.js';

/**
 * What staff pages and the API accept. Form messages are translation keys (parseForm turns them into
 * text linked to the field); API schemas use zod's own messages and describe themselves for OpenAPI.
 */

export const QUEUE_SORTS = ['urgency', 'oldest', 'newest'] as const;
export const STATUS_FILTERS = ['any', 'open', ...STATUSES] as const;
/** A written-language filter: a BCP 47 tag such as uk, fa-AF or und-Cyrl, or not-en. */
const WRITTEN_FILTER = /^(?:not-en|[a-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,2})$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

// ---------------------------------------------------------------------------------------------
// Pages (application/x-www-form-urlencoded and query strings: everything arrives as strings)
// ---------------------------------------------------------------------------------------------

const id = (message: string) => z.string({ error: message }).trim().regex(GUID, message);
/** A filter that is missing or not one of ours is simply not applied: a bookmarked link never errors. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

export const queueQuery = z.object({
  status: z.enum(STATUS_FILTERS).catch('open'),
  topic: lenient(z.enum(TOPICS)),
  area: lenient(z.string().regex(GUID)),
  lead: lenient(z.string().regex(GUID)),
  channel: lenient(z.enum(CHANNELS)),
  urgent: lenient(z.literal('yes')),
  overdue: lenient(z.literal('yes')),
  written: lenient(z.string().regex(WRITTEN_FILTER)),
  sort: z.enum(QUEUE_SORTS).catch('urgency'),
  cursor: lenient(z.string().max(300)),
});
export type QueueQuery = z.output<typeof queueQuery>;

export const shareForm = z.object({
  lead: id('concerns.errors.leadRequired'),
  supporting: list.pipe(z.array(z.string().regex(GUID, 'concerns.errors.organisationInvalid'))),
});

export const assignForm = z.object({
  staffId: id('concerns.errors.assigneeRequired'),
});

export const statusForm = z.object({
  to: z.enum(STATUSES, { error: 'concerns.errors.statusRequired' }),
  reason: optionalText(2000, 'concerns.errors.reasonTooLong'),
  referredTo: optionalText(200, 'concerns.errors.referredToTooLong'),
  duplicateOf: optionalText(40, 'concerns.errors.duplicateOfInvalid'),
});

export const noteForm = z.object({
  body: requiredText(5000, 'concerns.errors.noteRequired', 'concerns.errors.noteTooLong'),
  visibility: z.enum(['internal', 'public'], { error: 'concerns.errors.visibilityRequired' }),
});

export const replyForm = z.object({
  body: requiredText(5000, 'concerns.errors.replyRequired', 'concerns.errors.replyTooLong'),
});

export const redactForm = z.object({
  replacement: requiredText(
    5000,
    'concerns.errors.replacementRequired',
    'concerns.errors.replacementTooLong',
  ),
  reason: requiredText(500, 'concerns.errors.redactReasonRequired', 'concerns.errors.redactReasonTooLong'),
});

const email = z.string().max(254).email();
const phone = z
  .string()
  .max(30)
  .regex(/^\+?[0-9 ()-]{7,}$/);

export const recordForm = z
  .object({
    channel: z.enum(RECORDED_CHANNELS, { error: 'concerns.errors.channelRequired' }),
    source: optionalText(200, 'concerns.errors.sourceTooLong'),
    kind: z.enum(KINDS, { error: 'concerns.errors.kindRequired' }),
    topic: z.enum(TOPICS, { error: 'concerns.errors.topicRequired' }),
    description: requiredText(
      5000,
      'concerns.errors.descriptionRequired',
      'concerns.errors.descriptionTooLong',
    ),
    areaId: optionalText(64, 'concerns.errors.areaInvalid').pipe(
      z.union([z.string().regex(GUID, 'concerns.errors.areaInvalid'), z.undefined()]),
    ),
    placeDescription: optionalText(500, 'concerns.errors.placeTooLong'),
    whenText: optionalText(200, 'concerns.errors.whenTooLong'),
    affectedGroups: list.pipe(z.array(z.enum(AFFECTED_GROUPS, { error: 'concerns.errors.groupInvalid' }))),
    contactMode: z.enum(['anonymous', 'named'], { error: 'concerns.errors.contactModeRequired' }),
    contactName: optionalText(200, 'concerns.errors.nameTooLong'),
    contactEmail: optionalText(254, 'concerns.errors.emailInvalid'),
    contactPhone: optionalText(30, 'concerns.errors.phoneInvalid'),
    preferredContact: z
      .union([z.enum(['email', 'phone']), z.literal('')], { error: 'concerns.errors.preferredRequired' })
      .optional()
      .transform((v) => v || undefined),
    consentToShare: z.enum(['yes', 'no'], { error: 'concerns.errors.consentRequired' }),
  })
  .superRefine(
    (v, ctx) => {
      const issue = (path: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: [path], message });
      if (v.channel === 'third_party' && !v.source) issue('source', 'concerns.errors.sourceRequired');
      if (v.contactMode !== 'named') return;
      if (!v.contactName) issue('contactName', 'concerns.errors.nameRequired');
      if (!v.contactEmail && !v.contactPhone) issue('contactEmail', 'concerns.errors.emailOrPhoneRequired');
      if (v.contactEmail && !email.safeParse(v.contactEmail).success)
        issue('contactEmail', 'concerns.errors.emailInvalid');
      if (v.contactPhone && !phone.safeParse(v.contactPhone).success)
        issue('contactPhone', 'concerns.errors.phoneInvalid');
      if (v.contactEmail && v.contactPhone && !v.preferredContact) {
        issue('preferredContact', 'concerns.errors.preferredRequired');
      }
      // Run even when other fields failed, so the error summary lists every problem at once.
    },
    { when: () => true },
  );
export type RecordForm = z.output<typeof recordForm>;

// ---------------------------------------------------------------------------------------------
// JSON API
// ---------------------------------------------------------------------------------------------

const guid = z.string().regex(GUID, 'Expected an id (UUID)').describe('An id (UUID)');
const booleanQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const refParams = z.object({
  ref: z.string().max(40).describe('The concern reference, as shown (ABCD-EFGH-JKM) or without dashes'),
});

export const apiQueueQuery = z.object({
  status: z
    .enum(STATUS_FILTERS)
    .default('any')
    .describe('A status, "open" for any open status, or "any" (the default)'),
  topic: z.enum(TOPICS).optional(),
  areaId: guid.optional(),
  leadOrganisationId: guid.optional(),
  channel: z.enum(CHANNELS).optional(),
  urgent: booleanQuery.describe('true: urgent only; false: not urgent only'),
  overdue: booleanQuery.describe('true: overdue only'),
  writtenLanguage: z
    .string()
    .regex(WRITTEN_FILTER)
    .optional()
    .describe(
      'The language the resident wrote in (uk, fa-AF, und-Cyrl…), or not-en for anything but English',
    ),
  sort: z
    .enum(QUEUE_SORTS)
    .default('urgency')
    .describe('urgency (urgent first, then oldest), oldest or newest'),
  cursor: z.string().max(300).optional().describe('nextCursor from the previous page'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const apiRecordBody = z
  .object({
    channel: z.enum(RECORDED_CHANNELS).describe('How the concern reached you'),
    source: z.string().trim().max(200).optional().describe('Who passed it on, e.g. which reporting centre'),
    kind: z.enum(KINDS),
    topic: z.enum(TOPICS),
    description: z.string().trim().min(1).max(5000),
    areaId: guid.optional(),
    placeDescription: z.string().trim().max(500).optional(),
    whenText: z.string().trim().max(200).optional(),
    affectedGroups: z.array(z.enum(AFFECTED_GROUPS)).default([]),
    anonymous: z.boolean(),
    contact: z
      .object({
        name: z.string().trim().min(1).max(200),
        email: email.optional(),
        phone: phone.optional(),
        preferred: z.enum(['email', 'phone']).optional(),
      })
      .optional()
      .describe('Required unless anonymous: a name and an email address or phone number'),
    consentToShare: z
      .boolean()
      .describe('Whether the person agreed to their details being shared with partners'),
  })
  .superRefine((v, ctx) => {
    if (v.channel === 'third_party' && !v.source) {
      ctx.addIssue({ code: 'custom', path: ['source'], message: 'Say who passed it on' });
    }
    if (v.anonymous) return;
    if (!v.contact)
      ctx.addIssue({ code: 'custom', path: ['contact'], message: 'Give contact details or set anonymous' });
    else if (!v.contact.email && !v.contact.phone) {
      ctx.addIssue({
        code: 'custom',
        path: ['contact', 'email'],
        message: 'Give an email address or phone number',
      });
    }
  });
export type ApiRecordBody = z.output<typeof apiRecordBody>;

export const apiShareBody = z.object({
  lead: guid.describe('The lead organisation'),
  supporting: z.array(guid).default([]).describe('Supporting organisations'),
});

export const apiAssignBody = z.object({
  staffId: guid.describe('A member of staff from the assignable list'),
});

export const apiStatusBody = z.object({
  to: z.enum(STATUSES),
  reason: z.string().trim().max(2000).optional().describe('Required when closing'),
  referredTo: z.string().trim().max(200).optional().describe('Required for referred'),
  duplicateOf: z
    .string()
    .trim()
    .max(40)
    .optional()
    .describe('Required for duplicate: the reference to merge into'),
});

export const apiNoteBody = z.object({
  body: z.string().trim().min(1).max(5000),
  visibility: z
    .enum(['internal', 'public'])
    .describe('internal: staff only; public: shown on Check progress'),
});

export const apiRedactBody = z.object({
  replacement: z.string().trim().min(1).max(5000).describe('The description to show instead'),
  reason: z.string().trim().min(1).max(500),
});

// Responses. Dates are ISO 8601 strings.
const isoDate = z.string().describe('ISO 8601 date and time');

export const problemResponse = z.object({
  error: z.string(),
  message: z.string(),
  correlationId: z.string(),
  problem: z.string().optional().describe('Why an action was refused, e.g. notAllowed or reasonRequired'),
});

export const okResponse = z.object({ ok: z.literal(true), reference: z.string() });

export const queueItem = z.object({
  reference: z.string(),
  kind: z.string(),
  topic: z.string(),
  status: z.string(),
  urgent: z.boolean(),
  overdue: z.boolean(),
  channel: z.string(),
  description: z.string(),
  writtenLanguage: z
    .string()
    .nullable()
    .describe(
      'The language the resident wrote in, detected from the text (BCP 47: uk, fa-AF; und-Cyrl when only the script could be told); null for older concerns or text without letters',
    ),
  areaName: z.string().nullable(),
  leadOrganisationName: z.string().nullable(),
  createdAt: isoDate,
  acknowledgeDueAt: isoDate,
  respondDueAt: isoDate,
  closedAt: isoDate.nullable(),
});

export const queueResponse = z.object({
  items: z.array(queueItem),
  count: z.number().int().describe('Matching concerns, counted up to 10,001'),
  countCapped: z.boolean().describe('True when there are more than 10,000'),
  nextCursor: z.string().nullable(),
});

export const recordedResponse = z.object({
  reference: z.string(),
  trackingCode: z
    .string()
    .nullable()
    .describe('Read this out to the person; it is not stored and cannot be shown again'),
  urgent: z.boolean(),
  visible: z.boolean().describe('Whether you can open the new concern'),
});

export const detailResponse = z.object({
  reference: z.string(),
  kind: z.string(),
  topic: z.string(),
  description: z.string(),
  redacted: z.boolean(),
  language: z.string().describe('The page language the resident chose'),
  writtenLanguage: z
    .string()
    .nullable()
    .describe(
      'The language the resident wrote in, detected from the text (BCP 47: uk, fa-AF; und-Cyrl when only the script could be told); null for older concerns or text without letters',
    ),
  writtenLanguageSource: z
    .enum(WRITTEN_LANGUAGE_SOURCES)
    .nullable()
    .describe(
      'How it was found: script (the letters used), library (language identification), interface (too little text; the page language, whose script it matched) or unknown',
    ),
  urgent: z.boolean(),
  urgentSignals: z.array(z.string()),
  status: z.string(),
  closureReason: z.string().nullable(),
  referredTo: z.string().nullable(),
  area: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  placeDescription: z.string().nullable(),
  whenText: z.string().nullable(),
  affectedGroups: z.array(z.string()),
  forGroup: z.boolean(),
  groupName: z.string().nullable(),
  channel: z.string(),
  source: z.string().nullable(),
  recordedBy: z.string().nullable(),
  anonymous: z.boolean(),
  consentToShare: z.boolean(),
  contact: z
    .object({
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      preferred: z.string().nullable(),
    })
    .nullable()
    .describe('Only for those allowed to contact the person'),
  contactHidden: z.boolean(),
  equality: z.record(z.string(), z.string()).nullable().describe('Partnership admins only'),
  leadOrganisation: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  organisations: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })),
  assignee: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  createdAt: isoDate,
  acknowledgeDueAt: isoDate,
  respondDueAt: isoDate,
  firstResponseAt: isoDate.nullable(),
  closedAt: isoDate.nullable(),
  overdue: z.boolean(),
  events: z.array(
    z.object({
      kind: z.string(),
      visibility: z.string(),
      body: z.string().nullable(),
      details: z.record(z.string(), z.unknown()),
      by: z.string().nullable(),
      organisation: z.string().nullable(),
      at: isoDate,
    }),
  ),
  linked: z.array(z.object({ reference: z.string(), status: z.string(), createdAt: isoDate })),
  redactions: z
    .array(z.object({ originalDescription: z.string(), reason: z.string(), by: z.string(), at: isoDate }))
    .describe('Partnership admins only'),
  assignable: z.array(z.object({ id: z.string(), name: z.string(), organisation: z.string() })),
  nextStatuses: z.array(z.string()),
  may: z.object({ triage: z.boolean(), work: z.boolean(), redact: z.boolean(), audit: z.boolean() }),
});

export const auditResponse = z.object({
  reference: z.string(),
  trail: z.array(
    z.object({
      at: isoDate,
      actor: z.string(),
      staffId: z.string().nullable(),
      organisation: z.string().nullable(),
      action: z.string(),
      correlationId: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});
