import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, type TestClient } from '../../../test/helpers/app.js';
import {
  actorFor,
  auditRows,
  concernRow,
  countConcerns,
  countEvents,
  createConcern,
  queueRefs,
  staffClient,
  unescapeHtml,
} from './concerns.test-helpers.js';

let t: TestApp;
let triage: TestClient;
let admin: TestClient;

beforeAll(async () => {
  t = await buildTestApp();
  triage = await staffClient(t, t.a, 'triage');
  admin = await staffClient(t, t.a, 'admin');
});
afterAll(async () => {
  await t.close();
});

const DAY = 24 * 60 * 60 * 1000;

describe('the triage queue', () => {
  let urgent: Awaited<ReturnType<typeof createConcern>>;
  let old: Awaited<ReturnType<typeof createConcern>>;
  let recent: Awaited<ReturnType<typeof createConcern>>;
  let closed: Awaited<ReturnType<typeof createConcern>>;

  beforeAll(async () => {
    // All on the "engagement" channel, which nothing else in this file uses, so counts are exact.
    old = await createConcern(t, t.a, {
      channel: 'engagement',
      topic: 'unsafe_place',
      areaId: t.a.areas['a-01'],
      createdAt: new Date(Date.now() - 40 * DAY),
    });
    recent = await createConcern(t, t.a, {
      channel: 'engagement',
      topic: 'community_tensions',
      areaId: t.a.areas['a-02'],
      createdAt: new Date(Date.now() - 60_000),
    });
    urgent = await createConcern(t, t.a, {
      channel: 'engagement',
      topic: 'hate_harassment',
      description: 'He said he would stab me if I walk past again.',
      createdAt: new Date(Date.now() - 30_000),
    });
    closed = await createConcern(t, t.a, {
      channel: 'engagement',
      createdAt: new Date(Date.now() - 2 * DAY),
    });
    await t.services.concerns.share(actorFor(t.a, 'triage'), recent.ref, t.a.organisations.police!, []);
    await t.services.concerns.transition(actorFor(t.a, 'triage'), closed.ref, {
      to: 'no_further_action',
      reason: 'Already dealt with',
    });
  });

  const queue = (query: string) => triage.get(`/staff/concerns?channel=engagement&${query}`);

  it('lists open concerns with reference, topic, area, lead, status and received date', async () => {
    const res = await queue('');
    expect(res.statusCode).toBe(200);
    const refs = queueRefs(res.body);
    expect(refs).toEqual(expect.arrayContaining([old.ref, recent.ref, urgent.ref]));
    expect(refs).not.toContain(closed.ref);
    expect(res.body).toContain('3 concerns');
    expect(res.body).toContain('Tensions between communities');
    expect(res.body).toContain('South a');
    expect(res.body).toContain('Police a');
    expect(res.body).toContain('Not yet shared');
  });

  it('shows urgent and overdue as text tags, and sorts urgent first', async () => {
    const res = await queue('sort=urgency');
    const refs = queueRefs(res.body);
    expect(refs[0]).toBe(urgent.ref);
    expect(refs.indexOf(old.ref)).toBeLessThan(refs.indexOf(recent.ref));
    expect(res.body).toMatch(/govuk-tag--red">\s*Urgent/);
    expect(res.body).toMatch(/govuk-tag--orange">\s*Overdue/);
  });

  it('sorts by oldest and newest', async () => {
    expect(queueRefs((await queue('sort=oldest')).body)).toEqual([old.ref, recent.ref, urgent.ref]);
    expect(queueRefs((await queue('sort=newest')).body)).toEqual([urgent.ref, recent.ref, old.ref]);
  });

  it('filters by each filter', async () => {
    const refs = async (query: string) => queueRefs((await queue(`sort=oldest&${query}`)).body);
    expect(await refs('status=any')).toEqual([old.ref, closed.ref, recent.ref, urgent.ref]);
    expect(await refs('status=no_further_action')).toEqual([closed.ref]);
    expect(await refs('status=triaged')).toEqual([recent.ref]);
    expect(await refs('status=new')).toEqual([old.ref, urgent.ref]);
    expect(await refs('topic=unsafe_place')).toEqual([old.ref]);
    expect(await refs(`area=${t.a.areas['a-02']}`)).toEqual([recent.ref]);
    expect(await refs(`lead=${t.a.organisations.police}`)).toEqual([recent.ref]);
    expect(await refs('urgent=yes')).toEqual([urgent.ref]);
    // The urgent one falls due at the end of its London day, so a run that crosses midnight may
    // also find it overdue; the others never are.
    const overdue = await refs('overdue=yes');
    expect(overdue[0]).toBe(old.ref);
    expect(overdue).not.toContain(recent.ref);
    expect(overdue).not.toContain(closed.ref);
    expect(queueRefs((await triage.get('/staff/concerns?channel=open311&status=any')).body)).toEqual([]);
    // A filter value that is not ours is ignored rather than an error.
    expect((await queue('topic=nonsense&area=x')).statusCode).toBe(200);
  });

  it('shows the count for the filters', async () => {
    expect((await queue('status=any')).body).toContain('4 concerns');
    expect((await queue('urgent=yes')).body).toMatch(/>\s*1 concern\s*</);
  });

  it('pages with a cursor: the next page follows on without overlap', async () => {
    const made: string[] = [];
    for (let i = 0; i < 30; i++) {
      made.push(
        (
          await createConcern(t, t.a, {
            channel: 'forum',
            createdAt: new Date(Date.now() - (100 - i) * 60_000),
          })
        ).ref,
      );
    }
    const first = await triage.get('/staff/concerns?channel=forum&sort=oldest');
    expect(first.body).toContain('30 concerns');
    const page1 = queueRefs(first.body);
    expect(page1).toEqual(made.slice(0, 25));
    const next = /href="([^"]+)" rel="next"/.exec(first.body);
    expect(next).not.toBeNull();
    const second = await triage.get(unescapeHtml(next![1]!));
    const page2 = queueRefs(second.body);
    expect(page2).toEqual(made.slice(25));
    expect(second.body).not.toContain('rel="next"');
    expect(second.body).toContain('30 concerns');
  });

  it('is refused to staff who cannot see concerns, and sends others to sign in', async () => {
    const analyst = await staffClient(t, t.a, 'analyst');
    expect((await analyst.get('/staff/concerns')).statusCode).toBe(403);
    const anon = await t.client().get('/staff/concerns');
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toBe('/staff/sign-in');
  });
});

describe('what each role sees', () => {
  let policeLed: Awaited<ReturnType<typeof createConcern>>;
  let notShared: Awaited<ReturnType<typeof createConcern>>;
  let noConsent: Awaited<ReturnType<typeof createConcern>>;
  let police: TestClient;
  let fire: TestClient;

  beforeAll(async () => {
    police = await staffClient(t, t.a, 'police');
    fire = await staffClient(t, t.a, 'fire');
    policeLed = await createConcern(t, t.a, {
      channel: 'open311',
      contactEmail: 'led.by.police@example.com',
      equality: { ethnicity: 'white', religion: 'sikh' },
    });
    notShared = await createConcern(t, t.a, { channel: 'open311' });
    noConsent = await createConcern(t, t.a, {
      channel: 'open311',
      consentToShare: false,
      contactEmail: 'no.consent@example.com',
    });
    const tri = actorFor(t.a, 'triage');
    await t.services.concerns.share(tri, policeLed.ref, t.a.organisations.police!, [t.a.organisations.fire!]);
    await t.services.concerns.share(tri, noConsent.ref, t.a.organisations.police!, []);
  });

  it('an agency officer sees only concerns shared with their organisation', async () => {
    const refs = queueRefs((await police.get('/staff/concerns?channel=open311&status=any')).body);
    expect(refs.sort()).toEqual([policeLed.ref, noConsent.ref].sort());
    expect((await police.get(`/staff/concerns/${policeLed.ref}`)).statusCode).toBe(200);
    expect((await police.get(`/staff/concerns/${notShared.ref}`)).statusCode).toBe(404);
    expect(queueRefs((await fire.get('/staff/concerns?channel=open311&status=any')).body)).toEqual([
      policeLed.ref,
    ]);
  });

  it('a triage officer sees every concern', async () => {
    const refs = queueRefs((await triage.get('/staff/concerns?channel=open311&status=any')).body);
    expect(refs.sort()).toEqual([policeLed.ref, notShared.ref, noConsent.ref].sort());
    expect((await triage.get(`/staff/concerns/${notShared.ref}`)).statusCode).toBe(200);
  });

  it('a reference nobody has gives the same 404 as one you may not see', async () => {
    expect((await police.get('/staff/concerns/ABCD-EFGH-JKM')).statusCode).toBe(404);
    expect((await police.get('/staff/concerns/not-a-reference')).statusCode).toBe(404);
  });

  it('shows contact details only to those who may contact the person', async () => {
    const lead = await police.get(`/staff/concerns/${policeLed.ref}`);
    expect(lead.body).toContain('led.by.police@example.com');
    const supporting = await fire.get(`/staff/concerns/${policeLed.ref}`);
    expect(supporting.body).not.toContain('led.by.police@example.com');
    expect(supporting.body).not.toContain('Sam Resident');
    expect(supporting.body).toContain('id="contact-hidden"');
    const withoutConsent = await police.get(`/staff/concerns/${noConsent.ref}`);
    expect(withoutConsent.body).not.toContain('no.consent@example.com');
    expect(withoutConsent.body).toContain('id="contact-hidden"');
    expect((await triage.get(`/staff/concerns/${noConsent.ref}`)).body).toContain('no.consent@example.com');
  });

  it('says when a concern is anonymous', async () => {
    const anonymous = await createConcern(t, t.a, { anonymous: true });
    const res = await triage.get(`/staff/concerns/${anonymous.ref}`);
    expect(res.body).toContain('id="contact-anonymous"');
    expect(res.body).not.toContain('sam.resident@example.com');
  });

  it('shows equality answers to partnership admins only', async () => {
    const asAdmin = await admin.get(`/staff/concerns/${policeLed.ref}`);
    expect(asAdmin.body).toContain('id="equality"');
    expect(asAdmin.body).toContain('Sikh');
    for (const client of [triage, police]) {
      const res = await client.get(`/staff/concerns/${policeLed.ref}`);
      expect(res.body).not.toContain('id="equality"');
      expect(res.body).not.toContain('Sikh');
    }
  });

  it('shows only the forms the viewer may use', async () => {
    const asFire = await fire.get(`/staff/concerns/${policeLed.ref}`);
    expect(asFire.body).not.toContain('id="form-share"');
    expect(asFire.body).not.toContain('id="form-redact"');
    expect(asFire.body).toContain('id="form-note"');
    expect(asFire.body).toContain('id="form-status"');
    // Merging as a duplicate is for triage.
    expect(asFire.body).not.toContain('value="duplicate"');
    const asTriage = await triage.get(`/staff/concerns/${policeLed.ref}`);
    for (const form of ['share', 'assign', 'status', 'note', 'redact'])
      expect(asTriage.body).toContain(`id="form-${form}"`);
    expect(asTriage.body).toContain('value="duplicate"');
    const cohesionCouncil = await staffClient(t, t.a, 'cohesion');
    expect((await cohesionCouncil.get(`/staff/concerns/${policeLed.ref}`)).statusCode).toBe(404);
  });

  it('writes an audit row for every staff view, with staff, organisation and correlation id', async () => {
    const correlationId = 'view-audit-test-0001';
    const res = await police.get(`/staff/concerns/${policeLed.ref}`, { 'x-request-id': correlationId });
    expect(res.statusCode).toBe(200);
    const rows = await auditRows(t, t.a, 'concern.viewed', policeLed.id);
    const row = rows.find((r) => r.correlation_id === correlationId);
    expect(row).toBeDefined();
    expect(row!.actor_staff_id).toBe(t.a.staff['police@a.test']);
    expect(row!.actor_organisation_id).toBe(t.a.organisations.police);
  });
});

describe('actions on the concern page', () => {
  it('share sets the lead and supporting organisations and moves a new concern to triaged', async () => {
    const c = await createConcern(t, t.a);
    const res = await triage.post(`/staff/concerns/${c.ref}/share`, {
      lead: t.a.organisations.police!,
      supporting: ['_none', t.a.organisations.fire!],
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/staff/concerns/${c.ref}`);
    const page = await triage.get(res.headers.location as string);
    expect(page.body).toContain('govuk-notification-banner--success');
    expect(page.body).toContain('The concern has been shared.');
    expect(page.body).toContain('Shared with Police a as lead');
    const row = await concernRow(t, t.a, c.ref);
    expect(row.status).toBe('triaged');
    expect(row.lead_organisation_id).toBe(t.a.organisations.police);
    // The banner is shown once.
    expect((await triage.get(`/staff/concerns/${c.ref}`)).body).not.toContain(
      'govuk-notification-banner--success',
    );
  });

  it('assign, then status moves through in progress to resolved', async () => {
    const c = await createConcern(t, t.a);
    await triage.post(`/staff/concerns/${c.ref}/share`, { lead: t.a.organisations.police! });
    const assigned = await triage.post(`/staff/concerns/${c.ref}/assign`, {
      staffId: t.a.staff['police@a.test']!,
    });
    expect(assigned.statusCode).toBe(302);
    let row = await concernRow(t, t.a, c.ref);
    expect(row.assigned_staff_id).toBe(t.a.staff['police@a.test']);
    expect(row.status).toBe('assigned');

    const police = await staffClient(t, t.a, 'police');
    expect((await police.post(`/staff/concerns/${c.ref}/status`, { to: 'in_progress' })).statusCode).toBe(
      302,
    );
    expect((await police.post(`/staff/concerns/${c.ref}/status`, { to: 'resolved' })).statusCode).toBe(302);
    row = await concernRow(t, t.a, c.ref);
    expect(row.status).toBe('resolved');
    const page = await police.get(`/staff/concerns/${c.ref}`);
    expect(page.body).toContain('The status has been changed.');
    expect(page.body).toContain('Status changed from In progress to Resolved');
    // A closed concern offers reopening only.
    expect(page.body).not.toContain('id="form-assign"');
  });

  it('a public update appears on Check progress; an internal note does not', async () => {
    const c = await createConcern(t, t.a);
    const update = await triage.post(`/staff/concerns/${c.ref}/note`, {
      body: 'We have asked the neighbourhood team to patrol.',
      visibility: 'public',
    });
    expect(update.statusCode).toBe(302);
    const note = await triage.post(`/staff/concerns/${c.ref}/note`, {
      body: 'Known location; see previous case.',
      visibility: 'internal',
    });
    expect(note.statusCode).toBe(302);
    const progress = await t.services.concerns.progress(t.a.id, c.reference, {
      trackingCode: c.trackingCode,
    });
    expect(progress.ok).toBe(true);
    if (!progress.ok) return;
    expect(progress.view.updates.map((u) => u.body)).toEqual([
      'We have asked the neighbourhood team to patrol.',
    ]);

    const resident = t.client();
    await resident.get('/progress');
    const page = await resident.post('/progress', { reference: c.ref, trackingCode: c.trackingCode! });
    expect(page.body).toContain('We have asked the neighbourhood team to patrol.');
    expect(page.body).not.toContain('Known location');

    const staffPage = await triage.get(`/staff/concerns/${c.ref}`);
    expect(staffPage.body).toContain('Internal note: staff only');
    expect(staffPage.body).toContain('Public update: shown on Check progress');
    expect(staffPage.body).toContain('Known location; see previous case.');
  });

  it('merges a concern into another as a duplicate, linking both', async () => {
    const keep = await createConcern(t, t.a);
    const dup = await createConcern(t, t.a);
    const res = await triage.post(`/staff/concerns/${dup.ref}/status`, {
      to: 'duplicate',
      reason: 'Same group, same evening',
      duplicateOf: keep.ref.toLowerCase(),
    });
    expect(res.statusCode).toBe(302);
    const row = await concernRow(t, t.a, dup.ref);
    expect(row.status).toBe('duplicate');
    const target = await concernRow(t, t.a, keep.ref);
    expect(row.duplicate_of_id).toBe(target.id);
    const dupPage = await triage.get(`/staff/concerns/${dup.ref}`);
    expect(dupPage.body).toContain('The concern has been merged as a duplicate.');
    expect(dupPage.body).toContain(`href="/staff/concerns/${keep.ref}"`);
    const keepPage = await triage.get(`/staff/concerns/${keep.ref}`);
    expect(keepPage.body).toContain(`${dup.ref} was merged into this concern as a duplicate`);
    expect(keepPage.body).toContain(`href="/staff/concerns/${dup.ref}"`);
  });

  it('redaction replaces the text, keeps the original for admins only, and is audited', async () => {
    const c = await createConcern(t, t.a, {
      description: 'My neighbour Pat Example at number 4 is the one shouting.',
    });
    const res = await triage.post(`/staff/concerns/${c.ref}/redact`, {
      replacement: 'A neighbour is the one shouting.',
      reason: 'Names a third party',
    });
    expect(res.statusCode).toBe(302);
    const row = await concernRow(t, t.a, c.ref);
    expect(row.description).toBe('A neighbour is the one shouting.');
    expect(row.redacted).toBe(true);
    const asTriage = await triage.get(`/staff/concerns/${c.ref}`);
    expect(asTriage.body).not.toContain('Pat Example');
    expect(asTriage.body).toContain('Description redacted. Reason: Names a third party');
    const asAdmin = await admin.get(`/staff/concerns/${c.ref}`);
    expect(asAdmin.body).toContain('Pat Example');
    const audits = await auditRows(t, t.a, 'concern.redacted', c.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actor_staff_id).toBe(t.a.staff['triage@a.test']);
  });

  it('an agency officer cannot share, merge or redact, even by posting directly', async () => {
    const c = await createConcern(t, t.a);
    await t.services.concerns.share(actorFor(t.a, 'triage'), c.ref, t.a.organisations.police!, []);
    const police = await staffClient(t, t.a, 'police');
    const before = await countEvents(t, t.a, c.ref);
    expect(
      (await police.post(`/staff/concerns/${c.ref}/share`, { lead: t.a.organisations.fire! })).statusCode,
    ).toBe(403);
    expect(
      (await police.post(`/staff/concerns/${c.ref}/redact`, { replacement: 'x', reason: 'y' })).statusCode,
    ).toBe(403);
    const other = await createConcern(t, t.a);
    const merge = await police.post(`/staff/concerns/${c.ref}/status`, {
      to: 'duplicate',
      reason: 'Same',
      duplicateOf: other.ref,
    });
    expect(merge.statusCode).toBe(403);
    expect(merge.body).toContain('You cannot make this change.');
    expect(await countEvents(t, t.a, c.ref)).toBe(before);
  });
});

describe('bad input on every action: 400, an error summary linking to the field, nothing stored', () => {
  const cases: {
    name: string;
    action: string;
    form: Record<string, string | string[]>;
    href: string;
    text: string;
    shared?: boolean;
  }[] = [
    {
      name: 'share without a lead',
      action: 'share',
      form: { lead: '' },
      href: '#share-lead',
      text: 'Select the lead organisation',
    },
    {
      name: 'share with an unknown organisation',
      action: 'share',
      form: { lead: '00000000-0000-4000-8000-000000000000' },
      href: '#share-lead',
      text: 'Choose organisations from the list.',
    },
    {
      name: 'assign nobody',
      action: 'assign',
      form: { staffId: '' },
      href: '#assign-staffId',
      text: 'Select who to assign it to',
    },
    {
      name: 'status without a status',
      action: 'status',
      form: {},
      href: '#status-to',
      text: 'Select the new status',
    },
    {
      name: 'a move the workflow does not allow',
      action: 'status',
      form: { to: 'resolved' },
      href: '#status-to',
      text: 'The concern cannot move to that status from its current one.',
    },
    {
      name: 'closing without a reason',
      action: 'status',
      form: { to: 'no_further_action', reason: '  ' },
      href: '#status-reason',
      text: 'Enter the reason for closing the concern.',
    },
    {
      name: 'referring without saying where',
      action: 'status',
      form: { to: 'referred', reason: 'Not for us' },
      href: '#status-referredTo',
      text: 'Enter who it was referred to.',
    },
    {
      name: 'a duplicate without the other reference',
      action: 'status',
      form: { to: 'duplicate', reason: 'Same' },
      href: '#status-duplicateOf',
      text: 'Enter the reference of the concern this duplicates.',
    },
    {
      name: 'a duplicate of a concern that does not exist',
      action: 'status',
      form: { to: 'duplicate', reason: 'Same', duplicateOf: 'ABCD-EFGH-JKM' },
      href: '#status-duplicateOf',
      text: 'Enter the reference of another concern you can see.',
    },
    {
      name: 'setting assigned with nobody assigned',
      action: 'status',
      form: { to: 'assigned' },
      href: '#status-to',
      text: 'Assign someone before setting the status to assigned.',
      shared: true,
    },
    {
      name: 'an empty note',
      action: 'note',
      form: { body: ' ', visibility: 'internal' },
      href: '#note-body',
      text: 'Enter the note or update',
    },
    {
      name: 'a note without saying who sees it',
      action: 'note',
      form: { body: 'Hello' },
      href: '#note-visibility',
      text: 'Select who can see it',
    },
    {
      name: 'a redaction without text',
      action: 'redact',
      form: { replacement: '', reason: 'Names' },
      href: '#redact-replacement',
      text: 'Enter the description to show instead',
    },
    {
      name: 'a redaction without a reason',
      action: 'redact',
      form: { replacement: 'Text', reason: '' },
      href: '#redact-reason',
      text: 'Enter the reason for redacting',
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const concern = await createConcern(t, t.a);
      if (c.shared)
        await t.services.concerns.share(actorFor(t.a, 'triage'), concern.ref, t.a.organisations.police!, []);
      const before = await countEvents(t, t.a, concern.ref);
      const rowBefore = await concernRow(t, t.a, concern.ref);
      const res = await triage.post(`/staff/concerns/${concern.ref}/${c.action}`, c.form);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('govuk-error-summary');
      expect(res.body).toContain(`<title>Error:`);
      expect(res.body).toContain(`href="${c.href}"`);
      expect(res.body).toContain(c.text);
      expect(res.body).toContain(`id="${c.href.slice(1)}`);
      expect(await countEvents(t, t.a, concern.ref)).toBe(before);
      const rowAfter = await concernRow(t, t.a, concern.ref);
      expect(rowAfter.status).toBe(rowBefore.status);
      expect(rowAfter.description).toBe(rowBefore.description);
      expect(rowAfter.lead_organisation_id).toBe(rowBefore.lead_organisation_id);
    });
  }

  it('assigning someone who cannot be assigned', async () => {
    const concern = await createConcern(t, t.a);
    await t.services.concerns.share(actorFor(t.a, 'triage'), concern.ref, t.a.organisations.police!, []);
    const before = await countEvents(t, t.a, concern.ref);
    // The fire officer's organisation is not sharing it; partnership B's officer is not ours at all.
    for (const staffId of [t.a.staff['fire@a.test']!, t.b.staff['police@b.test']!]) {
      const res = await triage.post(`/staff/concerns/${concern.ref}/assign`, { staffId });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('href="#assign-staffId"');
      expect(res.body).toContain('Choose someone from the list of staff who can be assigned.');
    }
    expect(await countEvents(t, t.a, concern.ref)).toBe(before);
    expect((await concernRow(t, t.a, concern.ref)).assigned_staff_id).toBeNull();
  });

  it('keeps what was typed when the page is shown again', async () => {
    const concern = await createConcern(t, t.a);
    const res = await triage.post(`/staff/concerns/${concern.ref}/status`, {
      to: 'referred',
      reason: 'Needs the housing association <b>now</b>',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Needs the housing association &lt;b&gt;now&lt;/b&gt;');
  });
});

describe('tenancy', () => {
  let inA: Awaited<ReturnType<typeof createConcern>>;
  let inB: Awaited<ReturnType<typeof createConcern>>;

  beforeAll(async () => {
    inA = await createConcern(t, t.a, { channel: 'email' });
    inB = await createConcern(t, t.b, { channel: 'email' });
  });

  for (const role of ['triage', 'admin'] as const) {
    it(`a ${role} of partnership B gets 404 for partnership A's concern and never sees it listed`, async () => {
      const client = await staffClient(t, t.b, role);
      expect((await client.get(`/staff/concerns/${inA.ref}`)).statusCode).toBe(404);
      expect((await client.get(`/staff/concerns/${inA.ref}/audit`)).statusCode).toBe(
        role === 'admin' ? 404 : 403,
      );
      const note = await client.post(`/staff/concerns/${inA.ref}/note`, {
        body: 'Probe',
        visibility: 'internal',
      });
      expect(note.statusCode).toBe(404);
      const list = await client.get('/staff/concerns?status=any&channel=email');
      expect(queueRefs(list.body)).toContain(inB.ref);
      expect(queueRefs(list.body)).not.toContain(inA.ref);
      const all = await client.get('/staff/concerns?status=any&sort=newest');
      expect(all.body).not.toContain(inA.ref);
      expect((await client.get(`/staff/concerns/${inB.ref}`)).statusCode).toBe(200);
    });
  }
});

describe('recording a concern on someone’s behalf', () => {
  const form = {
    channel: 'third_party',
    source: 'Northfield Library hate reporting centre',
    kind: 'concern',
    topic: 'hate_harassment',
    description: 'Leaflets targeting a mosque were put through doors on Elm Street.',
    areaId: '',
    whenText: 'Last weekend',
    affectedGroups: ['_none', 'religion_belief'],
    contactMode: 'named',
    contactName: 'Alex Caller',
    contactEmail: '',
    contactPhone: '01632 960 001',
    consentToShare: 'yes',
  };

  it('stores the channel, source and the recording officer, then opens the concern with its codes', async () => {
    const page = await triage.get('/staff/concerns/record');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Third-party reporting centre');
    const res = await triage.post('/staff/concerns/record', { ...form, areaId: t.a.areas['a-03']! });
    expect(res.statusCode).toBe(302);
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/staff\/concerns\/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{3}$/);
    const ref = location.split('/').pop()!;
    const row = await concernRow(t, t.a, ref);
    expect(row.channel).toBe('third_party');
    expect(row.source).toBe('Northfield Library hate reporting centre');
    expect(row.recorded_by_staff_id).toBe(t.a.staff['triage@a.test']);
    expect(row.language).toBe('en');
    const shown = await triage.get(location);
    expect(shown.body).toContain('The concern has been recorded');
    expect(shown.body).toMatch(/Tracking code: <strong class="heard-reference">[A-Z0-9]{4}-[A-Z0-9]{4}</);
    expect(shown.body).toContain('Recorded by');
    expect(shown.body).toContain('Triage A');
    const audits = await auditRows(t, t.a, 'concern.recorded', row.id);
    expect(audits[0]!.actor_staff_id).toBe(t.a.staff['triage@a.test']);
  });

  it('shows a confirmation to read out when the officer cannot open the new concern', async () => {
    const council = await staffClient(t, t.a, 'council');
    const res = await council.post('/staff/concerns/record', {
      ...form,
      channel: 'walk_in',
      source: '',
      contactMode: 'anonymous',
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/staff/concerns/record');
    const confirmation = await council.get('/staff/concerns/record');
    expect(confirmation.body).toContain('Concern recorded');
    const ref = /class="heard-reference">([A-Z0-9-]+)</.exec(confirmation.body)![1]!;
    const row = await concernRow(t, t.a, ref);
    expect(row.channel).toBe('walk_in');
    expect(row.anonymous).toBe(true);
    expect(row.contact_name).toBeNull();
    expect(row.recorded_by_staff_id).toBe(t.a.staff['council@a.test']);
    // Shown once: the next visit is the empty form again.
    expect((await council.get('/staff/concerns/record')).body).not.toContain('Concern recorded');
  });

  it('rejects bad input with an error summary and records nothing', async () => {
    const before = await countConcerns(t, t.a);
    const res = await triage.post('/staff/concerns/record', {
      channel: 'third_party',
      source: '',
      kind: 'concern',
      description: '',
      contactMode: 'named',
      contactName: '',
      contactEmail: 'not-an-email',
      affectedGroups: '_none',
    });
    expect(res.statusCode).toBe(400);
    for (const [href, text] of [
      ['#source', 'Enter who passed it on'],
      ['#topic', 'Select what it is about'],
      ['#description', 'Enter what happened or what worries them'],
      ['#contactName', 'Enter their name'],
      ['#contactEmail', 'Enter an email address in the correct format'],
      ['#consentToShare', 'Select whether they agreed to their details being shared'],
    ]) {
      expect(res.body).toContain(`href="${href}"`);
      expect(res.body).toContain(text);
    }
    expect(res.body).toContain('value="not-an-email"');
    const otherArea = await triage.post('/staff/concerns/record', { ...form, areaId: t.b.areas['b-01']! });
    expect(otherArea.statusCode).toBe(400);
    expect(otherArea.body).toContain('href="#areaId"');
    expect(await countConcerns(t, t.a)).toBe(before);
  });

  it('is refused to roles that may not record', async () => {
    const analyst = await staffClient(t, t.a, 'analyst');
    expect((await analyst.get('/staff/concerns/record')).statusCode).toBe(403);
    expect((await analyst.post('/staff/concerns/record', form)).statusCode).toBe(403);
  });
});

describe('the audit trail page', () => {
  it('shows admins when, who, organisation, action and correlation id', async () => {
    const c = await createConcern(t, t.a);
    await triage.get(`/staff/concerns/${c.ref}`, { 'x-request-id': 'audit-page-test-42' });
    const concernPage = await admin.get(`/staff/concerns/${c.ref}`);
    expect(concernPage.body).toContain(`href="/staff/concerns/${c.ref}/audit"`);
    const res = await admin.get(`/staff/concerns/${c.ref}/audit`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('concern.viewed');
    expect(res.body).toContain('concern.created');
    expect(res.body).toContain('audit-page-test-42');
    expect(res.body).toContain('Triage A &lt;triage@a.test&gt;');
    expect(res.body).toContain('Council a');
  });

  it('is for admins only, and 404 for concerns they cannot see', async () => {
    const c = await createConcern(t, t.a);
    expect((await triage.get(`/staff/concerns/${c.ref}/audit`)).statusCode).toBe(403);
    expect((await triage.get(`/staff/concerns/${c.ref}`)).body).not.toContain(
      `/staff/concerns/${c.ref}/audit`,
    );
    expect((await admin.get('/staff/concerns/ABCD-EFGH-JKM/audit')).statusCode).toBe(404);
  });
});
