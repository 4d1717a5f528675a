import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../platform/auth/permissions.js';
import {
  canSeeContact,
  canSeeEquality,
  canTriage,
  canView,
  canWork,
  queueScope,
  type ConcernAccessFacts,
  type Viewer,
} from './visibility.js';

const POLICE = 'org-police';
const COUNCIL = 'org-council';
const FIRE = 'org-fire';

const viewer = (role: Role, organisationId: string | null = COUNCIL): Viewer => ({
  roles: [role],
  organisationId,
});

/** A concern shared with the police (lead) and the council (supporting). */
const shared = (consentToShare: boolean): ConcernAccessFacts => ({
  sharedWith: [POLICE, COUNCIL],
  leadOrganisationId: POLICE,
  consentToShare,
});
const unshared: ConcernAccessFacts = { sharedWith: [], leadOrganisationId: null, consentToShare: true };

describe('canView and canWork', () => {
  it.each(['partnership_admin', 'triage_officer'] as const)('%s sees and works every concern', (role) => {
    for (const org of [COUNCIL, FIRE, null]) {
      expect(canView(viewer(role, org), unshared)).toBe(true);
      expect(canView(viewer(role, org), shared(false))).toBe(true);
      expect(canWork(viewer(role, org), unshared)).toBe(true);
    }
  });

  it('an agency officer sees and works only concerns shared with their organisation', () => {
    expect(canView(viewer('agency_officer', POLICE), shared(false))).toBe(true);
    expect(canWork(viewer('agency_officer', POLICE), shared(false))).toBe(true);
    expect(canView(viewer('agency_officer', COUNCIL), shared(false))).toBe(true); // supporting
    expect(canWork(viewer('agency_officer', COUNCIL), shared(false))).toBe(true);
    expect(canView(viewer('agency_officer', FIRE), shared(false))).toBe(false);
    expect(canWork(viewer('agency_officer', FIRE), shared(false))).toBe(false);
    expect(canView(viewer('agency_officer', POLICE), unshared)).toBe(false);
    expect(canView(viewer('agency_officer', null), shared(true))).toBe(false);
  });

  it.each(['cohesion_officer', 'forum_facilitator', 'resettlement_caseworker'] as const)(
    '%s sees shared concerns but does not work them',
    (role) => {
      expect(canView(viewer(role, COUNCIL), shared(true))).toBe(true);
      expect(canWork(viewer(role, COUNCIL), shared(true))).toBe(false);
      expect(canView(viewer(role, FIRE), shared(true))).toBe(false);
      expect(canView(viewer(role, COUNCIL), unshared)).toBe(false);
    },
  );

  it('an analyst sees no individual concern, even one shared with their organisation', () => {
    expect(canView(viewer('analyst', COUNCIL), shared(true))).toBe(false);
    expect(canWork(viewer('analyst', COUNCIL), shared(true))).toBe(false);
  });

  it('someone with no roles sees nothing', () => {
    expect(canView({ roles: [], organisationId: COUNCIL }, shared(true))).toBe(false);
    expect(canWork({ roles: [], organisationId: COUNCIL }, shared(true))).toBe(false);
  });
});

describe('canTriage', () => {
  it('is for partnership admins and triage officers only', () => {
    const triagers = ROLES.filter((r) => canTriage(viewer(r)));
    expect(triagers).toEqual(['partnership_admin', 'triage_officer']);
  });
});

describe('canSeeContact', () => {
  it.each(['partnership_admin', 'triage_officer'] as const)('%s always sees contact details', (role) => {
    expect(canSeeContact(viewer(role), shared(false))).toBe(true);
    expect(canSeeContact(viewer(role), unshared)).toBe(true);
  });

  it('an agency officer sees them only for the lead organisation, and only with consent', () => {
    expect(canSeeContact(viewer('agency_officer', POLICE), shared(true))).toBe(true);
    expect(canSeeContact(viewer('agency_officer', POLICE), shared(false))).toBe(false);
    expect(canSeeContact(viewer('agency_officer', COUNCIL), shared(true))).toBe(false); // supporting only
    expect(canSeeContact(viewer('agency_officer', FIRE), shared(true))).toBe(false);
    expect(canSeeContact(viewer('agency_officer', null), { ...shared(true), leadOrganisationId: null })).toBe(
      false,
    );
  });

  it.each(['cohesion_officer', 'forum_facilitator', 'resettlement_caseworker', 'analyst'] as const)(
    '%s never sees contact details, even for the lead organisation with consent',
    (role) => {
      expect(canSeeContact(viewer(role, POLICE), shared(true))).toBe(false);
    },
  );
});

describe('canSeeEquality', () => {
  it('is for partnership admins only', () => {
    expect(ROLES.filter((r) => canSeeEquality(viewer(r)))).toEqual(['partnership_admin']);
  });
});

describe('queueScope', () => {
  it('admins and triage officers see every concern', () => {
    expect(queueScope(viewer('partnership_admin'))).toEqual({ all: true });
    expect(queueScope(viewer('triage_officer'))).toEqual({ all: true });
  });

  it.each([
    'agency_officer',
    'cohesion_officer',
    'forum_facilitator',
    'resettlement_caseworker',
    'analyst',
  ] as const)('%s sees only what is shared with their organisation', (role) => {
    expect(queueScope(viewer(role, FIRE))).toEqual({ all: false, organisationId: FIRE });
    expect(queueScope(viewer(role, null))).toEqual({ all: false, organisationId: null });
  });

  it('several roles combine: the widest wins', () => {
    const both: Viewer = { roles: ['agency_officer', 'triage_officer'], organisationId: POLICE };
    expect(queueScope(both)).toEqual({ all: true });
    expect(canView(both, unshared)).toBe(true);
  });
});
