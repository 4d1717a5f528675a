import { z } from 'zod';
import { checkboxList, optionalText, requiredText } from '../../platform/forms.js';
import { optionalDateInput, requiredDateInput, withDateInputs } from '../../platform/forms/date-input.js';
import { ACTION_STATUSES, RAGS } from './programme.table.js';

/** Forms and API bodies for the programme. Messages are translation keys under programme.errors. */

const E = (key: string) => `programme.errors.${key}`;
const uuid = (message: string) =>
  z
    .string()
    .optional()
    .pipe(z.string().regex(/^[0-9a-f-]{36}$/i, message));
const optionalUuid = z
  .string()
  .optional()
  .transform((s) => (s === '' ? undefined : s))
  .pipe(
    z
      .string()
      .regex(/^[0-9a-f-]{36}$/i, E('invalidChoice'))
      .optional(),
  );

/** Dates are GOV.UK date inputs: three boxes each (platform/forms/date-input.ts). */
export const actionForm = withDateInputs(
  ['startDate', 'dueDate'],
  z.object({
    priorityId: uuid(E('priorityRequired')),
    title: requiredText(200, E('titleRequired'), E('titleTooLong')),
    description: requiredText(4000, E('descriptionRequired'), E('descriptionTooLong')),
    leadOrganisationId: uuid(E('leadRequired')),
    leadStaffId: optionalUuid,
    partnerOrganisationIds: checkboxList,
    areaIds: checkboxList,
    startDate: optionalDateInput({ name: E('startDateName') }),
    dueDate: optionalDateInput({ name: E('dueDateName') }),
    public: z.enum(['yes', 'no'], { message: E('publicRequired') }),
  }),
);
export type ActionForm = z.output<typeof actionForm>;

export const progressForm = z.object({
  status: z.enum(ACTION_STATUSES, { message: E('statusRequired') }),
  statusReason: optionalText(1000, E('reasonTooLong')),
  progress: z
    .string()
    .optional()
    .transform((s) => (s ?? '').trim())
    .pipe(z.string().regex(/^\d{1,3}$/, E('progressInvalid')))
    .transform(Number)
    .pipe(z.number().int().min(0, E('progressInvalid')).max(100, E('progressInvalid'))),
  rag: z.enum(RAGS, { message: E('ragRequired') }),
  ragReason: optionalText(1000, E('reasonTooLong')),
});

/** "Text | https://…" or a bare address, one a line. */
const linkLines = z
  .string()
  .optional()
  .transform((s, ctx) => {
    const links: { text: string; url: string }[] = [];
    for (const raw of (s ?? '').split(/\r?\n/)) {
      const line = raw.trim();
      if (!line) continue;
      const [a, b] = line.includes('|') ? line.split('|', 2).map((x) => x.trim()) : [line, line];
      try {
        const url = new URL(b!);
        if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
        links.push({ text: a || url.href, url: url.href });
      } catch {
        ctx.addIssue({ code: 'custom', message: E('linkInvalid') });
        return z.NEVER;
      }
    }
    if (links.length > 20) {
      ctx.addIssue({ code: 'custom', message: E('tooMany') });
      return z.NEVER;
    }
    return links;
  });

/** "Label: value", one a line, e.g. "Sessions held: 12". */
const figureLines = z
  .string()
  .optional()
  .transform((s, ctx) => {
    const figures: { label: string; value: string }[] = [];
    for (const raw of (s ?? '').split(/\r?\n/)) {
      const line = raw.trim();
      if (!line) continue;
      const at = line.lastIndexOf(':');
      const label = at > 0 ? line.slice(0, at).trim() : '';
      const value = at > 0 ? line.slice(at + 1).trim() : '';
      if (!label || !value || label.length > 200 || value.length > 100) {
        ctx.addIssue({ code: 'custom', message: E('figureInvalid') });
        return z.NEVER;
      }
      figures.push({ label, value });
    }
    if (figures.length > 20) {
      ctx.addIssue({ code: 'custom', message: E('tooMany') });
      return z.NEVER;
    }
    return figures;
  });

export const updateForm = z.object({
  body: requiredText(4000, E('updateRequired'), E('updateTooLong')),
  links: linkLines,
  figures: figureLines,
  visibility: z.enum(['public', 'internal'], { message: E('visibilityRequired') }),
});

export const milestoneForm = withDateInputs(
  ['dueDate'],
  z.object({
    title: requiredText(200, E('milestoneRequired'), E('titleTooLong')),
    dueDate: requiredDateInput({ name: E('dueDateName'), required: E('dateRequired') }),
  }),
);

export const linkForm = z.object({
  reference: requiredText(40, E('referenceRequired'), E('referenceRequired')),
});

export const themeForm = z.object({
  name: requiredText(100, E('nameRequired'), E('nameTooLong')),
  priorityId: uuid(E('priorityRequired')),
  publicSummary: optionalText(2000, E('summaryTooLong')),
  retired: z
    .string()
    .optional()
    .transform((s) => s === 'yes'),
});

export const priorityForm = z.object({
  title: requiredText(200, E('titleRequired'), E('titleTooLong')),
  publicSummary: optionalText(2000, E('summaryTooLong')),
  position: z
    .string()
    .optional()
    .transform((s) => (s ?? '').trim() || '0')
    .pipe(z.string().regex(/^\d{1,3}$/, E('positionInvalid')))
    .transform(Number),
});

export const concernThemesForm = z.object({ themes: checkboxList });
export const concernLinkForm = z.object({ actionId: uuid(E('actionRequired')) });

export const publicQuery = z.object({
  area: z
    .string()
    .optional()
    .transform((s) => (s && /^[0-9a-f-]{36}$/i.test(s) ? s : undefined)),
});

// --- API ------------------------------------------------------------------------------------------

export const idParams = z.object({ id: z.string().max(40).describe('The action id (a UUID)') });

export const apiProgressBody = z.object({
  status: z.enum(ACTION_STATUSES),
  statusReason: z.string().max(1000).optional(),
  progress: z.number().int().min(0).max(100),
  rag: z.enum(RAGS),
  ragReason: z.string().max(1000).optional(),
});

export const apiUpdateBody = z.object({
  body: z.string().trim().min(1).max(4000),
  links: z
    .array(z.object({ text: z.string().max(200), url: z.url({ protocol: /^https?$/ }) }))
    .max(20)
    .default([]),
  figures: z
    .array(z.object({ label: z.string().min(1).max(200), value: z.string().min(1).max(100) }))
    .max(20)
    .default([]),
  visibility: z.enum(['public', 'internal']),
});

export const apiLinkBody = z.object({
  reference: z.string().min(1).max(40).describe('The concern reference'),
  unlink: z.boolean().default(false).describe('Remove the link instead of adding it'),
});

const published = z.union([
  z.object({ state: z.literal('shown'), value: z.number() }),
  z.object({ state: z.literal('small') }),
  z.object({ state: z.literal('withheld') }),
]);

export const actionSummary = z.object({
  id: z.string(),
  priority: z.string(),
  title: z.string(),
  description: z.string(),
  leadOrganisation: z.string(),
  leadOfficer: z.string().nullable(),
  partnerOrganisationIds: z.array(z.string()),
  status: z.enum(ACTION_STATUSES),
  statusReason: z.string().nullable(),
  progress: z.number(),
  rag: z.enum(RAGS),
  ragReason: z.string().nullable(),
  startDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  overdue: z.boolean(),
  public: z.boolean(),
  linkedConcerns: z.number(),
  milestones: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      dueDate: z.string(),
      done: z.boolean(),
      overdue: z.boolean(),
    }),
  ),
});

export const actionListResponse = z.object({ items: z.array(actionSummary) });

export const actionDetailResponse = actionSummary.extend({
  updates: z.array(
    z.object({
      id: z.string(),
      body: z.string(),
      visibility: z.enum(['public', 'internal']),
      links: z.array(z.object({ text: z.string(), url: z.string() })),
      figures: z.array(z.object({ label: z.string(), value: z.string() })),
      by: z.string().nullable(),
      at: z.string(),
    }),
  ),
  shapedBy: z.object({
    total: z.number(),
    byTheme: z.array(z.object({ label: z.string(), count: z.number() })),
    byArea: z.array(z.object({ label: z.string(), count: z.number() })),
  }),
});

export const prioritiesResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      publicSummary: z.string().nullable(),
      themes: z.array(
        z.object({ id: z.string(), name: z.string(), retired: z.boolean(), concerns: z.number() }),
      ),
    }),
  ),
});

export const packResponse = z.object({
  generatedOn: z.string(),
  rows: z.array(
    z.object({
      priority: z.string(),
      id: z.string(),
      title: z.string(),
      leadOrganisation: z.string(),
      leadOfficer: z.string(),
      status: z.string(),
      progress: z.number(),
      rag: z.string(),
      ragReason: z.string(),
      startDate: z.string(),
      dueDate: z.string(),
      overdue: z.boolean(),
      overdueMilestones: z.array(z.object({ title: z.string(), dueDate: z.string() })),
      nextMilestone: z.object({ title: z.string(), dueDate: z.string() }).nullable(),
      linkedConcerns: z.number(),
    }),
  ),
});

export const updatedResponse = z.object({ ok: z.literal(true), updateId: z.string(), told: z.number() });
export const okResponse = z.object({ ok: z.literal(true) });
export { published };
