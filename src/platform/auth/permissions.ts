/**
 * Roles and what they may do. Rules live here, in one table, so that pages, the API and tests all
 * ask the same question ("may this person do X?") and get the same answer.
 */
export const ROLES = [
  'partnership_admin',
  'triage_officer',
  'agency_officer',
  'cohesion_officer',
  'forum_facilitator',
  'resettlement_caseworker',
  'analyst',
  'resettlement_manager',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  /** See every concern in the partnership (otherwise only those shared with your organisation). */
  'concerns.viewAll': ['partnership_admin', 'triage_officer'],
  /** See concerns shared with your organisation. */
  'concerns.viewShared': [
    'agency_officer',
    'cohesion_officer',
    'forum_facilitator',
    'resettlement_caseworker',
  ],
  /** Route: set lead and supporting organisations, merge duplicates, redact. */
  'concerns.triage': ['partnership_admin', 'triage_officer'],
  /** Work a concern you can see: notes, public updates, status, assignment within your organisation. */
  'concerns.work': ['partnership_admin', 'triage_officer', 'agency_officer'],
  /** Record a concern for someone who phoned, walked in or came through a third party. */
  'concerns.record': [
    'partnership_admin',
    'triage_officer',
    'agency_officer',
    'cohesion_officer',
    'forum_facilitator',
    'resettlement_caseworker',
  ],
  /** Read the text a redaction removed. */
  'concerns.viewRedacted': ['partnership_admin'],
  /** Contact details of the person who raised a concern (agency officers also need their org to lead it). */
  'contact.view': ['partnership_admin', 'triage_officer', 'agency_officer'],
  /** Special category (equality monitoring) answers for a single concern. */
  'equality.view': ['partnership_admin'],
  'audit.view': ['partnership_admin'],
  'staff.manage': ['partnership_admin'],
  /** Log engagements (visits, events, meetings) and their issues, referrals and follow-ups. */
  'engagement.log': ['cohesion_officer'],
  /** Read the partnership's engagement log and its coverage by area (the manager's view). */
  'engagement.view': ['cohesion_officer', 'partnership_admin'],
  /** See and add community tension reports. Police agency officers also may: see tension/tension.access.ts. */
  'tension.view': ['cohesion_officer', 'partnership_admin'],
  /** Agency officers see tension only when their organisation is the police (tension/tension.access.ts). */
  'tension.viewIfPolice': ['agency_officer'],
  /** Partnership leads: told at once when a tension report raises an area to high or critical. */
  'tension.lead': ['partnership_admin'],
  /**
   * Resettlement cases (households, members, hosts, needs, plans, referrals, bookings, subject access
   * exports): the resettlement team only. Not partnership admins: this is the most sensitive data Heard holds.
   */
  'resettlement.cases': ['resettlement_caseworker', 'resettlement_manager'],
  /** Assign a case to another caseworker, and close or reopen cases. */
  'resettlement.manage': ['resettlement_manager'],
  /** Outcome figures per scheme: aggregate and suppressed, never a case. */
  'resettlement.outcomes': [
    'resettlement_caseworker',
    'resettlement_manager',
    'partnership_admin',
    'analyst',
  ],
  /** The map of concerns by area (aggregate, suppressed counts). */
  'places.view': ['partnership_admin', 'analyst'],
  /** Import area boundaries. */
  'places.manage': ['partnership_admin'],
  /** The triage classifier: its accuracy, and retraining it on demand. */
  'suggestions.manage': ['partnership_admin'],
  /** See the programme of actions, its meeting pack and exports. */
  'programme.view': [
    'partnership_admin',
    'triage_officer',
    'agency_officer',
    'cohesion_officer',
    'forum_facilitator',
    'resettlement_caseworker',
    'analyst',
  ],
  /** Priorities, themes, and creating or editing any action; reopening a done or dropped one. */
  'programme.manage': ['partnership_admin'],
  /** Update an action (progress, RAG, milestones, updates): only as its lead officer or lead organisation. */
  'programme.update': ['partnership_admin', 'triage_officer', 'agency_officer', 'cohesion_officer'],
  /** Tag concerns you can see with themes and link them to actions. */
  'programme.link': ['partnership_admin', 'triage_officer', 'cohesion_officer'],
  /** Run community forums: join requests, members, meetings, attendance, issues raised. */
  'forums.manage': ['partnership_admin', 'forum_facilitator'],
  /**
   * Create forums, and edit or cancel meetings of any forum. Facilitators may edit the details of, and
   * cancel meetings of, only the forums they facilitate (forums.rules.ts, mayEditForum).
   */
  'forums.admin': ['partnership_admin'],
  /** The partnership dashboard: aggregate, suppressed figures only, never a single concern. */
  'insight.view': ['partnership_admin', 'analyst'],
  /** Equality monitoring: aggregate special category figures, suppressed; every view is audited. */
  'insight.equality': ['partnership_admin', 'analyst'],
  /** Enter the reference population figures equality monitoring compares against. */
  'insight.population': ['partnership_admin'],
  /** Download the dashboard's tables as CSV or XLSX. */
  'insight.export': ['partnership_admin', 'analyst'],
  /** Download the triage queue (descriptions included) as CSV or XLSX. */
  'concerns.export': ['partnership_admin', 'triage_officer'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(roles: readonly string[], permission: Permission): boolean {
  const allowed: readonly string[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
