import { describe, expect, it } from 'vitest';
import {
  DETECTABLE_LANGUAGES,
  MIN_LETTERS_FOR_LIBRARY,
  detectWrittenLanguage,
  languageDisplayName,
  mayNeedTranslation,
  undeterminedScript,
} from './written-language.js';

const detect = (description: string, ui = 'en', more: { place?: string; when?: string } = {}) =>
  detectWrittenLanguage({ description, placeDescription: more.place, whenText: more.when }, ui);

/** What residents might write, one realistic concern in each of Heard's interface languages. */
const SENTENCES: Record<string, string> = {
  en: 'There is a group of young men drinking in the park every evening and shouting at people who walk past. My children are afraid to go to the playground.',
  uk: "Кожного вечора біля магазину збираються п'яні чоловіки, кричать на перехожих і кидають пляшки. Мої діти бояться ходити повз них до школи.",
  'fa-AF':
    'هر شب چند نفر جوان در نزدیکی پارک جمع می‌شوند و به مردم دشنام می‌دهند. من و خانواده‌ام می‌ترسیم که از خانه بیرون برویم.',
  ps: 'هره شپه یو شمېر ځوانان د پارک سره نږدې راټولېږي او په خلکو چیغې وهي. زما ماشومان وېرېږي چې ښوونځي ته لاړ شي.',
  pl: 'Od kilku tygodni grupa nastolatków niszczy przystanek autobusowy na naszej ulicy i zaczepia starsze osoby. Boję się wychodzić wieczorem z domu.',
  ro: 'De câteva săptămâni, un grup de tineri se adună seara lângă magazin, consumă alcool și îi insultă pe trecători. Copiii mei se tem să treacă pe acolo.',
  ar: 'منذ عدة أسابيع يتجمع شباب كل مساء قرب المتجر ويصرخون على المارة ويرمون الزجاجات. أطفالي خائفون من الذهاب إلى المدرسة وحدهم.',
  ur: 'کئی ہفتوں سے ہر شام کچھ نوجوان دکان کے پاس جمع ہوتے ہیں اور راہگیروں پر آوازیں کستے ہیں۔ میرے بچے اسکول جانے سے ڈرتے ہیں۔',
  pt: 'Há várias semanas, um grupo de jovens junta-se todas as noites perto da loja, bebe e insulta quem passa. Os meus filhos têm medo de ir sozinhos para a escola.',
};

describe('detectWrittenLanguage: the nine interface languages', () => {
  for (const [language, text] of Object.entries(SENTENCES)) {
    it(`recognises ${language} written on the English pages`, () => {
      // Dari and Iranian Persian are one language to franc: on English pages it is recorded as Persian.
      const expected = language === 'fa-AF' ? 'fa' : language;
      expect(detect(text, 'en').language).toBe(expected);
    });
    it(`recognises ${language} written on its own pages`, () => {
      const found = detect(text, language);
      expect(found.language).toBe(language);
      expect(['script', 'library']).toContain(found.source);
    });
  }

  it('records Dari, not Persian, for someone who chose the Dari pages', () => {
    expect(detect(SENTENCES['fa-AF']!, 'fa-AF')).toEqual({ language: 'fa-AF', source: 'library' });
  });

  it('notices someone who chose English pages but wrote Ukrainian, and the reverse', () => {
    expect(detect(SENTENCES.uk!, 'en').language).toBe('uk');
    expect(detect(SENTENCES.en!, 'uk')).toEqual({ language: 'en', source: 'library' });
  });
});

describe('detectWrittenLanguage: other languages spoken in England', () => {
  const cases: [string, string][] = [
    [
      'ru',
      'Каждый вечер возле магазина собираются пьяные мужчины, кричат на прохожих и бросают бутылки. Мои дети боятся ходить мимо них в школу.',
    ],
    [
      'so',
      'Habeen kasta dhallinyaro ayaa isugu yimaada dukaanka agtiisa, waxayna ku qayliyaan dadka ag maraya. Carruurtaydu way ka baqaan inay iskuulka aadaan.',
    ],
    [
      'lt',
      'Kiekvieną vakarą prie parduotuvės renkasi jaunuoliai, jie šaukia ant praeivių ir mėto butelius. Mano vaikai bijo eiti į mokyklą.',
    ],
    [
      'tr',
      'Her akşam marketin önünde bir grup genç toplanıyor ve yoldan geçenlere bağırıyor. Çocuklarım okula gitmekten korkuyor.',
    ],
    ['hi', 'हर शाम कुछ लड़के दुकान के पास इकट्ठा होते हैं और आने-जाने वालों पर चिल्लाते हैं। मेरे बच्चे स्कूल जाने से डरते हैं।'],
    ['he', 'כל ערב מתאספים צעירים ליד החנות וצועקים על העוברים ושבים. הילדים שלי מפחדים ללכת לבית הספר.'],
    ['es', 'Todas las noches hay hombres borrachos delante de la tienda que insultan a la gente.'],
    ['fr', 'Tous les soirs, des hommes ivres se rassemblent devant le magasin et insultent les passants.'],
    ['de', 'Jeden Abend stehen betrunkene Männer vor dem Laden und beschimpfen die Leute.'],
  ];
  for (const [language, text] of cases) {
    it(`recognises ${language}`, () => {
      expect(detect(text).language).toBe(language);
    });
  }

  it('settles single-script languages by their script alone, however short', () => {
    expect(detect('ਮਦਦ ਕਰੋ')).toEqual({ language: 'pa', source: 'script' });
    expect(detect('সাহায্য করুন')).toEqual({ language: 'bn', source: 'script' });
    expect(detect('உதவி')).toEqual({ language: 'ta', source: 'script' });
    expect(detect('મદદ કરો')).toEqual({ language: 'gu', source: 'script' });
    expect(detect('Βοήθεια')).toEqual({ language: 'el', source: 'script' });
    expect(detect('ช่วยด้วย')).toEqual({ language: 'th', source: 'script' });
    expect(detect('도와주세요')).toEqual({ language: 'ko', source: 'script' });
    expect(detect('有人在我家门口扔垃圾')).toEqual({ language: 'zh', source: 'script' });
    // Japanese mixes Han with kana: any kana makes it Japanese.
    expect(detect('毎晩、家の前で騒いでいます')).toEqual({ language: 'ja', source: 'script' });
  });

  it('settles Ukrainian, Russian, Pashto and Urdu by letters only they use, even in a word or two', () => {
    expect(detect('Допоможіть')).toEqual({ language: 'uk', source: 'script' });
    // franc alone reads this Ukrainian sentence as Bulgarian.
    expect(detect('Мене ображають сусіди через те, що я з України.')).toEqual({
      language: 'uk',
      source: 'script',
    });
    expect(detect('Мы боимся')).toEqual({ language: 'ru', source: 'script' });
    expect(detect('مجھے ڈر لگتا ہے')).toEqual({ language: 'ur', source: 'script' });
    expect(detect('زه ډېر ویرېږم')).toEqual({ language: 'ps', source: 'script' });
  });

  it('leaves Amharic or Tigrinya undetermined rather than guessing (franc reads Amharic as Tigrinya)', () => {
    const amharic = 'እባካችሁ እርዱኝ። ጎረቤቶቼ በየቀኑ ይሰድቡኛል፣ በሬ ላይም ቆሻሻ ይጥላሉ። ፖሊስ ጋር መደወል እፈራለሁ።';
    expect(detect(amharic)).toEqual({ language: 'und-Ethi', source: 'unknown' });
    expect(detect(amharic, 'am')).toEqual({ language: 'am', source: 'interface' });
  });
});

describe('detectWrittenLanguage: short, mixed and empty text', () => {
  it(`falls back to the page language under ${MIN_LETTERS_FOR_LIBRARY} letters when the script agrees`, () => {
    // The accepted failure: a few words of Polish on the English pages are recorded as English.
    expect(detect('Hałas w nocy', 'en')).toEqual({ language: 'en', source: 'interface' });
    expect(detect('Hałas w nocy', 'pl')).toEqual({ language: 'pl', source: 'interface' });
    expect(detect('Help please', 'en')).toEqual({ language: 'en', source: 'interface' });
    expect(detect('همه جا کثیف است', 'fa-AF')).toEqual({ language: 'fa-AF', source: 'interface' });
  });

  it('records the script alone when short text does not match the page language', () => {
    expect(detect('Help please', 'uk')).toEqual({ language: 'und-Latn', source: 'unknown' });
    expect(detect('همه جا کثیف است', 'en')).toEqual({ language: 'und-Arab', source: 'unknown' });
  });

  it('adds where and when only when the description alone is too short', () => {
    expect(
      detect('Graffiti', 'en', { place: 'Біля школи на вулиці Шевченка', when: 'Щовечора після восьмої' }),
    ).toEqual({ language: 'uk', source: 'script' });
    // A long Polish description with an English street name stays Polish.
    expect(detect(SENTENCES.pl!, 'en', { place: 'Outside the Co-op on Abington Street' }).language).toBe(
      'pl',
    );
  });

  it('goes by the script most of the text is in', () => {
    const mixed = `${SENTENCES.uk} Outside Tesco Express.`;
    expect(detect(mixed, 'en').language).toBe('uk');
  });

  it('ignores links and email addresses', () => {
    expect(
      detect('https://www.facebook.com/groups/northampton-news someone@example.com Допоможіть', 'en'),
    ).toEqual({ language: 'uk', source: 'script' });
  });

  it('knows nothing from empty text, numbers or emoji', () => {
    expect(detect('', 'en')).toEqual({ language: null, source: 'unknown' });
    expect(detect('   ', 'uk')).toEqual({ language: null, source: 'unknown' });
    expect(detect('112 999 07700 900123', 'en')).toEqual({ language: null, source: 'unknown' });
    expect(detect('😡😡😡 🚔', 'pl')).toEqual({ language: null, source: 'unknown' });
  });

  it('settles plain English by its function words, and does not mistake neighbours for it', () => {
    expect(
      detect('The lift at the station has been out of order for a month and they have not fixed it.', 'en'),
    ).toEqual({ language: 'en', source: 'library' });
    expect(detect('Could there be a youth club near the shops on Friday evenings?', 'pl')).toEqual({
      language: 'en',
      source: 'library',
    });
    // Words these languages share with English spelling ("was", "will", "my", "to", "we") are not counted.
    expect(
      detect('Het was een lange nacht en we hebben de politie gebeld over het lawaai.', 'en').language,
    ).toBe('nl');
    expect(
      detect('Was ist das? Ich will nicht, dass die Kinder hier spielen, es ist gefährlich.', 'en').language,
    ).toBe('de');
    expect(
      detect(
        'My to wiemy, ale sąsiad nie chce słuchać i dalej hałasuje po nocach, a dzieci nie mogą spać.',
        'en',
      ).language,
    ).toBe('pl');
  });

  it('gives near-ties to the page language (Portuguese and Spanish are close)', () => {
    const pt = 'Tenho medo de sair à noite porque há sempre homens bêbados na esquina.';
    expect(detect(pt, 'pt')).toEqual({ language: 'pt', source: 'library' });
    // The accepted failure: on the English pages this sentence may read as Spanish.
    expect(['pt', 'es']).toContain(detect(pt, 'en').language);
  });
});

describe('display for staff', () => {
  it('names languages in English', () => {
    expect(languageDisplayName('fa-AF')).toBe('Dari');
    expect(languageDisplayName('uk')).toBe('Ukrainian');
    expect(languageDisplayName('ps')).toBe('Pashto');
  });

  it('names the script of an undetermined language', () => {
    expect(undeterminedScript('und-Ethi')).toBe('Ethiopic');
    expect(undeterminedScript('und-Cyrl')).toBe('Cyrillic');
    expect(undeterminedScript('uk')).toBeUndefined();
  });

  it('flags anything written other than English as possibly needing translation', () => {
    expect(mayNeedTranslation('en')).toBe(false);
    expect(mayNeedTranslation('en-GB')).toBe(false);
    expect(mayNeedTranslation('fa-AF')).toBe(true);
    expect(mayNeedTranslation('und-Latn')).toBe(true);
    expect(mayNeedTranslation(null)).toBe(false);
  });

  it('offers every detectable language once, each with an English name', () => {
    expect(new Set(DETECTABLE_LANGUAGES).size).toBe(DETECTABLE_LANGUAGES.length);
    for (const tag of ['en', 'uk', 'fa-AF', 'ps', 'pl', 'ro', 'ar', 'ur', 'pt'])
      expect(DETECTABLE_LANGUAGES).toContain(tag);
    for (const tag of DETECTABLE_LANGUAGES) expect(languageDisplayName(tag)).not.toBe(tag);
  });
});
