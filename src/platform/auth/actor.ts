/**
 * Who is doing something, as services see it: never an HTTP request. Routes build one from the
 * request; jobs and the seed build their own. Every audit record is written from one of these.
 */
export interface Actor {
  partnershipId: string;
  staffId: string | null;
  organisationId: string | null;
  roles: readonly string[];
  /** Shown in the audit log: the staff member's name and email, or "resident", "system", "email". */
  label: string;
  correlationId: string;
}

export interface StaffPrincipal {
  id: string;
  partnershipId: string;
  organisationId: string;
  organisationName: string;
  /** police, council, fire, nhs, voluntary or other: some rules (tension monitoring) depend on it. */
  organisationKind?: string;
  name: string;
  email: string;
  roles: string[];
  via: 'session' | 'token';
  sessionId: string | null;
}

export function staffActor(staff: StaffPrincipal, correlationId: string): Actor {
  return {
    partnershipId: staff.partnershipId,
    staffId: staff.id,
    organisationId: staff.organisationId,
    roles: staff.roles,
    label: `${staff.name} <${staff.email}>`,
    correlationId,
  };
}

export function publicActor(partnershipId: string, correlationId: string, label = 'resident'): Actor {
  return { partnershipId, staffId: null, organisationId: null, roles: [], label, correlationId };
}
