import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { auditTrail } from '../../platform/audit/audit.service.js';
import { subjectAccessJson } from './resettlement.export.js';
import { resettlementHouseholds, resettlementHosts, resettlementMembers } from './resettlement.table.js';
import {
  addResettlementStaff,
  householdFixture,
  memberFixture,
  resettlementActor,
} from './resettlement.test-helpers.js';

/** The rules that need a database: retention, subject access, bookings, deadlines and auditing of reads. */
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  await addResettlementStaff(t.db, t.a);
  await addResettlementStaff(t.db, t.b);
});
afterAll(async () => t?.close());

const must = <T extends { ok: boolean }>(r: T) => {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
};

describe('retention', () => {
  it('anonymises a closed case whose retention date has passed; the audit trail remains', async () => {
    const cw = resettlementActor(t.a, 'caseworker');
    const rs = t.services.resettlement;
    const old = must(
      await rs.createHousehold(cw, householdFixture({ name: 'Retired family', address: '5 Gone Road' })),
    );
    must(
      await rs.addMember(
        cw,
        old.id,
        memberFixture({ name: 'Vira Retired', gpRegistered: true, visaExpiry: '2027-01-01' }),
      ),
    );
    must(
      await rs.saveHost(cw, old.id, {
        name: 'Host Retired',
        email: 'host@example.test',
        checkStatus: 'passed',
        arrangementStatus: 'ended',
      }),
    );
    must(await rs.addGoal(cw, old.id, { domain: 'housing', goal: 'Secret goal text', owner: 'Caseworker' }));
    must(
      await rs.saveNeeds(cw, old.id, {
        health: { status: 'met', notes: 'Private health note', details: { gp: 'Dr Example' } },
      }),
    );
    must(
      await rs.close(
        cw,
        old.id,
        { closureReason: 'Moved away', retentionUntil: '2027-01-31' },
        new Date('2026-12-01T12:00:00Z'),
      ),
    );
    const keep = must(await rs.createHousehold(cw, householdFixture({ name: 'Kept closed family' })));
    must(
      await rs.close(
        cw,
        keep.id,
        { closureReason: 'Settled', retentionUntil: '2030-01-01' },
        new Date('2026-12-01T12:00:00Z'),
      ),
    );
    const open = must(await rs.createHousehold(cw, householdFixture({ name: 'Open family' })));
    const trailBefore = await t.db.tenant(t.a.id, (tx) => auditTrail(tx, 'resettlement_household', old.id));

    // Not yet: the retention date has not passed.
    expect((await rs.anonymiseExpired(new Date('2027-01-31T12:00:00Z'))).anonymised).toBe(0);
    const result = await rs.anonymiseExpired(new Date('2027-02-01T12:00:00Z'));
    expect(result.anonymised).toBe(1);

    const rows = await t.db.system((tx) => tx.select().from(resettlementHouseholds));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const gone = byId.get(old.id)!;
    expect(gone.name).toBe('Anonymised household');
    expect(gone.address).toBeNull();
    expect(gone.closureReason).toBeNull();
    expect(gone.anonymisedAt).not.toBeNull();
    expect(byId.get(keep.id)!.name).toBe('Kept closed family');
    expect(byId.get(open.id)!.name).toBe('Open family');
    const everything = JSON.stringify(
      await t.db.system(async (tx) => ({
        members: await tx.select().from(resettlementMembers),
        hosts: await tx.select().from(resettlementHosts),
        needs: (await tx.execute(sql`select * from resettlement_needs`)) as unknown,
        goals: (await tx.execute(sql`select * from resettlement_goals`)) as unknown,
      })),
    );
    for (const secret of [
      'Vira Retired',
      'Host Retired',
      'Secret goal text',
      'Private health note',
      'Dr Example',
      '5 Gone Road',
    ])
      expect(everything).not.toContain(secret);
    // What the aggregate outcomes need is kept.
    const [member] = await t.db.system((tx) =>
      tx
        .select()
        .from(resettlementMembers)
        .where(sql`household_id = ${old.id}`),
    );
    expect(member).toMatchObject({
      name: 'Anonymised',
      dateOfBirth: null,
      gpRegistered: true,
      visaExpiry: null,
    });
    expect(member!.ageBand).toBe('25_64');

    const trailAfter = await t.db.tenant(t.a.id, (tx) => auditTrail(tx, 'resettlement_household', old.id));
    expect(trailAfter.length).toBe(trailBefore.length + 1);
    expect(trailAfter.map((a) => a.action)).toEqual([
      ...trailBefore.map((a) => a.action),
      'resettlement.household.anonymised',
    ]);
    expect(JSON.stringify(trailAfter)).not.toContain('Vira Retired');

    // The case no longer opens, and running the job again changes nothing.
    expect(await rs.household(cw, old.id)).toEqual({ ok: false, problem: 'notFound' });
    expect((await rs.anonymiseExpired(new Date('2027-06-01T12:00:00Z'))).anonymised).toBe(0);
  });
});

describe('subject access', () => {
  it('exports everything about its household and nothing about any other', async () => {
    const cw = resettlementActor(t.a, 'caseworker');
    const rs = t.services.resettlement;
    const mine = must(
      await rs.createHousehold(
        cw,
        householdFixture({ name: 'Subject family', address: '1 Subject Street', notes: 'Subject note' }),
      ),
    );
    const other = must(
      await rs.createHousehold(
        cw,
        householdFixture({
          name: 'Neighbour family',
          address: '2 Neighbour Street',
          notes: 'Neighbour note',
        }),
      ),
    );
    const m1 = must(
      await rs.addMember(cw, mine.id, memberFixture({ name: 'Sofia Subject', visaExpiry: '2027-05-05' })),
    );
    const m2 = must(await rs.addMember(cw, other.id, memberFixture({ name: 'Nadia Neighbour' })));
    must(
      await rs.saveHost(cw, mine.id, {
        name: 'Subject Host',
        phone: '07700 900001',
        checkStatus: 'booked',
        checkDate: '2026-12-20',
        arrangementStatus: 'active',
      }),
    );
    must(
      await rs.saveHost(cw, other.id, {
        name: 'Neighbour Host',
        checkStatus: 'passed',
        arrangementStatus: 'active',
      }),
    );
    must(
      await rs.saveNeeds(cw, mine.id, {
        english: {
          status: 'in_progress',
          notes: 'Subject ESOL note',
          details: { esolProvider: 'Subject College' },
        },
      }),
    );
    must(
      await rs.saveNeeds(cw, other.id, {
        english: { status: 'in_progress', notes: 'Neighbour ESOL note', details: {} },
      }),
    );
    must(
      await rs.addGoal(cw, mine.id, { domain: 'employment', goal: 'Subject goal', owner: 'Subject owner' }),
    );
    must(
      await rs.addGoal(cw, other.id, {
        domain: 'employment',
        goal: 'Neighbour goal',
        owner: 'Neighbour owner',
      }),
    );
    must(
      await rs.addReferral(cw, mine.id, {
        domain: 'health',
        service: 'Subject Clinic',
        reason: 'Subject reason',
        referredOn: '2026-11-01',
      }),
    );
    must(
      await rs.addReferral(cw, other.id, {
        domain: 'health',
        service: 'Neighbour Clinic',
        referredOn: '2026-11-01',
      }),
    );
    const session = must(
      await rs.createSession(cw, {
        topic: 'health_system',
        date: '2026-12-10',
        startTime: '10:00',
        endTime: '12:00',
        venue: 'Guildhall',
        languages: ['en'],
        capacity: 10,
      }),
    );
    must(await rs.book(cw, session.id, [m1.id, m2.id]));
    must(
      await rs.recordAttendance(cw, session.id, {
        entries: [
          { memberId: m1.id, attended: true, feedback: 'Subject feedback' },
          { memberId: m2.id, attended: true, feedback: 'Neighbour feedback' },
        ],
      }),
    );

    const sar = must(await rs.subjectAccess(cw, mine.id));
    const json = JSON.stringify(subjectAccessJson(sar));
    for (const expected of [
      'Subject family',
      '1 Subject Street',
      'Subject note',
      'Sofia Subject',
      '2027-05-05',
      'Subject Host',
      '07700 900001',
      'Subject ESOL note',
      'Subject College',
      'Subject goal',
      'Subject owner',
      'Subject Clinic',
      'Subject reason',
      'Subject feedback',
      'Guildhall',
      'public_task',
      sar.household.reference,
      'resettlement.household.created',
      'resettlement.household.exported',
    ])
      expect(json).toContain(expected);
    const neighbour = must(await rs.household(cw, other.id));
    for (const unexpected of ['Neighbour', neighbour.household.reference, other.id, m2.id])
      expect(json).not.toContain(unexpected);

    // Over HTTP: the JSON download and the readable page, for the resettlement team only.
    const c = await t.signedIn(t.a, 'caseworker');
    const res = await c.get(`/staff/resettlement/households/${mine.id}/subject-access.json`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.body).toContain('Sofia Subject');
    expect(res.body).not.toContain('Neighbour');
    const html = await c.get(`/staff/resettlement/households/${mine.id}/subject-access`);
    expect(html.statusCode).toBe(200);
    for (const expected of [
      'Sofia Subject',
      'Subject Host',
      'Subject Clinic',
      'Subject feedback',
      'Subject ESOL note',
    ])
      expect(html.body).toContain(expected);
    expect(html.body).not.toContain('Neighbour');
    const api = await c.api('GET', `/api/v1/resettlement/households/${mine.id}/subject-access`);
    expect(api.statusCode).toBe(200);
    expect(api.json().members[0].name).toBe('Sofia Subject');
  });
});

describe('casework rules', () => {
  it('books up to capacity, once per person, and refuses members of another partnership', async () => {
    const cw = resettlementActor(t.a, 'caseworker');
    const rs = t.services.resettlement;
    const h = must(await rs.createHousehold(cw, householdFixture({ name: 'Booking family' })));
    const ids = [];
    for (const name of ['One', 'Two', 'Three'])
      ids.push(must(await rs.addMember(cw, h.id, memberFixture({ name }))).id);
    const s = must(
      await rs.createSession(cw, {
        topic: 'road_safety',
        date: '2026-12-11',
        startTime: '18:00',
        endTime: '19:00',
        venue: 'Fire station',
        languages: ['en'],
        capacity: 2,
      }),
    );
    expect(must(await rs.book(cw, s.id, [ids[0]!])).booked).toBe(1);
    // A double submit books nobody twice.
    expect(must(await rs.book(cw, s.id, [ids[0]!])).booked).toBe(0);
    expect(await rs.book(cw, s.id, [ids[1]!, ids[2]!])).toEqual({ ok: false, problem: 'full' });
    expect(must(await rs.session(cw, s.id)).bookings).toHaveLength(1);

    const other = resettlementActor(t.b, 'caseworker');
    const bh = must(await rs.createHousehold(other, householdFixture({ name: 'B family' })));
    const bm = must(await rs.addMember(other, bh.id, memberFixture({ name: 'B person' })));
    expect(await rs.book(cw, s.id, [bm.id])).toEqual({ ok: false, problem: 'unknownMember' });
  });

  it('shows the caseworker their deadlines and overdue referrals, and audits each read', async () => {
    const cw = resettlementActor(t.a, 'caseworker');
    const rs = t.services.resettlement;
    const today = new Date().toISOString().slice(0, 10);
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const h = must(
      await rs.createHousehold(
        cw,
        householdFixture({
          scheme: 'refugee_asylum_decision',
          name: 'Deadline family',
          moveOnDeadline: soon,
        }),
      ),
    );
    must(await rs.addMember(cw, h.id, memberFixture({ name: 'Visa Person', visaExpiry: soon })));
    must(
      await rs.addReferral(cw, h.id, {
        domain: 'housing',
        service: 'Late Service',
        referredOn: '2026-01-01',
        responseDueOn: '2026-01-15',
      }),
    );
    const caseload = must(await rs.caseload(cw, { today }));
    const mine = caseload.deadlines.filter((d) => d.householdId === h.id);
    expect(mine.map((d) => d.kind).sort()).toEqual(['move_on', 'visa_expiry']);
    expect(caseload.overdueReferrals.map((r) => r.referral.service)).toContain('Late Service');
    expect(caseload.households.map((r) => r.household.id)).toContain(h.id);

    must(await rs.household(cw, h.id));
    const trail = await t.db.tenant(t.a.id, (tx) => auditTrail(tx, 'resettlement_household', h.id));
    expect(trail.map((a) => a.action)).toContain('resettlement.household.viewed');
    expect(trail.every((a) => a.actorLabel.includes('caseworker'))).toBe(true);
  });

  it('only a manager may reassign a case', async () => {
    const cw = resettlementActor(t.a, 'caseworker');
    const manager = resettlementActor(t.a, 'manager');
    const rs = t.services.resettlement;
    const h = must(await rs.createHousehold(cw, householdFixture({ name: 'Reassigned family' })));
    expect(await rs.assign(cw, h.id, manager.staffId!)).toEqual({ ok: false, problem: 'forbidden' });
    must(await rs.assign(manager, h.id, manager.staffId!));
    expect(must(await rs.household(cw, h.id)).caseworkerName).toMatch(/^Manager/);
    expect(await rs.assign(manager, h.id, t.a.staff[t.a.email('police')]!)).toEqual({
      ok: false,
      problem: 'unknownCaseworker',
    });
  });
});
