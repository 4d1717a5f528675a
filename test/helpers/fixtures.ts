import type { Database } from '../../src/platform/db/index.js';
import { hashPassword } from '../../src/platform/auth/password.js';
import { createPartnership, type CreatedPartnership } from '../../src/platform/seed/partnership.js';

export const TEST_PASSWORD = 'correct horse battery staple';
export const TEST_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';

let passwordHash: Promise<string> | undefined;

export const ROLE_ACCOUNTS = [
  { local: 'admin', organisation: 'council', roles: ['partnership_admin'] },
  { local: 'triage', organisation: 'council', roles: ['triage_officer'] },
  { local: 'police', organisation: 'police', roles: ['agency_officer'] },
  { local: 'council', organisation: 'council', roles: ['agency_officer'] },
  { local: 'fire', organisation: 'fire', roles: ['agency_officer'] },
  { local: 'cohesion', organisation: 'council', roles: ['cohesion_officer'] },
  { local: 'analyst', organisation: 'council', roles: ['analyst'] },
] as const;

/**
 * A small partnership for tests: five organisations, three areas, one account per role, all with
 * TEST_PASSWORD and TEST_TOTP_SECRET. Emails are <role>@<slug>.test, e.g. triage@a.test.
 */
export async function createTestPartnership(
  db: Database,
  slug: string,
  hostnames: string[] = [],
): Promise<CreatedPartnership & { email: (local: string) => string }> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const email = (local: string) => `${local}@${slug}.test`;
  const created = await createPartnership(db, {
    slug,
    name: `Partnership ${slug.toUpperCase()}`,
    shortName: `CSP ${slug.toUpperCase()}`,
    hostnames,
    inboundAddresses: [`concerns@${slug}.test`],
    organisations: [
      { key: 'police', name: `Police ${slug}`, kind: 'police' },
      { key: 'council', name: `Council ${slug}`, kind: 'council' },
      { key: 'fire', name: `Fire ${slug}`, kind: 'fire' },
      { key: 'nhs', name: `NHS ${slug}`, kind: 'nhs' },
      { key: 'voluntary', name: `Voluntary ${slug}`, kind: 'voluntary' },
    ],
    areas: [
      { code: `${slug}-01`, name: `North ${slug}`, group: 'District one' },
      { code: `${slug}-02`, name: `South ${slug}`, group: 'District one' },
      { code: `${slug}-03`, name: `East ${slug}`, group: 'District two' },
    ],
    staff: ROLE_ACCOUNTS.map((a) => ({
      email: email(a.local),
      name: `${a.local[0]!.toUpperCase()}${a.local.slice(1)} ${slug.toUpperCase()}`,
      organisation: a.organisation,
      roles: [...a.roles],
    })),
    passwordHash: await passwordHash,
    totpSecret: TEST_TOTP_SECRET,
  });
  return { ...created, email };
}
