import { intlLocale } from '../i18n/index.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { dateInputParams } from '../forms/date-input.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const GOVUK_FRONTEND_DIST = path.resolve(
  path.dirname(require.resolve('govuk-frontend/package.json')),
  'dist',
);

/**
 * One Nunjucks environment for every page. Templates are found in the platform's templates folder
 * (layout, errors, shared partials), in each capability's folder as `<capability>/views/<name>.njk`,
 * and in govuk-frontend for its component macros. Autoescaping is on: user text is never raw HTML.
 */
export function createViewEnvironment(options: { watch?: boolean } = {}): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(
      [path.join(here, 'templates'), path.resolve(here, '../../capabilities'), GOVUK_FRONTEND_DIST],
      { watch: options.watch ?? false, noCache: false },
    ),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  env.addFilter(
    'date',
    (value: Date | string | null | undefined, lang = 'en', style: 'date' | 'datetime' = 'date') => {
      if (!value) return '';
      const d = value instanceof Date ? value : new Date(value);
      return new Intl.DateTimeFormat(intlLocale(lang), {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        ...(style === 'datetime' ? { hour: '2-digit', minute: '2-digit' } : {}),
        timeZone: 'Europe/London',
      }).format(d);
    },
  );
  // The GOV.UK date input's parameters, from a form's values and errors (platform/forms/date-input.ts).
  env.addGlobal('dateInput', dateInputParams);
  env.addFilter('number', (value: number, lang = 'en') =>
    new Intl.NumberFormat(intlLocale(lang)).format(value),
  );
  return env;
}
