import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, type TestPartnership } from '../../../test/helpers/app.js';
import type { Actor } from '../../platform/auth/actor.js';
import { staff } from '../../platform/auth/auth.table.js';
import { engagementRepository } from '../engagement/engagement.repository.js';
import { programmeActions, programmeMilestones, programmePriorities } from '../programme/programme.table.js';
import { tensionRepository } from '../tension/tension.repository.js';
import { londonToday } from './figures.js';

/**
 * The forums, engagement, programme and tension panels and forum participation in equality
 * monitoring, over the real app: who sees which panel (the tension picture only for those allowed
 * to see tension, page and API), that reading it is audited, that no count from 1 to 4 is ever
 * published or exported, that filters apply, and that partnership B never sees A's.
 */
let t: TestApp;
const DAY = 86_400_000;
const now = Date.now();
const dayAgo = (n: number) => londonToday(new Date(now - n * DAY));

/** The text of every cell of a figure's table on the page, row by row (header row first). */
function tableCells(html: string, id: string): string[][] {
  const match = new RegExp(`<table[^>]*id="table-${id}"[\\s\\S]*?</table>`).exec(html);
  if (!match) return [];
  return [...match[0].matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      c[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&amp;/g, '&')
        .replace(/&#39;/g, "'")
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

const row = (cells: string[][], label: string) => cells.find((r) => r[0] === label);

/** Every figure's table on a page: id → cells. */
function tablesOf(html: string, prefix: RegExp): Map<string, string[][]> {
  const ids = [...html.matchAll(/<table[^>]*id="table-([^"]+)"/g)].map((m) => m[1]!);
  return new Map(ids.filter((id) => prefix.test(id)).map((id) => [id, tableCells(html, id)]));
}

function noSmallNumbers(values: readonly string[], where: string): void {
  for (const v of values) {
    if (/^\d+$/.test(v)) expect(Number(v) === 0 || Number(v) >= 5, `${where}: published ${v}`).toBe(true);
  }
}

function actorOf(p: TestPartnership, local: string, organisation: string, roles: string[]): Actor {
  return {
    partnershipId: p.id,
    staffId: p.staff[p.email(local)]!,
    organisationId: p.organisations[organisation]!,
    roles,
    label: `${local} (test)`,
    correlationId: randomUUID(),
  };
}

async function auditCount(p: TestPartnership, action: string): Promise<number> {
  const r = await t.db.tenant(p.id, (tx) =>
    tx.execute(sql`select count(*)::int as n from audit_log where action = ${action}`),
  );
  return Number((r as unknown as { rows: { n: number }[] }).rows[0]!.n);
}

/** A staff account with more than one role, e.g. an analyst who is also a police officer. */
async function addStaff(p: TestPartnership, local: string, organisation: string, roles: string[]) {
  const [created] = await t.db.tenant(p.id, (tx) =>
    tx
      .insert(staff)
      .values({
        partnershipId: p.id,
        organisationId: p.organisations[organisation]!,
        email: p.email(local),
        name: local,
        roles,
      })
      .returning({ id: staff.id }),
  );
  p.staff[p.email(local)] = created!.id;
}

async function seedForums(p: TestPartnership) {
  const admin = actorOf(p, 'admin', 'council', ['partnership_admin']);
  const forums = t.services.forums;
  const made = async (name: string) => {
    const created = await forums.createForum(admin, {
      name,
      characteristics: ['disability'],
      description: 'A test forum.',
      howToJoin: 'Ask.',
      meetingPattern: 'Monthly.',
      accessibility: ['step_free'],
    });
    if (!created.ok) throw new Error(created.problem);
    return created.forum.slug;
  };
  const join = async (slug: string, n: number, equality: (i: number) => Record<string, string>) => {
    for (let i = 0; i < n; i++) {
      const asked = await forums.requestToJoin(
        p.id,
        slug,
        {
          name: `Member ${slug} ${i}`,
          email: `member.${slug}.${i}@example.org`,
          participation: 'in_person',
          accessNeeds: [],
          equality: equality(i),
        },
        'test',
      );
      if (!asked.ok) throw new Error(asked.problem);
      const approved = await forums.approve(admin, slug, asked.requestId);
      if (!approved.ok) throw new Error(approved.problem);
    }
    const listed = await forums.listMembers(admin, slug);
    if (!listed.ok) throw new Error(listed.problem);
    return listed.members.map((m) => m.id);
  };
  const meet = async (slug: string, daysAgo: number, memberIds: string[], guests: number) => {
    const startsAt = new Date(now - daysAgo * DAY);
    const m = await forums.scheduleMeeting(admin, slug, {
      title: 'Meeting',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 7_200_000),
      venueName: 'Town hall',
    });
    if (!m.ok) throw new Error(m.problem);
    const a = await forums.recordAttendance(admin, slug, m.meeting.id, { memberIds, guestCount: guests });
    if (!a.ok) throw new Error(a.problem);
    return m.meeting.id;
  };
  // Forum one: eight members, six of whom said they are disabled; six meetings in the last quarter.
  const one = await made(`Access Forum ${p.id.slice(0, 4)}`);
  const members = await join(one, 8, (i): Record<string, string> =>
    i < 6 ? { disability: 'yes', ethnicity: 'white' } : { disability: 'no' },
  );
  for (const d of [5, 12, 19, 26, 33, 40]) await meet(one, d, members, 1);
  // Forum two: three members who gave no answers; one meeting in the quarter, one long before, and
  // one in the quarter that was cancelled (so never held).
  const two = await made(`Youth Voice ${p.id.slice(0, 4)}`);
  const youth = await join(two, 3, () => ({}));
  const held = await meet(two, 8, youth, 2);
  await forums.raiseIssue(admin, two, held, {
    kind: 'concern',
    topic: 'unsafe_place',
    summary: 'Dark path',
    details: 'The path by the park is dark.',
  });
  await meet(two, 200, youth, 3);
  const cancelled = await meet(two, 15, youth, 4);
  await t.db.tenant(p.id, (tx) =>
    tx.execute(sql`update forum_meetings set cancelled = true where id = ${cancelled}`),
  );
}

async function seedEngagement(p: TestPartnership) {
  const officer = p.staff[p.email('cohesion')]!;
  const north = p.areas[`${p.id === t.a.id ? 'a' : 'b'}-01`]!;
  const south = p.areas[`${p.id === t.a.id ? 'a' : 'b'}-02`]!;
  await t.db.tenant(p.id, async (tx) => {
    const visits: { area: string; type: string; people: number; daysAgo: number; referrals: string[] }[] = [
      ...[0, 1, 2, 3, 4].map((i) => ({
        area: north,
        type: 'door_knocking',
        people: 10,
        daysAgo: 3 + i,
        referrals: [i < 3 ? 'open' : 'accepted'],
      })),
      { area: north, type: 'drop_in', people: 10, daysAgo: 9, referrals: ['accepted'] },
      { area: north, type: 'drop_in', people: 10, daysAgo: 10, referrals: ['completed'] },
      { area: south, type: 'drop_in', people: 3, daysAgo: 11, referrals: ['open'] },
      { area: south, type: 'drop_in', people: 3, daysAgo: 12, referrals: [] },
      { area: north, type: 'door_knocking', people: 40, daysAgo: 200, referrals: ['completed'] },
    ];
    for (const [i, v] of visits.entries()) {
      const at = new Date(now - v.daysAgo * DAY);
      const id = await engagementRepository.insert(tx, {
        partnershipId: p.id,
        officerStaffId: officer,
        occurredAt: at,
        areaId: v.area,
        place: 'Somewhere',
        type: v.type,
        peopleEstimate: v.people,
        languages: ['English'],
        idempotencyKey: `panel-test-${i}`,
        createdAt: at,
      });
      await engagementRepository.insertReferrals(
        tx,
        v.referrals.map((status, position) => ({
          partnershipId: p.id,
          engagementId: id,
          position,
          serviceName: 'Housing',
          reason: 'Repairs',
          status: status as 'open',
        })),
      );
    }
  });
}

async function seedProgramme(p: TestPartnership) {
  await t.db.tenant(p.id, async (tx) => {
    const [priority] = await tx
      .insert(programmePriorities)
      .values({ partnershipId: p.id, title: 'Feeling safe' })
      .returning({ id: programmePriorities.id });
    const action = (n: number, over: Partial<typeof programmeActions.$inferInsert> = {}) => ({
      partnershipId: p.id,
      priorityId: priority!.id,
      title: `Action ${n}`,
      description: 'An action.',
      leadOrganisationId: p.organisations.council!,
      status: 'in_progress' as const,
      ...over,
    });
    const rows = await tx
      .insert(programmeActions)
      .values([
        ...[1, 2, 3, 4, 5].map((n) => action(n)),
        action(6, {
          status: 'planned',
          rag: 'amber',
          ragReason: 'Waiting for funding',
          leadOrganisationId: p.organisations.police!,
        }),
      ])
      .returning({ id: programmeActions.id });
    await tx.insert(programmeMilestones).values([
      ...[10, 11, 12, 13, 14].map((d) => ({
        partnershipId: p.id,
        actionId: rows[0]!.id,
        title: 'Done in time',
        dueDate: dayAgo(d),
        doneAt: new Date(now - (d + 2) * DAY),
      })),
      { partnershipId: p.id, actionId: rows[1]!.id, title: 'Late', dueDate: dayAgo(3), doneAt: null },
    ]);
  });
}

async function seedTension(p: TestPartnership) {
  const officer = p.staff[p.email('cohesion')]!;
  const north = p.areas[`${p.id === t.a.id ? 'a' : 'b'}-01`]!;
  await t.db.tenant(p.id, async (tx) => {
    for (const [daysAgo, level] of [
      [14, 'low'],
      [0, 'medium'],
    ] as const) {
      const reportedOn = dayAgo(daysAgo);
      await tensionRepository.insert(tx, {
        partnershipId: p.id,
        areaId: north,
        reportedOn,
        source: 'officer',
        category: 'rumour',
        assessment: 'potential',
        level,
        summary: 'Rumours online.',
        reviewDate: londonToday(new Date(now + 30 * DAY)),
        reportedByStaffId: officer,
      });
    }
  });
}

beforeAll(async () => {
  t = await buildTestApp();
  await seedForums(t.a);
  await seedEngagement(t.a);
  await seedProgramme(t.a);
  await seedTension(t.a);
  // An admin of population figures, so equality monitoring has a comparison.
  const admin = await t.signedIn(t.a, 'admin');
  await admin.post('/staff/insight/population', {
    characteristic: 'disability',
    yes: '16600',
    no: '83400',
    source: 'Census 2021',
  });
  await addStaff(t.a, 'analyst-police', 'police', ['analyst', 'agency_officer']);
  await addStaff(t.a, 'analyst-fire', 'fire', ['analyst', 'agency_officer']);
  await addStaff(t.a, 'analyst-cohesion', 'council', ['analyst', 'cohesion_officer']);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('the panels on the dashboard', () => {
  it('shows analysts forums, engagement and the programme, with charts and tables', async () => {
    const c = await t.signedIn(t.a, 'analyst');
    const res = await c.get('/staff/insight');
    expect(res.statusCode).toBe(200);
    for (const id of [
      'forums-activity',
      'engagement-byArea',
      'engagement-byType',
      'engagement-referrals',
      'programme-actions',
      'programme-milestones',
    ]) {
      expect(res.body, id).toContain(`id="table-${id}"`);
      expect(res.body, id).toContain(`href="#figure-${id}"`);
    }
    expect(res.body).toContain('id="chart-forums-activity-0-title"');

    // Forums: six meetings in the range for the first forum; the cancelled and the old meeting of
    // the second are not counted, and its members (3) and guests (2) are small.
    const forums = tableCells(res.body, 'forums-activity');
    const one = row(forums, `Access Forum ${t.a.id.slice(0, 4)}`)!;
    // Six and one make seven: with the total shown, the six is withheld so the one stays hidden.
    expect(one[1]).toBe('withheld');
    const two = row(forums, `Youth Voice ${t.a.id.slice(0, 4)}`)!;
    expect(two.slice(1)).toEqual(['<5', '<5', '<5', '5', '<5']);
    const total = row(forums, 'Total')!;
    expect(total[1]).toBe('7');
    expect(total[4]).toBe('59');
    // 48 members at forum one and 51 in all would give away forum two's 3: one of them is withheld.
    expect(one[2] === '48' && total[2] === '51').toBe(false);

    // Engagement: the visit 200 days ago is outside the quarter.
    const areas = tableCells(res.body, 'engagement-byArea');
    expect(areas[1]!.slice(0, 2)).toEqual(['North a', '7']);
    expect(row(areas, 'Total')!.slice(1)).toEqual(['9', '76', '8']);
    const types = tableCells(res.body, 'engagement-byType');
    expect(row(types, 'Door-knocking')![1]).toBe('5');
    const referrals = tableCells(res.body, 'engagement-referrals');
    expect(row(referrals, 'Total')![1]).toBe('8');

    // Programme: five actions in progress, all green. Their total would show that none is amber or
    // red, so it is withheld.
    const actions = tableCells(res.body, 'programme-actions');
    expect(row(actions, 'In progress')).toEqual(['In progress', '5', '<5', '<5', 'withheld']);
    expect(row(actions, 'Total')!.at(-1)).toBe('6');
    const milestones = tableCells(res.body, 'programme-milestones');
    expect(row(milestones, 'Done by the due date')![1]).toBe('5');
    expect(row(milestones, 'Overdue')![1]).toBe('<5');
  });

  it('never publishes a count from 1 to 4 in any panel, on the page or in the API', async () => {
    for (const local of ['analyst', 'admin']) {
      const c = await t.signedIn(t.a, local);
      for (const query of ['', '?preset=year', `?area=${t.a.areas['a-02']}`]) {
        const page = await c.get(`/staff/insight${query}`);
        const tables = tablesOf(page.body, /^(forums|engagement|programme)-/);
        expect(tables.size).toBe(6);
        for (const [id, cells] of tables) noSmallNumbers(cells.slice(1).flat(), `${local} ${query} ${id}`);
      }
      const api = (await c.get('/api/v1/insight/dashboard')).json() as {
        figures: {
          id: string;
          columns: { unit: string }[];
          rows: { cells: { state: string; value?: number }[] }[];
          totals: { cells: { state: string; value?: number }[] } | null;
        }[];
      };
      for (const f of api.figures.filter((x) => /^(forums|engagement|programme)-/.test(x.id)))
        for (const r of [...f.rows, ...(f.totals ? [f.totals] : [])])
          noSmallNumbers(
            r.cells
              .filter((x, i) => f.columns[i]!.unit === 'count' && x.state === 'shown')
              .map((x) => String(x.value)),
            `api ${f.id}`,
          );
    }
  });

  it('narrows engagement and the programme by area and organisation, not forums', async () => {
    const c = await t.signedIn(t.a, 'analyst');
    const south = await c.get(`/staff/insight?area=${t.a.areas['a-02']}`);
    const areas = tableCells(south.body, 'engagement-byArea');
    expect(areas.map((r) => r[0])).toEqual(['Ward', 'South a', 'Total']);
    expect(row(areas, 'Total')!.slice(1)).toEqual(['<5', '6', '<5']);
    expect(row(tableCells(south.body, 'forums-activity'), 'Total')![1]).toBe('7');
    const police = await c.get(`/staff/insight?organisation=${t.a.organisations.police}`);
    expect(row(tableCells(police.body, 'programme-actions'), 'In progress')).toEqual([
      'In progress',
      '<5',
      '<5',
      '<5',
      '<5',
    ]);
    // A range that runs on past today counts meetings only once they have happened.
    const later = await c.get(`/staff/insight?from=${dayAgo(50)}&to=${dayAgo(-30)}`);
    expect(row(tableCells(later.body, 'forums-activity'), 'Total')![1]).toBe('7');
    expect(tableCells(later.body, 'programme-milestones').some((r) => r[0] === 'Not yet due')).toBe(true);
    const past = await c.get(`/staff/insight?from=${dayAgo(50)}&to=${dayAgo(1)}`);
    expect(tableCells(past.body, 'programme-milestones').some((r) => r[0] === 'Not yet due')).toBe(false);
  });

  it('never shows partnership B any of A’s panels', async () => {
    const c = await t.signedIn(t.b, 'admin');
    const page = await c.get('/staff/insight');
    expect(page.statusCode).toBe(200);
    // B has no forums yet: the table says so, with totals that publish nothing.
    expect(row(tableCells(page.body, 'forums-activity'), 'Total')!.slice(1)).toEqual(Array(5).fill('<5'));
    expect(page.body).not.toContain('Access Forum');
    expect(page.body).not.toContain('North a');
    expect(row(tableCells(page.body, 'engagement-byArea'), 'Total')!.slice(1)).toEqual(['<5', '<5', '<5']);
    expect(tableCells(page.body, 'tension-picture').flat()).not.toContain('Medium');
  });
});

describe('the tension picture', () => {
  it('is shown to admins, with levels and trend, and each view is audited', async () => {
    const before = await auditCount(t.a, 'tension.picture.viewed');
    const c = await t.signedIn(t.a, 'admin');
    const res = await c.get('/staff/insight');
    const picture = tableCells(res.body, 'tension-picture');
    const north = row(picture, 'North a')!;
    expect(north.at(-2)).toBe('Medium');
    expect(north.at(-1)).toBe('Rising');
    expect(picture[0]!.at(-1)).toBe('Trend');
    expect(res.body).toContain('id="chart-tension-picture-0-title"');
    expect(await auditCount(t.a, 'tension.picture.viewed')).toBe(before + 1);
    const api = (await c.get('/api/v1/insight/dashboard')).json() as {
      figures: { id: string; columns: { key: string; unit: string; labels?: string[] }[] }[];
    };
    const figure = api.figures.find((f) => f.id === 'tension-picture')!;
    expect(figure.columns.at(-1)).toMatchObject({
      key: 'trend',
      unit: 'category',
      labels: ['Rising', 'Steady', 'Falling'],
    });
    expect(await auditCount(t.a, 'tension.picture.viewed')).toBe(before + 2);
  });

  it('is not shown to an analyst, on the page, in the API or as a download, and nothing is audited', async () => {
    const before = await auditCount(t.a, 'tension.picture.viewed');
    const c = await t.signedIn(t.a, 'analyst');
    const page = await c.get('/staff/insight');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('tension-picture');
    expect(page.body).not.toContain('Community tension');
    const api = (await c.get('/api/v1/insight/dashboard')).json() as { figures: { id: string }[] };
    expect(api.figures.map((f) => f.id)).not.toContain('tension-picture');
    expect(api.figures.map((f) => f.id)).toContain('forums-activity');
    const url = '/staff/insight/export?figure=tension-picture';
    await c.get(url);
    expect((await c.post(url, { format: 'csv' })).statusCode).toBe(404);
    expect(await auditCount(t.a, 'tension.picture.viewed')).toBe(before);
  });

  it('follows the tension rule: police and cohesion analysts see it, a fire analyst does not', async () => {
    for (const [local, sees] of [
      ['analyst-police', true],
      ['analyst-cohesion', true],
      ['analyst-fire', false],
    ] as const) {
      const c = await t.signedIn(t.a, local);
      const page = await c.get('/staff/insight');
      expect(page.statusCode, local).toBe(200);
      expect(page.body.includes('id="table-tension-picture"'), local).toBe(sees);
      const api = (await c.get('/api/v1/insight/dashboard')).json() as { figures: { id: string }[] };
      expect(
        api.figures.some((f) => f.id === 'tension-picture'),
        local,
      ).toBe(sees);
    }
  });

  it('downloads for an admin as the page shows it, audited as an export and as a tension read', async () => {
    const c = await t.signedIn(t.a, 'admin');
    const url = '/staff/insight/export?figure=tension-picture';
    await c.get(url);
    const [exported, viewed] = [
      await auditCount(t.a, 'insight.exported'),
      await auditCount(t.a, 'tension.picture.viewed'),
    ];
    const csv = await c.post(url, { format: 'csv' });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toMatch(/^Ward,.*,Trend$/);
    expect(lines.find((l) => l.startsWith('North a,'))).toMatch(/,Medium,Rising$/);
    expect(await auditCount(t.a, 'insight.exported')).toBe(exported + 1);
    expect(await auditCount(t.a, 'tension.picture.viewed')).toBe(viewed + 1);
  });
});

describe('forum panels in exports and equality monitoring', () => {
  it('downloads a forum table equal to the page, with no small numbers', async () => {
    const c = await t.signedIn(t.a, 'analyst');
    const page = await c.get('/staff/insight');
    const url = '/staff/insight/export?figure=forums-activity';
    await c.get(url);
    const csv = await c.post(url, { format: 'csv' });
    expect(csv.statusCode).toBe(200);
    const inFile = csv.body
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    const onScreen = tableCells(page.body, 'forums-activity');
    expect(inFile.slice(0, onScreen.length)).toEqual(onScreen);
    noSmallNumbers(inFile.flat(), 'csv');
  });

  it('sets forum members who took part against the population, audited with the page', async () => {
    const before = await auditCount(t.a, 'insight.equality.viewed');
    const c = await t.signedIn(t.a, 'analyst');
    const res = await c.get('/staff/insight/equality');
    expect(res.statusCode).toBe(200);
    const disability = tableCells(res.body, 'equality-forums-disability');
    expect(disability[0]).toEqual([
      'Answer',
      'Members taking part',
      'Share of those who said',
      'Share of the population',
      'Reach (1 = in line with the population)',
    ]);
    // Six said yes, two no, three did not say: the two and the three are small, so the shares,
    // which would reveal them, are withheld.
    expect(row(disability, 'Yes')).toEqual(['Yes', '6', 'withheld', '16.6%', '–']);
    expect(row(disability, 'Total')![1]).toBe('11');
    for (const [id, cells] of tablesOf(res.body, /^equality-forums-/)) noSmallNumbers(cells.flat(), id);
    expect(await auditCount(t.a, 'insight.equality.viewed')).toBe(before + 1);
    const api = (await c.get('/api/v1/insight/equality')).json() as { figures: { id: string }[] };
    expect(api.figures.map((f) => f.id)).toContain('equality-forums-ethnicity');
  });

  it('is not for roles without equality monitoring', async () => {
    const c = await t.signedIn(t.a, 'triage');
    expect((await c.get('/staff/insight/equality')).statusCode).toBe(403);
    const url = '/staff/insight/export?figure=equality-forums-disability';
    expect((await c.get(url)).statusCode).toBe(403);
  });
});
