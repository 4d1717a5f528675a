import type { TestPartnership } from '../../../test/helpers/app.js';
import type { Database } from '../../platform/db/index.js';
import {
  buildDemoConcerns,
  type DemoIds,
  type OrgKey,
  type StaffKey,
} from '../../platform/seed/demo-concerns.js';
import { concerns, concernShares } from '../concerns/concerns.table.js';

const ORG_FOR: Record<OrgKey, string> = {
  police: 'police',
  council: 'council',
  fire: 'fire',
  nhs: 'nhs',
  voluntary: 'voluntary',
  youth: 'voluntary',
  interfaith: 'voluntary',
};
const STAFF_KEYS: StaffKey[] = [
  'admin',
  'triage',
  'police',
  'council',
  'fire',
  'nhs',
  'voluntary',
  'cohesion',
  'facilitator',
  'caseworker',
  'analyst',
];

/**
 * Triaged history for a test partnership, from the demo generator: realistic texts with the topic
 * and lead triage gave them, so a classifier has something to learn from. Events are left out.
 */
export async function seedTriagedHistory(db: Database, p: TestPartnership, count = 300): Promise<number> {
  const staffFor = (k: StaffKey) => p.staff[p.email(k)] ?? p.staff[p.email('triage')]!;
  const ids = {
    partnershipId: p.id,
    organisations: Object.fromEntries(
      (Object.keys(ORG_FOR) as OrgKey[]).map((k) => [k, { id: p.organisations[ORG_FOR[k]]!, name: k }]),
    ),
    areas: {},
    staff: Object.fromEntries(STAFF_KEYS.map((k) => [k, { id: staffFor(k), name: k }])),
    targets: {},
    now: new Date(),
  } as DemoIds;
  const rows = buildDemoConcerns(ids, count);
  // Only triaged ones: new concerns in the history would get suggestions of their own.
  const triaged = rows.concerns.filter((c) => c.leadOrganisationId);
  const keep = new Set(triaged.map((c) => c.id));
  await db.tenant(p.id, async (tx) => {
    for (let i = 0; i < triaged.length; i += 200) await tx.insert(concerns).values(triaged.slice(i, i + 200));
    const shares = rows.shares.filter((s) => keep.has(s.concernId));
    // The generator maps two demo bodies onto one test organisation; keep one share per pair.
    const unique = [...new Map(shares.map((s) => [`${s.concernId}:${s.organisationId}`, s])).values()];
    for (let i = 0; i < unique.length; i += 500)
      await tx.insert(concernShares).values(unique.slice(i, i + 500));
  });
  return triaged.length;
}
