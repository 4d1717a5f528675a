import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inResidentScope } from './scope.js';

/**
 * Checks a translation against English: what it lacks, what it has that English does not, and
 * strings whose {placeholders} or plural forms differ. Used by the completeness test and by
 * `npm run i18n:todo`, which lists what a translator still has to do.
 */
export type Catalog = { [key: string]: string | Catalog };

const PLURAL_FORMS = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

/** A plural group ({one, other}, ...) counts as one key: languages differ in which forms they need. */
export function isPluralGroup(node: Catalog): boolean {
  const keys = Object.keys(node);
  return (
    keys.includes('other') &&
    keys.every((k) => PLURAL_FORMS.has(k)) &&
    Object.values(node).every((v) => typeof v === 'string')
  );
}

/** Every translatable key in a catalogue, with plural groups as single keys. */
export function translationKeys(catalog: Catalog, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([k, v]) => {
    if (typeof v === 'string') return [`${prefix}${k}`];
    return isPluralGroup(v) ? [`${prefix}${k}`] : translationKeys(v, `${prefix}${k}.`);
  });
}

/** What a translation lacks, and what it has that English does not (a typo, or a key English dropped). */
export function compareCatalogs(english: Catalog, other: Catalog): { missing: string[]; extra: string[] } {
  const en = new Set(translationKeys(english));
  const tr = new Set(translationKeys(other));
  return {
    missing: [...en].filter((k) => !tr.has(k)).sort(),
    extra: [...tr].filter((k) => !en.has(k)).sort(),
  };
}

export function lookup(catalog: Catalog, key: string): string | Catalog | undefined {
  let node: string | Catalog | undefined = catalog;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return node;
}

function setPath(catalog: Catalog, key: string, value: string | Catalog): void {
  const parts = key.split('.');
  let node = catalog;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Catalog;
  node[parts[parts.length - 1]!] = value;
}

/** The part of a catalogue residents read (see scope.ts), keeping its shape. */
export function residentPart(catalog: Catalog): Catalog {
  const out: Catalog = {};
  for (const key of translationKeys(catalog))
    if (inResidentScope(key)) setPath(out, key, lookup(catalog, key)!);
  return out;
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
}

/**
 * Strings present in both whose placeholders differ (a translated or dropped {reference} would show
 * a resident a broken sentence), and plural groups lacking a form the language's plural rules need.
 */
export function shapeProblems(english: Catalog, other: Catalog, lang: string): string[] {
  const problems: string[] = [];
  const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  for (const key of translationKeys(english)) {
    const en = lookup(english, key);
    const tr = lookup(other, key);
    if (tr === undefined || en === undefined) continue;
    if (typeof en === 'string') {
      if (typeof tr !== 'string') problems.push(`${key}: should be text`);
      else if (placeholders(en).join() !== placeholders(tr).join())
        problems.push(`${key}: placeholders ${placeholders(tr).join(',')} ≠ ${placeholders(en).join(',')}`);
      continue;
    }
    if (typeof tr === 'string' || !isPluralGroup(tr)) {
      problems.push(`${key}: should be a plural group`);
      continue;
    }
    for (const form of needed) if (tr[form] === undefined) problems.push(`${key}: lacks the "${form}" form`);
    const enVars = placeholders(Object.values(en).join(' '));
    for (const [form, text] of Object.entries(tr))
      if (typeof text === 'string' && placeholders(text).some((v) => !enVars.includes(v)))
        problems.push(`${key}.${form}: unknown placeholder`);
  }
  return problems;
}

export function readCatalog(file: string): Catalog {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Catalog) : {};
}

export interface LocaleReport {
  dir: string;
  file: string;
  missing: string[];
  extra: string[];
  problems: string[];
  /** The English of each missing key, in the catalogue's shape: what a translator starts from. */
  todo: Catalog;
}

/** One locale folder's state for one language. */
export function reportFor(dir: string, lang: string): LocaleReport {
  const english = residentPart(readCatalog(path.join(dir, 'en.json')));
  const file = path.join(dir, `${lang}.json`);
  const translation = readCatalog(file);
  const { missing, extra } = compareCatalogs(english, translation);
  const todo: Catalog = {};
  for (const key of missing) setPath(todo, key, lookup(english, key)!);
  return { dir, file, missing, extra, problems: shapeProblems(english, translation, lang), todo };
}
