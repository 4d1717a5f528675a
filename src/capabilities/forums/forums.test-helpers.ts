import type { SQL } from 'drizzle-orm';
import type { TestApp, TestPartnership } from '../../../test/helpers/app.js';
import type { Actor } from '../../platform/auth/actor.js';
import { staff } from '../../platform/auth/auth.table.js';
import type { Database } from '../../platform/db/index.js';
import type { Services } from '../../services.js';
import type { NewForum } from './forums.service.js';

/** Shared set-up for the forums tests. */

type Partnership = Pick<TestPartnership, 'id' | 'staff' | 'organisations' | 'email'>;

/**
 * The shared fixtures have no forum facilitator; this adds one (facilitator@<slug>.test, or another
 * local part for a second) to a partnership, so signedIn(p, 'facilitator') works.
 */
export async function addFacilitator(db: Database, p: Partnership, local = 'facilitator'): Promise<string> {
  const email = p.email(local);
  if (p.staff[email]) return p.staff[email];
  const [row] = await db.tenant(p.id, (tx) =>
    tx
      .insert(staff)
      .values({
        partnershipId: p.id,
        organisationId: p.organisations.voluntary!,
        email,
        name: `${local === 'facilitator' ? 'Facilitator' : local} ${p.id.slice(0, 4)}`,
        roles: ['forum_facilitator'],
        passwordHash: 'not-used',
        totpSecret: 'JBSWY3DPEHPK3PXP',
      })
      .returning({ id: staff.id }),
  );
  p.staff[email] = row!.id;
  return row!.id;
}

export function facilitatorActor(p: Partnership, correlationId = 'test-setup'): Actor {
  return {
    partnershipId: p.id,
    staffId: p.staff[p.email('facilitator')]!,
    organisationId: p.organisations.voluntary!,
    roles: ['forum_facilitator'],
    label: 'facilitator (test set-up)',
    correlationId,
  };
}

export const DISABILITY_FORUM: NewForum = {
  name: 'Disability Forum',
  characteristics: ['disability'],
  description: 'For disabled people, their families and carers.',
  coChairs: 'Ruth Bailey and Sunil Mistry',
  howToJoin: 'Ask to join on this page, or phone 01604 000000.',
  meetingPattern: 'Every other month, Thursday evenings, at the Guildhall in Northampton and online.',
  accessibility: ['bsl', 'hearing_loop', 'step_free', 'online'],
};

/** Partnership admins create forums; the fixtures' admin is admin@<slug>.test. */
export function adminActor(p: Partnership, correlationId = 'test-setup'): Actor {
  return {
    partnershipId: p.id,
    staffId: p.staff[p.email('admin')]!,
    organisationId: p.organisations.council!,
    roles: ['partnership_admin'],
    label: 'admin (test set-up)',
    correlationId,
  };
}

export async function createForum(
  services: Services,
  p: Partnership,
  overrides: Partial<NewForum> = {},
): Promise<{ id: string; slug: string; name: string }> {
  const result = await services.forums.createForum(adminActor(p), {
    ...DISABILITY_FORUM,
    facilitatorStaffIds: [p.staff[p.email('facilitator')]!],
    ...overrides,
  });
  if (!result.ok) throw new Error(`could not create forum: ${result.problem}`);
  return result.forum;
}

/** Raw query results are untyped (the driver differs between PGlite and PostgreSQL). */
export async function query<T>(t: Pick<TestApp, 'db'>, p: { id: string }, q: SQL) {
  const r = await t.db.tenant(p.id, (tx) => tx.execute(q));
  return (r as unknown as { rows: T[] }).rows;
}

export const DAY = 24 * 60 * 60 * 1000;
