import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import { testConfig } from '../../config.js';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { createTestPartnership } from '../../../test/helpers/fixtures.js';
import {
  AFFECTED_GROUPS,
  EQUALITY_QUESTIONS,
  KINDS,
  TOPICS,
} from '../../capabilities/concerns/vocabulary.js';
import { STATUSES } from '../../capabilities/concerns/workflow.js';
import { STEPS } from '../../capabilities/share/share.service.js';
import type { Database } from '../db/index.js';
import { LANG_COOKIE } from '../http/context.js';
import type { ErrorKind } from '../http/errors.js';
import { createI18n, DEFAULT_LANGUAGE, LANGUAGES, localeDirectories, loadCatalogs } from './index.js';
import {
  compareCatalogs,
  readCatalog,
  reportFor,
  residentPart,
  shapeProblems,
  translationKeys,
  type Catalog,
} from './completeness.js';
import { inResidentScope, RESIDENT_SCOPE } from './scope.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function filesUnder(dir: string, ending: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ending))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Keys passed literally to t(): `t('a.b')`, `request.t("a.b", {...})`, `` reply.request.t(`a.b`) ``.
 * A literal followed by `+` or containing `${` is a dynamic key, checked separately below.
 */
const LITERAL_CALL = /(?<![\w$])t\(\s*(?:'([^'\n]+)'|"([^"\n]+)"|`([^`$\n]+)`)\s*[,)]/g;

function literalKeys(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(LITERAL_CALL)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

const english = loadCatalogs().get(DEFAULT_LANGUAGE)!;
const englishKeys = new Set(translationKeys(english));

function missingFromEnglish(keys: Iterable<string>): string[] {
  return [...new Set(keys)].filter((k) => !englishKeys.has(k)).sort();
}

describe('English catalogue', () => {
  it('has every key used literally in a template', () => {
    const files = filesUnder(SRC, '.njk');
    expect(files.length).toBeGreaterThan(10);
    const used = files.flatMap((f) => literalKeys(f).map((k) => ({ k, f: path.relative(SRC, f) })));
    expect(used.length).toBeGreaterThan(100);
    const missing = used.filter(({ k }) => !englishKeys.has(k)).map(({ k, f }) => `${k} (${f})`);
    expect(missing).toEqual([]);
  });

  it('has every key used literally in code', () => {
    const files = filesUnder(SRC, '.ts').filter((f) => !f.endsWith('.test.ts'));
    const used = files.flatMap((f) => literalKeys(f).map((k) => ({ k, f: path.relative(SRC, f) })));
    expect(used.length).toBeGreaterThan(5);
    const missing = used.filter(({ k }) => !englishKeys.has(k)).map(({ k, f }) => `${k} (${f})`);
    expect(missing).toEqual([]);
  });

  it('has every validation message key in the form schemas', () => {
    const namespaces = Object.keys(english);
    const keyLike = new RegExp(`'((?:${namespaces.join('|')})\\.[A-Za-z0-9_.]+)'`, 'g');
    const files = filesUnder(SRC, '.schema.ts').concat(path.join(SRC, 'platform/forms.ts'));
    const used = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(keyLike)].map((m) => m[1]!));
    expect(used).toContain('share.errors.kindRequired');
    expect(missingFromEnglish(used)).toEqual([]);
  });

  it('translates every literal key to text, not to the key itself', () => {
    const t = createI18n().translator('en');
    for (const key of ['common.back', 'common.continue', 'errors.notFound.title', 'share.start.title']) {
      expect(t(key)).not.toBe(key);
    }
  });

  describe('keys built from vocabularies', () => {
    it('kinds', () => {
      expect(
        missingFromEnglish(KINDS.flatMap((k) => [`share.vocab.kind.${k}`, `share.kind.hint.${k}`])),
      ).toEqual([]);
    });

    it('topics', () => {
      expect(missingFromEnglish(TOPICS.map((k) => `share.vocab.topic.${k}`))).toEqual([]);
    });

    it('affected groups', () => {
      expect(missingFromEnglish(AFFECTED_GROUPS.map((k) => `share.vocab.group.${k}`))).toEqual([]);
    });

    it('equality questions and every answer', () => {
      const keys = Object.entries(EQUALITY_QUESTIONS).flatMap(([q, answers]) => [
        `share.equality.questions.${q}`,
        ...answers.map((a) => `share.equality.answers.${q}.${a}`),
      ]);
      expect(missingFromEnglish(keys)).toEqual([]);
    });

    it('statuses on Check progress, with help text for each', () => {
      const keys = STATUSES.flatMap((s) => [
        `share.progress.statuses.${s}`,
        `share.progress.statusHelp.${s}`,
      ]);
      expect(missingFromEnglish(keys)).toEqual([]);
    });

    it('question page titles', () => {
      expect(missingFromEnglish(STEPS.map((s) => `share.${s}.title`))).toEqual([]);
    });

    it('error pages', () => {
      const kinds: ErrorKind[] = [
        'badRequest',
        'unauthorised',
        'forbidden',
        'notFound',
        'csrf',
        'tooMany',
        'server',
      ];
      expect(missingFromEnglish(kinds.map((k) => `errors.${k}.title`))).toEqual([]);
      for (const k of kinds)
        expect(filesUnder(path.join(SRC, 'platform/views/templates/errors'), `${k}.njk`)).toHaveLength(1);
    });

    it('the fallback message for a form error without its own key', () => {
      expect(
        missingFromEnglish(['common.invalid', 'common.errorPrefix', 'common.errorSummaryTitle']),
      ).toEqual([]);
    });
  });
});

describe('other languages', () => {
  const translated = Object.keys(LANGUAGES).filter((l) => l !== DEFAULT_LANGUAGE);

  it('are the nine the partnership serves, each named in itself, right to left where written so', () => {
    expect(Object.keys(LANGUAGES)).toEqual(['en', 'uk', 'fa-AF', 'ps', 'pl', 'ro', 'ar', 'ur', 'pt']);
    const rtl = Object.entries(LANGUAGES)
      .filter(([, l]) => l.dir === 'rtl')
      .map(([code]) => code);
    expect(rtl).toEqual(['fa-AF', 'ps', 'ar', 'ur']);
    expect(LANGUAGES.uk.name).toBe('Українська');
    expect(LANGUAGES['fa-AF'].name).toBe('دری');
  });

  it.each(translated)(
    '%s has every string residents read, with the same placeholders and its plural forms',
    (lang) => {
      const problems = localeDirectories().flatMap((dir) => {
        const r = reportFor(dir, lang);
        const where = path.relative(SRC, r.file);
        return [
          ...r.missing.map((k) => `${where}: missing ${k}`),
          ...r.extra.map((k) => `${where}: not a resident string (or a typo): ${k}`),
          ...r.problems.map((p) => `${where}: ${p}`),
        ];
      });
      expect(problems).toEqual([]);
    },
  );

  it('have a file in each locale folder that holds strings residents read, and only there', () => {
    const problems: string[] = [];
    for (const dir of localeDirectories()) {
      const files = new Set(readdirSync(dir).filter((f) => f.endsWith('.json')));
      expect(files.has('en.json'), dir).toBe(true);
      const resident = translationKeys(residentPart(readCatalog(path.join(dir, 'en.json')))).length > 0;
      for (const lang of translated)
        if (files.has(`${lang}.json`) !== resident)
          problems.push(`${path.relative(SRC, dir)}: ${resident ? 'lacks' : 'should not have'} ${lang}.json`);
    }
    expect(problems).toEqual([]);
  });

  it('translate every prefix in the resident scope: each names strings that exist in English', () => {
    for (const prefix of RESIDENT_SCOPE)
      expect(
        [...englishKeys].some((k) => inResidentScope(k) && (k === prefix || k.startsWith(`${prefix}.`))),
        prefix,
      ).toBe(true);
  });

  describe('shapeProblems', () => {
    const en: Catalog = { a: 'Ref {reference} due {date}', n: { one: '{count} day', other: '{count} days' } };

    it('finds a dropped or renamed placeholder', () => {
      expect(shapeProblems(en, { a: 'Ref {referencia} due {date}' }, 'pt')).toEqual([
        'a: placeholders date,referencia ≠ date,reference',
      ]);
    });

    it('finds a plural form the language needs but the translation lacks', () => {
      expect(shapeProblems(en, { n: { one: '{count} dzień', other: '{count} dni' } }, 'pl')).toEqual([
        'n: lacks the "few" form',
        'n: lacks the "many" form',
      ]);
      expect(
        shapeProblems(
          en,
          { n: { one: '{count} dzień', few: '{count} dni', many: '{count} dni', other: '{count} dnia' } },
          'pl',
        ),
      ).toEqual([]);
    });
  });

  describe('compareCatalogs', () => {
    const en: Catalog = {
      common: { back: 'Back', items: { one: '{count} item', other: '{count} items' } },
      share: { title: 'Share', vocab: { a: 'A', b: 'B' } },
    };

    it('finds nothing wrong with a complete translation, whatever plural forms it uses', () => {
      const cy: Catalog = {
        common: {
          back: 'Yn ôl',
          items: { zero: '0', one: '1', two: '2', few: 'few', many: 'many', other: 'other' },
        },
        share: { title: 'Rhannu', vocab: { a: 'A', b: 'B' } },
      };
      expect(compareCatalogs(en, cy)).toEqual({ missing: [], extra: [] });
    });

    it('reports missing and extra keys, nested or not', () => {
      const xx: Catalog = {
        common: { back: 'Back', itmes: { one: '1', other: 'n' } },
        share: { vocab: { a: 'A', c: 'C' } },
      };
      expect(compareCatalogs(en, xx)).toEqual({
        missing: ['common.items', 'share.title', 'share.vocab.b'],
        extra: ['common.itmes', 'share.vocab.c'],
      });
    });

    it('reports a whole missing section key by key', () => {
      expect(compareCatalogs(en, { common: { back: 'x', items: { other: 'x' } } }).missing).toEqual([
        'share.title',
        'share.vocab.a',
        'share.vocab.b',
      ]);
    });

    it('does not mistake an ordinary section with an "other" key for a plural group', () => {
      const withOther: Catalog = { start: { other: { email: 'Email' }, title: 'x' } };
      expect(translationKeys(withOther)).toEqual(['start.other.email', 'start.title']);
      expect(compareCatalogs(withOther, { start: { other: { email: 'E' } } }).missing).toEqual([
        'start.title',
      ]);
    });
  });
});

describe('createI18n', () => {
  const i18n = createI18n(
    new Map<string, Catalog>([
      [
        'en',
        {
          common: {
            hello: 'Hello {name}',
            items: { one: '{count} item', other: '{count} items' },
            only: 'English only',
          },
        },
      ],
      ['ar', { common: { hello: 'مرحبا {name}' } }],
    ]),
    {
      en: { name: 'English', dir: 'ltr' },
      ar: { name: 'العربية', dir: 'rtl' },
      fr: { name: 'Français', dir: 'ltr' },
    },
  );

  it('offers only languages that have a catalogue', () => {
    expect(i18n.languages.map((l) => l.code)).toEqual(['en', 'ar']);
    expect(i18n.isSupported('ar')).toBe(true);
    expect(i18n.isSupported('fr')).toBe(false);
    expect(i18n.isSupported(undefined)).toBe(false);
    expect(i18n.direction('ar')).toBe('rtl');
  });

  it('translates with variables and plurals, and falls back to English, then to the key', () => {
    const ar = i18n.translator('ar');
    expect(ar('common.hello', { name: 'Sami' })).toBe('مرحبا Sami');
    expect(ar('common.only')).toBe('English only');
    expect(ar('common.nothing')).toBe('common.nothing');
    const en = i18n.translator('en');
    expect(en('common.items', { count: 1 })).toBe('1 item');
    expect(en('common.items', { count: 3 })).toBe('3 items');
    expect(en('common.hello', {})).toBe('Hello {name}');
  });

  it('throws on a missing key when strict', () => {
    const strict = createI18n(
      new Map([['en', { a: 'A' }]]),
      { en: { name: 'English', dir: 'ltr' } },
      { strict: true },
    );
    expect(() => strict.translator('en')('b')).toThrow('Missing translation: b');
  });
});

describe('choosing a language over HTTP', () => {
  let db: Database;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await createTestDatabase();
    await createTestPartnership(db, 'a');
    const i18n = createI18n(
      new Map<string, Catalog>([
        ['en', english],
        ['ar', { share: { start: { title: 'شارك مصدر قلق' } } }],
      ]),
      { en: { name: 'English', dir: 'ltr' }, ar: { name: 'العربية', dir: 'rtl' } },
    );
    app = await buildApp({ config: testConfig(), db, i18n });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const htmlTag = (body: string) => /<html[^>]*>/.exec(body)?.[0] ?? '';

  it('is English, left to right, by default', async () => {
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(htmlTag(res.body)).toContain('lang="en" dir="ltr"');
  });

  it('?lang=ar sets lang and dir on <html>, and a cookie remembers it', async () => {
    const res = await app.inject({ url: '/?lang=ar' });
    expect(res.statusCode).toBe(200);
    expect(htmlTag(res.body)).toContain('lang="ar" dir="rtl"');
    expect(res.body).toContain('شارك مصدر قلق');
    // Strings the translation lacks fall back to English rather than showing keys.
    expect(res.body).toContain('If you are in danger now, call 999');
    const cookie = res.cookies.find((c) => c.name === LANG_COOKIE);
    expect(cookie).toMatchObject({ value: 'ar', httpOnly: true, sameSite: 'Lax', path: '/' });

    const again = await app.inject({ url: '/share/kind', cookies: { [LANG_COOKIE]: cookie!.value } });
    expect(htmlTag(again.body)).toContain('lang="ar" dir="rtl"');
  });

  it('offers a link to each language', async () => {
    const res = await app.inject({ url: '/' });
    expect(res.body).toContain('href="?lang=ar" lang="ar" hreflang="ar"');
  });

  it('ignores an unsupported language, in the query or in the cookie', async () => {
    const res = await app.inject({ url: '/?lang=xx' });
    expect(htmlTag(res.body)).toContain('lang="en" dir="ltr"');
    expect(res.cookies.find((c) => c.name === LANG_COOKIE)).toBeUndefined();

    const fromCookie = await app.inject({ url: '/', cookies: { [LANG_COOKIE]: 'xx' } });
    expect(htmlTag(fromCookie.body)).toContain('lang="en" dir="ltr"');

    // An unsupported ?lang does not undo a language already chosen.
    const kept = await app.inject({ url: '/?lang=xx', cookies: { [LANG_COOKIE]: 'ar' } });
    expect(htmlTag(kept.body)).toContain('lang="ar" dir="rtl"');
  });

  it('uses the browser’s Accept-Language when nothing was chosen', async () => {
    const res = await app.inject({ url: '/', headers: { 'accept-language': 'fr-FR, ar;q=0.8, en;q=0.5' } });
    expect(htmlTag(res.body)).toContain('lang="ar" dir="rtl"');
  });

  it('matches Accept-Language by quality, then by language: pt-BR is Portuguese, fa is Dari', () => {
    const i18n = createI18n();
    expect(i18n.negotiate('pt-BR,pt;q=0.9,en;q=0.5')).toBe('pt');
    expect(i18n.negotiate('fa-IR')).toBe('fa-AF');
    expect(i18n.negotiate('en;q=0.4, uk;q=0.9')).toBe('uk');
    expect(i18n.negotiate('de-DE, fr;q=0.8')).toBeUndefined();
    expect(i18n.negotiate('ar;q=0, ur')).toBe('ur');
    expect(i18n.match('FA-af')).toBe('fa-AF');
    expect(i18n.match('zz')).toBeUndefined();
  });

  it('keeps staff pages in English, offering no language choice, whatever a resident chose', async () => {
    const res = await app.inject({ url: '/staff/sign-in', cookies: { [LANG_COOKIE]: 'ar' } });
    expect(htmlTag(res.body)).toContain('lang="en" dir="ltr"');
    expect(res.body).not.toContain('heard-language-chooser');
    const asked = await app.inject({ url: '/staff/sign-in?lang=ar' });
    expect(htmlTag(asked.body)).toContain('lang="en" dir="ltr"');
    expect(asked.cookies.find((c) => c.name === LANG_COOKIE)).toBeUndefined();
  });

  it('?lang=en switches back', async () => {
    const res = await app.inject({ url: '/?lang=en', cookies: { [LANG_COOKIE]: 'ar' } });
    expect(htmlTag(res.body)).toContain('lang="en" dir="ltr"');
    expect(res.cookies.find((c) => c.name === LANG_COOKIE)?.value).toBe('en');
  });
});
