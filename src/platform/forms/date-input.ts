import { z } from 'zod';
import type { Translate } from '../i18n/index.js';

/**
 * The GOV.UK Design System date input: a date asked as three boxes, day, month and year, with the
 * Design System's error messages ("Date of the engagement must include a month", "… must be a real
 * date", "Year must include 4 numbers") and only the boxes that are wrong highlighted.
 *
 * One date is one field of a form, named like any other (`reviewDate`); its boxes are sent as
 * `reviewDate-day`, `reviewDate-month` and `reviewDate-year`, and have those ids, so the error summary
 * links to the first box to fix. Use it in three places:
 *
 * - the schema: `withDateInputs(['reviewDate'], z.object({ reviewDate: requiredDateInput({...}) }))`
 *   gathers the boxes into the field, which parses to yyyy-mm-dd;
 * - `parseForm` turns its issues into messages (the field's name fills `{name}`) and links each to the
 *   right box;
 * - the template: `govukDateInput(dateInput({ name: 'reviewDate', legend: t(key), values, error, t }))`
 *   shows what was typed (or a yyyy-mm-dd value split into boxes) and highlights the wrong boxes.
 *
 * Messages are translation keys under `dateInput`, English only: staff pages use it today. A resident
 * page that uses it adds `dateInput` to the resident scope (i18n/scope.ts) and its translations.
 */

export const DATE_PARTS = ['day', 'month', 'year'] as const;
export type DatePart = (typeof DATE_PARTS)[number];
export type DateParts = Record<DatePart, string>;

/** What three boxes say, in the Design System's order of priority: missing boxes first, then wrong ones. */
export type DateReading =
  | { kind: 'empty' }
  | { kind: 'date'; value: string }
  | { kind: 'incomplete'; missing: DatePart[] }
  | { kind: 'yearDigits' }
  | { kind: 'notReal'; wrong: DatePart[] };

// People type month names as often as numbers; the Design System asks services to accept both.
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function monthNumber(s: string): number | undefined {
  if (/^\d{1,2}$/.test(s)) {
    const n = Number(s);
    return n >= 1 && n <= 12 ? n : undefined;
  }
  const word = s.toLowerCase().replace(/\.$/, '');
  if (word.length < 3) return undefined;
  if (word === 'sept') return 9;
  const i = MONTHS.findIndex((m) => m === word || m.slice(0, 3) === word);
  return i >= 0 ? i + 1 : undefined;
}

/** Reads the three boxes as typed: spaces are ignored, leading zeros and month names are fine. */
export function readDateInput(parts: Partial<Record<DatePart, string | undefined>>): DateReading {
  const typed = {
    day: (parts.day ?? '').replace(/\s+/g, ''),
    month: (parts.month ?? '').replace(/\s+/g, ''),
    year: (parts.year ?? '').replace(/\s+/g, ''),
  };
  const missing = DATE_PARTS.filter((p) => typed[p] === '');
  if (missing.length === 3) return { kind: 'empty' };
  if (missing.length > 0) return { kind: 'incomplete', missing };

  const day = /^\d{1,2}$/.test(typed.day) ? Number(typed.day) : NaN;
  const month = monthNumber(typed.month);
  const yearIsNumber = /^\d+$/.test(typed.year);
  const year = yearIsNumber && typed.year.length === 4 ? Number(typed.year) : NaN;
  const wrong: DatePart[] = [];
  if (!(day >= 1 && day <= 31)) wrong.push('day');
  if (month === undefined) wrong.push('month');
  if (!(year >= 1000)) wrong.push('year');
  // A year of the wrong length is its own message, when it is the only thing wrong.
  if (wrong.length === 1 && wrong[0] === 'year' && yearIsNumber && typed.year.length !== 4)
    return { kind: 'yearDigits' };
  if (wrong.length > 0) return { kind: 'notReal', wrong };

  const date = new Date(Date.UTC(year, month! - 1, day));
  // 31 February: each box is plausible, the date as a whole is not.
  if (date.getUTCMonth() !== month! - 1) return { kind: 'notReal', wrong: [...DATE_PARTS] };
  return { kind: 'date', value: date.toISOString().slice(0, 10) };
}

/** The boxes to highlight for a reading; none when it is a date (a later rule failed: the whole date). */
export function wrongParts(reading: DateReading): DatePart[] {
  switch (reading.kind) {
    case 'incomplete':
      return reading.missing;
    case 'yearDigits':
      return ['year'];
    case 'notReal':
      return reading.wrong;
    default:
      return [];
  }
}

/** The name a box is sent as, and its id. */
export const partName = (field: string, part: DatePart) => `${field}-${part}`;

/** The id the error summary links to for a date field as a whole: its first box. */
export const dateInputAnchor = (field: string) => partName(field, 'day');

/** A date field's boxes from a submitted form. */
export function datePartsFrom(body: unknown, field: string): DateParts {
  const b = (body ?? {}) as Record<string, unknown>;
  const one = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
  return {
    day: one(b[partName(field, 'day')]),
    month: one(b[partName(field, 'month')]),
    year: one(b[partName(field, 'year')]),
  };
}

/** A yyyy-mm-dd day as the boxes show it: 27, 3, 2026. */
export function isoToDateParts(iso: string): DateParts | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  return { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1]! };
}

/** A yyyy-mm-dd day as a form sends it: `{ 'reviewDate-day': '27', 'reviewDate-month': '3', … }`. */
export function dateFormFields(field: string, iso: string): Record<string, string> {
  const parts = isoToDateParts(iso);
  if (!parts) throw new Error(`Not a yyyy-mm-dd day: ${iso}`);
  return Object.fromEntries(DATE_PARTS.map((p) => [partName(field, p), parts[p]]));
}

/** What parseForm reads from a date field's issue: variables for the message and the box to link to. */
export interface FieldIssueParams {
  /** Variables whose values are translation keys, translated before filling the message. */
  keyVars?: Record<string, string>;
  /** Appended to the field's id (`<id>-<part>`) for the error summary's link. */
  part?: DatePart;
}

const MUST_INCLUDE: Record<string, string> = {
  day: 'dateInput.mustInclude.day',
  month: 'dateInput.mustInclude.month',
  year: 'dateInput.mustInclude.year',
  'day,month': 'dateInput.mustInclude.dayMonth',
  'day,year': 'dateInput.mustInclude.dayYear',
  'month,year': 'dateInput.mustInclude.monthYear',
};

/**
 * What is wrong with boxes that do not hold a date: the message (a translation key whose `{name}` is
 * the date's name) and the box to link to. None for a date or for empty boxes.
 */
export function readingProblem(reading: DateReading): { message: string; part: DatePart } | undefined {
  if (reading.kind === 'date' || reading.kind === 'empty') return undefined;
  const message =
    reading.kind === 'incomplete'
      ? MUST_INCLUDE[reading.missing.join(',')]!
      : reading.kind === 'yearDigits'
        ? 'dateInput.yearDigits'
        : 'dateInput.notReal';
  return { message, part: wrongParts(reading)[0]! };
}

const partsSchema = z
  .object({ day: z.string().optional(), month: z.string().optional(), year: z.string().optional() })
  .optional();

interface DateFieldOptions {
  /** Translation key of the date's name at the start of a sentence, e.g. "Review date". */
  name: string;
}

function dateField(options: DateFieldOptions & { required?: string }) {
  return partsSchema.transform((parts, ctx): string | undefined => {
    const reading = readDateInput(parts ?? {});
    if (reading.kind === 'date') return reading.value;
    if (reading.kind === 'empty') {
      if (!options.required) return undefined;
      ctx.addIssue({ code: 'custom', message: options.required, params: { part: 'day' }, continue: true });
      return z.NEVER;
    }
    const problem = readingProblem(reading)!;
    const params: FieldIssueParams = { keyVars: { name: options.name }, part: problem.part };
    const message = problem.message;
    // continue: the form's own refinements still run, so every error shows at once. They see z.NEVER
    // (not undefined) for this field: a date was typed, even if it could not be read.
    ctx.addIssue({ code: 'custom', message, params: params as Record<string, unknown>, continue: true });
    return z.NEVER;
  });
}

/** A date that must be given: yyyy-mm-dd, or the field's `required` message when all boxes are empty. */
export function requiredDateInput(options: DateFieldOptions & { required: string }) {
  return dateField(options).transform((v) => v!);
}

/** A date that may be left empty: yyyy-mm-dd, or undefined. */
export function optionalDateInput(options: DateFieldOptions) {
  return dateField(options);
}

/** Gathers each named date field's three boxes from the form into the field, before `schema` reads it. */
export function withDateInputs<S extends z.ZodType>(fields: readonly string[], schema: S) {
  return z.preprocess((body) => {
    if (!body || typeof body !== 'object') return body;
    const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    for (const field of fields) out[field] = datePartsFrom(body, field);
    return out;
  }, schema);
}

export interface DateInputOptions {
  /** The field's name; the boxes are `<name>-day`, `<name>-month`, `<name>-year`. */
  name: string;
  /** The id the boxes' ids start with, when a page has several forms with the same field. */
  id?: string;
  legend: string;
  legendClasses?: string;
  hint?: string;
  /** The form's values: the boxes as sent, or the field as yyyy-mm-dd. */
  values?: Record<string, unknown> | null;
  /** The field's error message, if any. */
  error?: string | null;
  t: Translate;
}

/**
 * Parameters for govuk-frontend's govukDateInput. Registered as the template global `dateInput`:
 * `{{ govukDateInput(dateInput({ name: "reviewDate", legend: t(key), values: values, error: fe.reviewDate, t: t })) }}`.
 */
export function dateInputParams(options: DateInputOptions) {
  const id = options.id ?? options.name;
  const values = options.values ?? {};
  const sent = DATE_PARTS.some((p) => typeof values[partName(options.name, p)] === 'string');
  const whole = values[options.name];
  const shown: DateParts = sent
    ? datePartsFrom(values, options.name)
    : ((typeof whole === 'string' ? isoToDateParts(whole) : undefined) ?? { day: '', month: '', year: '' });
  // Only the boxes that are wrong are highlighted; when the boxes hold a date that a later rule
  // refused (in the future, before another date), the whole date is.
  const wrong = options.error ? wrongParts(readDateInput(shown)) : [];
  const highlight = (p: DatePart) =>
    options.error && (wrong.length === 0 || wrong.includes(p)) ? true : false;
  return {
    id,
    fieldset: {
      legend: { text: options.legend, classes: options.legendClasses ?? 'govuk-fieldset__legend--s' },
    },
    hint: options.hint ? { text: options.hint } : undefined,
    errorMessage: options.error ? { text: options.error } : undefined,
    items: DATE_PARTS.map((p) => ({
      id: partName(id, p),
      name: partName(options.name, p),
      label: options.t(`dateInput.${p}`),
      value: shown[p],
      classes: `govuk-input--width-${p === 'year' ? 4 : 2}${highlight(p) ? ' govuk-input--error' : ''}`,
    })),
  };
}
