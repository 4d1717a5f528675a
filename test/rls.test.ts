import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Tx } from '../src/platform/db/index.js';
import { publicActor } from '../src/platform/auth/actor.js';
import { enqueueMail } from '../src/platform/mail/mailer.js';
import { hashToken, newSecretToken } from '../src/platform/auth/tokens.js';
import { authRepository } from '../src/platform/auth/auth.repository.js';
import { buildServices, type Services } from '../src/services.js';
import { testConfig } from '../src/config.js';
import { createTestDatabase } from './helpers/db.js';
import { createTestPartnership } from './helpers/fixtures.js';
import {
  addFacilitator,
  createForum,
  facilitatorActor,
} from '../src/capabilities/forums/forums.test-helpers.js';

/**
 * Row-level security, checked in the database itself: whatever a query forgets, heard_app cannot
 * read or write another partnership's rows.
 */
type Partnership = Awaited<ReturnType<typeof createTestPartnership>>;

let db: Database;
let services: Services;
let a: Partnership;
let b: Partnership;
let tenantTables: string[];

async function rows<T>(tx: Tx, query: SQL): Promise<T[]> {
  // Drizzle types raw results loosely; both drivers return { rows }.
  return ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Puts at least one row in every tenant table for partnership `p`. */
async function populate(p: Partnership): Promise<void> {
  const triageId = p.staff[p.email('triage')]!;
  const created = await services.concerns.create(publicActor(p.id, 'rls-test'), {
    kind: 'concern',
    topic: 'unsafe_place',
    description: 'The underpass is dark',
    affectedGroups: ['age'],
    forGroup: false,
    anonymous: false,
    contactName: 'Sam',
    contactEmail: 'sam@example.test',
    consentToShare: true,
    equality: { ageBand: '25_34' },
    channel: 'web',
    language: 'en',
  });
  await services.share.save(p.id, newSecretToken(), { kind: 'concern' });
  await populateResettlement(p);
  await db.tenant(p.id, async (tx) => {
    await tx.execute(
      sql`insert into response_targets (partnership_id, topic, acknowledge_working_days, respond_working_days) values (${p.id}, 'idea', 5, 20)`,
    );
    await tx.execute(
      sql`insert into api_tokens (partnership_id, staff_id, name, token_hash) values (${p.id}, ${triageId}, 'Reports', ${hashToken(newSecretToken())})`,
    );
    await tx.execute(
      sql`insert into concern_shares (partnership_id, concern_id, organisation_id, role) values (${p.id}, ${created.id}, ${p.organisations.police!}, 'lead')`,
    );
    await tx.execute(
      sql`insert into concern_redactions (partnership_id, concern_id, original_description, reason, staff_id) values (${p.id}, ${created.id}, 'Original', 'Named a child', ${triageId})`,
    );
    const [inbound] = await rows<{ id: string }>(
      tx,
      sql`insert into inbound_messages (partnership_id, via, envelope_from, raw, size, concern_id) values (${p.id}, 'smtp', 'sam@example.test', decode('48656c6c6f', 'hex'), 5, ${created.id}) returning id`,
    );
    await tx.execute(
      sql`insert into concern_attachments (partnership_id, concern_id, inbound_message_id, filename, content_type, size, content) values (${p.id}, ${created.id}, ${inbound!.id}, 'photo.jpg', 'image/jpeg', 5, decode('48656c6c6f', 'hex'))`,
    );
    await tx.execute(
      sql`insert into correspondence (partnership_id, concern_id, direction, inbound_message_id, from_address, to_address, subject, body_text) values (${p.id}, ${created.id}, 'inbound', ${inbound!.id}, 'sam@example.test', 'concerns@a.test', 'Re: your concern', 'Thanks')`,
    );
    await tx.execute(
      sql`insert into open311_keys (partnership_id, name, key_hash) values (${p.id}, 'FixMyStreet', ${hashToken(newSecretToken())})`,
    );
    await tx.execute(
      sql`insert into open311_services (partnership_id, topic, public) values (${p.id}, 'unsafe_place', true)`,
    );
    await authRepository.insertSession(tx, {
      partnershipId: p.id,
      staffId: triageId,
      tokenHash: hashToken(newSecretToken()),
      stage: 'full',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await enqueueMail(tx, {
      partnershipId: p.id,
      to: 'sam@example.test',
      subject: 'Hi',
      text: 'Hello',
      purpose: 'test',
    });
  });
  // The engagement log (engagements, issues, referrals) and tension reports, through their services.
  const area = Object.values(p.areas)[0]!;
  const cohesion = {
    partnershipId: p.id,
    staffId: p.staff[p.email('cohesion')]!,
    organisationId: p.organisations.council!,
    roles: ['cohesion_officer'],
    label: 'cohesion (rls test)',
    correlationId: 'rls-test',
  };
  const logged = await services.engagement.log(cohesion, {
    idempotencyKey: randomUUID(),
    occurredDay: '2026-11-02',
    areaId: area,
    place: 'Community centre',
    type: 'drop_in',
    languages: ['English'],
    issues: [{ summary: 'Dark alley', outcome: 'concern', topic: 'unsafe_place', field: 'issue1Reference' }],
    referrals: [{ serviceName: 'Food bank', reason: 'Food', field: 'referral1Organisation' }],
  });
  expect(logged.ok).toBe(true);
  const reported = await services.tension.report(cohesion, {
    areaId: area,
    reportedOn: '2026-11-02',
    source: 'officer',
    category: 'rumour',
    assessment: 'potential',
    level: 'low',
    summary: 'A rumour',
    reviewDate: '2026-11-16',
  });
  expect(reported.ok).toBe(true);
  // A report's history: an edit and its closure.
  if (!reported.ok) throw new Error('tension report failed');
  expect((await services.tension.edit(cohesion, reported.id, { level: 'medium' })).ok).toBe(true);
  expect(
    (await services.tension.close(cohesion, reported.id, { reason: 'resolved', note: 'Calm again' })).ok,
  ).toBe(true);
  // Places: a boundary import and an area's boundary; suggestions: a model and a concern's suggestion.
  const admin = {
    partnershipId: p.id,
    staffId: p.staff[p.email('admin')]!,
    organisationId: p.organisations.council!,
    roles: ['partnership_admin'],
    label: 'admin (rls test)',
    correlationId: 'rls-test',
  };
  const square = [
    [
      [-1, 52],
      [-0.9, 52],
      [-0.9, 52.1],
      [-1, 52.1],
      [-1, 52],
    ],
  ];
  const imported = await services.places.importBoundaries(admin, {
    filename: 'square.geojson',
    text: JSON.stringify({
      type: 'Feature',
      properties: { code: Object.keys(p.areas)[0] },
      geometry: { type: 'Polygon', coordinates: square },
    }),
    attribution: 'Test boundaries',
    group: 'Test',
  });
  if (!imported.ok) throw new Error('boundary import failed');
  await services.suggestions.retrain(admin, 'admin');
  await services.suggestions.forConcern(
    { ...admin, staffId: triageId, roles: ['triage_officer'] },
    created.reference,
  );
  // Community forums: a forum with a facilitator, a member who asked to join (with equality answers),
  // a meeting with attendance, and an issue raised there.
  await addFacilitator(db, p);
  const forum = await createForum(services, p);
  const facilitator = facilitatorActor(p);
  const asked = await services.forums.requestToJoin(
    p.id,
    forum.slug,
    {
      name: 'Ann',
      email: 'ann@example.test',
      participation: 'online',
      accessNeeds: [],
      equality: { sex: 'female' },
    },
    'rls-test',
  );
  const member = asked.ok
    ? await services.forums.approve(facilitator, forum.slug, asked.requestId)
    : undefined;
  await services.forums.requestToJoin(
    p.id,
    forum.slug,
    {
      name: 'Bo',
      email: 'bo@example.test',
      participation: 'online',
      accessNeeds: [],
      equality: { sex: 'male' },
    },
    'rls-test',
  );
  const meeting = await services.forums.scheduleMeeting(facilitator, forum.slug, {
    title: 'Meeting',
    startsAt: new Date(),
    endsAt: new Date(Date.now() + 3_600_000),
    venueName: 'Hall',
  });
  if (!meeting.ok || !member?.ok || !member.memberId) throw new Error('forum set-up failed');
  await services.forums.recordAttendance(facilitator, forum.slug, meeting.meeting.id, {
    memberIds: [member.memberId],
    guestCount: 1,
  });
  await services.forums.raiseIssue(facilitator, forum.slug, meeting.meeting.id, {
    kind: 'concern',
    topic: 'unsafe_place',
    summary: 'Dark path',
    details: 'The path is dark',
  });
  // Insight: reference population figures for equality monitoring.
  await services.insight.savePopulation(
    {
      partnershipId: p.id,
      staffId: p.staff[p.email('admin')]!,
      organisationId: p.organisations.council!,
      roles: ['partnership_admin'],
      label: 'admin',
      correlationId: 'rls-test',
    },
    { characteristic: 'disability', source: 'Census 2021', figures: { yes: 166, no: 834 } },
  );
  await populateProgramme(p, created.id);
  // Insight's daily rollup: a concern recorded as raised last week, rolled up (rows and the refresh
  // state), then another: a day marked changed.
  const lastWeek = (days: number) =>
    services.concerns.create(publicActor(p.id, 'rls-test'), {
      kind: 'suggestion',
      topic: 'idea',
      description: 'A bench by the bus stop',
      affectedGroups: [],
      forGroup: false,
      anonymous: true,
      consentToShare: false,
      channel: 'web',
      language: 'en',
      createdAt: new Date(Date.now() - days * 86_400_000),
    });
  await lastWeek(8);
  await services.insight.refreshRollup(p.id);
  await lastWeek(7);
}

/** The programme's tables, filled through its service: a priority, theme, action, milestone, update, link, opt-out. */
async function populateProgramme(p: Partnership, concernId: string): Promise<void> {
  const admin = {
    partnershipId: p.id,
    staffId: p.staff[p.email('admin')]!,
    organisationId: p.organisations.council!,
    roles: ['partnership_admin'],
    label: 'rls-test',
    correlationId: 'rls-test',
  };
  const programme = services.programme;
  const priority = await programme.savePriority(admin, undefined, { title: 'Engagement', position: 0 });
  if (!priority.ok) throw new Error(priority.problem);
  const theme = await programme.saveTheme(admin, undefined, {
    name: 'Lighting',
    priorityId: priority.id,
    retired: false,
  });
  if (!theme.ok) throw new Error(theme.problem);
  const [concern] = await db.tenant(p.id, (tx) =>
    rows<{ reference: string }>(tx, sql`select reference from concerns where id = ${concernId}`),
  );
  expect(await programme.tagConcern(admin, concern!.reference, [theme.id])).toEqual({ ok: true });
  const action = await programme.createAction(admin, {
    priorityId: priority.id,
    title: 'Fix the lights',
    description: 'Repair the underpass lighting',
    leadOrganisationId: p.organisations.council!,
    partnerOrganisationIds: [],
    areaIds: [],
    public: true,
  });
  if (!action.ok) throw new Error(action.problem);
  expect(await programme.link(admin, action.id, concern!.reference)).toMatchObject({ ok: true });
  expect(await programme.addMilestone(admin, action.id, { title: 'Survey', dueDate: '2027-01-31' })).toEqual({
    ok: true,
  });
  expect(
    await programme.addUpdate(admin, action.id, {
      body: 'Surveyed',
      links: [],
      figures: [],
      visibility: 'public',
    }),
  ).toMatchObject({ ok: true });
  expect(await programme.unsubscribe(p.id, programme.unsubscribeToken(concernId), 'rls-test')).toEqual({
    ok: true,
  });
}

/** Resettlement casework, through its service (staff inserted directly: the fixtures have no caseworker). */
async function populateResettlement(p: Partnership): Promise<void> {
  const [cw] = await db.tenant(p.id, (tx) =>
    rows<{ id: string }>(
      tx,
      sql`insert into staff (partnership_id, organisation_id, email, name, roles) values (${p.id}, ${p.organisations.council!}, ${`caseworker@${p.id}.test`}, 'Caseworker', array['resettlement_caseworker']) returning id`,
    ),
  );
  const actor = {
    ...publicActor(p.id, 'rls-test', 'caseworker'),
    staffId: cw!.id,
    roles: ['resettlement_caseworker'],
  };
  const rs = services.resettlement;
  const h = await rs.createHousehold(actor, {
    scheme: 'homes_for_ukraine',
    name: 'RLS family',
    interpreterNeeded: false,
    lawfulBasis: 'public_task',
    consentGiven: false,
  });
  if (!h.ok) throw new Error('household not created');
  const m = await rs.addMember(actor, h.id, {
    name: 'RLS person',
    ageBand: '25_64',
    relationship: 'main_applicant',
    languages: ['uk'],
    education: 'not_applicable',
    workStatus: 'employed',
    esolEnrolled: false,
    gpRegistered: true,
  });
  if (!m.ok) throw new Error('member not added');
  await rs.saveHost(actor, h.id, { name: 'Host', checkStatus: 'passed', arrangementStatus: 'active' });
  await rs.saveNeeds(actor, h.id, { housing: { status: 'met', details: {} } });
  await rs.addGoal(actor, h.id, { domain: 'housing', goal: 'Tenancy', owner: 'Caseworker' });
  await rs.addReferral(actor, h.id, { domain: 'health', service: 'GP surgery', referredOn: '2026-11-01' });
  const s = await rs.createSession(actor, {
    topic: 'health_system',
    date: '2026-12-10',
    startTime: '10:00',
    endTime: '12:00',
    venue: 'Guildhall',
    languages: ['en'],
    capacity: 10,
  });
  if (!s.ok) throw new Error('session not created');
  await rs.book(actor, s.id, [m.id]);
}

async function countAs(partnershipId: string, table: string, where?: string): Promise<number> {
  const [r] = await db.tenant(partnershipId, (tx) =>
    rows<{ n: number }>(
      tx,
      sql.raw(`select count(*)::int as n from ${table}${where ? ` where ${where}` : ''}`),
    ),
  );
  return Number(r!.n);
}

async function countOwned(table: string, partnershipId: string): Promise<number> {
  const [r] = await db.system((tx) =>
    rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from ${sql.identifier(table)} where partnership_id = ${partnershipId}`,
    ),
  );
  return Number(r!.n);
}

/** The error Postgres raised, whether or not the driver wrapped it. */
async function refusal(work: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await work;
  } catch (err) {
    const e = err as { code?: string; message: string; cause?: { code?: string; message: string } };
    return e.cause?.code ? e.cause : e;
  }
  throw new Error('expected the database to refuse');
}

beforeAll(async () => {
  db = await createTestDatabase();
  a = await createTestPartnership(db, 'a');
  b = await createTestPartnership(db, 'b', ['b.heard.test']);
  services = buildServices(db, testConfig());
  await populate(a);
  await populate(b);
  tenantTables = (
    await db.system((tx) =>
      rows<{ table: string }>(
        tx,
        sql`select c.relname as table from pg_class c
            join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute att on att.attrelid = c.oid and att.attname = 'partnership_id' and not att.attisdropped
            where n.nspname = 'public' and c.relkind in ('r', 'p')
            order by c.relname`,
      ),
    )
  ).map((r) => r.table);
});

afterAll(async () => {
  await db.close();
});

describe('schema', () => {
  it('finds the tenant tables', () => {
    expect(tenantTables).toEqual(
      expect.arrayContaining([
        'concerns',
        'concern_equality',
        'staff',
        'audit_log',
        'share_drafts',
        'outbox',
      ]),
    );
    expect(tenantTables).not.toContain('partnerships');
  });

  it('every table with a partnership_id has row-level security and a policy for heard_app', async () => {
    const found = await db.system((tx) =>
      rows<{ table: string; rls: boolean; policies: number }>(
        tx,
        sql`select c.relname as table, c.relrowsecurity as rls,
                   (select count(*)::int from pg_policies p
                     where p.schemaname = 'public' and p.tablename = c.relname
                       and ('heard_app' = any(p.roles) or 'public' = any(p.roles))) as policies
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relname = any(${sql.raw(`array[${tenantTables.map((t) => `'${t}'`).join(',')}]`)})
            order by c.relname`,
      ),
    );
    expect(found.map((f) => f.table)).toEqual(tenantTables);
    for (const f of found) {
      expect(f.rls, `${f.table} has row-level security`).toBe(true);
      expect(Number(f.policies), `${f.table} has a policy`).toBeGreaterThan(0);
    }
  });

  it('heard_app is not a superuser, cannot bypass row-level security and owns no table', async () => {
    const [role] = await db.system((tx) =>
      rows<{ rolsuper: boolean; rolbypassrls: boolean }>(
        tx,
        sql`select rolsuper, rolbypassrls from pg_roles where rolname = 'heard_app'`,
      ),
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const [owned] = await db.system((tx) =>
      rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = 'heard_app'`,
      ),
    );
    expect(Number(owned!.n)).toBe(0);
  });

  it('tenant transactions really run as heard_app', async () => {
    const [who] = await db.tenant(a.id, (tx) =>
      rows<{ user: string; partnership: string }>(
        tx,
        sql`select current_user as user, heard_current_partnership()::text as partnership`,
      ),
    );
    expect(who).toEqual({ user: 'heard_app', partnership: a.id });
  });
});

describe('isolation between partnerships', () => {
  it('every tenant table holds rows for both partnerships (so the checks below mean something)', async () => {
    for (const table of tenantTables) {
      expect(await countOwned(table, a.id), `${table} rows for A`).toBeGreaterThan(0);
      expect(await countOwned(table, b.id), `${table} rows for B`).toBeGreaterThan(0);
    }
  });

  it("partnership B sees none of A's rows, in any table, but all of its own", async () => {
    for (const table of tenantTables) {
      expect(await countAs(b.id, table, `partnership_id = '${a.id}'`), `${table}: A's rows seen by B`).toBe(
        0,
      );
      expect(await countAs(b.id, table), `${table}: B's own rows`).toBe(await countOwned(table, b.id));
      expect(await countAs(a.id, table, `partnership_id = '${b.id}'`), `${table}: B's rows seen by A`).toBe(
        0,
      );
    }
  });

  it("partnership B cannot insert a row carrying A's partnership_id, in any table", async () => {
    for (const table of tenantTables) {
      const [sample] = await db.system((tx) =>
        rows<{ row: Record<string, unknown> }>(
          tx,
          sql`select to_jsonb(x) as row from ${sql.identifier(table)} x where partnership_id = ${a.id} limit 1`,
        ),
      );
      const copy = JSON.stringify(sample!.row);
      const err = await refusal(
        db.tenant(b.id, (tx) =>
          tx.execute(
            sql`insert into ${sql.identifier(table)} select * from jsonb_populate_record(null::${sql.identifier(table)}, ${copy}::jsonb)`,
          ),
        ),
      );
      expect(err.message, table).toMatch(/row-level security/);
    }
  });

  it('partnership B cannot insert a new organisation for A', async () => {
    const org = await refusal(
      db.tenant(b.id, (tx) =>
        tx.execute(
          sql`insert into organisations (partnership_id, name, kind) values (${a.id}, 'Sneaky', 'council')`,
        ),
      ),
    );
    expect(org.code).toBe('42501');
    expect(await countOwned('organisations', a.id)).toBe(5);
  });

  it("partnership B cannot update or delete A's rows, and A cannot move a row to B", async () => {
    const updated = await db.tenant(b.id, (tx) =>
      rows(tx, sql`update concerns set description = 'changed' where partnership_id = ${a.id} returning id`),
    );
    expect(updated).toEqual([]);
    const deleted = await db.tenant(b.id, (tx) =>
      rows(tx, sql`delete from share_drafts where partnership_id = ${a.id} returning id`),
    );
    expect(deleted).toEqual([]);
    expect(await countOwned('share_drafts', a.id)).toBeGreaterThan(0);

    const moved = await refusal(
      db.tenant(a.id, (tx) =>
        tx.execute(sql`update areas set partnership_id = ${b.id} where partnership_id = ${a.id}`),
      ),
    );
    expect(moved.message).toMatch(/row-level security/);
  });
});

describe('with no partnership', () => {
  it('a partnership id that does not exist sees nothing', async () => {
    const nobody = randomUUID();
    for (const table of tenantTables) expect(await countAs(nobody, table), table).toBe(0);
  });

  it('heard_app with the setting unset or empty sees nothing', async () => {
    for (const setting of [null, '']) {
      for (const table of tenantTables) {
        const [r] = await db.system(async (tx) => {
          await tx.execute(sql`select set_config('role', 'heard_app', true)`);
          if (setting !== null)
            await tx.execute(sql`select set_config('heard.partnership_id', ${setting}, true)`);
          return rows<{ n: number }>(tx, sql.raw(`select count(*)::int as n from ${table}`));
        });
        expect(Number(r!.n), `${table} with setting ${String(setting)}`).toBe(0);
      }
    }
  });

  it('heard_app may read partnerships (to match host names) but not change them', async () => {
    const [r] = await db.tenant(b.id, (tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int as n from partnerships`),
    );
    expect(Number(r!.n)).toBe(2);
    const err = await refusal(
      db.tenant(b.id, (tx) =>
        tx.execute(sql`update partnerships set name = 'Taken over' where id = ${a.id}`),
      ),
    );
    expect(err.code).toBe('42501');
  });
});

describe('audit log', () => {
  it('heard_app may add to it', async () => {
    const before = await countOwned('audit_log', a.id);
    await db.tenant(a.id, (tx) =>
      tx.execute(
        sql`insert into audit_log (partnership_id, actor_label, action, entity_type, correlation_id) values (${a.id}, 'test', 'test.added', 'test', 'rls')`,
      ),
    );
    expect(await countOwned('audit_log', a.id)).toBe(before + 1);
  });

  it('heard_app may not update or delete it, even for its own partnership', async () => {
    const update = await refusal(
      db.tenant(a.id, (tx) => tx.execute(sql`update audit_log set action = 'rewritten'`)),
    );
    expect(update.code).toBe('42501');
    expect(update.message).toMatch(/permission denied/);
    const del = await refusal(db.tenant(a.id, (tx) => tx.execute(sql`delete from audit_log`)));
    expect(del.code).toBe('42501');
    const [r] = await db.system((tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int as n from audit_log where action = 'rewritten'`),
    );
    expect(Number(r!.n)).toBe(0);
  });

  it('even the owner cannot rewrite it: a trigger refuses', async () => {
    const err = await refusal(
      db.system((tx) => tx.execute(sql`delete from audit_log where partnership_id = ${a.id}`)),
    );
    expect(err.message).toMatch(/append-only/);
    expect(await countOwned('audit_log', a.id)).toBeGreaterThan(0);
  });
});
