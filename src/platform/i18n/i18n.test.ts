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
import { createI18n, DEFAULT_LANGUAGE, localeDirectories, loadCatalogs } from './index.js';

type Catalog = { [key: string]: string | Catalog };

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PLURAL_FORMS = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

/** A plural group ({one, other}, ...) counts as one key: languages differ in which forms they need. */
function isPluralGroup(node: Catalog): boolean {
  const keys = Object.keys(node);
  return (
    keys.includes('other') &&
    keys.every((k) => PLURAL_FORMS.has(k)) &&
    Object.values(node).every((v) => typeof v === 'string')
  );
}

/** Every translatable key in a catalogue, with plural groups as single keys. */
function translationKeys(catalog: Catalog, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([k, v]) => {
    if (typeof v === 'string') return [`${prefix}${k}`];
    return isPluralGroup(v) ? [`${prefix}${k}`] : translationKeys(v, `${prefix}${k}.`);
  });
}

/** What a translation lacks, and what it has that English does not (a typo, or a key English dropped). */
function compareCatalogs(english: Catalog, other: Catalog): { missing: string[]; extra: string[] } {
  const en = new Set(translationKeys(english));
  const tr = new Set(translationKeys(other));
  return {
    missing: [...en].filter((k) => !tr.has(k)).sort(),
    extra: [...tr].filter((k) => !en.has(k)).sort(),
  };
}

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
  it('have exactly the same keys as English', () => {
    const catalogs = loadCatalogs();
    expect(catalogs.has('en')).toBe(true);
    const problems: string[] = [];
    for (const [lang, catalog] of catalogs) {
      if (lang === DEFAULT_LANGUAGE) continue;
      const { missing, extra } = compareCatalogs(english, catalog);
      problems.push(
        ...missing.map((k) => `${lang}: missing ${k}`),
        ...extra.map((k) => `${lang}: extra ${k}`),
      );
    }
    expect(problems).toEqual([]);
  });

  it('keep each capability’s strings in its own locale folder, one file per language', () => {
    const languages = new Set(['en']);
    for (const dir of localeDirectories()) {
      const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
      expect(files, dir).toContain('en.json');
      for (const f of files) languages.add(f.slice(0, -5));
    }
    for (const dir of localeDirectories()) {
      const files = new Set(readdirSync(dir));
      for (const lang of languages) expect(files.has(`${lang}.json`), `${dir} lacks ${lang}.json`).toBe(true);
    }
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

  it('?lang=en switches back', async () => {
    const res = await app.inject({ url: '/?lang=en', cookies: { [LANG_COOKIE]: 'ar' } });
    expect(htmlTag(res.body)).toContain('lang="en" dir="ltr"');
    expect(res.cookies.find((c) => c.name === LANG_COOKIE)?.value).toBe('en');
  });
});
