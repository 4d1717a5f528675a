import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { publicActor } from '../../platform/auth/actor.js';
import { actorFor, BASE_CONCERN, concernRow, createConcern } from '../concerns/concerns.test-helpers.js';
import { TOPICS } from '../concerns/vocabulary.js';
import {
  createKey,
  form,
  get,
  jsonOf,
  open311For,
  postRaw,
  REQUEST_FIELDS,
  xmlOf,
} from './open311.test-helpers.js';

type Json = Record<string, unknown>;
type XmlRequests = { service_requests: { request: Json[] } | '' };

let t: TestApp;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  t = await buildTestApp();
  keyA = await createKey(t, t.a, 'Test client A');
  keyB = await createKey(t, t.b, 'Test client B');
});
afterAll(async () => {
  await t.close();
});

const B_HOST = 'b.heard.test';

function xmlRequests(body: XmlRequests): Json[] {
  return body.service_requests === '' ? [] : body.service_requests.request;
}

async function post(fields: [string, string][], format: 'xml' | 'json' = 'json', host?: string) {
  return postRaw(t, `/open311/v2/requests.${format}`, form(fields), host ? { host } : {});
}

async function listJson(query = ''): Promise<Json[]> {
  const res = await get(t, `/open311/v2/requests.json${query}`);
  expect(res.statusCode).toBe(200);
  return jsonOf<Json[]>(res);
}

describe('discovery', () => {
  it('describes the endpoint in XML and JSON', async () => {
    const xml = xmlOf(await get(t, '/open311/v2/discovery.xml')) as {
      discovery: { changeset: string; contact: string; key_service: string; endpoints: { endpoint: Json[] } };
    };
    expect(xml.discovery.changeset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(xml.discovery.contact).toContain('Partnership A');
    const endpoint = xml.discovery.endpoints.endpoint[0]!;
    expect(endpoint.specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(endpoint.url).toMatch(/\/open311\/v2$/);
    expect(endpoint.type).toBe('production');
    expect(endpoint.formats).toEqual({ format: ['text/xml', 'application/json'] });

    const json = jsonOf<Json>(await get(t, '/open311/v2/discovery.json'));
    expect(Object.keys(json)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
    expect(json.endpoints).toEqual([
      expect.objectContaining({ type: 'production', formats: ['text/xml', 'application/json'] }),
    ]);
  });
});

describe('services', () => {
  it('lists every topic as a service with the spec elements, in both formats', async () => {
    const json = jsonOf<Json[]>(await get(t, '/open311/v2/services.json'));
    expect(json.map((s) => s.service_code)).toEqual([...TOPICS]);
    for (const s of json) {
      expect(Object.keys(s)).toEqual([
        'service_code',
        'service_name',
        'description',
        'metadata',
        'type',
        'keywords',
        'group',
      ]);
      expect(s.metadata).toBe(true);
      expect(s.type).toBe('realtime');
    }
    expect(json.find((s) => s.service_code === 'antisocial_behaviour')!.service_name).toBe(
      'Anti-social behaviour',
    );
    expect(json.find((s) => s.service_code === 'hate_harassment')!.description).toContain('never published');

    const xml = xmlOf(await get(t, '/open311/v2/services.xml')) as { services: { service: Json[] } };
    expect(xml.services.service.map((s) => s.service_code)).toEqual([...TOPICS]);
    expect(xml.services.service[0]!.metadata).toBe('true');
  });

  it('defines each service’s attributes in the spec’s shape', async () => {
    const json = jsonOf<{ service_code: string; attributes: Json[] }>(
      await get(t, '/open311/v2/services/unsafe_place.json'),
    );
    expect(json.service_code).toBe('unsafe_place');
    expect(json.attributes.map((a) => [a.code, a.datatype, a.order])).toEqual([
      ['when', 'string', 1],
      ['affected_groups', 'multivaluelist', 2],
      ['anonymous', 'singlevaluelist', 3],
    ]);
    for (const a of json.attributes) {
      expect(Object.keys(a)).toEqual([
        'variable',
        'code',
        'datatype',
        'required',
        'datatype_description',
        'order',
        'description',
        'values',
      ]);
      expect(a.required).toBe(false);
    }
    const groups = json.attributes[1]!.values as { key: string; name: string }[];
    expect(groups).toContainEqual({ key: 'religion_belief', name: 'Religion or belief' });
    expect(groups).toHaveLength(9);

    const xml = xmlOf(await get(t, '/open311/v2/services/unsafe_place.xml')) as {
      service_definition: { service_code: string; attributes: { attribute: Json[] } };
    };
    expect(xml.service_definition.service_code).toBe('unsafe_place');
    const anonymous = xml.service_definition.attributes.attribute[2]!;
    expect(anonymous.code).toBe('anonymous');
    expect((anonymous.values as { value: Json[] }).value.map((v) => v.key)).toEqual(['yes', 'no']);
  });

  it('answers 404 with the spec’s error body for an unknown service', async () => {
    const json = await get(t, '/open311/v2/services/potholes.json');
    expect(json.statusCode).toBe(404);
    expect(jsonOf(json)).toEqual([{ code: 404, description: expect.any(String) }]);
    const xml = await get(t, '/open311/v2/services/potholes.xml');
    expect(xml.statusCode).toBe(404);
    expect(xmlOf(xml)).toEqual({ errors: { error: [{ code: '404', description: expect.any(String) }] } });
  });

  it('answers unknown addresses under /open311/v2 in the spec’s error format', async () => {
    const res = await get(t, '/open311/v2/nothing-here.json');
    expect(res.statusCode).toBe(404);
    expect(jsonOf(res)).toEqual([{ code: 404, description: expect.any(String) }]);
    expect((await get(t, '/open311/v2/nothing-here.xml')).headers['content-type']).toBe(
      'application/xml; charset=utf-8',
    );
  });
});

describe('POST requests', () => {
  // Written as a client writes it: brackets unencoded, a CRLF inside the description, 6-decimal points.
  const rawBody = [
    `api_key=${encodeURIComponent('')}`,
    'service_code=antisocial_behaviour',
    'description=Young%20people%20kicking%20doors%0D%0Aevery%20night%20at%20the%20flats.',
    'lat=52.240477',
    'long=-0.902656',
    'address_string=Spencer%20Bridge%20Road%20flats',
    'email=reporter%40example.com',
    'first_name=Robin',
    'last_name=Reporter',
    'phone=07700%20900%20123',
    'device_id=device-1',
    'account_id=acct-9',
    'media_url=https%3A%2F%2Fphotos.example.org%2Fp%2F123.jpg',
    'attribute[when]=Most%20evenings',
    'attribute[affected_groups][]=race',
    'attribute[affected_groups][]=age',
  ];
  const withKey = () => [`api_key=${encodeURIComponent(keyA)}`, ...rawBody.slice(1)].join('&');

  it('creates a concern from a form body and round-trips to GET in both formats', async () => {
    const res = await postRaw(t, '/open311/v2/requests.json', withKey());
    expect(res.statusCode).toBe(200);
    const [created] = jsonOf<Json[]>(res);
    expect(Object.keys(created!)).toEqual(['service_request_id', 'token', 'service_notice', 'account_id']);
    const id = created!.service_request_id as string;
    expect(id).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{3}$/);
    expect(created!.service_notice).toContain('999');

    // What was stored: the attributes, contact details, channel and source.
    const row = await concernRow(t, t.a, id);
    expect(row.channel).toBe('open311');
    expect(row.source).toBe('Test client A');
    expect(row.description).toBe(
      'Young people kicking doors\nevery night at the flats.\n\nMedia: https://photos.example.org/p/123.jpg',
    );
    expect(row).toMatchObject({
      kind: 'concern',
      topic: 'antisocial_behaviour',
      when_text: 'Most evenings',
      affected_groups: ['race', 'age'],
      anonymous: false,
      contact_name: 'Robin Reporter',
      contact_email: 'reporter@example.com',
      contact_phone: '07700 900 123',
      preferred_contact: 'email',
      consent_to_share: false,
      language: 'en',
      latitude: 52.240477,
      longitude: -0.902656,
      place_description: 'Spencer Bridge Road flats',
    });

    // Read back by id, as JSON and as XML.
    const one = jsonOf<Json[]>(await get(t, `/open311/v2/requests/${id}.json`));
    expect(one).toHaveLength(1);
    const json = one[0]!;
    expect(Object.keys(json)).toEqual(REQUEST_FIELDS);
    expect(json).toMatchObject({
      service_request_id: id,
      status: 'open',
      status_notes: null,
      service_code: 'antisocial_behaviour',
      service_name: 'Anti-social behaviour',
      description: 'Young people kicking doors\nevery night at the flats.',
      address: 'Spencer Bridge Road flats',
      lat: 52.240477,
      long: -0.902656,
      media_url: 'https://photos.example.org/p/123.jpg',
    });
    expect(json.requested_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const xml = xmlOf(await get(t, `/open311/v2/requests/${id}.xml`)) as XmlRequests;
    const [request] = xmlRequests(xml);
    expect(Object.keys(request!)).toEqual(REQUEST_FIELDS);
    expect(request).toMatchObject({
      service_request_id: id,
      status: 'open',
      description: 'Young people kicking doors\nevery night at the flats.',
      lat: '52.240477',
      long: '-0.902656',
    });

    // And in the list.
    expect((await listJson()).map((r) => r.service_request_id)).toContain(id);
    const listed = xmlRequests(xmlOf(await get(t, '/open311/v2/requests.xml')) as XmlRequests);
    expect(listed.map((r) => r.service_request_id)).toContain(id);

    // Nothing personal comes back out.
    for (const body of [
      (await get(t, `/open311/v2/requests/${id}.json`)).body,
      (await get(t, `/open311/v2/requests/${id}.xml`)).body,
    ]) {
      for (const secret of ['Robin', 'Reporter', 'reporter@example.com', '07700', 'acct-9', 'device-1'])
        expect(body).not.toContain(secret);
    }
  });

  it('limits how often one client and key may post', async () => {
    const fields: [string, string][] = [
      ['api_key', keyA],
      ['service_code', 'something_else'],
      ['description', 'Counting posts.'],
    ];
    const first = await post(fields);
    const second = await post(fields);
    expect(first.headers['x-ratelimit-limit']).toBe('100');
    expect(Number(second.headers['x-ratelimit-remaining'])).toBe(
      Number(first.headers['x-ratelimit-remaining']) - 1,
    );
    // Reading is not limited this way.
    expect((await get(t, '/open311/v2/services.json')).headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('answers in XML with the spec’s service_requests element', async () => {
    const res = await postRaw(t, '/open311/v2/requests.xml', withKey());
    expect(res.statusCode).toBe(200);
    const xml = xmlOf(res) as XmlRequests;
    const [created] = xmlRequests(xml);
    expect(Object.keys(created!)).toEqual(['service_request_id', 'token', 'service_notice', 'account_id']);
    expect(created!.account_id).toBe('');
  });

  it('is anonymous when no contact details are given, or when the anonymous attribute says so', async () => {
    const bare = jsonOf<Json[]>(
      await post([
        ['api_key', keyA],
        ['service_code', 'unsafe_place'],
        ['description', 'The underpass light is out.'],
      ]),
    );
    expect(await concernRow(t, t.a, bare[0]!.service_request_id as string)).toMatchObject({
      anonymous: true,
      contact_email: null,
      kind: 'concern',
    });

    const asked = jsonOf<Json[]>(
      await post([
        ['api_key', keyA],
        ['service_code', 'idea'],
        ['description', 'A community garden on the old car park.'],
        ['email', 'keep-me-out@example.com'],
        ['first_name', 'Kim'],
        ['attribute[anonymous]', 'yes'],
      ]),
    );
    expect(await concernRow(t, t.a, asked[0]!.service_request_id as string)).toMatchObject({
      anonymous: true,
      contact_email: null,
      contact_name: null,
      kind: 'suggestion',
    });
  });

  it('refuses a missing, wrong or revoked api_key with 403 and the spec’s error body', async () => {
    const fields: [string, string][] = [
      ['service_code', 'unsafe_place'],
      ['description', 'Dark alley.'],
    ];
    const missing = await post(fields, 'xml');
    expect(missing.statusCode).toBe(403);
    expect(xmlOf(missing)).toEqual({ errors: { error: [{ code: '403', description: expect.any(String) }] } });

    const wrong = await post([['api_key', 'not-a-key'], ...fields]);
    expect(wrong.statusCode).toBe(403);
    expect(jsonOf(wrong)).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);

    const doomed = await createKey(t, t.a, 'Soon revoked');
    expect((await post([['api_key', doomed], ...fields])).statusCode).toBe(200);
    const keys = await open311For(t).settings(actorFor(t.a, 'admin'));
    const id = keys.ok ? keys.keys.find((k) => k.name === 'Soon revoked')!.id : '';
    expect((await open311For(t).revokeKey(actorFor(t.a, 'admin'), id)).ok).toBe(true);
    expect((await post([['api_key', doomed], ...fields])).statusCode).toBe(403);
  });

  it('refuses another partnership’s key on this partnership’s host, and takes it on its own', async () => {
    const fields: [string, string][] = [
      ['api_key', keyB],
      ['service_code', 'unsafe_place'],
      ['description', 'Broken fence by the canal.'],
    ];
    const onA = await post(fields);
    expect(onA.statusCode).toBe(403);
    expect(jsonOf<Json[]>(onA)[0]!.description).toContain('another partnership');

    const onB = await post(fields, 'json', B_HOST);
    expect(onB.statusCode).toBe(200);
    const id = jsonOf<Json[]>(onB)[0]!.service_request_id as string;
    expect((await concernRow(t, t.b, id)).channel).toBe('open311');
    // B's request is not A's to show.
    expect((await get(t, `/open311/v2/requests/${id}.json`)).statusCode).toBe(404);
    expect((await get(t, `/open311/v2/requests/${id}.json`, B_HOST)).statusCode).toBe(200);
    // And A's key cannot post to B.
    expect((await post([['api_key', keyA], ...fields.slice(1)], 'json', B_HOST)).statusCode).toBe(403);
  });

  it('answers 404 for an unknown service and 400 for a missing one', async () => {
    const unknown = await post([
      ['api_key', keyA],
      ['service_code', 'potholes'],
      ['description', 'x'],
    ]);
    expect(unknown.statusCode).toBe(404);
    expect(jsonOf(unknown)).toEqual([{ code: 404, description: expect.stringContaining('service_code') }]);
    const none = await post([
      ['api_key', keyA],
      ['description', 'x'],
    ]);
    expect(none.statusCode).toBe(400);
  });

  it('answers 400 for a missing description and other malformed bodies', async () => {
    const base: [string, string][] = [
      ['api_key', keyA],
      ['service_code', 'unsafe_place'],
    ];
    const cases: [string, [string, string][]][] = [
      ['missing description', []],
      ['blank description', [['description', ' \r\n ']]],
      [
        'lat without long',
        [
          ['description', 'x'],
          ['lat', '52.1'],
        ],
      ],
      [
        'lat out of range',
        [
          ['description', 'x'],
          ['lat', '91.000000'],
          ['long', '0.1'],
        ],
      ],
      [
        'long not a number',
        [
          ['description', 'x'],
          ['lat', '52.1'],
          ['long', '1e2'],
        ],
      ],
      [
        'bad email',
        [
          ['description', 'x'],
          ['email', 'not-an-email'],
        ],
      ],
      [
        'bad phone',
        [
          ['description', 'x'],
          ['phone', 'call me'],
        ],
      ],
      [
        'media_url not http',
        [
          ['description', 'x'],
          ['media_url', 'javascript:alert(1)'],
        ],
      ],
      [
        'unknown group',
        [
          ['description', 'x'],
          ['attribute[affected_groups][]', 'martians'],
        ],
      ],
      [
        'bad anonymous value',
        [
          ['description', 'x'],
          ['attribute[anonymous]', 'maybe'],
        ],
      ],
      [
        'description twice',
        [
          ['description', 'x'],
          ['description', 'y'],
        ],
      ],
      ['description too long', [['description', 'x'.repeat(5001)]]],
    ];
    for (const [name, extra] of cases) {
      const res = await post([...base, ...extra]);
      expect(res.statusCode, name).toBe(400);
      expect(jsonOf(res), name).toEqual([{ code: 400, description: expect.any(String) }]);
    }
    const json = await postRaw(
      t,
      '/open311/v2/requests.json',
      JSON.stringify({ api_key: keyA, service_code: 'unsafe_place', description: 'x' }),
      { contentType: 'application/json' },
    );
    expect(json.statusCode).toBe(400);
    const garbled = await postRaw(t, '/open311/v2/requests.xml', '{not json', {
      contentType: 'application/json',
    });
    expect(garbled.statusCode).toBe(400);
    expect(xmlOf(garbled)).toEqual({ errors: { error: [{ code: '400', description: expect.any(String) }] } });
  });

  it('writes text safely in XML: markup is escaped and characters XML cannot hold are dropped', async () => {
    const text = 'Sign says <b>"Keep out" & \'no\'</b>\u0001 ]]> done';
    const res = await post([
      ['api_key', keyA],
      ['service_code', 'something_else'],
      ['description', text],
      ['address_string', 'A&B <Corner>'],
    ]);
    const id = jsonOf<Json[]>(res)[0]!.service_request_id as string;
    const xml = await get(t, `/open311/v2/requests/${id}.xml`);
    expect(xml.body).not.toContain('<b>');
    const [request] = xmlRequests(xmlOf(xml) as XmlRequests);
    expect(request!.description).toBe('Sign says <b>"Keep out" & \'no\'</b> ]]> done');
    expect(request!.address).toBe('A&B <Corner>');
  });
});

describe('tokens', () => {
  it('turns the token from a POST into its service_request_id', async () => {
    const created = jsonOf<Json[]>(
      await post([
        ['api_key', keyA],
        ['service_code', 'unsafe_place'],
        ['description', 'Graffiti on the bus shelter.'],
      ]),
    )[0]!;
    const token = created.token as string;
    expect(jsonOf(await get(t, `/open311/v2/tokens/${token}.json`))).toEqual([
      { service_request_id: created.service_request_id, token },
    ]);
    const xml = xmlOf(await get(t, `/open311/v2/tokens/${token}.xml`)) as XmlRequests;
    expect(xmlRequests(xml)).toEqual([{ service_request_id: created.service_request_id, token }]);
    const missing = await get(t, '/open311/v2/tokens/no-such-token.json');
    expect(missing.statusCode).toBe(404);
    expect(jsonOf(missing)).toEqual([{ code: 404, description: expect.any(String) }]);
  });
});

describe('privacy of public GETs', () => {
  it('never shows personal data, sensitive topics or private concerns', async () => {
    // Web concern, named, with personal details in the text itself.
    const web = await createConcern(t, t.a, {
      topic: 'unsafe_place',
      description: 'Jane Doe at 4 Acacia Avenue (07700 900 456) is scared to walk home.',
      contactName: 'Jane Doe',
      contactEmail: 'jane.doe@example.com',
      placeDescription: 'Outside 4 Acacia Avenue',
      latitude: 52.1,
      longitude: -0.9,
    });
    const hateWeb = await createConcern(t, t.a, { topic: 'hate_harassment', description: 'Hate web text' });
    const tensions = await createConcern(t, t.a, {
      topic: 'community_tensions',
      description: 'Tension text',
      channel: 'open311',
    });
    const disinfo = await createConcern(t, t.a, {
      topic: 'hate_disinformation',
      description: 'Leaflet text',
      channel: 'open311',
    });
    const hidden = await createConcern(t, t.a, {
      topic: 'antisocial_behaviour',
      description: 'Marked private by staff',
      channel: 'open311',
      private: true,
    });
    const hateViaApi = jsonOf<Json[]>(
      await post([
        ['api_key', keyA],
        ['service_code', 'hate_harassment'],
        ['description', 'Abuse shouted at the mosque gates'],
      ]),
    )[0]!.service_request_id as string;
    // Even a settings row claiming a sensitive topic is public changes nothing.
    await t.db.tenant(t.a.id, (tx) =>
      tx.execute(
        sql`insert into open311_services (partnership_id, topic, public) values (${t.a.id}, 'hate_harassment', true)
            on conflict (partnership_id, topic) do update set public = true`,
      ),
    );

    const json = await get(t, '/open311/v2/requests.json');
    const xml = await get(t, '/open311/v2/requests.xml');
    const ids = jsonOf<Json[]>(json).map((r) => r.service_request_id);
    expect(ids).toContain(web.ref);
    for (const absent of [hateWeb.ref, tensions.ref, disinfo.ref, hidden.ref, hateViaApi])
      expect(ids).not.toContain(absent);
    for (const body of [json.body, xml.body]) {
      for (const secret of [
        'Jane',
        'Doe',
        'jane.doe@example.com',
        'Acacia',
        '07700',
        'Sam Resident',
        'sam.resident@example.com',
        'Hate web text',
        'Tension text',
        'Leaflet text',
        'Marked private',
        'mosque',
      ])
        expect(body).not.toContain(secret);
    }
    // A concern that came another way shows its service name, its ward (if any), no point.
    const shown = jsonOf<Json[]>(json).find((r) => r.service_request_id === web.ref)!;
    expect(shown.description).toContain('Feeling unsafe in a place');
    expect(shown).toMatchObject({ lat: null, long: null, media_url: null });

    for (const ref of [hateWeb.ref, tensions.ref, hidden.ref, hateViaApi]) {
      expect((await get(t, `/open311/v2/requests/${ref}.json`)).statusCode).toBe(404);
      expect(jsonOf<Json[]>(await get(t, `/open311/v2/requests.json?service_request_id=${ref}`))).toEqual([]);
    }
    expect(jsonOf<Json[]>(await get(t, '/open311/v2/requests.json?service_code=hate_harassment'))).toEqual(
      [],
    );
  });

  it('shows redacted text, not the original', async () => {
    const created = jsonOf<Json[]>(
      await post([
        ['api_key', keyA],
        ['service_code', 'unsafe_place'],
        ['description', 'My neighbour Pat Smith leaves the gate open'],
      ]),
    )[0]!;
    const ref = created.service_request_id as string;
    expect(
      (await t.services.concerns.redact(actorFor(t.a, 'triage'), ref, 'A gate is left open', 'name')).ok,
    ).toBe(true);
    const [shown] = jsonOf<Json[]>(await get(t, `/open311/v2/requests/${ref}.json`));
    expect(shown!.description).toBe('A gate is left open');
  });

  it('hides a topic the partnership unpublishes', async () => {
    const idea = await createConcern(t, t.a, { topic: 'idea', description: 'Idea text', channel: 'open311' });
    expect((await listJson()).map((r) => r.service_request_id)).toContain(idea.ref);
    const open311 = open311For(t);
    const kept = TOPICS.filter((topic) => topic !== 'idea');
    expect((await open311.setPublicTopics(actorFor(t.a, 'admin'), kept)).ok).toBe(true);
    expect((await listJson()).map((r) => r.service_request_id)).not.toContain(idea.ref);
    const services = jsonOf<Json[]>(await get(t, '/open311/v2/services.json'));
    expect(services.find((s) => s.service_code === 'idea')!.description).toContain('never published');
    expect((await open311.setPublicTopics(actorFor(t.a, 'admin'), [...TOPICS])).ok).toBe(true);
    expect((await listJson()).map((r) => r.service_request_id)).toContain(idea.ref);
  });
});

describe('GET requests filters', () => {
  it('filters by service_request_id list, service_code and status', async () => {
    const open = await createConcern(t, t.a, { topic: 'access_inclusion', channel: 'open311' });
    const closed = await createConcern(t, t.a, { topic: 'access_inclusion', channel: 'open311' });
    const outcome = await t.services.concerns.transition(actorFor(t.a, 'triage'), closed.ref, {
      to: 'no_further_action',
      reason: 'Passed to the council',
    });
    expect(outcome.ok).toBe(true);

    const both = await listJson(`?service_request_id=${open.ref},${closed.reference}`);
    expect(both.map((r) => r.service_request_id).sort()).toEqual([open.ref, closed.ref].sort());

    const byCode = await listJson('?service_code=access_inclusion');
    expect(byCode.every((r) => r.service_code === 'access_inclusion')).toBe(true);
    expect(byCode.map((r) => r.service_request_id)).toEqual(expect.arrayContaining([open.ref, closed.ref]));

    const openOnly = (await listJson('?service_code=access_inclusion&status=open')).map(
      (r) => r.service_request_id,
    );
    expect(openOnly).toContain(open.ref);
    expect(openOnly).not.toContain(closed.ref);
    const closedOnly = await listJson('?service_code=access_inclusion&status=closed');
    expect(closedOnly.map((r) => r.service_request_id)).toEqual([closed.ref]);
    expect(closedOnly[0]).toMatchObject({ status: 'closed', expected_datetime: null });

    const bad = await get(t, '/open311/v2/requests.json?status=pending');
    expect(bad.statusCode).toBe(400);
  });

  it('covers the last 90 days by default and takes W3C start_date and end_date', async () => {
    const old = await createConcern(t, t.a, {
      topic: 'unsafe_place',
      channel: 'open311',
      description: 'From four months ago',
      createdAt: new Date(Date.now() - 120 * 24 * 60 * 60 * 1000),
    });
    expect((await listJson()).map((r) => r.service_request_id)).not.toContain(old.ref);
    const start = new Date(Date.now() - 130 * 24 * 60 * 60 * 1000).toISOString();
    const end = new Date(Date.now() - 110 * 24 * 60 * 60 * 1000).toISOString();
    const inWindow = await listJson(`?start_date=${start}&end_date=${end}`);
    expect(inWindow.map((r) => r.service_request_id)).toEqual([old.ref]);
    // Asking by id ignores the window.
    expect((await listJson(`?service_request_id=${old.ref}`)).map((r) => r.service_request_id)).toEqual([
      old.ref,
    ]);
    // A zone written with an unencoded '+' arrives as a space, and is still understood.
    const plus = await get(
      t,
      '/open311/v2/requests.json?start_date=2026-01-01T00:00:00+01:00&end_date=2026-02-01T00:00:00Z',
    );
    expect(plus.statusCode).toBe(200);

    for (const query of [
      '?start_date=yesterday',
      '?start_date=2026-01-01T10:00',
      `?start_date=${end}&end_date=${start}`,
      '?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z',
    ]) {
      const res = await get(t, `/open311/v2/requests.xml${query}`);
      expect(res.statusCode, query).toBe(400);
      xmlOf(res);
    }
  });

  it('returns at most the limit it is given, newest first (1,000 by default)', async () => {
    const open311 = open311For(t);
    const p = t.b;
    const made: string[] = [];
    const day = 24 * 60 * 60 * 1000;
    // Long ago, so nothing else this file creates falls in the window.
    for (let i = 0; i < 3; i++) {
      const c = await t.services.concerns.create(publicActor(p.id, 'cap-test'), {
        ...BASE_CONCERN,
        channel: 'open311',
        createdAt: new Date(Date.now() - (203 - i) * day),
      });
      made.push(c.reference);
    }
    const window = { from: new Date(Date.now() - 210 * day), to: new Date(Date.now() - 190 * day) };
    const capped = await open311.requests(p.id, window, 2);
    expect(capped.map((r) => r.reference)).toEqual([made[2], made[1]]);
    const all = await open311.requests(p.id, window);
    expect(all.map((r) => r.reference)).toEqual([...made].reverse());
  });
});

describe('servicerequestupdates (mySociety extension)', () => {
  it('lists public updates and status changes since a date, never internal notes', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const created = jsonOf<Json[]>(
      await post([
        ['api_key', keyA],
        ['service_code', 'antisocial_behaviour'],
        ['description', 'Motorbikes on the playing field.'],
      ]),
    )[0]!;
    const ref = created.service_request_id as string;
    const triage = actorFor(t.a, 'triage');
    expect((await t.services.concerns.share(triage, ref, t.a.organisations.police!, [])).ok).toBe(true);
    expect(
      (await t.services.concerns.addNote(triage, ref, 'Internal: caller known to us', 'internal')).ok,
    ).toBe(true);
    expect(
      (await t.services.concerns.addNote(triage, ref, 'Police patrols are visiting the field.', 'public')).ok,
    ).toBe(true);
    expect((await t.services.concerns.transition(triage, ref, { to: 'in_progress' })).ok).toBe(true);
    const hate = await createConcern(t, t.a, { topic: 'hate_harassment', channel: 'open311' });
    await t.services.concerns.addNote(triage, hate.ref, 'Hate update text', 'public');

    const res = await get(t, `/open311/v2/servicerequestupdates.json?start_date=${since}`);
    expect(res.statusCode).toBe(200);
    const updates = jsonOf<Json[]>(res);
    const mine = updates.filter((u) => u.service_request_id === ref);
    expect(mine.map((u) => [u.status, u.description])).toEqual([
      ['investigating', 'Status changed to: Triaged.'],
      ['investigating', 'Police patrols are visiting the field.'],
      ['in_progress', 'Status changed to: In progress.'],
    ]);
    for (const u of mine)
      expect(Object.keys(u)).toEqual([
        'update_id',
        'service_request_id',
        'status',
        'updated_datetime',
        'description',
        'media_url',
      ]);
    expect(res.body).not.toContain('Internal: caller');
    expect(res.body).not.toContain('Hate update text');
    expect(updates.map((u) => u.service_request_id)).not.toContain(hate.ref);

    const xml = xmlOf(
      await get(t, `/open311/v2/servicerequestupdates.xml?start_date=${encodeURIComponent(since)}`),
    ) as { service_requests_updates: { request_update: Json[] } };
    const xmlMine = xml.service_requests_updates.request_update.filter((u) => u.service_request_id === ref);
    expect(xmlMine.map((u) => u.description)).toContain('Police patrols are visiting the field.');

    // The request itself now carries the latest public update and the lead organisation.
    const [request] = jsonOf<Json[]>(await get(t, `/open311/v2/requests/${ref}.json`));
    expect(request).toMatchObject({
      status: 'open',
      status_notes: 'Police patrols are visiting the field.',
      agency_responsible: 'Police a',
    });
    expect(Date.parse(request!.updated_datetime as string)).toBeGreaterThanOrEqual(
      Date.parse(request!.requested_datetime as string),
    );

    // A window that ends before the changes holds none of them.
    const before = jsonOf<Json[]>(
      await get(
        t,
        `/open311/v2/servicerequestupdates.json?start_date=2026-01-01T00:00:00Z&end_date=2026-01-02T00:00:00Z`,
      ),
    );
    expect(before.map((u) => u.service_request_id)).not.toContain(ref);
    expect((await get(t, '/open311/v2/servicerequestupdates.json?start_date=soon')).statusCode).toBe(400);
  });
});

describe('formats', () => {
  it('sends the spec’s media types and lets any site read published data', async () => {
    const res = await get(t, '/open311/v2/requests.json');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect((await get(t, '/open311/v2/requests.xml')).headers['content-type']).toBe(
      'application/xml; charset=utf-8',
    );
  });
});
