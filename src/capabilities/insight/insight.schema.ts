import { z } from 'zod';
import {
  DATE_PARTS,
  datePartsFrom,
  partName,
  readDateInput,
  readingProblem,
  type DatePart,
} from '../../platform/forms/date-input.js';
import { addDays, lastQuarter, londonToday, type Interval } from './figures.js';
import type { InsightFilters } from './insight.repository.js';
import { QUESTIONS, categoriesOf } from './dashboard.js';
import { TOPIC_CHOICES } from './topic-groups.js';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const realDay = z
  .string()
  .regex(DAY)
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T12:00:00Z`)) && new Date(`${d}T12:00:00Z`).toISOString().startsWith(d),
  );

/** The longest range one request may ask for: five years of weeks is already 260 columns. */
export const MAX_RANGE_DAYS = 366 * 5;

/**
 * Dashboard filters from a query string. Anything missing or malformed falls back to the default
 * (the last 13 weeks, weekly), so a bookmarked or hand-edited link always shows something sensible.
 */
export const filtersQuery = z.object({
  from: lenient(realDay),
  to: lenient(realDay),
  interval: lenient(z.enum(['week', 'month'])),
  area: lenient(z.string().regex(GUID)),
  /** A topic, or a group of topics such as hate_related. */
  topic: lenient(z.enum(TOPIC_CHOICES)),
  organisation: lenient(z.string().regex(GUID)),
  preset: lenient(z.enum(['quarter', 'lastQuarter', 'year'])),
});
export type FiltersQuery = z.output<typeof filtersQuery>;

/** A range date the filter form sent that is not a date: which one, the message and the box to link to. */
export interface FilterDateProblem {
  field: 'from' | 'to';
  /** A translation key whose `{name}` is the date's name. */
  message: string;
  part: DatePart;
}

/**
 * The filter form asks for the range as GOV.UK date inputs (`from-day`, `from-month`, `from-year`);
 * links, presets and the API say `from=yyyy-mm-dd`. This reads the boxes, when they were sent, into
 * `from` and `to`. Boxes that do not hold a date are a problem for the page to show; the range then
 * falls back as for any malformed filter, so the page still shows figures.
 */
export function readFilterDates(query: unknown): {
  query: Record<string, unknown>;
  problems: FilterDateProblem[];
} {
  const out: Record<string, unknown> = { ...((query ?? {}) as Record<string, unknown>) };
  const problems: FilterDateProblem[] = [];
  for (const field of ['from', 'to'] as const) {
    if (!DATE_PARTS.some((p) => partName(field, p) in out)) continue;
    const reading = readDateInput(datePartsFrom(out, field));
    const problem = readingProblem(reading);
    if (problem) problems.push({ field, ...problem });
    if (reading.kind === 'date') out[field] = reading.value;
    else delete out[field];
  }
  return { query: out, problems };
}

export function resolveFilters(
  q: FiltersQuery,
  now: Date = new Date(),
  defaults: 'quarter' | 'year' = 'quarter',
): InsightFilters {
  const today = londonToday(now);
  const preset = q.preset ?? (q.from || q.to ? undefined : defaults);
  let from: string;
  let to: string;
  let interval: Interval = q.interval ?? 'week';
  if (preset === 'lastQuarter') {
    ({ from, to } = lastQuarter(today));
    interval = q.interval ?? 'month';
  } else if (preset === 'year') {
    from = addDays(today, -364);
    to = today;
    interval = q.interval ?? 'month';
  } else if (preset === 'quarter') {
    from = addDays(today, -90);
    to = today;
  } else {
    to = q.to ?? today;
    from = q.from ?? addDays(to, -90);
  }
  if (from > to) [from, to] = [to, from];
  if (Date.parse(to) - Date.parse(from) > MAX_RANGE_DAYS * 86_400_000) from = addDays(to, -MAX_RANGE_DAYS);
  return { from, to, interval, areaId: q.area, topic: q.topic, organisationId: q.organisation };
}

/** The filters back as query values, for links (exports, presets) that keep them. */
export function filtersToQuery(f: InsightFilters): Record<string, string | undefined> {
  return {
    from: f.from,
    to: f.to,
    interval: f.interval,
    area: f.areaId,
    topic: f.topic,
    organisation: f.organisationId,
  };
}

export const exportQuery = filtersQuery.extend({
  figure: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional()
    .catch(undefined),
  list: z.enum(['queue']).optional().catch(undefined),
  format: z.enum(['csv', 'xlsx']).catch('csv'),
});

export const exportForm = z.object({
  format: z.enum(['csv', 'xlsx'], { error: 'insight.errors.formatRequired' }),
});

/** One number per category, blank for "no figure"; whole people, up to the population of a country. */
const people = z
  .string()
  .optional()
  .transform((s) => (s ?? '').replace(/[,\s]/g, ''))
  .pipe(
    z.union([
      z.literal('').transform(() => undefined),
      z
        .string()
        .regex(/^\d+$/, 'insight.errors.peopleInvalid')
        .transform(Number)
        .pipe(z.number().int().max(100_000_000, 'insight.errors.peopleTooLarge')),
    ]),
  );

export const populationForm = z
  .object({
    characteristic: z.enum(QUESTIONS as [string, ...string[]], {
      error: 'insight.errors.characteristicRequired',
    }),
    source: z
      .string()
      .optional()
      .transform((s) => (s ?? '').trim())
      .pipe(z.string().min(1, 'insight.errors.sourceRequired').max(300, 'insight.errors.sourceTooLong')),
  })
  .catchall(people);

export function populationFields(characteristic: string): string[] {
  return QUESTIONS.includes(characteristic as never) ? categoriesOf(characteristic as never) : [];
}
