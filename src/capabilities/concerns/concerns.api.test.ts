import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, type TestClient } from '../../../test/helpers/app.js';
import { actorFor, concernRow, countEvents, createConcern, staffClient } from './concerns.test-helpers.js';

let t: TestApp;
let triage: TestClient;

beforeAll(async () => {
  t = await buildTestApp();
  triage = await staffClient(t, t.a, 'triage');
});
afterAll(async () => {
  await t.close();
});

type Json = Record<string, unknown>;
const json = (body: string) => JSON.parse(body) as Json;
const refs = (body: string) => (json(body).items as { reference: string }[]).map((i) => i.reference);

describe('authentication', () => {
  it('gives 401 without a session or token, for reads and for actions', async () => {
    const c = await createConcern(t, t.a);
    const anon = t.client();
    const calls = [
      () => anon.api('GET', '/api/v1/concerns'),
      () => anon.api('POST', '/api/v1/concerns', {}),
      () => anon.api('GET', `/api/v1/concerns/${c.ref}`),
      () => anon.api('POST', `/api/v1/concerns/${c.ref}/share`, {}),
      () => anon.api('POST', `/api/v1/concerns/${c.ref}/assign`, {}),
      () => anon.api('POST', `/api/v1/concerns/${c.ref}/status`, { to: 'triaged' }),
      () => anon.api('POST', `/api/v1/concerns/${c.ref}/notes`, { body: 'x', visibility: 'internal' }),
      () => anon.api('POST', `/api/v1/concerns/${c.ref}/redact`, {}),
      () => anon.api('GET', `/api/v1/concerns/${c.ref}/audit`),
    ];
    for (const call of calls) {
      const res = await call();
      expect(res.statusCode).toBe(401);
      expect(json(res.body).error).toBe('unauthorised');
    }
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/concerns',
      headers: { authorization: 'Bearer nonsense' },
    });
    expect(bad.statusCode).toBe(401);
  });

  it('needs the CSRF header when using a session', async () => {
    const c = await createConcern(t, t.a);
    const res = await triage.request({
      method: 'POST',
      url: `/api/v1/concerns/${c.ref}/notes`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ body: 'No header', visibility: 'internal' }),
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('listing', () => {
  it('returns items, count and a cursor for the next page, without overlap', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      made.push(
        (
          await createConcern(t, t.a, {
            channel: 'forum',
            createdAt: new Date(Date.now() - (50 - i) * 60_000),
          })
        ).ref,
      );
    }
    const first = await triage.api('GET', '/api/v1/concerns?channel=forum&sort=oldest&limit=5');
    expect(first.statusCode).toBe(200);
    const page1 = json(first.body);
    expect(page1.count).toBe(7);
    expect(page1.countCapped).toBe(false);
    expect(refs(first.body)).toEqual(made.slice(0, 5));
    const item = (page1.items as Json[])[0]!;
    expect(item.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(item.status).toBe('new');
    expect(typeof page1.nextCursor).toBe('string');
    const second = await triage.api(
      'GET',
      `/api/v1/concerns?channel=forum&sort=oldest&limit=5&cursor=${encodeURIComponent(page1.nextCursor as string)}`,
    );
    expect(refs(second.body)).toEqual(made.slice(5));
    expect(json(second.body).nextCursor).toBeNull();
  });

  it('filters as the queue does, and rejects values it does not know', async () => {
    const urgent = await createConcern(t, t.a, {
      channel: 'phone',
      description: 'Someone has a knife outside now',
    });
    const calm = await createConcern(t, t.a, { channel: 'phone' });
    expect(refs((await triage.api('GET', '/api/v1/concerns?channel=phone&urgent=true')).body)).toEqual([
      urgent.ref,
    ]);
    expect(refs((await triage.api('GET', '/api/v1/concerns?channel=phone&urgent=false')).body)).toEqual([
      calm.ref,
    ]);
    expect(refs((await triage.api('GET', '/api/v1/concerns?channel=phone&sort=urgency')).body)[0]).toBe(
      urgent.ref,
    );
    expect((await triage.api('GET', '/api/v1/concerns?topic=nonsense')).statusCode).toBe(400);
    expect((await triage.api('GET', '/api/v1/concerns?limit=1000')).statusCode).toBe(400);
    expect((await triage.api('GET', '/api/v1/concerns?areaId=not-an-id')).statusCode).toBe(400);
  });

  it('shows an agency officer only what is shared with their organisation', async () => {
    const shared = await createConcern(t, t.a, { channel: 'walk_in' });
    const other = await createConcern(t, t.a, { channel: 'walk_in' });
    await t.services.concerns.share(actorFor(t.a, 'triage'), shared.ref, t.a.organisations.police!, []);
    const police = await staffClient(t, t.a, 'police');
    expect(refs((await police.api('GET', '/api/v1/concerns?channel=walk_in')).body)).toEqual([shared.ref]);
    expect((await police.api('GET', `/api/v1/concerns/${shared.ref}`)).statusCode).toBe(200);
    expect((await police.api('GET', `/api/v1/concerns/${other.ref}`)).statusCode).toBe(404);
    const analyst = await staffClient(t, t.a, 'analyst');
    expect((await analyst.api('GET', '/api/v1/concerns')).statusCode).toBe(403);
  });
});

describe('detail', () => {
  it('returns the concern with ISO dates, and contact details only to those allowed', async () => {
    const c = await createConcern(t, t.a, { equality: { ageBand: '25_34' } });
    await t.services.concerns.share(actorFor(t.a, 'triage'), c.ref, t.a.organisations.police!, [
      t.a.organisations.fire!,
    ]);
    const asTriage = json((await triage.api('GET', `/api/v1/concerns/${c.ref}`)).body);
    expect(asTriage.reference).toBe(c.ref);
    expect(asTriage.status).toBe('triaged');
    expect(asTriage.createdAt).toMatch(/Z$/);
    expect((asTriage.contact as Json).email).toBe('sam.resident@example.com');
    expect(asTriage.equality).toBeNull();
    expect((asTriage.events as Json[]).map((e) => e.kind)).toEqual(['created', 'shared', 'status']);
    expect(asTriage.nextStatuses).toContain('duplicate');

    const fire = await staffClient(t, t.a, 'fire');
    const asFire = json((await fire.api('GET', `/api/v1/concerns/${c.ref}`)).body);
    expect(asFire.contact).toBeNull();
    expect(asFire.contactHidden).toBe(true);
    expect(JSON.stringify(asFire)).not.toContain('sam.resident@example.com');
    expect(asFire.nextStatuses).not.toContain('duplicate');

    const admin = await staffClient(t, t.a, 'admin');
    expect(json((await admin.api('GET', `/api/v1/concerns/${c.ref}`)).body).equality).toEqual({
      ageBand: '25_34',
    });
  });
});

describe('actions', () => {
  it('share, assign, status, notes and redact work, and the audit trail records them', async () => {
    const c = await createConcern(t, t.a);
    const police = t.a.organisations.police!;
    let res = await triage.api('POST', `/api/v1/concerns/${c.ref}/share`, { lead: police, supporting: [] });
    expect(res.statusCode).toBe(200);
    expect(json(res.body)).toEqual({ ok: true, reference: c.ref });
    res = await triage.api('POST', `/api/v1/concerns/${c.ref}/assign`, {
      staffId: t.a.staff['police@a.test'],
    });
    expect(res.statusCode).toBe(200);
    res = await triage.api('POST', `/api/v1/concerns/${c.ref}/status`, { to: 'in_progress' });
    expect(res.statusCode).toBe(200);
    res = await triage.api('POST', `/api/v1/concerns/${c.ref}/notes`, {
      body: 'Patrols arranged.',
      visibility: 'public',
    });
    expect(res.statusCode).toBe(200);
    res = await triage.api('POST', `/api/v1/concerns/${c.ref}/notes`, {
      body: 'Internal only.',
      visibility: 'internal',
    });
    expect(res.statusCode).toBe(200);
    res = await triage.api('POST', `/api/v1/concerns/${c.ref}/redact`, {
      replacement: 'Redacted text',
      reason: 'Names',
    });
    expect(res.statusCode).toBe(200);

    const row = await concernRow(t, t.a, c.ref);
    expect(row.status).toBe('in_progress');
    expect(row.assigned_staff_id).toBe(t.a.staff['police@a.test']);
    expect(row.description).toBe('Redacted text');
    const progress = await t.services.concerns.progress(t.a.id, c.ref, { trackingCode: c.trackingCode });
    expect(progress.ok && progress.view.updates.map((u) => u.body)).toEqual(['Patrols arranged.']);

    const admin = await staffClient(t, t.a, 'admin');
    const audit = await admin.api('GET', `/api/v1/concerns/${c.ref}/audit`);
    expect(audit.statusCode).toBe(200);
    const trail = json(audit.body).trail as Json[];
    expect(trail.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'concern.created',
        'concern.shared',
        'concern.assigned',
        'concern.status.changed',
        'concern.redacted',
      ]),
    );
    const shared = trail.find((r) => r.action === 'concern.shared')!;
    expect(shared.organisation).toBe('Council a');
    expect(shared.staffId).toBe(t.a.staff['triage@a.test']);
    expect(shared.at).toMatch(/Z$/);
    expect((await triage.api('GET', `/api/v1/concerns/${c.ref}/audit`)).statusCode).toBe(403);
  });

  it('says why a refused action was refused, and stores nothing', async () => {
    const c = await createConcern(t, t.a);
    const before = await countEvents(t, t.a, c.ref);
    const refusals: [string, Json, number, string | undefined][] = [
      ['status', { to: 'no_further_action' }, 400, 'reasonRequired'],
      ['status', { to: 'referred', reason: 'Elsewhere' }, 400, 'referredToRequired'],
      ['status', { to: 'duplicate', reason: 'Same', duplicateOf: 'ABCD-EFGH-JKM' }, 400, 'duplicateNotFound'],
      ['status', { to: 'resolved' }, 400, 'notAllowed'],
      ['status', { to: 'flying' }, 400, undefined],
      ['share', { lead: '00000000-0000-4000-8000-000000000000' }, 400, 'unknownOrganisation'],
      ['assign', { staffId: t.a.staff['police@a.test'] }, 400, 'noLead'],
      ['notes', { body: '', visibility: 'internal' }, 400, undefined],
      ['notes', { body: 'Hi', visibility: 'everyone' }, 400, undefined],
      ['redact', { replacement: 'x' }, 400, undefined],
    ];
    for (const [action, body, status, problem] of refusals) {
      const res = await triage.api('POST', `/api/v1/concerns/${c.ref}/${action}`, body);
      expect(res.statusCode, `${action} ${JSON.stringify(body)}`).toBe(status);
      const payload = json(res.body);
      expect(payload.problem).toBe(problem);
      expect(typeof payload.message).toBe('string');
    }
    expect(await countEvents(t, t.a, c.ref)).toBe(before);
    expect((await concernRow(t, t.a, c.ref)).status).toBe('new');
  });

  it('gives 403 for actions a role may not take and 404 for concerns it may not see', async () => {
    const shared = await createConcern(t, t.a);
    const hidden = await createConcern(t, t.a);
    await t.services.concerns.share(actorFor(t.a, 'triage'), shared.ref, t.a.organisations.police!, []);
    const police = await staffClient(t, t.a, 'police');
    const lead = { lead: t.a.organisations.fire };
    expect((await police.api('POST', `/api/v1/concerns/${shared.ref}/share`, lead)).statusCode).toBe(403);
    expect(
      (await police.api('POST', `/api/v1/concerns/${shared.ref}/redact`, { replacement: 'x', reason: 'y' }))
        .statusCode,
    ).toBe(403);
    const merge = await police.api('POST', `/api/v1/concerns/${shared.ref}/status`, {
      to: 'duplicate',
      reason: 'Same',
      duplicateOf: hidden.ref,
    });
    expect(merge.statusCode).toBe(403);
    expect(json(merge.body).problem).toBe('forbidden');
    const note = { body: 'Probe', visibility: 'internal' };
    expect((await police.api('POST', `/api/v1/concerns/${hidden.ref}/notes`, note)).statusCode).toBe(404);
    expect((await police.api('POST', `/api/v1/concerns/${shared.ref}/notes`, note)).statusCode).toBe(200);
  });

  it('merges as a duplicate', async () => {
    const keep = await createConcern(t, t.a);
    const dup = await createConcern(t, t.a);
    const res = await triage.api('POST', `/api/v1/concerns/${dup.ref}/status`, {
      to: 'duplicate',
      reason: 'Same thing',
      duplicateOf: keep.ref,
    });
    expect(res.statusCode).toBe(200);
    const detail = json((await triage.api('GET', `/api/v1/concerns/${keep.ref}`)).body);
    expect((detail.linked as Json[]).map((l) => l.reference)).toEqual([dup.ref]);
  });
});

describe('recording on someone’s behalf', () => {
  it('stores the channel and the recording officer and returns the codes to read out', async () => {
    const res = await triage.api('POST', '/api/v1/concerns', {
      channel: 'phone',
      kind: 'concern',
      topic: 'unsafe_place',
      description: 'The underpass lights have been out for a week.',
      anonymous: false,
      contact: { name: 'Jo Caller', phone: '01632 960 002' },
      consentToShare: false,
    });
    expect(res.statusCode).toBe(201);
    const body = json(res.body);
    expect(body.reference).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{3}$/);
    expect(body.trackingCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(body.visible).toBe(true);
    const row = await concernRow(t, t.a, body.reference as string);
    expect(row.channel).toBe('phone');
    expect(row.recorded_by_staff_id).toBe(t.a.staff['triage@a.test']);
    expect(row.contact_phone).toBe('01632 960 002');
    expect(row.preferred_contact).toBe('phone');
  });

  it('rejects an incomplete record', async () => {
    const res = await triage.api('POST', '/api/v1/concerns', {
      channel: 'third_party',
      kind: 'concern',
      topic: 'unsafe_place',
      description: 'x',
      anonymous: false,
      consentToShare: true,
    });
    expect(res.statusCode).toBe(400);
    const wrongChannel = await triage.api('POST', '/api/v1/concerns', {
      channel: 'web',
      kind: 'concern',
      topic: 'unsafe_place',
      description: 'x',
      anonymous: true,
      consentToShare: true,
    });
    expect(wrongChannel.statusCode).toBe(400);
  });
});

describe('tenancy', () => {
  it("partnership B's triage officer and admin never see partnership A's concerns", async () => {
    const inA = await createConcern(t, t.a, { channel: 'email' });
    const inB = await createConcern(t, t.b, { channel: 'email' });
    for (const role of ['triage', 'admin']) {
      const client = await staffClient(t, t.b, role);
      expect((await client.api('GET', `/api/v1/concerns/${inA.ref}`)).statusCode).toBe(404);
      const note = await client.api('POST', `/api/v1/concerns/${inA.ref}/notes`, {
        body: 'x',
        visibility: 'internal',
      });
      expect(note.statusCode).toBe(404);
      const list = await client.api('GET', '/api/v1/concerns?limit=100&sort=newest');
      expect(refs(list.body)).toContain(inB.ref);
      expect(refs(list.body)).not.toContain(inA.ref);
      expect(list.body).not.toContain(inA.ref);
    }
    const adminB = await staffClient(t, t.b, 'admin');
    expect((await adminB.api('GET', `/api/v1/concerns/${inA.ref}/audit`)).statusCode).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('documents every concerns endpoint', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = json(res.body) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/v1/concerns']!)).toEqual(expect.arrayContaining(['get', 'post']));
    for (const p of ['', '/share', '/assign', '/status', '/notes', '/redact', '/audit']) {
      expect(doc.paths[`/api/v1/concerns/{ref}${p}`], p).toBeDefined();
    }
  });
});
