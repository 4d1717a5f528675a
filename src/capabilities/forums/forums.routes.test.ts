import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, type TestClient } from '../../../test/helpers/app.js';
import { validateICalendar } from '../../../test/helpers/ical.js';
import { actorFor, staffClient, unescapeHtml } from '../concerns/concerns.test-helpers.js';
import { addFacilitator, createForum, DAY, facilitatorActor, query } from './forums.test-helpers.js';

let t: TestApp;
let facilitator: TestClient;
let forum: { id: string; slug: string; name: string };

beforeAll(async () => {
  t = await buildTestApp();
  await addFacilitator(t.db, t.a);
  await addFacilitator(t.db, t.b);
  forum = await createForum(t.services, t.a);
  facilitator = await staffClient(t, t.a, 'facilitator');
  // Building the app and its database takes a while on a busy machine.
}, 180_000);
afterAll(async () => {
  await t.close();
});

const JOIN = {
  name: 'Amira Patel',
  email: 'amira.patel@example.com',
  phone: '',
  participation: 'either',
  accessNeeds: ['bsl', 'step_free'],
  accessNotes: 'I come with my support worker.',
  disability: 'yes',
  religion: 'prefer_not',
  ethnicity: '',
  consent: 'yes',
};

async function requestIds(email: string) {
  return query<{ id: string; status: string }>(
    t,
    t.a,
    sql`select id, status from forum_join_requests where email = ${email} order by created_at`,
  );
}

describe('the public forums page', () => {
  beforeAll(async () => {
    await t.services.forums.scheduleMeeting(facilitatorActor(t.a), forum.slug, {
      title: 'Winter meeting',
      startsAt: new Date(Date.now() + 10 * DAY),
      endsAt: new Date(Date.now() + 10 * DAY + 2 * 60 * 60 * 1000),
      venueName: 'The Guildhall',
      venueAddress: 'St Giles Square, Northampton NN1 1DE',
      venueAccess: 'Step-free entrance; hearing loop in the Great Hall',
      agenda: '1. Welcome\n2. Buses and taxis',
    });
    await t.services.forums.scheduleMeeting(facilitatorActor(t.a), forum.slug, {
      title: 'Co-chairs planning',
      startsAt: new Date(Date.now() + 5 * DAY),
      endsAt: new Date(Date.now() + 5 * DAY + 60 * 60 * 1000),
      onlineUrl: 'https://meet.example/planning',
      public: false,
    });
  });

  it('lists each forum with its next public meetings and how to join, without signing in', async () => {
    const res = await t.client().get('/forums');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1 class="govuk-heading-xl">Community forums</h1>');
    expect(res.body).toContain('Disability Forum');
    expect(res.body).toContain('The Guildhall, St Giles Square, Northampton NN1 1DE');
    expect(res.body).toContain(`href="/forums/${forum.slug}/join"`);
    // Private meetings are for staff only.
    expect(res.body).not.toContain('Co-chairs planning');
  });

  it('has a page per forum: who it is for, who runs it, access, meetings and the calendar link', async () => {
    const res = await t.client().get(`/forums/${forum.slug}`);
    expect(res.statusCode).toBe(200);
    const body = unescapeHtml(res.body);
    expect(body).toContain('Ruth Bailey and Sunil Mistry');
    expect(body).toContain('Facilitator');
    expect(body).toContain('British Sign Language (BSL) interpreters');
    expect(body).toContain('Winter meeting');
    expect(body).toContain('Step-free entrance; hearing loop in the Great Hall');
    expect(body).toContain(`/forums/${forum.slug}/calendar.ics`);
    expect(body).not.toContain('Co-chairs planning');
  });

  it('answers 404 for a forum that does not exist', async () => {
    expect((await t.client().get('/forums/no-such-forum')).statusCode).toBe(404);
    expect((await t.client().get('/forums/no-such-forum/join')).statusCode).toBe(404);
    expect((await t.client().get('/forums/no-such-forum/calendar.ics')).statusCode).toBe(404);
  });

  it("partnership B's host shows none of A's forums", async () => {
    const b = t.client({ host: 'b.heard.test' });
    const list = await b.get('/forums');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('Disability Forum');
    expect((await b.get(`/forums/${forum.slug}`)).statusCode).toBe(404);
    const cal = await b.get('/forums/calendar.ics');
    expect(cal.body).not.toContain('Winter meeting');
  });
});

describe('asking to join', () => {
  it('shows the form with a CSRF token, plain questions and optional equality questions', async () => {
    const res = await t.client().get(`/forums/${forum.slug}/join`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('name="_csrf"');
    expect(res.body).toContain('How would you like to take part?');
    expect(res.body).toContain('Prefer not to say');
  });

  it('refuses a post without the CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/forums/${forum.slug}/join`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=Eve&email=eve@example.com&participation=online&consent=yes',
    });
    expect(res.statusCode).toBe(403);
    expect(await requestIds('eve@example.com')).toEqual([]);
  });

  it('says what is wrong, linked to each field, and stores nothing', async () => {
    const c = t.client();
    await c.get(`/forums/${forum.slug}/join`);
    const res = await c.post(`/forums/${forum.slug}/join`, {
      name: '',
      email: 'not-an-email',
      ethnicity: 'martian',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<title>Error: /);
    expect(res.body).toContain('href="#name"');
    expect(res.body).toContain('Enter your name');
    expect(res.body).toContain('href="#email"');
    expect(res.body).toContain('href="#participation"');
    expect(res.body).toContain('href="#consent"');
    expect(res.body).toContain('href="#ethnicity"');
    expect(await requestIds('not-an-email')).toEqual([]);
  });

  it('stores the request, the equality answers apart (only those given), and one request for a double submit', async () => {
    const c = t.client();
    await c.get(`/forums/${forum.slug}/join`);
    const res = await c.post(`/forums/${forum.slug}/join`, JOIN);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/forums/${forum.slug}/join/sent`);
    const sent = await c.get(res.headers.location as string);
    expect(sent.body).toContain('Request sent');
    await c.post(`/forums/${forum.slug}/join`, JOIN);
    const ids = await requestIds(JOIN.email);
    expect(ids).toHaveLength(1);
    const [stored] = await query<Record<string, unknown>>(
      t,
      t.a,
      sql`select name, participation, access_needs, access_notes, preferred_contact from forum_join_requests where id = ${ids[0]!.id}`,
    );
    expect(stored).toMatchObject({
      name: 'Amira Patel',
      participation: 'either',
      access_needs: ['bsl', 'step_free'],
      preferred_contact: 'email',
    });
    const [equality] = await query<{ answers: Record<string, string> }>(
      t,
      t.a,
      sql`select answers from forum_join_equality where request_id = ${ids[0]!.id}`,
    );
    expect(equality!.answers).toEqual({ disability: 'yes', religion: 'prefer_not' });
  });
});

describe("the facilitators' pages", () => {
  let requestId: string;

  beforeAll(async () => {
    const out = await t.services.forums.requestToJoin(
      t.a.id,
      forum.slug,
      {
        name: 'Tom Whitaker',
        phone: '07700 900123',
        participation: 'in_person',
        accessNeeds: ['hearing_loop'],
        equality: { ageBand: '65_74' },
      },
      'test',
    );
    if (!out.ok) throw new Error('set-up failed');
    requestId = out.requestId;
  });

  it('are for facilitators and admins: other roles get 403, and nobody signed out gets in', async () => {
    expect((await facilitator.get('/staff/forums')).statusCode).toBe(200);
    expect((await (await staffClient(t, t.a, 'admin')).get('/staff/forums')).statusCode).toBe(200);
    for (const role of ['police', 'triage', 'cohesion', 'analyst']) {
      const c = await staffClient(t, t.a, role);
      expect((await c.get('/staff/forums')).statusCode, role).toBe(403);
      expect((await c.get(`/staff/forums/${forum.slug}`)).statusCode, role).toBe(403);
      expect((await c.get(`/staff/forums/${forum.slug}/requests/${requestId}`)).statusCode, role).toBe(403);
    }
    const anonymous = await t.client().get(`/staff/forums/${forum.slug}`);
    expect(anonymous.statusCode).toBe(302);
  });

  it('offers Forums in the navigation to facilitators and admins only', async () => {
    expect((await facilitator.get('/staff/forums')).body).toContain('href="/staff/forums"');
    const police = await staffClient(t, t.a, 'police');
    expect((await police.get('/staff/concerns')).body).not.toContain('href="/staff/forums"');
  });

  it("the forum page lists requests and audits the read; B's facilitator sees none of A's forum", async () => {
    const res = await facilitator.get(`/staff/forums/${forum.slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Tom Whitaker');
    const audits = await query<{ n: number }>(
      t,
      t.a,
      sql`select count(*)::int as n from audit_log where action = 'forum.viewed' and entity_id = ${forum.id}`,
    );
    expect(Number(audits[0]!.n)).toBeGreaterThan(0);
    const b = await staffClient(t, t.b, 'facilitator');
    expect((await b.get(`/staff/forums/${forum.slug}`)).statusCode).toBe(404);
    expect((await b.get(`/staff/forums/${forum.slug}/requests/${requestId}`)).statusCode).toBe(404);
    expect((await b.get('/staff/forums')).body).not.toContain('Disability Forum');
  });

  it('shows equality answers to admins only, and records that they were read', async () => {
    const asFacilitator = await facilitator.get(`/staff/forums/${forum.slug}/requests/${requestId}`);
    expect(asFacilitator.statusCode).toBe(200);
    expect(asFacilitator.body).toContain('07700 900123');
    expect(asFacilitator.body).not.toContain('id="equality"');
    const admin = await staffClient(t, t.a, 'admin');
    const asAdmin = await admin.get(`/staff/forums/${forum.slug}/requests/${requestId}`);
    expect(asAdmin.body).toContain('id="equality"');
    expect(asAdmin.body).toContain('65 to 74');
    const audits = await query<{ details: { equalityShown: boolean } }>(
      t,
      t.a,
      sql`select details from audit_log where action = 'forum.request.viewed' and entity_id = ${requestId} order by id`,
    );
    expect(audits.map((a) => a.details.equalityShown)).toEqual([false, true]);
  });

  it('contacting needs a note, then marks the request contacted', async () => {
    const url = `/staff/forums/${forum.slug}/requests/${requestId}`;
    const empty = await facilitator.post(`${url}/contact`, { note: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#contact-note"');
    const ok = await facilitator.post(`${url}/contact`, {
      note: 'Phoned; he would like a lift to meetings.',
    });
    expect(ok.statusCode).toBe(303);
    const [row] = await query<{ status: string; contact_note: string }>(
      t,
      t.a,
      sql`select status, contact_note from forum_join_requests where id = ${requestId}`,
    );
    expect(row).toEqual({ status: 'contacted', contact_note: 'Phoned; he would like a lift to meetings.' });
  });

  it('approving makes a member (once, even if clicked twice), audited', async () => {
    const url = `/staff/forums/${forum.slug}/requests/${requestId}/approve`;
    expect((await facilitator.post(url)).statusCode).toBe(303);
    expect((await facilitator.post(url)).statusCode).toBe(303);
    const members = await query<{ name: string; access_needs: string[]; consent_at: Date | null }>(
      t,
      t.a,
      sql`select name, access_needs, consent_at from forum_members where join_request_id = ${requestId}`,
    );
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({ name: 'Tom Whitaker', access_needs: ['hearing_loop'] });
    expect(members[0]!.consent_at).not.toBeNull();
    const page = await facilitator.get(`/staff/forums/${forum.slug}`);
    expect(page.body).toContain('Request approved');
    const audits = await query<{ n: number }>(
      t,
      t.a,
      sql`select count(*)::int as n from audit_log where action = 'forum.request.approved' and entity_id = ${requestId}`,
    );
    expect(Number(audits[0]!.n)).toBe(1);
  });

  it('declining needs a reason, removes the equality answers, and cannot follow approval', async () => {
    const out = await t.services.forums.requestToJoin(
      t.a.id,
      forum.slug,
      {
        name: 'Wrong Forum',
        email: 'wrong@example.com',
        participation: 'online',
        accessNeeds: [],
        equality: { sex: 'female' },
      },
      'test',
    );
    if (!out.ok) throw new Error('set-up failed');
    const url = `/staff/forums/${forum.slug}/requests/${out.requestId}/decline`;
    expect((await facilitator.post(url, { reason: '' })).statusCode).toBe(400);
    expect((await facilitator.post(url, { reason: 'Asked for the faith forum instead.' })).statusCode).toBe(
      303,
    );
    expect(
      await query(t, t.a, sql`select 1 from forum_join_equality where request_id = ${out.requestId}`),
    ).toEqual([]);
    const approveAfter = await facilitator.post(
      `/staff/forums/${forum.slug}/requests/${out.requestId}/approve`,
    );
    expect(approveAfter.statusCode).toBe(400);
    expect(approveAfter.body).toContain('already been decided');
  });

  it('a member who leaves has their details removed; attendance still counts', async () => {
    const [member] = await query<{ id: string }>(
      t,
      t.a,
      sql`select id from forum_members where join_request_id = ${requestId}`,
    );
    const scheduled = await t.services.forums.scheduleMeeting(facilitatorActor(t.a), forum.slug, {
      title: 'Autumn meeting',
      startsAt: new Date(Date.now() - 20 * DAY),
      endsAt: new Date(Date.now() - 20 * DAY + 60 * 60 * 1000),
      venueName: 'Daventry Library',
    });
    if (!scheduled.ok) throw new Error('set-up failed');
    const meetingUrl = `/staff/forums/${forum.slug}/meetings/${scheduled.meeting.id}`;
    expect(
      (await facilitator.post(`${meetingUrl}/attendance`, { memberIds: [member!.id], guestCount: '3' }))
        .statusCode,
    ).toBe(303);
    const memberPage = await facilitator.get(`/staff/forums/${forum.slug}/members/${member!.id}`);
    expect(memberPage.body).toContain('Tom Whitaker');
    expect(
      (await facilitator.post(`/staff/forums/${forum.slug}/members/${member!.id}/leave`)).statusCode,
    ).toBe(303);
    const [row] = await query<Record<string, unknown>>(
      t,
      t.a,
      sql`select status, name, email, phone, access_needs, access_notes, consent_at from forum_members where id = ${member!.id}`,
    );
    expect(row).toEqual({
      status: 'left',
      name: null,
      email: null,
      phone: null,
      access_needs: [],
      access_notes: null,
      consent_at: null,
    });
    const [request] = await query<Record<string, unknown>>(
      t,
      t.a,
      sql`select name, phone, access_needs, contact_note from forum_join_requests where id = ${requestId}`,
    );
    expect(request).toEqual({ name: null, phone: null, access_needs: [], contact_note: null });
    expect(
      await query(t, t.a, sql`select 1 from forum_join_equality where request_id = ${requestId}`),
    ).toEqual([]);
    const meeting = await facilitator.get(meetingUrl);
    expect(meeting.body).toContain('Members present: 1. Guests: 3.');
    expect(meeting.body).not.toContain('Tom Whitaker');
    const audits = await query<{ n: number }>(
      t,
      t.a,
      sql`select count(*)::int as n from audit_log where action = 'forum.member.removed' and entity_id = ${member!.id}`,
    );
    expect(Number(audits[0]!.n)).toBe(1);
  });
});

describe('meetings, calendars and issues', () => {
  let meetingUrl: string;

  it('schedules a meeting from the form, in London time, and says what is wrong first', async () => {
    const url = `/staff/forums/${forum.slug}/meetings/new`;
    expect((await facilitator.get(url)).statusCode).toBe(200);
    const bad = await facilitator.post(url, {
      title: '',
      day: '31',
      month: '6',
      year: '2027',
      startTime: '25:00',
      endTime: '',
      public: 'yes',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#title"');
    const nowhere = await facilitator.post(url, {
      title: 'Summer meeting',
      day: '1',
      month: '7',
      year: '2027',
      startTime: '18:30',
      endTime: '20:00',
      public: 'yes',
    });
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.body).toContain('Enter a venue, an online link, or both');
    const ok = await facilitator.post(url, {
      title: 'Summer meeting',
      day: '1',
      month: '7',
      year: '2027',
      startTime: '18:30',
      endTime: '20:00',
      venueName: 'Towcester Community Centre',
      venueAddress: 'Islington Road, Towcester NN12 6AU',
      venueAccess: 'Level access, hearing loop',
      onlineUrl: 'https://meet.example/summer',
      agenda: 'Welcome; parks, lighting & buses',
      public: 'yes',
    });
    expect(ok.statusCode).toBe(303);
    meetingUrl = ok.headers.location as string;
    const [m] = await query<{ starts_at: Date | string }>(
      t,
      t.a,
      sql`select starts_at from forum_meetings where title = 'Summer meeting'`,
    );
    // 18:30 in July is British Summer Time, UTC+1.
    expect(new Date(m!.starts_at).toISOString()).toBe('2027-07-01T17:30:00.000Z');
    const page = await facilitator.get(meetingUrl);
    expect(page.body).toContain('Meeting scheduled');
    expect(page.body).toContain('Thursday 1 July 2027, 6:30pm to 8pm');
  });

  it('puts public meetings in the forum feed and the all-forums feed, valid to a strict parser', async () => {
    for (const url of [`/forums/${forum.slug}/calendar.ics`, '/forums/calendar.ics']) {
      const res = await t.client().get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
      const { summaries } = await validateICalendar(res.body);
      expect(summaries).toContain('Disability Forum: Summer meeting');
      expect(summaries).toContain('Disability Forum: Winter meeting');
      expect(summaries).not.toContain('Disability Forum: Co-chairs planning');
      expect(res.body).toContain('DTSTART;TZID=Europe/London:20270701T183000');
      expect(res.body).toContain('BEGIN:VTIMEZONE');
    }
  });

  it('an issue raised at the meeting becomes a concern in the pipeline; its public update shows on the forum page', async () => {
    const bad = await facilitator.post(`${meetingUrl}/issues`, {
      kind: 'concern',
      summary: '',
      raisedBy: 'anonymous',
      public: 'yes',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#issues-topic"');
    expect(bad.body).toContain('href="#issues-summary"');
    const res = await facilitator.post(`${meetingUrl}/issues`, {
      kind: 'concern',
      topic: 'access_inclusion',
      summary: 'Bus stop by the market has no dropped kerb',
      details: 'Two wheelchair users said they cannot get on the 8 bus at the Market Square stop.',
      raisedBy: 'anonymous',
      public: 'yes',
    });
    expect(res.statusCode).toBe(303);
    const [concern] = await query<{
      reference: string;
      channel: string;
      source: string;
      anonymous: boolean;
      affected_groups: string[];
    }>(
      t,
      t.a,
      sql`select c.reference, c.channel, c.source, c.anonymous, c.affected_groups from forum_issues i join concerns c on c.id = i.concern_id where i.summary = 'Bus stop by the market has no dropped kerb'`,
    );
    expect(concern).toMatchObject({
      channel: 'forum',
      source: 'forum: Disability Forum',
      anonymous: true,
      affected_groups: ['disability'],
    });
    // Triage picks it up like any other concern, and answers it.
    const triage = await staffClient(t, t.a, 'triage');
    const queue = await triage.get('/staff/concerns?channel=forum');
    expect(queue.body).toContain('Two wheelchair users');
    await t.services.concerns.share(
      actorFor(t.a, 'triage'),
      concern!.reference,
      t.a.organisations.council!,
      [],
    );
    await t.services.concerns.addNote(
      actorFor(t.a, 'triage'),
      concern!.reference,
      'The council will fit a dropped kerb at this stop in January.',
      'public',
    );
    await t.services.concerns.addNote(
      actorFor(t.a, 'triage'),
      concern!.reference,
      'Internal: budget code 4411',
      'internal',
    );
    // The forum's meeting page and its public page both show the answer; never the internal note.
    const staffPage = await facilitator.get(meetingUrl);
    expect(staffPage.body).toContain('The council will fit a dropped kerb at this stop in January.');
    expect(staffPage.body).not.toContain('budget code');
    const publicPage = unescapeHtml((await t.client().get(`/forums/${forum.slug}`)).body);
    expect(publicPage).toContain('Bus stop by the market has no dropped kerb');
    expect(publicPage).toContain('Passed to a partner');
    expect(publicPage).toContain('The council will fit a dropped kerb at this stop in January.');
    expect(publicPage).not.toContain('budget code');
    expect(publicPage).not.toContain('Two wheelchair users');
    const forumPage = await facilitator.get(`/staff/forums/${forum.slug}`);
    expect(forumPage.body).toContain('Bus stop by the market has no dropped kerb');
  });

  it('never shows an issue whose concern staff marked private', async () => {
    await t.db.tenant(t.a.id, (tx) =>
      tx.execute(
        sql`update concerns set private = true where id in (select concern_id from forum_issues where summary = 'Bus stop by the market has no dropped kerb')`,
      ),
    );
    const publicPage = unescapeHtml((await t.client().get(`/forums/${forum.slug}`)).body);
    expect(publicPage).not.toContain('Bus stop by the market has no dropped kerb');
  });
});
