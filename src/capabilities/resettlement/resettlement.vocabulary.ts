/**
 * The words of resettlement casework, one list each, so forms, validation, the API and translations
 * (`resettlement.vocab.<list>.<value>`) all agree.
 */
export const SCHEMES = ['homes_for_ukraine', 'afghan_arap_acrs', 'refugee_asylum_decision', 'other'] as const;
export type Scheme = (typeof SCHEMES)[number];

/** The nine needs domains, each with the extra details a caseworker records for it. */
export const DOMAINS = {
  housing: ['tenure', 'landlord'],
  english: ['esolLevel', 'esolProvider'],
  employment: ['employmentStatus', 'skills', 'qualificationRecognition'],
  education: ['schoolPlaces', 'college'],
  health: ['gp', 'dentist', 'mentalHealth'],
  finances: ['bankAccount', 'benefits', 'universalCredit'],
  transport: ['drivingLicence', 'travel'],
  wellbeing: ['socialConnection'],
  legal: ['immigrationStatus', 'legalAdvice'],
} as const satisfies Record<string, readonly string[]>;
export type Domain = keyof typeof DOMAINS;
export const DOMAIN_KEYS = Object.keys(DOMAINS) as Domain[];

export const NEED_STATUSES = ['not_assessed', 'no_need', 'need_identified', 'in_progress', 'met'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

export const AGE_BANDS = ['0_4', '5_10', '11_15', '16_17', '18_24', '25_64', '65_plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const RELATIONSHIPS = [
  'main_applicant',
  'spouse_partner',
  'child',
  'parent',
  'sibling',
  'grandparent',
  'other_relative',
  'other',
] as const;

export const ENGLISH_LEVELS = ['none', 'pre_entry', 'entry', 'level_1', 'level_2', 'fluent'] as const;
export type EnglishLevel = (typeof ENGLISH_LEVELS)[number];

/** For children and young people: where they learn. */
export const EDUCATION_STATUSES = [
  'not_applicable',
  'early_years',
  'school',
  'college',
  'awaiting_place',
  'not_in_education',
] as const;

export const WORK_STATUSES = [
  'not_applicable',
  'employed',
  'self_employed',
  'training',
  'seeking_work',
  'not_seeking',
] as const;

export const CHECK_STATUSES = ['not_started', 'booked', 'passed', 'failed'] as const;
export const ARRANGEMENT_STATUSES = ['active', 'at_risk', 'breakdown', 'ended'] as const;

export const GOAL_STATUSES = ['open', 'achieved', 'dropped'] as const;

export const REFERRAL_OUTCOMES = [
  'awaiting',
  'accepted',
  'declined',
  'completed',
  'no_response',
  'withdrawn',
] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/** UK GDPR Article 6 bases that fit resettlement casework. */
export const LAWFUL_BASES = ['public_task', 'legal_obligation', 'consent', 'vital_interests'] as const;

export const HOUSEHOLD_STATUSES = ['open', 'closed'] as const;

/** The catalogue of integration and information sessions. */
export const SESSION_TOPICS = [
  'uk_laws_culture',
  'education_system',
  'health_system',
  'volunteering',
  'road_safety',
  'english_conversation',
  'employment_workshop',
] as const;
export type SessionTopic = (typeof SESSION_TOPICS)[number];

/** Languages offered in forms (BCP 47); sessions and members may hold any of these. */
export const LANGUAGES = ['en', 'uk', 'ru', 'ps', 'fa', 'prs', 'ar', 'ku', 'ti', 'so', 'ur'] as const;

export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
