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
