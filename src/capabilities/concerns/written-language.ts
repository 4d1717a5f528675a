import { francAll } from 'franc';

/**
 * The language a resident wrote in, as distinct from the page language they chose: someone may read
 * the English pages and write in Ukrainian, or choose Dari and write in English. Triage staff need
 * the former to arrange translation. Pure: no I/O, so every channel gets the same answer.
 */

/** How the written language was found. */
export const WRITTEN_LANGUAGE_SOURCES = ['script', 'library', 'interface', 'unknown'] as const;
export type WrittenLanguageSource = (typeof WRITTEN_LANGUAGE_SOURCES)[number];

export interface WrittenLanguage {
  /**
   * A BCP 47 tag (en, uk, fa-AF…); `und-Cyrl` and the like when only the script could be told (the
   * language undetermined, written in Cyrillic); null when the text has no letters at all.
   */
  language: string | null;
  source: WrittenLanguageSource;
}

export interface WrittenText {
  description: string;
  placeDescription?: string | null | undefined;
  whenText?: string | null | undefined;
}

type Script =
  | 'Latin'
  | 'Cyrillic'
  | 'Arabic'
  | 'Devanagari'
  | 'Ethiopic'
  | 'Hebrew'
  | 'Greek'
  | 'Thai'
  | 'Han'
  | 'Kana'
  | 'Hangul'
  | 'Gurmukhi'
  | 'Bengali'
  | 'Gujarati'
  | 'Tamil'
  | 'Telugu'
  | 'Kannada'
  | 'Malayalam'
  | 'Sinhala'
  | 'Armenian'
  | 'Georgian'
  | 'Khmer'
  | 'Lao'
  | 'Myanmar'
  | 'Tibetan';

/** Each script's letters. Kana counts Hiragana and Katakana together: both only ever mean Japanese. */
const SCRIPTS: [Script, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Ethiopic', /\p{Script=Ethiopic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Han', /\p{Script=Han}/u],
  ['Kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Gurmukhi', /\p{Script=Gurmukhi}/u],
  ['Bengali', /\p{Script=Bengali}/u],
  ['Gujarati', /\p{Script=Gujarati}/u],
  ['Tamil', /\p{Script=Tamil}/u],
  ['Telugu', /\p{Script=Telugu}/u],
  ['Kannada', /\p{Script=Kannada}/u],
  ['Malayalam', /\p{Script=Malayalam}/u],
  ['Sinhala', /\p{Script=Sinhala}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Khmer', /\p{Script=Khmer}/u],
  ['Lao', /\p{Script=Lao}/u],
  ['Myanmar', /\p{Script=Myanmar}/u],
  ['Tibetan', /\p{Script=Tibetan}/u],
];

/** ISO 15924 codes, for `und-Xxxx` when the script is known and the language is not. */
const SCRIPT_CODE: Record<Script, string> = {
  Latin: 'Latn',
  Cyrillic: 'Cyrl',
  Arabic: 'Arab',
  Devanagari: 'Deva',
  Ethiopic: 'Ethi',
  Hebrew: 'Hebr',
  Greek: 'Grek',
  Thai: 'Thai',
  Han: 'Hani',
  Kana: 'Kana',
  Hangul: 'Hang',
  Gurmukhi: 'Guru',
  Bengali: 'Beng',
  Gujarati: 'Gujr',
  Tamil: 'Taml',
  Telugu: 'Telu',
  Kannada: 'Knda',
  Malayalam: 'Mlym',
  Sinhala: 'Sinh',
  Armenian: 'Armn',
  Georgian: 'Geor',
  Khmer: 'Khmr',
  Lao: 'Laoo',
  Myanmar: 'Mymr',
  Tibetan: 'Tibt',
};

/**
 * Letters only one of the likely languages uses, which settle the language even in a few words:
 * franc reads short Ukrainian as Bulgarian, and a sentence of Urdu is too short for it.
 */
const LETTER_HINTS: Partial<Record<Script, { tag: string; letters: RegExp; not: RegExp }[]>> = {
  Cyrillic: [
    { tag: 'uk', letters: /[іїєґ]/iu, not: /[ыэёъ]/iu },
    { tag: 'ru', letters: /[ыэё]/iu, not: /[іїєґ]/iu },
  ],
  Arabic: [
    // Pashto: ټ ډ ړ ږ ښ ځ څ ګ ڼ ۍ ې. Urdu: ٹ ڈ ڑ ں ے ہ ھ.
    {
      tag: 'ps',
      letters: /[\u067C\u0689\u0693\u0696\u069A\u0681\u0685\u06AB\u06BC\u06CD\u06D0]/u,
      not: /[\u0679\u0688\u0691\u06BA\u06D2\u06C1\u06BE]/u,
    },
    {
      tag: 'ur',
      letters: /[\u0679\u0688\u0691\u06BA\u06D2\u06C1\u06BE]/u,
      not: /[\u067C\u0689\u0693\u0696\u069A\u0681\u0685\u06AB\u06BC\u06CD\u06D0]/u,
    },
  ],
};

/** Scripts that, in England's communities, are written in one language only. */
const SCRIPT_LANGUAGE: Partial<Record<Script, string>> = {
  Greek: 'el',
  Thai: 'th',
  Han: 'zh',
  Kana: 'ja',
  Hangul: 'ko',
  Gurmukhi: 'pa',
  Bengali: 'bn',
  Gujarati: 'gu',
  Tamil: 'ta',
  Telugu: 'te',
  Kannada: 'kn',
  Malayalam: 'ml',
  Sinhala: 'si',
  Armenian: 'hy',
  Georgian: 'ka',
  Khmer: 'km',
  Lao: 'lo',
  Myanmar: 'my',
  Tibetan: 'bo',
};

/**
 * The languages franc may choose between, per script, with the tag each is recorded as. Limited to
 * languages with communities in England: given every language it knows, franc reads short English
 * as Scots or Tok Pisin and short Polish as Slovak. Persian is mapped below (Dari or not).
 */
const LIBRARY: Partial<Record<Script, Record<string, string>>> = {
  Latin: {
    eng: 'en',
    pol: 'pl',
    ron: 'ro',
    por: 'pt',
    spa: 'es',
    ita: 'it',
    fra: 'fr',
    deu: 'de',
    nld: 'nl',
    lit: 'lt',
    lvs: 'lv',
    ekk: 'et',
    ces: 'cs',
    slk: 'sk',
    hun: 'hu',
    als: 'sq',
    tur: 'tr',
    som: 'so',
    swh: 'sw',
    yor: 'yo',
    tgl: 'tl',
    vie: 'vi',
    // franc's Kurdish model (named ckb) is written in the Latin alphabet, as Kurmanji is.
    ckb: 'ku',
  },
  Cyrillic: { ukr: 'uk', rus: 'ru', bul: 'bg' },
  Arabic: { arb: 'ar', urd: 'ur', pbu: 'ps', pes: 'fa', prs: 'fa' },
  Devanagari: { hin: 'hi', mar: 'mr', npi: 'ne' },
  // Not Ethiopic: franc's Amharic model is weak, and it read every Amharic sentence we tried as
  // Tigrinya. Amharic or Tigrinya is left undetermined (und-Ethi) rather than guessed wrong.
  Hebrew: { heb: 'he', ydd: 'yi' },
};

/** Every tag this module can return, for the queue's "Written language" filter. */
export const DETECTABLE_LANGUAGES: readonly string[] = [
  ...new Set([
    ...Object.values(SCRIPT_LANGUAGE),
    ...Object.values(LIBRARY).flatMap((m) => Object.values(m ?? {})),
    'fa-AF',
  ]),
];

/** The script each interface language is written in, to judge whether short text is consistent with it. */
function scriptOf(interfaceLanguage: string): Script | undefined {
  const base = interfaceLanguage.toLowerCase().split('-')[0]!;
  if (['uk', 'ru', 'bg'].includes(base)) return 'Cyrillic';
  if (['ar', 'fa', 'ps', 'ur'].includes(base)) return 'Arabic';
  if (['hi', 'mr', 'ne'].includes(base)) return 'Devanagari';
  if (['am', 'ti'].includes(base)) return 'Ethiopic';
  if (['he', 'yi'].includes(base)) return 'Hebrew';
  const single = Object.entries(SCRIPT_LANGUAGE).find(([, tag]) => tag === base);
  if (single) return single[0] as Script;
  return /^[a-z]{2,3}$/.test(base) ? 'Latin' : undefined;
}

/**
 * Below this many letters franc's trigrams are little better than a guess (a street name, "help",
 * "Dziękuję"); the page language is then a better answer, if the script agrees with it.
 */
export const MIN_LETTERS_FOR_LIBRARY = 20;

/**
 * How close (franc's normalised score, 1 = best) the page language may come to the best guess and
 * still win: a resident most often writes in the language they chose, so near-ties go to it.
 */
const INTERFACE_MARGIN = 0.02;

/** Addresses and links are not language, and would pull text towards English. */
const NOT_LANGUAGE = /(?:https?:\/\/|www\.)\S+|\S+@\S+\.\S+/giu;
const LETTER = /\p{L}/u;

/**
 * Words common in English and absent from the other Latin-script languages franc is offered here
 * (so not "in", "is", "to", "of", "at", "on", "we", "my", "are", "was", "will", "can", "over", "also",
 * "must": Dutch, Polish, Tagalog, Romanian, German, Turkish and Estonian use them).
 */
const ENGLISH_ONLY_WORDS = new Set([
  ...(
    'the and that this with have has had been being they there their them were would could should ' +
    'which what when where who because about after every very from your you our not but just it ' +
    'she his her him any some through between into along around near outside off out then too ' +
    'only other such these those while why how did does done got get people none nothing something ' +
    'someone anyone everyone please'
  ).split(' '),
  "it's",
  "don't",
  "i'm",
  "there's",
  "can't",
  "won't",
]);
const WORD = /[\p{L}']+/gu;

/**
 * Most of what residents write is English, and franc weighs every trigram against some twenty
 * languages: about a tenth of the cost of accepting a concern. Text in which at least one word in
 * five (and three words at least) is an English-only function word is English, without asking it.
 */
function clearlyEnglish(sample: string): boolean {
  const words = sample.toLowerCase().match(WORD) ?? [];
  let hits = 0;
  for (const word of words) if (ENGLISH_ONLY_WORDS.has(word)) hits++;
  return hits >= 3 && hits * 5 >= words.length;
}

function countScripts(text: string): { counts: Map<Script, number>; letters: number } {
  const counts = new Map<Script, number>();
  let letters = 0;
  for (const ch of text) {
    if (!LETTER.test(ch)) continue;
    letters++;
    const found = SCRIPTS.find(([, re]) => re.test(ch));
    if (found) counts.set(found[0], (counts.get(found[0]) ?? 0) + 1);
  }
  return { counts, letters };
}

function dominant(counts: Map<Script, number>): Script | undefined {
  let best: Script | undefined;
  let most = 0;
  for (const [script, n] of counts) {
    if (n > most) {
      best = script;
      most = n;
    }
  }
  return best;
}

function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase().split('-')[0] === b.toLowerCase().split('-')[0];
}

/**
 * Detects the language of what a resident wrote. The description is what matters; where and when
 * are often a street or a time of day, so they are added only when the description is too short.
 */
export function detectWrittenLanguage(text: WrittenText, interfaceLanguage: string): WrittenLanguage {
  const clean = (s: string | null | undefined) => (s ?? '').replace(NOT_LANGUAGE, ' ');
  let sample = clean(text.description);
  let { counts, letters } = countScripts(sample);
  if (letters < MIN_LETTERS_FOR_LIBRARY) {
    sample = [sample, clean(text.placeDescription), clean(text.whenText)].join('\n');
    ({ counts, letters } = countScripts(sample));
  }
  const script = dominant(counts);
  if (!script) return { language: null, source: 'unknown' };

  // Japanese is written with Han as well as kana; any kana at all means Japanese, not Chinese.
  if (script === 'Han' && (counts.get('Kana') ?? 0) > 0) return { language: 'ja', source: 'script' };
  const byScript = SCRIPT_LANGUAGE[script];
  if (byScript) return { language: byScript, source: 'script' };

  const hint = LETTER_HINTS[script]?.find((h) => h.letters.test(sample) && !h.not.test(sample));
  if (hint) return { language: hint.tag, source: 'script' };

  const fallback = (): WrittenLanguage =>
    scriptOf(interfaceLanguage) === script
      ? { language: interfaceLanguage, source: 'interface' }
      : { language: `und-${SCRIPT_CODE[script]}`, source: 'unknown' };

  const candidates = LIBRARY[script];
  if (!candidates || letters < MIN_LETTERS_FOR_LIBRARY) return fallback();
  if (script === 'Latin' && clearlyEnglish(sample)) return { language: 'en', source: 'library' };

  // franc judges by the script most of the text is in, so only that script's languages are offered.
  const ranked = francAll(sample, { only: Object.keys(candidates), minLength: 1 }).filter(
    ([code]) => code in candidates,
  );
  const [best] = ranked;
  if (!best) return fallback();
  const nearest = ranked.find(([code]) => sameLanguage(candidates[code]!, interfaceLanguage));
  const tag =
    nearest && best[1] - nearest[1] <= INTERFACE_MARGIN ? candidates[nearest[0]]! : candidates[best[0]]!;
  // franc cannot reliably tell Dari from Iranian Persian; someone who chose Dari pages writes Dari.
  if (tag === 'fa' && sameLanguage(interfaceLanguage, 'fa')) {
    return { language: interfaceLanguage, source: 'library' };
  }
  return { language: tag, source: 'library' };
}

const displayNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** The English name of a language tag, for staff pages (which are in English). */
export function languageDisplayName(tag: string): string {
  try {
    return displayNames.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** The script of an undetermined language (`und-Cyrl` → Cyrillic), or undefined for a real language. */
export function undeterminedScript(tag: string): string | undefined {
  const m = /^und-([A-Z][a-z]{3})$/.exec(tag);
  if (!m) return undefined;
  try {
    return new Intl.DisplayNames(['en'], { type: 'script' }).of(m[1]!) ?? m[1];
  } catch {
    return m[1];
  }
}

/** Whether staff may need to arrange translation: anything written, other than English. */
export function mayNeedTranslation(language: string | null): boolean {
  return language !== null && !sameLanguage(language, 'en');
}
