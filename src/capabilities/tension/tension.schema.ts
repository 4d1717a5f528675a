import { z } from 'zod';
import { optionalText, requiredText } from '../../platform/forms.js';
import { requiredDateInput, withDateInputs } from '../../platform/forms/date-input.js';
import { parseDay } from '../engagement/engagement.dates.js';
import type { NewTensionReport, TensionClosure, TensionReportChanges } from './tension.service.js';
import {
  TENSION_ASSESSMENTS,
  TENSION_CATEGORIES,
  TENSION_CLOSE_REASONS,
  TENSION_LEVELS,
  TENSION_SOURCES,
} from './vocabulary.js';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const DATES = ['reportedOn', 'reviewDate'];

const reportShape = {
  areaId: z.string({ error: 'tension.errors.areaRequired' }).regex(GUID, 'tension.errors.areaRequired'),
  reportedOn: requiredDateInput({ name: 'tension.errors.dateName', required: 'tension.errors.dateRequired' }),
  source: z.enum(TENSION_SOURCES, { error: 'tension.errors.sourceRequired' }),
  category: z.enum(TENSION_CATEGORIES, { error: 'tension.errors.categoryRequired' }),
  assessment: z.enum(TENSION_ASSESSMENTS, { error: 'tension.errors.assessmentRequired' }),
  level: z.enum(TENSION_LEVELS, { error: 'tension.errors.levelRequired' }),
  summary: requiredText(5000, 'tension.errors.summaryRequired', 'tension.errors.summaryTooLong'),
  actions: optionalText(5000, 'tension.errors.actionsTooLong'),
  reviewDate: requiredDateInput({
    name: 'tension.errors.reviewName',
    required: 'tension.errors.reviewRequired',
  }),
};

/** The tension report form; messages are translation keys. Dates are GOV.UK date inputs. */
export const tensionForm = withDateInputs(DATES, z.object(reportShape));

export function reportFromForm(v: z.output<typeof tensionForm>): NewTensionReport {
  return { ...v };
}

/**
 * The edit form: every field of a report, and the version of the report the form was filled from, so
 * that an edit made on a copy someone else has changed since is refused rather than undoing theirs.
 */
export const editForm = withDateInputs(
  DATES,
  z.object({
    ...reportShape,
    version: z
      .string()
      .optional()
      .transform((s) => (/^\d{1,9}$/.test(s ?? '') ? Number(s) : undefined)),
  }),
);

export function changesFromForm(v: z.output<typeof editForm>): {
  changes: TensionReportChanges;
  version: number | undefined;
} {
  const { version, ...fields } = v;
  // The form sends every field: an empty "actions" clears them.
  return { changes: { ...fields, actions: fields.actions ?? null }, version };
}

/** Closing a report: why, a note, and for a merge the report it was merged into. */
export const closeForm = z
  .object({
    reason: z.enum(TENSION_CLOSE_REASONS, { error: 'tension.errors.closeReasonRequired' }),
    mergedIntoId: z
      .string()
      .optional()
      .transform((s) => (s ?? '').trim() || undefined),
    note: requiredText(2000, 'tension.errors.closeNoteRequired', 'tension.errors.closeNoteTooLong'),
  })
  .superRefine((v, ctx) => {
    if (v.reason === 'merged' && !(v.mergedIntoId && GUID.test(v.mergedIntoId)))
      ctx.addIssue({ code: 'custom', path: ['mergedIntoId'], message: 'tension.errors.mergedIntoRequired' });
  });

export function closureFromForm(v: z.output<typeof closeForm>): TensionClosure {
  return { reason: v.reason, note: v.note, mergedIntoId: v.reason === 'merged' ? v.mergedIntoId : undefined };
}

export const pictureQuery = z.object({
  weeks: z.coerce.number().int().min(2).max(26).catch(6),
});

// API

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => parseDay(s) !== undefined, 'Not a real date')
  .describe('yyyy-mm-dd');

export const apiTensionBody = z.object({
  areaId: z.string().regex(GUID, 'Must be a UUID'),
  reportedOn: day,
  source: z.enum(TENSION_SOURCES),
  category: z.enum(TENSION_CATEGORIES),
  assessment: z.enum(TENSION_ASSESSMENTS),
  level: z.enum(TENSION_LEVELS),
  summary: z.string().trim().min(1).max(5000),
  actions: z.string().trim().max(5000).optional(),
  reviewDate: day,
});

export const apiTensionPatch = z
  .object({
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('The version of the report you read; if it has changed since, the edit is refused (409)'),
    areaId: z.string().regex(GUID, 'Must be a UUID').optional(),
    reportedOn: day.optional(),
    source: z.enum(TENSION_SOURCES).optional(),
    category: z.enum(TENSION_CATEGORIES).optional(),
    assessment: z.enum(TENSION_ASSESSMENTS).optional(),
    level: z.enum(TENSION_LEVELS).optional(),
    summary: z.string().trim().min(1).max(5000).optional(),
    actions: z.string().trim().max(5000).nullable().optional().describe('null or empty clears them'),
    reviewDate: day.optional(),
  })
  .refine((b) => Object.keys(b).some((k) => k !== 'version'), 'Give at least one field to change');

export const apiCloseBody = z.object({
  reason: z.enum(TENSION_CLOSE_REASONS),
  note: z.string().trim().min(1).max(2000),
  mergedIntoId: z
    .string()
    .regex(GUID, 'Must be a UUID')
    .optional()
    .describe('Required when reason is merged: an open report of the partnership'),
});

export const apiPictureQuery = z.object({ weeks: z.coerce.number().int().min(2).max(26).default(6) });
export const apiReportsQuery = z.object({
  areaId: z.string().regex(GUID, 'Must be a UUID').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export const idParams = z.object({ id: z.string().regex(GUID, 'Must be a UUID') });

export const problemResponse = z.object({
  error: z.string(),
  problem: z.string().optional(),
  message: z.string(),
  correlationId: z.string(),
});

const level = z.enum(['none', ...TENSION_LEVELS]);
export const reportJson = z.object({
  id: z.string(),
  area: z.object({ id: z.string(), name: z.string() }),
  reportedOn: z.string(),
  source: z.enum(TENSION_SOURCES),
  category: z.enum(TENSION_CATEGORIES),
  assessment: z.enum(TENSION_ASSESSMENTS),
  level: z.enum(TENSION_LEVELS),
  summary: z.string(),
  actions: z.string().nullable(),
  reviewDate: z.string(),
  escalated: z.boolean(),
  version: z.number().describe('Goes up with each edit; send it back with an edit'),
  updatedAt: z.string().nullable(),
  closed: z
    .object({
      at: z.string(),
      reason: z.enum(TENSION_CLOSE_REASONS),
      note: z.string().nullable(),
      mergedIntoId: z.string().nullable(),
    })
    .nullable()
    .describe('Set once the report is closed: it no longer counts in the weekly picture from that week'),
});
export const reportDetailJson = reportJson.extend({
  history: z.array(
    z.object({
      kind: z.enum(['edited', 'closed']),
      at: z.string(),
      by: z.string().nullable(),
      changes: z.array(
        z.object({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() }),
      ),
      reason: z.enum(TENSION_CLOSE_REASONS).nullable(),
      note: z.string().nullable(),
      mergedIntoId: z.string().nullable(),
      escalated: z.boolean(),
    }),
  ),
});
export const editedResponse = z.object({
  id: z.string(),
  version: z.number(),
  changed: z.array(z.string()).describe('The fields the edit changed; empty when nothing did'),
  escalated: z.boolean(),
  leadsNotified: z.number(),
});
export const closedResponse = z.object({ id: z.string(), closedAt: z.string(), version: z.number() });
export const createdResponse = z.object({
  id: z.string(),
  escalated: z.boolean(),
  leadsNotified: z.number(),
});
export const reportsResponse = z.object({ items: z.array(reportJson) });
export const pictureResponse = z.object({
  weeks: z.array(z.string()).describe('The Monday of each week, oldest first'),
  areas: z.array(
    z.object({
      areaId: z.string(),
      area: z.string(),
      levels: z.array(level),
      current: level,
      trend: z.enum(['rising', 'steady', 'falling']),
    }),
  ),
});
