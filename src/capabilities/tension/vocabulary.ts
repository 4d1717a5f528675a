/** The fixed lists of community tension monitoring. Labels are translation keys under tension.vocab. */
export const TENSION_SOURCES = ['officer', 'police', 'partner', 'community'] as const;
export type TensionSource = (typeof TENSION_SOURCES)[number];

export const TENSION_CATEGORIES = [
  'incident',
  'rumour',
  'online_disinformation',
  'planned_protest',
  'anniversary_event',
] as const;
export type TensionCategory = (typeof TENSION_CATEGORIES)[number];

/** How sure: it happened (experienced), there is evidence it is building (evidenced), or it might (potential). */
export const TENSION_ASSESSMENTS = ['experienced', 'evidenced', 'potential'] as const;
export type TensionAssessment = (typeof TENSION_ASSESSMENTS)[number];

/** In rising order: the order matters (escalation and trends compare positions). */
export const TENSION_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type TensionLevel = (typeof TENSION_LEVELS)[number];

/** Why a report was closed. A merged report names the report it was merged into. */
export const TENSION_CLOSE_REASONS = ['resolved', 'no_longer_relevant', 'merged'] as const;
export type TensionCloseReason = (typeof TENSION_CLOSE_REASONS)[number];

/** The fields of a report an edit can change, in the order the form and the history show them. */
export const TENSION_FIELDS = [
  'areaId',
  'reportedOn',
  'source',
  'category',
  'assessment',
  'level',
  'summary',
  'actions',
  'reviewDate',
] as const;
export type TensionField = (typeof TENSION_FIELDS)[number];
