import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import { staff } from '../../platform/auth/auth.table.js';
import type { Database } from '../../platform/db/index.js';
import type { TestPartnership } from '../../../test/helpers/app.js';
import type { HouseholdInput, MemberInput } from './resettlement.schema.js';

/**
 * The shared test partnerships have no resettlement accounts, so these tests add a caseworker and a
 * manager to each (caseworker@<slug>.test, manager@<slug>.test) and record their ids on the partnership.
 */
export async function addResettlementStaff(db: Database, p: TestPartnership): Promise<void> {
  const rows = await db.tenant(p.id, (tx) =>
    tx
      .insert(staff)
      .values([
        {
          partnershipId: p.id,
          organisationId: p.organisations.council!,
          email: p.email('caseworker'),
          name: `Caseworker ${p.id.slice(0, 4)}`,
          roles: ['resettlement_caseworker'],
        },
        {
          partnershipId: p.id,
          organisationId: p.organisations.council!,
          email: p.email('manager'),
          name: `Manager ${p.id.slice(0, 4)}`,
          roles: ['resettlement_manager'],
        },
      ])
      .returning({ id: staff.id, email: staff.email }),
  );
  for (const r of rows) p.staff[r.email] = r.id;
}

const ROLES: Record<string, string[]> = {
  caseworker: ['resettlement_caseworker'],
  manager: ['resettlement_manager'],
  police: ['agency_officer'],
  admin: ['partnership_admin'],
  analyst: ['analyst'],
};

export function resettlementActor(p: TestPartnership, local: keyof typeof ROLES): Actor {
  return {
    partnershipId: p.id,
    staffId: p.staff[p.email(local)] ?? null,
    organisationId: p.organisations.council ?? null,
    roles: ROLES[local]!,
    label: `${local} <${p.email(local)}>`,
    correlationId: randomUUID(),
  };
}

export function householdFixture(overrides: Partial<HouseholdInput> = {}): HouseholdInput {
  return {
    scheme: 'homes_for_ukraine',
    name: 'Test family',
    arrivalDate: '2026-03-14',
    address: '1 Test Street, Northampton',
    interpreterNeeded: true,
    interpreterLanguage: 'Ukrainian',
    lawfulBasis: 'public_task',
    consentGiven: true,
    consentDate: '2026-03-20',
    ...overrides,
  } as HouseholdInput;
}

export function memberFixture(overrides: Partial<MemberInput> = {}): MemberInput {
  return {
    name: 'Test Person',
    dateOfBirth: '1988-05-02',
    relationship: 'main_applicant',
    languages: ['uk'],
    englishLevel: 'entry',
    education: 'not_applicable',
    workStatus: 'seeking_work',
    esolEnrolled: false,
    gpRegistered: false,
    ...overrides,
  } as MemberInput;
}
