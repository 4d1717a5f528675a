import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Translations. Each capability keeps its strings in its own locales/<lang>.json, namespaced under a
 * top-level key; the platform's live in platform/i18n/locales. They are merged once at start-up.
 */
export const LANGUAGES = {
  // Each language is named in itself, so a resident can find theirs without reading English.
  en: { name: 'English', dir: 'ltr' },
  uk: { name: 'Українська', dir: 'ltr' },
  // Dari is tagged fa-AF rather than prs: screen readers and Intl know fa-AF (Persian as written in
  // Afghanistan), and Heard has no Iranian Persian to confuse it with.
  'fa-AF': { name: 'دری', dir: 'rtl' },
  ps: { name: 'پښتو', dir: 'rtl' },
  pl: { name: 'Polski', dir: 'ltr' },
  ro: { name: 'Română', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
  ur: { name: 'اردو', dir: 'rtl' },
  pt: { name: 'Português', dir: 'ltr' },
} as const satisfies Record<string, { name: string; dir: 'ltr' | 'rtl' }>;

export type LanguageCode = keyof typeof LANGUAGES;

/**
 * The locale Intl formats dates and numbers in. English is British English. Every language keeps the
 * Gregorian calendar: the dates a resident reads in Heard (a reply due, a forum meeting) are the dates
 * on letters and appointments in England, so Dari and Pashto must not switch to the Solar Hijri year.
 */
export function intlLocale(lang: string): string {
  if (lang === 'en') return 'en-GB';
  return `${lang}-u-ca-gregory`;
}

export type Direction = 'ltr' | 'rtl';
export interface LanguageInfo {
  code: string;
  name: string;
  dir: Direction;
}
export type Vars = Record<string, string | number>;
export type Translate = (key: string, vars?: Vars) => string;
type Catalog = { [key: string]: string | Catalog };

export const DEFAULT_LANGUAGE = 'en';

const here = path.dirname(fileURLToPath(import.meta.url));
const srcDir = path.resolve(here, '../..');

function deepMerge(target: Catalog, source: Catalog, where: string): Catalog {
  for (const [k, v] of Object.entries(source)) {
    const existing = target[k];
    if (typeof v === 'object' && typeof existing === 'object') {
      deepMerge(existing, v, `${where}.${k}`);
    } else if (existing !== undefined) {
      throw new Error(`Translation key defined twice: ${where}.${k}`);
    } else {
      target[k] = v;
    }
  }
  return target;
}

/** Every locale directory: the platform's, then one per capability. */
export function localeDirectories(): string[] {
  const dirs = [path.join(here, 'locales')];
  const capabilities = path.join(srcDir, 'capabilities');
  for (const name of readdirSync(capabilities).sort()) {
    const dir = path.join(capabilities, name, 'locales');
    if (existsSync(dir)) dirs.push(dir);
  }
  return dirs;
}

export function loadCatalogs(): Map<string, Catalog> {
  const catalogs = new Map<string, Catalog>();
  for (const dir of localeDirectories()) {
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json')) continue;
      const lang = file.slice(0, -'.json'.length);
      const data = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Catalog;
      catalogs.set(
        lang,
        deepMerge(catalogs.get(lang) ?? {}, data, `${lang}:${path.basename(path.dirname(dir))}`),
      );
    }
  }
  return catalogs;
}

export function flattenKeys(catalog: Catalog, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : flattenKeys(v, `${prefix}${k}.`),
  );
}

function lookup(catalog: Catalog | undefined, key: string): string | Catalog | undefined {
  let node: string | Catalog | undefined = catalog;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return node;
}

export interface I18n {
  languages: LanguageInfo[];
  isSupported(lang: string | undefined): lang is string;
  translator(lang: string): Translate;
  direction(lang: string): Direction;
}

export function createI18n(
  catalogs: Map<string, Catalog> = loadCatalogs(),
  languageInfo: Record<string, { name: string; dir: Direction }> = LANGUAGES,
  options: { strict?: boolean } = {},
): I18n {
  const languages = Object.entries(languageInfo)
    .filter(([code]) => catalogs.has(code))
    .map(([code, info]) => ({ code, name: info.name, dir: info.dir }));
  const supported = new Set(languages.map((l) => l.code));
  const english = catalogs.get(DEFAULT_LANGUAGE);
  const plural = new Map<string, Intl.PluralRules>();

  return {
    languages,
    isSupported: (lang): lang is string => lang !== undefined && supported.has(lang),
    direction: (lang) => languageInfo[lang]?.dir ?? 'ltr',
    translator(lang) {
      const catalog = catalogs.get(lang);
      if (!plural.has(lang)) plural.set(lang, new Intl.PluralRules(lang));
      const rules = plural.get(lang)!;
      return (key, vars) => {
        // A language that lacks a key falls back to English rather than showing a key to a resident.
        let found = lookup(catalog, key) ?? lookup(english, key);
        if (found !== undefined && typeof found === 'object' && vars && typeof vars.count === 'number') {
          const form = rules.select(vars.count);
          found = found[form] ?? found.other;
        }
        if (typeof found !== 'string') {
          if (options.strict) throw new Error(`Missing translation: ${key}`);
          return key;
        }
        if (!vars) return found;
        return found.replace(/\{(\w+)\}/g, (m, name: string) =>
          vars[name] === undefined ? m : String(vars[name]),
        );
      };
    },
  };
}
