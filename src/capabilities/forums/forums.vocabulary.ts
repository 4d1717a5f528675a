/** The fixed lists forums are described with. Labels are translation keys under forums.vocab. */

/** What a forum can offer so people can take part; also what a person joining may ask for. */
export const ACCESSIBILITY = [
  'bsl',
  'hearing_loop',
  'step_free',
  'large_print',
  'easy_read',
  'interpreters',
  'online',
  'childcare_caring',
] as const;
export type Accessibility = (typeof ACCESSIBILITY)[number];

/** How someone would like to take part. */
export const PARTICIPATION = ['in_person', 'online', 'either', 'updates_only'] as const;
export type Participation = (typeof PARTICIPATION)[number];

export const CONTACT_PREFERENCES = ['email', 'phone'] as const;
export type ContactPreference = (typeof CONTACT_PREFERENCES)[number];

export const REQUEST_STATUSES = ['new', 'contacted', 'approved', 'declined'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const MEMBER_STATUSES = ['active', 'left'] as const;
