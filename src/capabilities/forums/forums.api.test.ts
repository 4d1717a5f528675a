import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, type TestClient } from '../../../test/helpers/app.js';
import { staffClient } from '../concerns/concerns.test-helpers.js';
import { addFacilitator, createForum, DAY, query } from './forums.test-helpers.js';

let t: TestApp;
let facilitator: TestClient;
let forum: { id: string; slug: string };
let requestId: string;

beforeAll(async () => {
  t = await buildTestApp();
  await addFacilitator(t.db, t.a);
  await addFacilitator(t.db, t.b);
  forum = await createForum(t.services, t.a);
  facilitator = await staffClient(t, t.a, 'facilitator');
  const asked = await t.services.forums.requestToJoin(
    t.a.id,
    forum.slug,
    {
      name: 'Lena Fischer',
      email: 'lena@example.com',
      participation: 'online',
      accessNeeds: ['large_print'],
      equality: { sex: 'female' },
    },
    'test',
  );
  if (!asked.ok) throw new Error('set-up failed');
  requestId = asked.requestId;
  // Building the app and its database takes a while on a busy machine.
}, 180_000);
afterAll(async () => {
  await t.close();
});

const base = () => `/api/v1/forums/${forum.slug}`;

describe('the forums API', () => {
  it('needs a signed-in facilitator or admin: 401 without credentials, 403 for other roles', async () => {
    expect((await t.client().api('GET', '/api/v1/forums')).statusCode).toBe(401);
    expect((await t.client().api('POST', `${base()}/requests/${requestId}/approve`)).statusCode).toBe(401);
    for (const role of ['police', 'triage', 'cohesion', 'analyst']) {
      const c = await staffClient(t, t.a, role);
      expect((await c.api('GET', '/api/v1/forums')).statusCode, role).toBe(403);
      expect((await c.api('GET', `${base()}/requests`)).statusCode, role).toBe(403);
      expect((await c.api('GET', `${base()}/members`)).statusCode, role).toBe(403);
      expect((await c.api('POST', `${base()}/requests/${requestId}/approve`)).statusCode, role).toBe(403);
    }
    expect(
      await query(t, t.a, sql`select 1 from forum_members where join_request_id = ${requestId}`),
    ).toEqual([]);
  });

  it('lists forums with counts', async () => {
    const res = await facilitator.api('GET', '/api/v1/forums');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: { slug: string; openRequests: number; facilitators: string[] }[] };
    const item = body.items.find((f) => f.slug === forum.slug)!;
    expect(item.openRequests).toBe(1);
    expect(item.facilitators).toHaveLength(1);
  });

  it('lists join requests (without equality answers) and audits the read', async () => {
    const res = await facilitator.api('GET', `${base()}/requests`);
    expect(res.statusCode).toBe(200);
    const [item] = (res.json() as { items: Record<string, unknown>[] }).items;
    expect(item).toMatchObject({
      id: requestId,
      name: 'Lena Fischer',
      accessNeeds: ['large_print'],
      status: 'new',
    });
    expect(JSON.stringify(item)).not.toContain('female');
    const audits = await query<{ n: number }>(
      t,
      t.a,
      sql`select count(*)::int as n from audit_log where action = 'forum.requests.viewed' and entity_id = ${forum.id}`,
    );
    expect(Number(audits[0]!.n)).toBe(1);
  });

  it('validates bodies, then contacts and approves; the member appears', async () => {
    expect((await facilitator.api('POST', `${base()}/requests/${requestId}/contact`, {})).statusCode).toBe(
      400,
    );
    const contacted = await facilitator.api('POST', `${base()}/requests/${requestId}/contact`, {
      note: 'Emailed',
    });
    expect(contacted.statusCode).toBe(200);
    const approved = await facilitator.api('POST', `${base()}/requests/${requestId}/approve`);
    expect(approved.statusCode).toBe(200);
    const { memberId } = approved.json() as { memberId: string };
    expect(memberId).toMatch(/^[0-9a-f-]{36}$/);
    const members = await facilitator.api('GET', `${base()}/members`);
    expect((members.json() as { items: { id: string; name: string }[] }).items).toEqual([
      expect.objectContaining({ id: memberId, name: 'Lena Fischer' }),
    ]);
    const decline = await facilitator.api('POST', `${base()}/requests/${requestId}/decline`, { reason: 'x' });
    expect(decline.statusCode).toBe(400);
    expect((decline.json() as { problem: string }).problem).toBe('alreadyDecided');
  });

  it('schedules a meeting, records attendance and raises an issue that becomes a concern', async () => {
    const startsAt = new Date(Date.now() + 7 * DAY);
    const bad = await facilitator.api('POST', `${base()}/meetings`, {
      title: 'Nowhere',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { problem: string }).problem).toBe('placeRequired');
    const created = await facilitator.api('POST', `${base()}/meetings`, {
      title: 'Online catch-up',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
      onlineUrl: 'https://meet.example/catch-up',
    });
    expect(created.statusCode).toBe(201);
    const meeting = created.json() as { id: string };
    const [member] = (
      (await facilitator.api('GET', `${base()}/members`)).json() as { items: { id: string }[] }
    ).items;
    const attendance = await facilitator.api('POST', `${base()}/meetings/${meeting.id}/attendance`, {
      memberIds: [member!.id],
      guestCount: 2,
    });
    expect(attendance.json()).toEqual({ ok: true, members: 1, guests: 2 });
    const stranger = await facilitator.api('POST', `${base()}/meetings/${meeting.id}/attendance`, {
      memberIds: ['00000000-0000-4000-8000-000000000000'],
      guestCount: 0,
    });
    expect(stranger.statusCode).toBe(400);
    const issue = await facilitator.api('POST', `${base()}/meetings/${meeting.id}/issues`, {
      kind: 'suggestion',
      topic: 'idea',
      summary: 'Quiet hour at the library',
      details: 'Members suggested a quiet hour for autistic people at Northampton library.',
      raisedByMemberId: member!.id,
    });
    expect(issue.statusCode).toBe(201);
    const { reference } = issue.json() as { reference: string };
    const [concern] = await query<Record<string, unknown>>(
      t,
      t.a,
      sql`select kind, channel, source, anonymous, contact_name, consent_to_share from concerns where reference = ${reference.replace(/-/g, '')}`,
    );
    expect(concern).toEqual({
      kind: 'suggestion',
      channel: 'forum',
      source: 'forum: Disability Forum',
      anonymous: false,
      contact_name: 'Lena Fischer',
      consent_to_share: false,
    });
    const meetings = await facilitator.api('GET', `${base()}/meetings`);
    const listed = (
      meetings.json() as {
        items: {
          id: string;
          memberAttendance: number;
          guestCount: number;
          issues: { reference: string; status: string }[];
        }[];
      }
    ).items.find((m) => m.id === meeting.id)!;
    expect(listed).toMatchObject({ memberAttendance: 1, guestCount: 2 });
    expect(listed.issues).toEqual([expect.objectContaining({ reference, status: 'new' })]);
  });

  it("partnership B sees none of A's forums, requests, members or meetings", async () => {
    const b = await staffClient(t, t.b, 'facilitator');
    const list = await b.api('GET', '/api/v1/forums');
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: unknown[] }).items).toEqual([]);
    for (const url of [`${base()}/requests`, `${base()}/members`, `${base()}/meetings`]) {
      expect((await b.api('GET', url)).statusCode, url).toBe(404);
    }
    expect((await b.api('POST', `${base()}/requests/${requestId}/approve`)).statusCode).toBe(404);
  });

  it('is described in the OpenAPI document', async () => {
    const res = await t.client().get('/api/docs/json');
    const doc = res.json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/forums', '/api/v1/forums/{slug}/meetings/{id}/issues']),
    );
  });
});
