import { can } from '../../platform/auth/permissions.js';

/**
 * Who sees what of a concern. Triage officers and admins see every concern in their partnership;
 * everyone else sees a concern only once it is shared with their organisation. Contact details go
 * only to those who must contact the person: triage, admins, and the lead organisation's officers
 * when the person consented to sharing. Equality answers (special category data) go to admins only.
 */
export interface Viewer {
  roles: readonly string[];
  organisationId: string | null;
}

export interface ConcernAccessFacts {
  sharedWith: readonly string[];
  leadOrganisationId: string | null;
  consentToShare: boolean;
}

export function canView(viewer: Viewer, facts: ConcernAccessFacts): boolean {
  if (can(viewer.roles, 'concerns.viewAll')) return true;
  if (!viewer.organisationId) return false;
  const mayViewShared = can(viewer.roles, 'concerns.viewShared') || can(viewer.roles, 'concerns.work');
  return mayViewShared && facts.sharedWith.includes(viewer.organisationId);
}

export function canWork(viewer: Viewer, facts: ConcernAccessFacts): boolean {
  return can(viewer.roles, 'concerns.work') && canView(viewer, facts);
}

export function canTriage(viewer: Viewer): boolean {
  return can(viewer.roles, 'concerns.triage');
}

export function canSeeContact(viewer: Viewer, facts: ConcernAccessFacts): boolean {
  if (can(viewer.roles, 'concerns.viewAll') && can(viewer.roles, 'contact.view')) return true;
  return (
    can(viewer.roles, 'contact.view') &&
    facts.consentToShare &&
    viewer.organisationId !== null &&
    viewer.organisationId === facts.leadOrganisationId
  );
}

export function canSeeEquality(viewer: Viewer): boolean {
  return can(viewer.roles, 'equality.view');
}

/** Whether a viewer sees every concern, or only those shared with their organisation. */
export function queueScope(viewer: Viewer): { all: true } | { all: false; organisationId: string | null } {
  return can(viewer.roles, 'concerns.viewAll')
    ? { all: true }
    : { all: false, organisationId: viewer.organisationId };
}
