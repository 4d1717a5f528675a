import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lookup as lookupIn, type Catalog } from './completeness.js';

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
  return catalog && lookupIn(catalog, key);
}

export interface I18n {
  languages: LanguageInfo[];
  isSupported(lang: string | undefined): lang is string;
  /** A supported code for what was asked, ignoring case (`fa-af` is `fa-AF`). */
  match(lang: string | undefined): string | undefined;
  /**
   * The best language for an Accept-Language header: an exact tag first, then the same language
   * (`pt-BR` is Portuguese; `fa` or `fa-IR` is Dari, the Persian Heard has), in the header's order.
   */
  negotiate(acceptLanguage: string | undefined): string | undefined;
  translator(lang: string): Translate;
  direction(lang: string): Direction;
}

export function createI18n(
  catalogs: Map<string, Catalog> = loadCatalogs(),
  languageInfo: Record<string, { name: string; dir: Direction }> = LANGUAGES,
  options: {
    strict?: boolean;
    /** Told whenever a language lacks a key and English stands in: the page crawl fails on it. */
    onFallback?: (lang: string, key: string) => void;
  } = {},
): I18n {
  const languages = Object.entries(languageInfo)
    .filter(([code]) => catalogs.has(code))
    .map(([code, info]) => ({ code, name: info.name, dir: info.dir }));
  const supported = new Set(languages.map((l) => l.code));
  const english = catalogs.get(DEFAULT_LANGUAGE);
  const plural = new Map<string, Intl.PluralRules>();

  const byLowerCase = new Map(languages.map((l) => [l.code.toLowerCase(), l.code]));
  const byPrimary = new Map(languages.map((l) => [l.code.toLowerCase().split('-')[0]!, l.code]));
  const match = (lang: string | undefined) => (lang ? byLowerCase.get(lang.toLowerCase()) : undefined);

  return {
    languages,
    isSupported: (lang): lang is string => lang !== undefined && supported.has(lang),
    match,
    negotiate(header) {
      const ranked = (header ?? '')
        .split(',')
        .map((part, i) => {
          const [tag, ...params] = part.trim().split(';');
          const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
          return { tag: tag!.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
        })
        .filter((r) => r.tag && r.q > 0)
        .sort((a, b) => b.q - a.q || a.i - b.i);
      for (const { tag } of ranked) {
        const found = match(tag) ?? byPrimary.get(tag.split('-')[0]!);
        if (found) return found;
      }
      return undefined;
    },
    direction: (lang) => languageInfo[lang]?.dir ?? 'ltr',
    translator(lang) {
      const catalog = catalogs.get(lang);
      if (!plural.has(lang)) plural.set(lang, new Intl.PluralRules(lang));
      const rules = plural.get(lang)!;
      return (key, vars) => {
        // A language that lacks a key falls back to English rather than showing a key to a resident.
        let found = lookup(catalog, key);
        if (found === undefined) {
          found = lookup(english, key);
          if (found !== undefined && lang !== DEFAULT_LANGUAGE) options.onFallback?.(lang, key);
        }
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
