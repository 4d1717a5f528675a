import { z } from 'zod';
import { optionalText, requiredText } from '../../platform/forms.js';
import { requiredDateInput, withDateInputs } from '../../platform/forms/date-input.js';
import { parseDay } from '../engagement/engagement.dates.js';
import type { NewTensionReport } from './tension.service.js';
import { TENSION_ASSESSMENTS, TENSION_CATEGORIES, TENSION_LEVELS, TENSION_SOURCES } from './vocabulary.js';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The tension report form; messages are translation keys. Dates are GOV.UK date inputs. */
export const tensionForm = withDateInputs(
  ['reportedOn', 'reviewDate'],
  z.object({
    areaId: z.string({ error: 'tension.errors.areaRequired' }).regex(GUID, 'tension.errors.areaRequired'),
    reportedOn: requiredDateInput({
      name: 'tension.errors.dateName',
      required: 'tension.errors.dateRequired',
    }),
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
  }),
);

export function reportFromForm(v: z.output<typeof tensionForm>): NewTensionReport {
  return { ...v };
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
});
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
