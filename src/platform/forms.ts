import { z } from 'zod';
import type { FieldIssueParams } from './forms/date-input.js';
import type { Translate } from './i18n/index.js';

/** A field's error, shaped for govuk-frontend: the summary links to `href`, the field shows `text`. */
export interface FieldError {
  href: string;
  text: string;
}

export type FormResult<T> =
  { ok: true; value: T } | { ok: false; errors: FieldError[]; byField: Record<string, string> };

/**
 * Parses a submitted form with zod. Issue messages are translation keys; each error links to the
 * field's id (the field name, or `<name>-<first option>` style ids passed in `ids`). A custom issue
 * may carry FieldIssueParams: variables for its message, and the part of the field to link to (a
 * date input's box: `#<id>-month`).
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  t: Translate,
  ids: Record<string, string> = {},
): FormResult<z.output<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, value: result.data };
  const byField: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (byField[field]) continue;
    const params: FieldIssueParams = issue.code === 'custom' ? (issue.params ?? {}) : {};
    const vars = Object.fromEntries(Object.entries(params.keyVars ?? {}).map(([k, key]) => [k, t(key)]));
    const text = t(issue.message.includes('.') ? issue.message : 'common.invalid', vars);
    byField[field] = text;
    const id = ids[field] ?? field;
    errors.push({ href: `#${params.part ? `${id}-${params.part}` : id}`, text });
  }
  return { ok: false, errors, byField };
}

// Field helpers for forms, where everything arrives as strings (or is missing). `.optional()` comes
// before the transform, not a union with z.undefined(): zod 4 reports a missing key as "expected
// nonoptional" unless the schema it starts with is itself optional.

/** Trims, and turns Windows line endings into \n. */
export const normaliseText = (s: string | undefined) => (s ?? '').replace(/\r\n/g, '\n').trim();

export const requiredText = (max: number, required: string, tooLong: string) =>
  z.string().optional().transform(normaliseText).pipe(z.string().min(1, required).max(max, tooLong));

/** Empty means not given (undefined). */
export const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .optional()
    .transform(normaliseText)
    .pipe(z.string().max(max, tooLong))
    .transform((s) => (s === '' ? undefined : s));

/** Checkboxes: absent, one value or many; a hidden "_none" lets a form say "none ticked". */
export const checkboxList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== '' && x !== '_none'),
  );
