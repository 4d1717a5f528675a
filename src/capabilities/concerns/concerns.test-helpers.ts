import { sql } from 'drizzle-orm';
import type { TestApp, TestClient, TestPartnership } from '../../../test/helpers/app.js';
import { publicActor, type Actor } from '../../platform/auth/actor.js';
import type { NewConcern } from './concerns.service.js';
import { formatReference } from './reference.js';

/** Shared set-up for the concerns page and API tests. */

/** Raw query results are untyped (the driver differs between PGlite and PostgreSQL). */
function rows<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

export async function countConcerns(t: TestApp, p: TestPartnership): Promise<number> {
  const r = await t.db.tenant(p.id, (tx) => tx.execute(sql`select count(*)::int as n from concerns`));
  return Number(rows<{ n: number }>(r)[0]!.n);
}

export const BASE_CONCERN: NewConcern = {
  kind: 'concern',
  topic: 'antisocial_behaviour',
  description: 'Groups gather by the shops every night and shout at people walking past.',
  affectedGroups: [],
  forGroup: false,
  anonymous: false,
  contactName: 'Sam Resident',
  contactEmail: 'sam.resident@example.com',
  contactPhone: '07700 900 982',
  preferredContact: 'email',
  consentToShare: true,
  channel: 'web',
  language: 'en',
};

export async function createConcern(t: TestApp, p: TestPartnership, overrides: Partial<NewConcern> = {}) {
  const created = await t.services.concerns.create(publicActor(p.id, 'test'), {
    ...BASE_CONCERN,
    ...overrides,
  });
  return { ...created, ref: formatReference(created.reference) };
}

const ROLES: Record<string, { organisation: string; roles: string[] }> = {
  admin: { organisation: 'council', roles: ['partnership_admin'] },
  triage: { organisation: 'council', roles: ['triage_officer'] },
  police: { organisation: 'police', roles: ['agency_officer'] },
  council: { organisation: 'council', roles: ['agency_officer'] },
  fire: { organisation: 'fire', roles: ['agency_officer'] },
};

/** An actor for calling the service directly, to set a concern up before testing a page. */
export function actorFor(p: TestPartnership, local: keyof typeof ROLES): Actor {
  const role = ROLES[local]!;
  return {
    partnershipId: p.id,
    staffId: p.staff[p.email(local)]!,
    organisationId: p.organisations[role.organisation]!,
    roles: role.roles,
    label: `${local} (test set-up)`,
    correlationId: 'test-setup',
  };
}

export async function countEvents(t: TestApp, p: TestPartnership, reference: string): Promise<number> {
  const ref = reference.replace(/-/g, '');
  const r = await t.db.tenant(p.id, (tx) =>
    tx.execute(
      sql`select count(*)::int as n from concern_events e join concerns c on c.id = e.concern_id where c.reference = ${ref}`,
    ),
  );
  return Number(rows<{ n: number }>(r)[0]!.n);
}

export async function concernRow(t: TestApp, p: TestPartnership, reference: string) {
  const ref = reference.replace(/-/g, '');
  const r = await t.db.tenant(p.id, (tx) => tx.execute(sql`select * from concerns where reference = ${ref}`));
  return rows<
    Record<string, unknown> & {
      id: string;
      status: string;
      description: string;
      channel: string;
      source: string | null;
      recorded_by_staff_id: string | null;
      lead_organisation_id: string | null;
      assigned_staff_id: string | null;
      duplicate_of_id: string | null;
      redacted: boolean;
    }
  >(r)[0]!;
}

export async function auditRows(t: TestApp, p: TestPartnership, action: string, entityId: string) {
  const r = await t.db.tenant(p.id, (tx) =>
    tx.execute(
      sql`select actor_staff_id, actor_organisation_id, correlation_id, details from audit_log where action = ${action} and entity_id = ${entityId} order by id`,
    ),
  );
  return rows<{
    actor_staff_id: string;
    actor_organisation_id: string;
    correlation_id: string;
    details: unknown;
  }>(r);
}

/** References linked from a queue page, in the order shown. */
export function queueRefs(html: string): string[] {
  return [...html.matchAll(/class="govuk-link heard-reference" href="\/staff\/concerns\/([A-Z0-9-]+)"/g)].map(
    (m) => m[1]!,
  );
}

export function unescapeHtml(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

/**
 * A signed-in client holding a CSRF token, as a browser would after opening any page with a form
 * (the Check progress page has one whoever is looking).
 */
export async function staffClient(t: TestApp, p: TestPartnership, local: string): Promise<TestClient> {
  const client = await t.signedIn(p, local);
  await client.get('/progress');
  return client;
}
