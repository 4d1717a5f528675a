import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, type TestClient } from '../../../test/helpers/app.js';
import { validateICalendar } from '../../../test/helpers/ical.js';
import { staffClient, unescapeHtml } from '../concerns/concerns.test-helpers.js';
import { formatReference } from '../concerns/reference.js';
import { addFacilitator, createForum, DAY, facilitatorActor, query } from './forums.test-helpers.js';

/**
 * Creating and editing forums, cancelling meetings, and what a member's leaving does to the concerns
 * they raised: the pages, the API, and who may do each.
 */
let t: TestApp;
let admin: TestClient;
let facilitator: TestClient;
/** A facilitator in the same partnership who runs a different forum. */
let other: TestClient;
let forum: { id: string; slug: string; name: string };
let facilitatorId: string;
let otherId: string;

beforeAll(async () => {
  t = await buildTestApp();
  facilitatorId = await addFacilitator(t.db, t.a);
  otherId = await addFacilitator(t.db, t.a, 'faith-facilitator');
  await addFacilitator(t.db, t.b);
  forum = await createForum(t.services, t.a);
  await createForum(t.services, t.a, {
    name: 'Faith Forum',
    characteristics: ['religion_belief'],
    facilitatorStaffIds: [otherId],
  });
  admin = await staffClient(t, t.a, 'admin');
  facilitator = await staffClient(t, t.a, 'facilitator');
  other = await staffClient(t, t.a, 'faith-facilitator');
  // Building the app and its database takes a while on a busy machine.
}, 180_000);
afterAll(async () => {
  await t.close();
});

async function forumCount() {
  const [row] = await query<{ n: number }>(t, t.a, sql`select count(*)::int as n from forums`);
  return Number(row!.n);
}

async function forumRow(slug: string) {
  const [row] = await query<Record<string, unknown>>(
    t,
    t.a,
    sql`select name, slug, characteristics, description, co_chairs, how_to_join, meeting_pattern, accessibility, accessibility_notes, published from forums where slug = ${slug}`,
  );
  return row;
}

async function auditCount(action: string, entityId: string) {
  const [row] = await query<{ n: number }>(
    t,
    t.a,
    sql`select count(*)::int as n from audit_log where action = ${action} and entity_id = ${entityId}`,
  );
  return Number(row!.n);
}

/** The form as the edit page fills it for the Disability Forum. */
function disabilityForm(overrides: Record<string, string | string[]> = {}) {
  return {
    name: 'Disability Forum',
    characteristics: ['disability'],
    description: 'For disabled people, their families and carers.',
    facilitatorStaffIds: [facilitatorId],
    coChairs: 'Ruth Bailey and Sunil Mistry',
    howToJoin: 'Ask to join on this page, or phone 01604 000000.',
    meetingPattern: 'Every other month, Thursday evenings, at the Guildhall in Northampton and online.',
    accessibility: ['bsl', 'hearing_loop', 'step_free', 'online'],
    accessibilityNotes: '',
    published: 'yes',
    ...overrides,
  };
}

const NEW_FORUM = {
  name: 'Race Equality Forum',
  characteristics: ['race', 'religion_belief'],
  description: 'For people of every ethnicity and nationality who live or work in the area.',
  coChairs: 'Abdul Karim and Mei Lin',
  howToJoin: 'Ask to join on this page.',
  meetingPattern: 'Every three months, on a Saturday morning, at Northampton Central Library.',
  accessibility: ['interpreters', 'step_free'],
  accessibilityNotes: 'Interpreters in Polish and Romanian can be booked.',
  published: 'yes',
};

describe('creating a forum', () => {
  it('is for partnership admins: only they are offered it; anyone else is refused and nothing is stored', async () => {
    expect((await admin.get('/staff/forums')).body).toContain('href="/staff/forums/new"');
    expect((await facilitator.get('/staff/forums')).body).not.toContain('href="/staff/forums/new"');
    const before = await forumCount();
    expect((await facilitator.get('/staff/forums/new')).statusCode).toBe(403);
    const posted = await facilitator.post('/staff/forums/new', {
      ...NEW_FORUM,
      facilitatorStaffIds: [facilitatorId],
    });
    expect(posted.statusCode).toBe(403);
    for (const role of ['police', 'triage', 'analyst']) {
      const c = await staffClient(t, t.a, role);
      expect((await c.get('/staff/forums/new')).statusCode, role).toBe(403);
      expect((await c.post('/staff/forums/new', NEW_FORUM)).statusCode, role).toBe(403);
    }
    expect((await t.client().get('/staff/forums/new')).statusCode).toBe(302);
    expect(await forumCount()).toBe(before);
  });

  it('says what is wrong, linked to each field, and stores nothing', async () => {
    const page = await admin.get('/staff/forums/new');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="_csrf"');
    // Staff with the facilitator role are offered as facilitators.
    expect(page.body).toContain(`value="${facilitatorId}"`);
    expect(page.body).toContain(`value="${otherId}"`);
    const before = await forumCount();
    const bad = await admin.post('/staff/forums/new', {
      name: '',
      description: ' ',
      howToJoin: '',
      meetingPattern: '',
      accessibility: ['teleporter'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<title>Error: /);
    for (const id of [
      'name',
      'characteristics',
      'description',
      'howToJoin',
      'meetingPattern',
      'accessibility',
      'published',
    ])
      expect(bad.body, id).toContain(`href="#${id}"`);
    expect(bad.body).toContain('Enter a name for the forum');
    expect(bad.body).toContain('Choose at least one group the forum is for');
    // Only staff with the facilitator role can be named as facilitators.
    const notFacilitator = await admin.post('/staff/forums/new', {
      ...NEW_FORUM,
      facilitatorStaffIds: [t.a.staff[t.a.email('police')]!],
    });
    expect(notFacilitator.statusCode).toBe(400);
    expect(notFacilitator.body).toContain('href="#facilitatorStaffIds"');
    expect(notFacilitator.body).toContain('Choose staff who have the forum facilitator role');
    expect(await forumCount()).toBe(before);
  });

  it('creates it with its facilitators, audited, and it appears on the public forums page', async () => {
    const res = await admin.post('/staff/forums/new', { ...NEW_FORUM, facilitatorStaffIds: [facilitatorId] });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/forums/race-equality-forum');
    const page = await admin.get(res.headers.location as string);
    expect(page.body).toContain('Forum created');
    expect(await forumRow('race-equality-forum')).toEqual({
      name: 'Race Equality Forum',
      slug: 'race-equality-forum',
      characteristics: ['race', 'religion_belief'],
      description: NEW_FORUM.description,
      co_chairs: 'Abdul Karim and Mei Lin',
      how_to_join: 'Ask to join on this page.',
      meeting_pattern: NEW_FORUM.meetingPattern,
      accessibility: ['interpreters', 'step_free'],
      accessibility_notes: 'Interpreters in Polish and Romanian can be booked.',
      published: true,
    });
    const [created] = await query<{ id: string }>(
      t,
      t.a,
      sql`select id from forums where slug = 'race-equality-forum'`,
    );
    const named = await query<{ staff_id: string }>(
      t,
      t.a,
      sql`select staff_id from forum_facilitators where forum_id = ${created!.id}`,
    );
    expect(named).toEqual([{ staff_id: facilitatorId }]);
    expect(await auditCount('forum.created', created!.id)).toBe(1);
    const list = unescapeHtml((await t.client().get('/forums')).body);
    expect(list).toContain('Race Equality Forum');
    const publicPage = unescapeHtml((await t.client().get('/forums/race-equality-forum')).body);
    expect(publicPage).toContain('Abdul Karim and Mei Lin');
    expect(publicPage).toContain('Interpreters for other languages');
    expect(publicPage).toContain('Race, ethnicity or nationality');
  });

  it('refuses a name whose address is taken, saying so, and stores nothing', async () => {
    const before = await forumCount();
    const res = await admin.post('/staff/forums/new', { ...NEW_FORUM, name: 'Race equality forum' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#name"');
    expect(unescapeHtml(res.body)).toContain(
      'There is already a forum with this name or web address (/forums/race-equality-forum)',
    );
    expect(await forumCount()).toBe(before);
  });

  it('never gives a forum the address of a staff page, and an unlisted forum has no public page', async () => {
    const res = await admin.post('/staff/forums/new', { ...NEW_FORUM, name: 'New', published: 'no' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/forums/new-forum');
    expect((await admin.get('/staff/forums/new-forum')).statusCode).toBe(200);
    expect((await admin.get('/staff/forums/new')).body).toContain('Create a forum');
    expect((await t.client().get('/forums/new-forum')).statusCode).toBe(404);
  });
});

describe('editing a forum', () => {
  const url = () => `/staff/forums/${forum.slug}/edit`;

  it('is for admins and the forum’s own facilitators; another forum’s facilitator gets 403, another partnership 404', async () => {
    const own = await facilitator.get(url());
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('value="Disability Forum"');
    expect(own.body).toContain('Ruth Bailey and Sunil Mistry');
    expect((await admin.get(url())).statusCode).toBe(200);
    // The link is offered only to those who may follow it.
    expect((await facilitator.get(`/staff/forums/${forum.slug}`)).body).toContain(`href="${url()}"`);
    expect((await admin.get(`/staff/forums/${forum.slug}`)).body).toContain(`href="${url()}"`);
    expect((await other.get(`/staff/forums/${forum.slug}`)).body).not.toContain(`href="${url()}"`);

    const before = await forumRow(forum.slug);
    expect((await other.get(url())).statusCode).toBe(403);
    expect((await other.post(url(), disabilityForm({ name: 'Taken over' }))).statusCode).toBe(403);
    for (const local of ['admin', 'facilitator']) {
      const b = await staffClient(t, t.b, local);
      expect((await b.get(url())).statusCode, local).toBe(404);
      expect((await b.post(url(), disabilityForm({ name: 'From B' }))).statusCode, local).toBe(404);
    }
    const police = await staffClient(t, t.a, 'police');
    expect((await police.get(url())).statusCode).toBe(403);
    expect(await forumRow(forum.slug)).toEqual(before);
  });

  it('says what is wrong, linked to each field, and changes nothing', async () => {
    const before = await forumRow(forum.slug);
    const bad = await facilitator.post(
      url(),
      disabilityForm({ name: '', characteristics: [], published: '' }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<title>Error: /);
    expect(bad.body).toContain('href="#name"');
    expect(bad.body).toContain('href="#characteristics"');
    expect(bad.body).toContain('href="#published"');
    const clash = await facilitator.post(url(), disabilityForm({ name: 'Faith Forum' }));
    expect(clash.statusCode).toBe(400);
    expect(unescapeHtml(clash.body)).toContain('There is already a forum with this name or web address');
    expect(await forumRow(forum.slug)).toEqual(before);
  });

  it('saves what changed, keeps the address, and records which fields changed', async () => {
    const res = await facilitator.post(
      url(),
      disabilityForm({
        name: 'Disabled People’s Forum',
        coChairs: '',
        accessibility: ['bsl', 'hearing_loop', 'step_free', 'online', 'easy_read'],
      }),
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/forums/${forum.slug}`);
    expect((await facilitator.get(res.headers.location as string)).body).toContain('Forum details saved');
    expect(await forumRow(forum.slug)).toMatchObject({
      name: 'Disabled People’s Forum',
      slug: 'disability-forum',
      co_chairs: null,
      accessibility: ['bsl', 'hearing_loop', 'step_free', 'online', 'easy_read'],
    });
    const [audit] = await query<{ details: { changed: string[] } }>(
      t,
      t.a,
      sql`select details from audit_log where action = 'forum.edited' and entity_id = ${forum.id}`,
    );
    expect(audit!.details.changed).toEqual(['name', 'coChairs', 'accessibility']);
    const publicPage = unescapeHtml((await t.client().get(`/forums/${forum.slug}`)).body);
    expect(publicPage).toContain('Disabled People’s Forum');
    expect(publicPage).toContain('Papers in Easy Read');
    expect(publicPage).not.toContain('Ruth Bailey');
    // Saving again unchanged records nothing more.
    await facilitator.post(
      url(),
      disabilityForm({
        name: 'Disabled People’s Forum',
        coChairs: '',
        accessibility: ['bsl', 'hearing_loop', 'step_free', 'online', 'easy_read'],
      }),
    );
    expect(await auditCount('forum.edited', forum.id)).toBe(1);
  });

  it('an admin can unlist a forum, and list it again', async () => {
    const form = disabilityForm({ name: 'Disabled People’s Forum', coChairs: '' });
    expect((await admin.post(url(), { ...form, published: 'no' })).statusCode).toBe(303);
    expect((await t.client().get(`/forums/${forum.slug}`)).statusCode).toBe(404);
    expect(unescapeHtml((await t.client().get('/forums')).body)).not.toContain('Disabled People’s Forum');
    expect((await admin.post(url(), { ...form, published: 'yes' })).statusCode).toBe(303);
    expect((await t.client().get(`/forums/${forum.slug}`)).statusCode).toBe(200);
  });
});

describe('cancelling a meeting', () => {
  let meetingId: string;
  let heldId: string;
  const meetingUrl = (id: string) => `/staff/forums/${forum.slug}/meetings/${id}`;

  beforeAll(async () => {
    const planned = await t.services.forums.scheduleMeeting(facilitatorActor(t.a), forum.slug, {
      title: 'Spring planning meeting',
      startsAt: new Date(Date.now() + 12 * DAY),
      endsAt: new Date(Date.now() + 12 * DAY + 2 * 60 * 60 * 1000),
      venueName: 'The Guildhall',
      agenda: 'Plans for the year',
    });
    const held = await t.services.forums.scheduleMeeting(facilitatorActor(t.a), forum.slug, {
      title: 'Winter meeting that took place',
      startsAt: new Date(Date.now() - 3 * DAY),
      endsAt: new Date(Date.now() - 3 * DAY + 60 * 60 * 1000),
      venueName: 'Daventry Library',
    });
    if (!planned.ok || !held.ok) throw new Error('set-up failed');
    meetingId = planned.meeting.id;
    heldId = held.meeting.id;
    await t.services.forums.recordMinutes(facilitatorActor(t.a), forum.slug, heldId, 'We met.');
  });

  async function meetingRow(id: string) {
    const [row] = await query<{ cancelled: boolean; sequence: number; cancel_reason: string | null }>(
      t,
      t.a,
      sql`select cancelled, sequence, cancel_reason from forum_meetings where id = ${id}`,
    );
    return row!;
  }

  it('is offered to the forum’s facilitators and admins; others are refused and nothing changes', async () => {
    const cancelUrl = `${meetingUrl(meetingId)}/cancel`;
    expect((await facilitator.get(meetingUrl(meetingId))).body).toContain(`href="${cancelUrl}"`);
    expect((await other.get(meetingUrl(meetingId))).body).not.toContain(`href="${cancelUrl}"`);
    expect((await other.get(cancelUrl)).statusCode).toBe(403);
    expect((await other.post(cancelUrl, { reason: 'No' })).statusCode).toBe(403);
    const b = await staffClient(t, t.b, 'facilitator');
    expect((await b.get(cancelUrl)).statusCode).toBe(404);
    expect((await b.post(cancelUrl, { reason: 'No' })).statusCode).toBe(404);
    expect((await facilitator.get(`${meetingUrl('not-an-id')}/cancel`)).statusCode).toBe(404);
    expect(await meetingRow(meetingId)).toEqual({ cancelled: false, sequence: 0, cancel_reason: null });
  });

  it('refuses a reason that is too long, storing nothing', async () => {
    const res = await facilitator.post(`${meetingUrl(meetingId)}/cancel`, { reason: 'x'.repeat(501) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<title>Error: /);
    expect(res.body).toContain('href="#reason"');
    expect(await meetingRow(meetingId)).toEqual({ cancelled: false, sequence: 0, cancel_reason: null });
  });

  it('cancels after confirming: marked on the public page, out of next meetings, cancelled in the feeds, audited', async () => {
    const confirm = await facilitator.get(`${meetingUrl(meetingId)}/cancel`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Cancel this meeting');
    expect(confirm.body).toContain('Spring planning meeting');
    const res = await facilitator.post(`${meetingUrl(meetingId)}/cancel`, {
      reason: 'The Guildhall is closed for repairs. We will meet in March instead.',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(meetingUrl(meetingId));
    const page = await facilitator.get(meetingUrl(meetingId));
    expect(page.body).toContain('Meeting cancelled');
    expect(page.body).toContain('This meeting was cancelled on');
    expect(page.body).not.toContain('Save attendance');
    expect(await meetingRow(meetingId)).toEqual({
      cancelled: true,
      sequence: 1,
      cancel_reason: 'The Guildhall is closed for repairs. We will meet in March instead.',
    });
    expect(await auditCount('forum.meeting.cancelled', meetingId)).toBe(1);

    const publicPage = unescapeHtml((await t.client().get(`/forums/${forum.slug}`)).body);
    expect(publicPage).toContain('Spring planning meeting');
    expect(publicPage).toContain('Cancelled');
    expect(publicPage).toContain('The Guildhall is closed for repairs. We will meet in March instead.');
    expect((await t.client().get('/forums')).body).not.toContain('Spring planning meeting');
    expect((await admin.get('/staff/forums')).body).not.toContain('Spring planning meeting');

    for (const feedUrl of [`/forums/${forum.slug}/calendar.ics`, '/forums/calendar.ics']) {
      const feed = (await t.client().get(feedUrl)).body;
      const { summaries } = await validateICalendar(feed);
      expect(summaries).toContain('Cancelled: Disabled People’s Forum: Spring planning meeting');
      const event = feed
        .replace(/\r\n /g, '')
        .split('BEGIN:VEVENT')
        .find((e) => e.includes(`UID:forum-meeting-${meetingId}@`))!;
      expect(event).toContain('STATUS:CANCELLED\r\n');
      expect(event).toContain('SEQUENCE:1\r\n');
      expect(event).toContain('The Guildhall is closed for repairs.');
    }
  });

  it('cancelling again changes nothing, and the confirmation page goes back to the meeting', async () => {
    const again = await facilitator.post(`${meetingUrl(meetingId)}/cancel`, { reason: 'Again' });
    expect(again.statusCode).toBe(303);
    expect((await meetingRow(meetingId)).sequence).toBe(1);
    expect((await meetingRow(meetingId)).cancel_reason).not.toBe('Again');
    expect(await auditCount('forum.meeting.cancelled', meetingId)).toBe(1);
    const confirm = await facilitator.get(`${meetingUrl(meetingId)}/cancel`);
    expect(confirm.statusCode).toBe(303);
    expect(confirm.headers.location).toBe(meetingUrl(meetingId));
  });

  it('records no attendance, minutes or issues for a cancelled meeting, saying why', async () => {
    const [member] = await query<{ id: string }>(
      t,
      t.a,
      sql`select id from forum_members where forum_id = ${forum.id} and status = 'active' limit 1`,
    );
    const posts: [string, Record<string, string | string[]>][] = [
      ['attendance', { memberIds: member ? [member.id] : [], guestCount: '2' }],
      ['minutes', { minutes: 'We met after all.' }],
      [
        'issues',
        {
          kind: 'concern',
          topic: 'access_inclusion',
          summary: 'Lift broken',
          details: 'The lift is broken.',
          raisedBy: 'anonymous',
          public: 'yes',
        },
      ],
    ];
    for (const [action, form] of posts) {
      const res = await facilitator.post(`${meetingUrl(meetingId)}/${action}`, form);
      expect(res.statusCode, action).toBe(400);
      expect(res.body, action).toContain(
        'This meeting was cancelled, so you cannot record attendance, minutes or issues for it',
      );
      expect(res.body, action).toContain('href="#cancelled"');
    }
    const [row] = await query<{ minutes: string | null; guest_count: number }>(
      t,
      t.a,
      sql`select minutes, guest_count from forum_meetings where id = ${meetingId}`,
    );
    expect(row).toEqual({ minutes: null, guest_count: 0 });
    expect(await query(t, t.a, sql`select 1 from forum_attendance where meeting_id = ${meetingId}`)).toEqual(
      [],
    );
    expect(await query(t, t.a, sql`select 1 from forum_issues where meeting_id = ${meetingId}`)).toEqual([]);
  });

  it('a meeting with something recorded took place, and cannot be cancelled', async () => {
    const cancelUrl = `${meetingUrl(heldId)}/cancel`;
    expect((await facilitator.get(meetingUrl(heldId))).body).not.toContain(`href="${cancelUrl}"`);
    const confirm = await facilitator.get(cancelUrl);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('You cannot cancel this meeting');
    expect(confirm.body).not.toContain('name="reason"');
    const res = await facilitator.post(cancelUrl, { reason: 'Too late' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#cancel-held"');
    expect(await meetingRow(heldId)).toEqual({ cancelled: false, sequence: 0, cancel_reason: null });
  });
});

describe('the forums API: creating, editing and cancelling', () => {
  const body = {
    name: 'LGBTQ+ Forum',
    characteristics: ['sexual_orientation', 'gender_reassignment'],
    description: 'For lesbian, gay, bisexual, trans and queer people.',
    howToJoin: 'Ask to join on this page.',
    meetingPattern: 'Monthly, online.',
    accessibility: ['online'],
  };

  it('creates a forum (admins only); bad bodies and clashing names store nothing', async () => {
    const before = await forumCount();
    expect((await t.client().api('POST', '/api/v1/forums', body)).statusCode).toBe(401);
    expect((await facilitator.api('POST', '/api/v1/forums', body)).statusCode).toBe(403);
    const bad = await admin.api('POST', '/api/v1/forums', { ...body, characteristics: [] });
    expect(bad.statusCode).toBe(400);
    const stranger = await admin.api('POST', '/api/v1/forums', {
      ...body,
      facilitatorStaffIds: [t.b.staff[t.b.email('facilitator')]],
    });
    expect(stranger.statusCode).toBe(400);
    expect((stranger.json() as { problem: string }).problem).toBe('notAFacilitator');
    expect(await forumCount()).toBe(before);

    const created = await admin.api('POST', '/api/v1/forums', { ...body, facilitatorStaffIds: [otherId] });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      slug: 'lgbtq-plus-forum',
      name: 'LGBTQ+ Forum',
      facilitators: [{ id: otherId }],
      coChairs: null,
      published: true,
    });
    const clash = await admin.api('POST', '/api/v1/forums', { ...body, name: 'LGBTQ+ forum' });
    expect(clash.statusCode).toBe(400);
    expect(clash.json()).toMatchObject({ problem: 'slugTaken' });
    expect(await forumCount()).toBe(before + 1);
  });

  it('edits only the fields given: the forum’s facilitators and admins; others 403 or 404', async () => {
    const path = '/api/v1/forums/lgbtq-plus-forum';
    expect((await facilitator.api('PATCH', path, { description: 'Not mine' })).statusCode).toBe(403);
    const b = await staffClient(t, t.b, 'admin');
    expect((await b.api('PATCH', path, { description: 'From B' })).statusCode).toBe(404);
    expect((await other.api('PATCH', path, { characteristics: [] })).statusCode).toBe(400);
    expect((await other.api('PATCH', path, { slug: 'elsewhere' })).statusCode).toBe(400);
    expect(await forumRow('lgbtq-plus-forum')).toMatchObject({ description: body.description });

    const res = await other.api('PATCH', path, {
      coChairs: 'Sam Taylor',
      meetingPattern: 'Fortnightly, online.',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      slug: 'lgbtq-plus-forum',
      coChairs: 'Sam Taylor',
      meetingPattern: 'Fortnightly, online.',
      description: body.description,
      facilitators: [{ id: otherId }],
    });
    const cleared = await admin.api('PATCH', path, { coChairs: null });
    expect((cleared.json() as { coChairs: string | null }).coChairs).toBeNull();
    expect(await forumRow('lgbtq-plus-forum')).toMatchObject({
      co_chairs: null,
      meeting_pattern: 'Fortnightly, online.',
    });
  });

  it('cancels a meeting: the forum’s facilitators and admins; then nothing can be recorded for it', async () => {
    const scheduled = await t.services.forums.scheduleMeeting(facilitatorActor(t.a), forum.slug, {
      title: 'Online catch-up',
      startsAt: new Date(Date.now() + 20 * DAY),
      endsAt: new Date(Date.now() + 20 * DAY + 60 * 60 * 1000),
      onlineUrl: 'https://meet.example/catch-up',
    });
    if (!scheduled.ok) throw new Error('set-up failed');
    const base = `/api/v1/forums/${forum.slug}/meetings/${scheduled.meeting.id}`;
    expect((await other.api('POST', `${base}/cancel`, {})).statusCode).toBe(403);
    const b = await staffClient(t, t.b, 'facilitator');
    expect((await b.api('POST', `${base}/cancel`, {})).statusCode).toBe(404);
    expect((await facilitator.api('POST', `${base}/cancel`, { reason: 'x'.repeat(501) })).statusCode).toBe(
      400,
    );
    expect(
      await query(t, t.a, sql`select 1 from forum_meetings where id = ${scheduled.meeting.id} and cancelled`),
    ).toEqual([]);

    const res = await facilitator.api('POST', `${base}/cancel`, { reason: 'Not enough people could come.' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: scheduled.meeting.id,
      cancelled: true,
      cancelReason: 'Not enough people could come.',
      sequence: 1,
    });
    const attendance = await facilitator.api('POST', `${base}/attendance`, { memberIds: [], guestCount: 1 });
    expect(attendance.statusCode).toBe(400);
    expect(attendance.json()).toMatchObject({
      problem: 'meetingCancelled',
      message: 'This meeting was cancelled, so you cannot record attendance, minutes or issues for it',
    });
    const listed = (
      (await facilitator.api('GET', `/api/v1/forums/${forum.slug}/meetings`)).json() as {
        items: { id: string; cancelled: boolean; cancelReason: string | null }[];
      }
    ).items.find((m) => m.id === scheduled.meeting.id);
    expect(listed).toMatchObject({ cancelled: true, cancelReason: 'Not enough people could come.' });
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await t.client().get('/api/docs/json')).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/api/v1/forums']!)).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths['/api/v1/forums/{slug}']!)).toContain('patch');
    expect(doc.paths['/api/v1/forums/{slug}/meetings/{id}/cancel']).toHaveProperty('post');
  });
});

describe('when a member leaves', () => {
  it('concerns they asked to be named on lose their contact details and say why; the rest stays', async () => {
    const actor = facilitatorActor(t.a);
    const members: string[] = [];
    for (const [name, email] of [
      ['Grace Leaving', 'grace.leaving@example.com'],
      ['Henry Staying', 'henry.staying@example.com'],
    ] as const) {
      const asked = await t.services.forums.requestToJoin(
        t.a.id,
        forum.slug,
        { name, email, phone: '07700 900456', participation: 'either', accessNeeds: [] },
        'test',
      );
      if (!asked.ok) throw new Error('set-up failed');
      const approved = await t.services.forums.approve(actor, forum.slug, asked.requestId);
      if (!approved.ok || !approved.memberId) throw new Error('set-up failed');
      members.push(approved.memberId);
    }
    const meeting = await t.services.forums.scheduleMeeting(actor, forum.slug, {
      title: 'Summer meeting',
      startsAt: new Date(Date.now() - 2 * DAY),
      endsAt: new Date(Date.now() - 2 * DAY + 60 * 60 * 1000),
      venueName: 'Towcester Community Centre',
    });
    if (!meeting.ok) throw new Error('set-up failed');
    const raise = async (summary: string, raisedByMemberId?: string) => {
      const r = await t.services.forums.raiseIssue(actor, forum.slug, meeting.meeting.id, {
        kind: 'concern',
        topic: 'access_inclusion',
        summary,
        details: `${summary}: said at the summer meeting.`,
        raisedByMemberId,
      });
      if (!r.ok) throw new Error('set-up failed');
      return r.reference;
    };
    const leaversRef = await raise('No seats at the bus station', members[0]);
    const stayersRef = await raise('Broken lights in the park', members[1]);

    const leave = await facilitator.post(`/staff/forums/${forum.slug}/members/${members[0]}/leave`);
    expect(leave.statusCode).toBe(303);

    const concern = async (reference: string) => {
      const [row] = await query<Record<string, unknown>>(
        t,
        t.a,
        sql`select id, anonymous, contact_name, contact_email, contact_phone, preferred_contact, description from concerns where reference = ${reference}`,
      );
      return row!;
    };
    const left = await concern(leaversRef);
    expect(left).toMatchObject({
      anonymous: true,
      contact_name: null,
      contact_email: null,
      contact_phone: null,
      preferred_contact: null,
      description: 'No seats at the bus station: said at the summer meeting.',
    });
    const events = await query<{ kind: string; details: Record<string, string> }>(
      t,
      t.a,
      sql`select kind, details from concern_events where concern_id = ${left.id} order by created_at`,
    );
    expect(events.map((e) => e.kind)).toEqual(['created', 'contact_removed']);
    const forumName = (await forumRow(forum.slug))!.name as string;
    expect(events[1]!.details).toEqual({ reason: 'forum_member_left', forum: forumName });
    expect(await auditCount('concern.contact_removed', left.id as string)).toBe(1);
    expect(
      await query(
        t,
        t.a,
        sql`select anonymous, raised_by_member_id from forum_issues where concern_id = ${left.id}`,
      ),
    ).toEqual([{ anonymous: true, raised_by_member_id: null }]);
    // The staff view of the concern says why the details went.
    const page = unescapeHtml((await admin.get(`/staff/concerns/${formatReference(leaversRef)}`)).body);
    expect(page).toContain(`Contact details removed: the person who raised it has left the ${forumName}`);
    expect(page).not.toContain('grace.leaving@example.com');

    // Another member's named concern is untouched.
    expect(await concern(stayersRef)).toMatchObject({
      anonymous: false,
      contact_name: 'Henry Staying',
      contact_email: 'henry.staying@example.com',
    });
  });
});
