/** The fixed lists of the engagement log. Labels are translation keys under engagement.vocab. */
export const ENGAGEMENT_TYPES = [
  'door_knocking',
  'community_event',
  'faith_venue',
  'school_college',
  'drop_in',
  'partner_meeting',
  'online',
] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];

/** What became of an issue heard: noted only, a new concern or suggestion, or linked to an existing one. */
export const ISSUE_OUTCOMES = ['noted', 'concern', 'suggestion', 'linked'] as const;
export type IssueOutcome = (typeof ISSUE_OUTCOMES)[number];

export const REFERRAL_STATUSES = ['open', 'accepted', 'completed', 'declined'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
/** Referrals still needing the officer's attention. */
export const OPEN_REFERRAL_STATUSES: readonly ReferralStatus[] = ['open', 'accepted'];

/** Slots on the form: enough for one visit, and the form still works without JavaScript. */
export const ISSUE_SLOTS = 4;
export const REFERRAL_SLOTS = 3;

/** Languages offered as checkboxes; others can be typed. */
export const COMMON_LANGUAGES = [
  'English',
  'Polish',
  'Romanian',
  'Urdu',
  'Punjabi',
  'Gujarati',
  'Bengali',
  'Arabic',
  'Ukrainian',
  'Somali',
  'Portuguese',
  'Pashto',
  'Dari',
  'Tigrinya',
  'British Sign Language',
] as const;
