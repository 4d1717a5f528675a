import type { Database } from '../db/index.js';
import type { OrganisationKind } from '../tenancy/tenancy.table.js';
import { areas, organisations, partnerships, responseTargets } from '../tenancy/tenancy.table.js';
import { staff } from '../auth/auth.table.js';
import { timeStep } from '../auth/totp.js';

export interface PartnershipSpec {
  slug: string;
  name: string;
  shortName: string;
  hostnames?: string[];
  inboundAddresses?: string[];
  isDemo?: boolean;
  organisations: { key: string; name: string; kind: OrganisationKind }[];
  areas: { code: string; name: string; group: string }[];
  staff: { email: string; name: string; organisation: string; roles: string[] }[];
  /** One argon2 hash for every seeded account (hashing is deliberately slow). */
  passwordHash: string;
  totpSecret: string;
  targets?: { topic: string; acknowledgeWorkingDays: number; respondWorkingDays: number }[];
}

export interface CreatedPartnership {
  id: string;
  organisations: Record<string, string>;
  areas: Record<string, string>;
  staff: Record<string, string>;
}

/**
 * Creates a partnership with its organisations, areas and staff accounts (second factor already
 * enrolled). Used by the demo seed and by test fixtures, so both build partnerships the same way.
 */
export async function createPartnership(db: Database, spec: PartnershipSpec): Promise<CreatedPartnership> {
  const [p] = await db.system((tx) =>
    tx
      .insert(partnerships)
      .values({
        slug: spec.slug,
        name: spec.name,
        shortName: spec.shortName,
        hostnames: spec.hostnames ?? [],
        inboundAddresses: spec.inboundAddresses ?? [],
        isDemo: spec.isDemo ?? false,
      })
      .returning({ id: partnerships.id }),
  );
  const id = p!.id;
  return db.tenant(id, async (tx) => {
    const orgRows = await tx
      .insert(organisations)
      .values(spec.organisations.map((o) => ({ partnershipId: id, name: o.name, kind: o.kind })))
      .returning({ id: organisations.id, name: organisations.name });
    const orgIds: Record<string, string> = {};
    for (const o of spec.organisations) orgIds[o.key] = orgRows.find((r) => r.name === o.name)!.id;

    const areaIds: Record<string, string> = {};
    if (spec.areas.length > 0) {
      const rows = await tx
        .insert(areas)
        .values(
          spec.areas.map((a) => ({ partnershipId: id, code: a.code, name: a.name, groupName: a.group })),
        )
        .returning({ id: areas.id, code: areas.code });
      for (const r of rows) areaIds[r.code] = r.id;
    }

    const staffIds: Record<string, string> = {};
    if (spec.staff.length > 0) {
      const rows = await tx
        .insert(staff)
        .values(
          spec.staff.map((s) => ({
            partnershipId: id,
            organisationId: orgIds[s.organisation]!,
            email: s.email.toLowerCase(),
            name: s.name,
            roles: s.roles,
            passwordHash: spec.passwordHash,
            totpSecret: spec.totpSecret,
            // Enrolled: any code from now on is accepted once.
            totpLastStep: timeStep() - 2,
          })),
        )
        .returning({ id: staff.id, email: staff.email });
      for (const r of rows) staffIds[r.email] = r.id;
    }

    if (spec.targets?.length) {
      await tx.insert(responseTargets).values(spec.targets.map((t) => ({ partnershipId: id, ...t })));
    }
    return { id, organisations: orgIds, areas: areaIds, staff: staffIds };
  });
}
