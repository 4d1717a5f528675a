import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Services } from '../../services.js';
import {
  concernEquality,
  concernEvents,
  concerns,
  concernShares,
} from '../../capabilities/concerns/concerns.table.js';
import type { Targets } from '../../capabilities/concerns/targets.js';
import type { Topic } from '../../capabilities/concerns/vocabulary.js';
import { seedOpen311 } from '../../capabilities/open311/open311.service.js';
import { seedEngagementDemo } from '../../capabilities/engagement/engagement.seed.js';
import { seedTensionDemo } from '../../capabilities/tension/tension.seed.js';
import { seedResettlementDemo } from '../../capabilities/resettlement/resettlement.demo.js';
import { seedPlacesDemo } from '../../capabilities/places/places.demo.js';
import { seedSuggestionsDemo } from '../../capabilities/suggestions/suggestions.demo.js';
import { seedProgrammeDemo } from '../../capabilities/programme/programme.demo.js';
import { seedForumsDemo } from '../../capabilities/forums/forums.demo.js';
import { seedForumsInsightDemo } from '../../capabilities/forums/forums.insight.demo.js';
import { seedWrittenLanguageDemo } from '../../capabilities/concerns/written-language.demo.js';
import { seedInsightDemo } from '../../capabilities/insight/insight.seed.js';
import { audit } from '../audit/audit.service.js';
import { publicActor } from '../auth/actor.js';
import { staff } from '../auth/auth.table.js';
import { hashPassword } from '../auth/password.js';
import type { Database, Tx } from '../db/index.js';
import type { OrganisationKind } from '../tenancy/tenancy.table.js';
import { organisations, partnerships } from '../tenancy/tenancy.table.js';
import { buildDemoConcerns, type OrgKey, type StaffKey } from './demo-concerns.js';
import { createPartnership } from './partnership.js';
import { WARDS } from './wards.js';

/**
 * The demo partnership `npm start` creates on first run: West Northamptonshire's partners and wards,
 * one account per role, and 18 months of synthetic concerns. Created once; later starts leave it be.
 */
export const DEMO_SLUG = 'west-northamptonshire-demo';
export const DEMO_NAME = 'West Northamptonshire Community Safety Partnership (demo)';
const DEMO_DOMAIN = 'demo.heard.test';

const ORGANISATIONS: { key: OrgKey; name: string; kind: OrganisationKind }[] = [
  { key: 'police', name: 'Northamptonshire Police', kind: 'police' },
  { key: 'council', name: 'West Northamptonshire Council', kind: 'council' },
  { key: 'fire', name: 'Northamptonshire Fire and Rescue Service', kind: 'fire' },
  { key: 'nhs', name: 'NHS Northamptonshire Integrated Care Board', kind: 'nhs' },
  // Invented voluntary bodies, marked as such so nobody mistakes them for real ones.
  { key: 'voluntary', name: 'Nene Community Voluntary Action (demo)', kind: 'voluntary' },
  { key: 'youth', name: 'Daventry and South Northants Youth Trust (demo)', kind: 'voluntary' },
  { key: 'interfaith', name: 'Northampton Together Interfaith Forum (demo)', kind: 'voluntary' },
];

interface DemoStaff {
  key: StaffKey;
  name: string;
  organisation: OrgKey;
  role: string;
  description: string;
}
const person = (
  key: StaffKey,
  name: string,
  organisation: OrgKey,
  role: string,
  description: string,
): DemoStaff => ({ key, name, organisation, role, description });

const STAFF: DemoStaff[] = [
  person('admin', 'Helen Whitmore', 'council', 'partnership_admin', 'Partnership admin'),
  person('triage', 'Priya Chauhan', 'council', 'triage_officer', 'Triage officer'),
  person('police', 'Daniel Okafor', 'police', 'agency_officer', 'Agency officer'),
  person('council', 'Sarah Jennings', 'council', 'agency_officer', 'Agency officer'),
  person('fire', 'Mark Tebbutt', 'fire', 'agency_officer', 'Agency officer'),
  person('nhs', 'Aisha Rahman', 'nhs', 'agency_officer', 'Agency officer'),
  person('voluntary', 'Tomasz Nowak', 'voluntary', 'agency_officer', 'Agency officer'),
  person('cohesion', 'Imran Hussain', 'council', 'cohesion_officer', 'Cohesion officer'),
  person('facilitator', 'Grace Adeyemi', 'interfaith', 'forum_facilitator', 'Forum facilitator'),
  person('caseworker', 'Olena Kovalenko', 'council', 'resettlement_caseworker', 'Resettlement caseworker'),
  person('analyst', 'James Whitfield', 'council', 'analyst', 'Analyst'),
];

const staffEmail = (key: StaffKey) => `${key}@${DEMO_DOMAIN}`;
/** Each organisation's shared inbox (assignment notices) and who leads for it (the overdue digest). */
const inboxEmail = (key: OrgKey) => `csp-${key}@${DEMO_DOMAIN}`;
const LEADS: StaffKey[] = ['police', 'council', 'fire', 'nhs', 'voluntary', 'facilitator'];

/** Hate incidents get a faster response; ideas take longer to consider. */
const TARGETS: Record<Topic, Targets> = {
  unsafe_place: { acknowledgeWorkingDays: 2, respondWorkingDays: 10 },
  antisocial_behaviour: { acknowledgeWorkingDays: 2, respondWorkingDays: 10 },
  hate_harassment: { acknowledgeWorkingDays: 1, respondWorkingDays: 5 },
  hate_disinformation: { acknowledgeWorkingDays: 2, respondWorkingDays: 5 },
  community_tensions: { acknowledgeWorkingDays: 2, respondWorkingDays: 10 },
  access_inclusion: { acknowledgeWorkingDays: 2, respondWorkingDays: 10 },
  idea: { acknowledgeWorkingDays: 5, respondWorkingDays: 20 },
  something_else: { acknowledgeWorkingDays: 2, respondWorkingDays: 10 },
};

/** The accounts to sign in with, for the start-up banner and the README. */
export function demoSignIns(): { email: string; description: string }[] {
  const orgName = (key: OrgKey) => ORGANISATIONS.find((o) => o.key === key)!.name;
  return STAFF.map((s) => ({
    email: staffEmail(s.key),
    description: `${s.description}, ${orgName(s.organisation)}`,
  }));
}

/** Postgres caps a statement at 65,535 parameters; a few hundred rows per insert stays well clear. */
async function insertInChunks<T>(
  rows: T[],
  size: number,
  insert: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function seedDemo(
  db: Database,
  services: Services,
  config: Config,
): Promise<{ name: string; created: boolean }> {
  const existing = await db.system((tx) =>
    tx.select({ id: partnerships.id }).from(partnerships).where(eq(partnerships.slug, DEMO_SLUG)),
  );
  if (existing.length > 0) return { name: DEMO_NAME, created: false };

  // One argon2 hash shared by every demo account: hashing is deliberately slow.
  const passwordHash = await hashPassword(config.demoPassword);
  const created = await createPartnership(db, {
    slug: DEMO_SLUG,
    name: DEMO_NAME,
    shortName: 'West Northants CSP (demo)',
    hostnames: ['localhost', '127.0.0.1'],
    inboundAddresses: [`concerns@${DEMO_DOMAIN}`],
    isDemo: true,
    organisations: ORGANISATIONS,
    areas: WARDS,
    staff: STAFF.map((s) => ({
      email: staffEmail(s.key),
      name: s.name,
      organisation: s.organisation,
      roles: [s.role],
    })),
    passwordHash,
    totpSecret: config.demoTotpSecret,
    targets: Object.entries(TARGETS).map(([topic, t]) => ({ topic, ...t })),
  });

  const rows = buildDemoConcerns({
    partnershipId: created.id,
    organisations: Object.fromEntries(
      ORGANISATIONS.map((o) => [o.key, { id: created.organisations[o.key]!, name: o.name }]),
    ) as Record<OrgKey, { id: string; name: string }>,
    areas: created.areas,
    staff: Object.fromEntries(
      STAFF.map((s) => [s.key, { id: created.staff[staffEmail(s.key)]!, name: s.name }]),
    ) as Record<StaffKey, { id: string; name: string }>,
    targets: TARGETS,
    now: new Date(),
  });

  await db.tenant(created.id, async (tx: Tx) => {
    for (const o of ORGANISATIONS) {
      await tx
        .update(organisations)
        .set({ inboxEmail: inboxEmail(o.key) })
        .where(eq(organisations.id, created.organisations[o.key]!));
    }
    const leads = LEADS.map((k) => created.staff[staffEmail(k)]!);
    await tx.update(staff).set({ organisationLead: true }).where(inArray(staff.id, leads));
    await insertInChunks(rows.concerns, 250, (chunk) => tx.insert(concerns).values(chunk));
    await insertInChunks(rows.shares, 1000, (chunk) => tx.insert(concernShares).values(chunk));
    await insertInChunks(rows.equality, 1000, (chunk) => tx.insert(concernEquality).values(chunk));
    await insertInChunks(rows.events, 1000, (chunk) => tx.insert(concernEvents).values(chunk));
    // A known Open311 key, so the README's curl examples work out of the box.
    await seedOpen311(tx, created.id, { name: 'Demo Open311 client', secret: 'demo-open311-key' });
    // Reference population figures, so equality monitoring has something to compare with.
    await seedInsightDemo(tx, created.id);
    await seedProgrammeDemo(tx, {
      partnershipId: created.id,
      organisations: Object.fromEntries(
        ORGANISATIONS.map((o) => [o.key, created.organisations[o.key]!]),
      ) as Record<OrgKey, string>,
      staff: Object.fromEntries(STAFF.map((s) => [s.key, created.staff[staffEmail(s.key)]!])) as Record<
        StaffKey,
        string
      >,
      now: new Date(),
      concerns: rows.concerns.map((c) => ({
        id: c.id!,
        topic: c.topic,
        createdAt: c.createdAt ?? new Date(),
        status: c.status ?? 'new',
      })),
    });
    // The cohesion officer's engagement log and the tension picture (their own seed functions).
    const areasByName = Object.fromEntries(WARDS.map((w) => [w.name, created.areas[w.code]!]));
    const cohesionId = created.staff[staffEmail('cohesion')]!;
    await seedEngagementDemo(tx, {
      concerns: services.concerns,
      officer: {
        partnershipId: created.id,
        staffId: cohesionId,
        organisationId: created.organisations.council!,
        roles: ['cohesion_officer'],
        label: `Imran Hussain <${staffEmail('cohesion')}>`,
        correlationId: randomUUID(),
      },
      areasByName,
      organisations: created.organisations,
      organisationNames: Object.fromEntries(ORGANISATIONS.map((o) => [o.key, o.name])),
    });
    await seedTensionDemo(tx, {
      partnershipId: created.id,
      areasByName,
      officerStaffId: cohesionId,
      policeStaffId: created.staff[staffEmail('police')]!,
    });
    await seedResettlementDemo(tx, {
      partnershipId: created.id,
      caseworkerStaffId: created.staff[staffEmail('caseworker')]!,
      areaIds: Object.values(created.areas).slice(0, 12),
      now: new Date(),
    });
    const system = {
      partnershipId: created.id,
      staffId: null,
      organisationId: null,
      roles: [],
      label: 'system',
      correlationId: randomUUID(),
    };
    // Ward boundaries (when the ONS files are at hand) and a triage classifier trained on the above.
    await seedPlacesDemo(tx, system);
    await seedSuggestionsDemo(tx, system);
    // After the classifier is trained, so its English training set is unchanged.
    await seedWrittenLanguageDemo(tx, {
      concerns: services.concerns,
      resident: publicActor(created.id, randomUUID()),
      areasByName,
      now: new Date(),
    });
    await audit(tx, system, {
      action: 'demo.seeded',
      entityType: 'partnership',
      entityId: created.id,
      details: { concerns: rows.concerns.length },
    });
  });
  const staffRef = (key: StaffKey) => {
    const s = STAFF.find((x) => x.key === key)!;
    return { id: created.staff[staffEmail(key)]!, organisationId: created.organisations[s.organisation]! };
  };
  await seedForumsDemo(services, {
    partnershipId: created.id,
    admin: staffRef('admin'),
    facilitator: staffRef('facilitator'),
    triage: staffRef('triage'),
    organisations: { council: created.organisations.council!, police: created.organisations.police! },
  });
  // Earlier meetings and members who answered the equality questions, for the dashboard's panels.
  await seedForumsInsightDemo(services, {
    partnershipId: created.id,
    facilitator: staffRef('facilitator'),
  });
  // The directory caches partnerships; the new one must be served straight away.
  services.partnerships.refresh();
  return { name: DEMO_NAME, created: true };
}
