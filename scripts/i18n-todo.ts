/**
 * What a translation still needs, for translators and reviewers.
 *
 *   npm run i18n:todo            one line per language: missing, extra and malformed strings
 *   npm run i18n:todo -- uk      for Ukrainian, every locale folder's missing strings, in English,
 *                                in the shape its uk.json needs
 *
 * Only the strings residents read are translated (src/platform/i18n/scope.ts).
 */
import path from 'node:path';
import { LANGUAGES, DEFAULT_LANGUAGE, localeDirectories } from '../src/platform/i18n/index.js';
import { reportFor } from '../src/platform/i18n/completeness.js';

const root = process.cwd();
const asked = process.argv[2];
const languages = Object.keys(LANGUAGES).filter((l) => l !== DEFAULT_LANGUAGE);

if (asked) {
  if (!languages.includes(asked)) {
    console.error(`Unknown language "${asked}". Heard has: ${languages.join(', ')}`);
    process.exit(2);
  }
  for (const dir of localeDirectories()) {
    const report = reportFor(dir, asked);
    if (!report.missing.length && !report.extra.length && !report.problems.length) continue;
    console.log(`\n## ${path.relative(root, report.file)}`);
    if (report.extra.length) console.log(`extra (remove): ${report.extra.join(', ')}`);
    for (const p of report.problems) console.log(`problem: ${p}`);
    if (report.missing.length) console.log(JSON.stringify(report.todo, null, 2));
  }
} else {
  for (const lang of languages) {
    const reports = localeDirectories().map((dir) => reportFor(dir, lang));
    const count = (k: 'missing' | 'extra' | 'problems') => reports.reduce((n, r) => n + r[k].length, 0);
    console.log(
      `${lang.padEnd(6)} ${LANGUAGES[lang as keyof typeof LANGUAGES].name.padEnd(12)} missing ${count('missing')}, extra ${count('extra')}, problems ${count('problems')}`,
    );
  }
}
