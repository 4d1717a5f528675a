import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseForm } from '../forms.js';
import { createI18n } from '../i18n/index.js';
import { createViewEnvironment } from '../views/index.js';
import {
  dateInputAnchor,
  dateInputParams,
  isoToDateParts,
  optionalDateInput,
  readDateInput,
  requiredDateInput,
  withDateInputs,
} from './date-input.js';

const t = createI18n().translator('en');
const d = (day: string, month: string, year: string) => readDateInput({ day, month, year });

describe('reading the three boxes', () => {
  it('reads a date, with or without leading zeros and spaces, and month names', () => {
    expect(d('27', '3', '2026')).toEqual({ kind: 'date', value: '2026-03-27' });
    expect(d('07', '03', '2026')).toEqual({ kind: 'date', value: '2026-03-07' });
    expect(d(' 1 ', ' 12', '2026 ')).toEqual({ kind: 'date', value: '2026-12-01' });
    expect(d('5', 'Sept', '2026')).toEqual({ kind: 'date', value: '2026-09-05' });
    expect(d('5', 'february', '2028')).toEqual({ kind: 'date', value: '2028-02-05' });
    expect(d('29', 'Feb', '2028')).toEqual({ kind: 'date', value: '2028-02-29' });
  });

  it('is empty when nothing is typed', () => {
    expect(d('', '', '')).toEqual({ kind: 'empty' });
    expect(readDateInput({})).toEqual({ kind: 'empty' });
  });

  it('names the missing boxes before anything else', () => {
    expect(d('27', '', '2026')).toEqual({ kind: 'incomplete', missing: ['month'] });
    expect(d('', '', '2026')).toEqual({ kind: 'incomplete', missing: ['day', 'month'] });
    expect(d('99', 'x', '')).toEqual({ kind: 'incomplete', missing: ['year'] });
  });

  it('names the boxes that cannot be right', () => {
    expect(d('32', '3', '2026')).toEqual({ kind: 'notReal', wrong: ['day'] });
    expect(d('1', '13', '2026')).toEqual({ kind: 'notReal', wrong: ['month'] });
    expect(d('0', 'Ma', '2026')).toEqual({ kind: 'notReal', wrong: ['day', 'month'] });
    expect(d('1', '1', 'abcd')).toEqual({ kind: 'notReal', wrong: ['year'] });
    expect(d('x', '1', '26')).toEqual({ kind: 'notReal', wrong: ['day', 'year'] });
  });

  it('asks for four numbers in the year when that is all that is wrong', () => {
    expect(d('1', '1', '26')).toEqual({ kind: 'yearDigits' });
    expect(d('1', '1', '20266')).toEqual({ kind: 'yearDigits' });
  });

  it('refuses a date that does not exist, as a whole', () => {
    expect(d('31', '2', '2026')).toEqual({ kind: 'notReal', wrong: ['day', 'month', 'year'] });
    expect(d('29', '2', '2026')).toEqual({ kind: 'notReal', wrong: ['day', 'month', 'year'] });
  });

  it('splits a yyyy-mm-dd day into boxes', () => {
    expect(isoToDateParts('2026-03-07')).toEqual({ day: '7', month: '3', year: '2026' });
    expect(isoToDateParts('7/3/2026')).toBeUndefined();
  });
});

describe('a form with date inputs', () => {
  const form = withDateInputs(
    ['reviewDate', 'followUp'],
    z.object({
      reviewDate: requiredDateInput({
        name: 'tension.errors.reviewName',
        required: 'tension.errors.reviewRequired',
      }),
      followUp: optionalDateInput({ name: 'engagement.errors.followUpName' }),
    }),
  );
  const parse = (body: Record<string, string>) => parseForm(form, body, t);

  it('gathers the boxes into yyyy-mm-dd, and leaves an empty optional date undefined', () => {
    expect(parse({ 'reviewDate-day': '3', 'reviewDate-month': '4', 'reviewDate-year': '2026' })).toEqual({
      ok: true,
      value: { reviewDate: '2026-04-03', followUp: undefined },
    });
  });

  it('gives the Design System messages, each linking to the first box to fix', () => {
    const parsed = parse({
      'reviewDate-day': '3',
      'reviewDate-year': '2026',
      'followUp-day': '31',
      'followUp-month': '2',
      'followUp-year': '2026',
    });
    expect(parsed).toEqual({
      ok: false,
      errors: [
        { href: '#reviewDate-month', text: 'Review date must include a month' },
        { href: '#followUp-day', text: 'Follow-up date must be a real date' },
      ],
      byField: {
        reviewDate: 'Review date must include a month',
        followUp: 'Follow-up date must be a real date',
      },
    });
  });

  it('asks for a missing required date by its own message, and for four numbers in a year', () => {
    const parsed = parse({ 'followUp-day': '1', 'followUp-month': 'jan', 'followUp-year': '26' });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      { href: `#${dateInputAnchor('reviewDate')}`, text: 'Enter a review date' },
      { href: '#followUp-year', text: 'Year must include 4 numbers' },
    ]);
  });

  it('links to the boxes of a field whose id differs from its name', () => {
    const parsed = parseForm(form, { 'reviewDate-day': '1', 'reviewDate-month': '1' }, t, {
      reviewDate: 'reviewDate-abc',
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]!.href).toBe('#reviewDate-abc-year');
  });
});

describe('the template helper', () => {
  const env = createViewEnvironment();
  const render = (options: Record<string, unknown>) =>
    env.renderString(
      '{% from "govuk/components/date-input/macro.njk" import govukDateInput %}{{ govukDateInput(dateInput(o)) }}',
      { o: { name: 'reviewDate', legend: 'Review date', t, ...options } },
    );
  const errorClass = (html: string) =>
    [...html.matchAll(/<input class="([^"]*)" id="([^"]+)"/g)]
      .filter((m) => m[1]!.includes('govuk-input--error'))
      .map((m) => m[2]);

  it('shows a yyyy-mm-dd value in three labelled boxes in a fieldset', () => {
    const html = render({ values: { reviewDate: '2026-03-27' }, hint: 'For example, 27 3 2026' });
    expect(html).toContain('<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">');
    expect(html).toMatch(
      /id="reviewDate-day" name="reviewDate-day" type="text" value="27" inputmode="numeric"/,
    );
    expect(html).toMatch(/id="reviewDate-month" name="reviewDate-month" type="text" value="3"/);
    expect(html).toMatch(/id="reviewDate-year" name="reviewDate-year" type="text" value="2026"/);
    expect(html).toMatch(
      /<label class="govuk-label govuk-date-input__label" for="reviewDate-month">\s*Month/,
    );
    expect(html).toContain('For example, 27 3 2026');
    expect(errorClass(html)).toEqual([]);
  });

  it('shows what was typed and highlights only the wrong boxes', () => {
    const html = render({
      values: { 'reviewDate-day': '3', 'reviewDate-month': '', 'reviewDate-year': '2026' },
      error: 'Review date must include a month',
    });
    expect(html).toContain('govuk-form-group--error');
    expect(html).toContain('Review date must include a month');
    expect(html).toMatch(/id="reviewDate-day" name="reviewDate-day" type="text" value="3"/);
    expect(errorClass(html)).toEqual(['reviewDate-month']);
  });

  it('highlights every box when a real date was refused by a later rule', () => {
    const html = render({
      values: { 'reviewDate-day': '3', 'reviewDate-month': '4', 'reviewDate-year': '2026' },
      error: 'The review date must be the same as or after the date of the report',
    });
    expect(errorClass(html)).toEqual(['reviewDate-day', 'reviewDate-month', 'reviewDate-year']);
  });

  it('prefixes the ids when a page has several forms with the field', () => {
    const params = dateInputParams({ name: 'followUpDue', id: 'followUpDue-r1', legend: 'Follow up by', t });
    expect(params.items.map((i) => [i.id, i.name])).toEqual([
      ['followUpDue-r1-day', 'followUpDue-day'],
      ['followUpDue-r1-month', 'followUpDue-month'],
      ['followUpDue-r1-year', 'followUpDue-year'],
    ]);
  });
});
