import type { Actor } from '../../platform/auth/actor.js';
import type { Tx } from '../../platform/db/index.js';
import type { ConcernsService, NewConcern } from './concerns.service.js';

/**
 * A few recent concerns written in the languages of Northamptonshire's communities, stored the way a
 * real submission is (through createIn, so the written language is detected, not asserted), so the
 * demo queue shows triage what "may need translation" looks like. Some were written on pages in
 * another language, as happens: Polish typed on the English pages.
 */
export const WRITTEN_LANGUAGE_DEMO: {
  description: string;
  /** The page language the resident chose. */
  language: string;
  topic: NewConcern['topic'];
  ward: string;
  hoursAgo: number;
  affectedGroups?: NewConcern['affectedGroups'];
  /** What detection should find; demo.test.ts checks it. */
  expected: string;
}[] = [
  {
    description:
      "Ми з дітьми живемо біля парку вже пів року. Щовечора там збираються підлітки, п'ють, кричать і кидають каміння у вікна. Минулого тижня розбили вікно в нашій квартирі. Ми боїмося виходити з дому після темряви.",
    language: 'uk',
    topic: 'antisocial_behaviour',
    ward: 'Spencer',
    hoursAgo: 5,
    expected: 'uk',
  },
  {
    description:
      'من یک ماه پیش از افغانستان به اینجا آمده‌ام. چند نفر در ایستگاه بس به من و خانمم حرف‌های زشت گفتند و گفتند که به کشور خود برگردید. ما حالا از سوار شدن بس می‌ترسیم.',
    language: 'fa-AF',
    topic: 'hate_harassment',
    ward: 'Castle',
    hoursAgo: 9,
    affectedGroups: ['race', 'religion_belief'],
    expected: 'fa-AF',
  },
  {
    description:
      'Na parkingu za naszym blokiem od kilku tygodni ktoś zostawia zużyte strzykawki. Dzieci bawią się tam po szkole i boję się, że któreś się skaleczy. Proszę o posprzątanie i częstsze patrole.',
    language: 'en',
    topic: 'unsafe_place',
    ward: 'Semilong',
    hoursAgo: 20,
    expected: 'pl',
  },
  {
    description:
      'الإنارة في الممر المؤدي إلى المدرسة معطلة منذ شهر، والمكان مظلم تماماً بعد الساعة الخامسة. ابنتي تعود من المدرسة وحدها في الشتاء وأنا قلق عليها كثيراً.',
    language: 'ar',
    topic: 'unsafe_place',
    ward: 'St James',
    hoursAgo: 30,
    expected: 'ar',
  },
  {
    description:
      'În fiecare noapte se aude muzică foarte tare și certuri din casa vecină, până la trei dimineața. Copiii nu pot dormi și merg obosiți la școală.',
    language: 'ro',
    topic: 'antisocial_behaviour',
    ward: 'Trinity',
    hoursAgo: 44,
    expected: 'ro',
  },
];

export async function seedWrittenLanguageDemo(
  tx: Tx,
  deps: { concerns: ConcernsService; resident: Actor; areasByName: Record<string, string>; now: Date },
): Promise<void> {
  for (const c of WRITTEN_LANGUAGE_DEMO) {
    await deps.concerns.createIn(tx, deps.resident, {
      kind: 'concern',
      topic: c.topic,
      description: c.description,
      areaId: deps.areasByName[c.ward],
      affectedGroups: c.affectedGroups ?? [],
      forGroup: false,
      // Anonymous, so the demo sends no acknowledgement to an invented address.
      anonymous: true,
      consentToShare: true,
      channel: 'web',
      language: c.language,
      createdAt: new Date(deps.now.getTime() - c.hoursAgo * 3_600_000),
    });
  }
}
