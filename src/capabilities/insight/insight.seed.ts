import type { Tx } from '../../platform/db/index.js';
import { insightRepository } from './insight.repository.js';

/**
 * Reference population for the demo partnership, shaped like the 2021 Census for West
 * Northamptonshire (about 425,700 usual residents). The figures are rounded approximations for the
 * demo, not official statistics; a real partnership enters its own on the population page.
 * Sexual orientation and gender identity were asked of people aged 16 and over only.
 */
export const DEMO_POPULATION_SOURCE =
  'Demo figures shaped like ONS Census 2021 for West Northamptonshire (rounded approximations)';

export const DEMO_POPULATION: Record<string, Record<string, number>> = {
  ageBand: {
    under_18: 93_700,
    '18_24': 33_000,
    '25_34': 57_000,
    '35_44': 57_500,
    '45_54': 60_000,
    '55_64': 53_500,
    '65_74': 40_000,
    '75_plus': 31_000,
  },
  sex: { female: 215_500, male: 210_200 },
  genderSameAsBirth: { yes: 324_000, no: 1_700 },
  // Disabled under the Equality Act 2010 (day-to-day activities limited a little or a lot): 16.6%.
  disability: { yes: 70_700, no: 355_000 },
  ethnicity: { asian: 23_800, black: 19_600, mixed: 13_200, white: 364_400, other: 4_700 },
  religion: {
    none: 164_300,
    christian: 203_500,
    muslim: 10_600,
    hindu: 6_000,
    sikh: 2_100,
    buddhist: 1_700,
    jewish: 850,
    other: 2_550,
  },
  sexualOrientation: { straight: 310_000, gay_lesbian: 5_200, bisexual: 4_100, other: 1_000 },
};

/** Called by the demo seed (src/platform/seed/demo.ts) inside its tenant transaction. */
export async function seedInsightDemo(tx: Tx, partnershipId: string): Promise<void> {
  for (const [characteristic, figures] of Object.entries(DEMO_POPULATION)) {
    await insightRepository.replacePopulation(
      tx,
      partnershipId,
      characteristic,
      Object.entries(figures).map(([category, people]) => ({ category, people })),
      DEMO_POPULATION_SOURCE,
    );
  }
}
