import { can } from '../../platform/auth/permissions.js';
import type { OrganisationKind } from '../../platform/tenancy/tenancy.table.js';

/**
 * Who may see community tension: the one rule every tension page, API route and the service ask.
 * Cohesion officers and partnership leads (admins) by role; agency officers only when their
 * organisation is the police. A fire, NHS, council or voluntary agency officer sees nothing, and
 * nor does anyone else (triage, analysts, facilitators, caseworkers), since the picture names
 * places and groups at risk and is shared on a need-to-know basis.
 */
export interface TensionViewer {
  roles: readonly string[];
  organisationKind: OrganisationKind | null;
}

export function canSeeTension(viewer: TensionViewer): boolean {
  if (can(viewer.roles, 'tension.view')) return true;
  return can(viewer.roles, 'tension.viewIfPolice') && viewer.organisationKind === 'police';
}

/** Those told at once when an area rises to high or critical. */
export function isPartnershipLead(roles: readonly string[]): boolean {
  return can(roles, 'tension.lead');
}
