/** The fixed lists residents and staff choose from. Labels are translation keys under concerns.vocab. */
export const KINDS = ['concern', 'suggestion'] as const;
export type Kind = (typeof KINDS)[number];

export const TOPICS = [
  'unsafe_place',
  'antisocial_behaviour',
  'hate_harassment',
  'hate_disinformation',
  'community_tensions',
  'access_inclusion',
  'idea',
  'something_else',
] as const;
export type Topic = (typeof TOPICS)[number];

/** Protected characteristics (Equality Act 2010) a concern may say it affects. */
export const AFFECTED_GROUPS = [
  'age',
  'disability',
  'gender_reassignment',
  'marriage_civil_partnership',
  'pregnancy_maternity',
  'race',
  'religion_belief',
  'sex',
  'sexual_orientation',
] as const;
export type AffectedGroup = (typeof AFFECTED_GROUPS)[number];

export const CHANNELS = [
  'web',
  'email',
  'phone',
  'walk_in',
  'third_party',
  'forum',
  'engagement',
  'open311',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels staff can pick when recording for someone. */
export const RECORDED_CHANNELS = ['phone', 'walk_in', 'third_party', 'email'] as const;

/** Optional equality monitoring questions and their answers; every question can be skipped. */
export const EQUALITY_QUESTIONS = {
  ageBand: ['under_18', '18_24', '25_34', '35_44', '45_54', '55_64', '65_74', '75_plus', 'prefer_not'],
  sex: ['female', 'male', 'prefer_not'],
  genderSameAsBirth: ['yes', 'no', 'prefer_not'],
  disability: ['yes', 'no', 'prefer_not'],
  ethnicity: ['asian', 'black', 'mixed', 'white', 'other', 'prefer_not'],
  religion: ['none', 'buddhist', 'christian', 'hindu', 'jewish', 'muslim', 'sikh', 'other', 'prefer_not'],
  sexualOrientation: ['straight', 'gay_lesbian', 'bisexual', 'other', 'prefer_not'],
} as const;
export type EqualityQuestion = keyof typeof EQUALITY_QUESTIONS;

export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
