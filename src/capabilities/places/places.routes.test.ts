import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { publicActor } from '../../platform/auth/actor.js';
import { buildTestApp, type TestApp, type TestClient } from '../../../test/helpers/app.js';
import { DEMO_GEO_FILES, findDemoGeoDir } from './places.demo.js';
import { boundaryOf, parseMultipart } from './multipart.js';

/** The map and import pages and the places API, over HTTP, with roles and partnerships kept apart. */
const GEO_DIR = findDemoGeoDir(path.resolve(import.meta.dirname, '../../..')) ?? findDemoGeoDir();
const NORTHAMPTON = DEMO_GEO_FILES[1]!;
const ATTRIBUTION = 'Contains OS data © Crown copyright and database right 2016.';

let t: TestApp;
beforeAll(async () => {
  expect(GEO_DIR, 'the shared geo test data').toBeDefined();
  t = await buildTestApp();
  // Set-up builds a database and partnerships; on a busy machine that can take a while.
}, 240_000);
afterAll(async () => {
  await t.close();
});

const read = (file: string) => readFileSync(path.join(GEO_DIR!, file), 'utf8');

/** Posts the upload form as a browser does: multipart/form-data with the file and the CSRF token. */
async function upload(
  client: TestClient,
  fields: Record<string, string>,
  file?: { name: string; content: string },
) {
  const page = await client.get('/staff/admin/places/import');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const boundary = '----heardtest7MA4YWxkTrZu0gW';
  const parts = Object.entries({ _csrf: csrf, ...fields }).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  if (file)
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/geo+json\r\n\r\n${file.content}\r\n`,
    );
  return client.request({
    method: 'POST',
    url: '/staff/admin/places/import',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.from(`${parts.join('')}--${boundary}--\r\n`),
  });
}

describe('multipart reader', () => {
  it('reads text fields and a file, keeping CRLFs inside the content', () => {
    const body = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\none\r\ntwo\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="C:\\\\x\\\\w.json"\r\nContent-Type: application/json\r\n\r\n{"x":1}\r\n--b--\r\n',
    );
    expect(boundaryOf('multipart/form-data; boundary=b')).toBe('b');
    expect(parseMultipart(body, 'b')).toEqual({
      a: 'one\r\ntwo',
      file: { filename: 'w.json', content: '{"x":1}' },
    });
    expect(() => parseMultipart(Buffer.from('nothing'), 'b')).toThrow();
  });
});

describe('import page', () => {
  it('is for partnership admins only', async () => {
    expect((await t.client().get('/staff/admin/places/import')).statusCode).toBe(302);
    for (const role of ['analyst', 'triage', 'police']) {
      const c = await t.signedIn(t.a, role);
      expect((await c.get('/staff/admin/places/import')).statusCode).toBe(403);
    }
    const analyst = await t.signedIn(t.a, 'analyst');
    await analyst.get('/staff/places/map');
    const res = await analyst.post('/staff/admin/places/import', {
      geojson: read(NORTHAMPTON),
      attribution: 'x',
      group: 'x',
    });
    expect(res.statusCode).toBe(403);
  });

  it('shows each missing field in an error summary, titled Error:, and stores nothing', async () => {
    const admin = await t.signedIn(t.a, 'admin');
    const res = await upload(admin, { attribution: '', group: 'Town' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<title>Error: Import area boundaries/);
    expect(res.body).toContain('href="#file"');
    expect(res.body).toContain('href="#attribution"');
    expect(res.body).toContain('Choose a GeoJSON file, or paste GeoJSON');
  });

  it('explains what is wrong with a bad file', async () => {
    const admin = await t.signedIn(t.a, 'admin');
    const bad = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: 'Line' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [0, 0],
              [1, 1],
            ],
          },
        },
      ],
    });
    const res = await upload(
      admin,
      { attribution: ATTRIBUTION, group: 'Town' },
      { name: 'line.json', content: bad },
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('feature 1 (Line) is a LineString; only Polygon and MultiPolygon');
    const imports = await t.db.tenant(t.a.id, (tx) => tx.query.boundaryImports.findMany());
    expect(imports).toHaveLength(0);
  });

  it('imports an uploaded file, reports what it did, and lists it with its attribution', async () => {
    const admin = await t.signedIn(t.a, 'admin');
    const res = await upload(
      admin,
      { attribution: ATTRIBUTION, group: 'Northampton' },
      { name: NORTHAMPTON, content: read(NORTHAMPTON) },
    );
    expect(res.statusCode).toBe(302);
    const page = await admin.get(res.headers.location!);
    expect(page.body).toContain(`Boundaries imported from ${NORTHAMPTON}`);
    expect(page.body).toContain('33 boundaries: 0 existing areas updated, 33 new areas added.');
    expect(page.body).toContain('Contains OS data © Crown copyright');
    const audit = await t.db.tenant(t.a.id, (tx) =>
      tx.execute(sql`select action from audit_log where action = 'places.boundaries.imported'`),
    );
    expect((audit as unknown as { rows: unknown[] }).rows).toHaveLength(1);
  });

  it('takes pasted GeoJSON when no file is chosen (the form without a file input)', async () => {
    const admin = await t.signedIn(t.a, 'admin');
    await admin.get('/staff/admin/places/import');
    const res = await admin.post('/staff/admin/places/import', {
      geojson: read(NORTHAMPTON),
      attribution: ATTRIBUTION,
      group: 'Northampton',
    });
    expect(res.statusCode).toBe(302);
    const page = await admin.get(res.headers.location!);
    expect(page.body).toContain('33 boundaries: 33 existing areas updated, 0 new areas added.');
  });
});

describe('map page', () => {
  it('is for analysts and admins', async () => {
    expect((await t.client().get('/staff/places/map')).statusCode).toBe(302);
    for (const role of ['triage', 'police', 'cohesion']) {
      expect((await (await t.signedIn(t.a, role)).get('/staff/places/map')).statusCode).toBe(403);
    }
    expect((await (await t.signedIn(t.a, 'admin')).get('/staff/places/map')).statusCode).toBe(200);
  });

  it('draws the choropleth with a title, description, key and table, suppressing small counts', async () => {
    // Six concerns at the Open311 example point (Castle ward) and one in Abington: 6 shows, 1 does not.
    const castle = { latitude: 52.236213, longitude: -0.897652 };
    const abington = { latitude: 52.2445, longitude: -0.8655 };
    for (const point of [castle, castle, castle, castle, castle, castle, abington]) {
      await t.services.concerns.create(publicActor(t.a.id, 'test'), {
        kind: 'concern',
        topic: 'hate_harassment',
        description: 'Shouting at people outside the shops',
        ...point,
        affectedGroups: [],
        forGroup: false,
        anonymous: true,
        consentToShare: false,
        channel: 'open311',
        language: 'en',
      });
    }
    const analyst = await t.signedIn(t.a, 'analyst');
    const res = await analyst.get('/staff/places/map?measure=open&topic=hate_harassment&period=quarter');
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain('Open concerns about Hate, prejudice or harassment by area, last 3 months');
    expect(body).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="map-title map-desc"/);
    expect(body).toContain('<desc id="map-desc">A map of 33 areas');
    expect((body.match(/<path d="[^"]+" fill="url\(#band-/g) ?? []).length).toBe(33);
    expect(body).toContain('<title>Castle: 6</title>');
    expect(body).toContain('<title>Abington: fewer than 5</title>');
    expect(body).not.toMatch(/Abington: 1</);
    // The key names each band in words and numbers, and each band has its own pattern.
    expect(body).toContain('id="band-small"');
    expect(body).toMatch(/<li data-band="range-1">[\s\S]*?\b6\b/);
    // The table: Castle first with its count, then the rest.
    const table = body.slice(body.indexOf('id="map-table"'));
    expect(table.indexOf('Castle')).toBeLessThan(table.indexOf('Abington'));
    expect(body).toContain(ATTRIBUTION);
    // No scripts or external tiles: the picture is all in the page.
    expect(body).not.toMatch(/https?:\/\/[^"]*tile/);
  });

  it('ignores unknown choices rather than failing', async () => {
    const analyst = await t.signedIn(t.a, 'analyst');
    const res = await analyst.get('/staff/places/map?measure=bogus&topic=nope&period=decade');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('All concerns and suggestions by area, last 12 months');
  });
});

describe('places API', () => {
  it('lists areas with boundaries and serves one as GeoJSON', async () => {
    const analyst = await t.signedIn(t.a, 'analyst');
    const list = await analyst.api('GET', '/api/v1/areas');
    expect(list.statusCode).toBe(200);
    const body = list.json() as {
      items: { id: string; name: string; hasBoundary: boolean }[];
      attributions: string[];
    };
    const castle = body.items.find((a) => a.name === 'Castle')!;
    expect(castle.hasBoundary).toBe(true);
    expect(body.items.filter((a) => !a.hasBoundary)).toHaveLength(3);
    expect(body.attributions).toEqual([ATTRIBUTION]);
    const one = await analyst.api('GET', `/api/v1/areas/${castle.id}`);
    expect(one.json()).toMatchObject({
      type: 'Feature',
      properties: { name: 'Castle' },
      geometry: { type: 'MultiPolygon' },
    });
    expect((await analyst.api('GET', '/api/v1/areas/not-a-uuid')).statusCode).toBe(400);
  });

  it('gives the map counts, suppressed', async () => {
    const analyst = await t.signedIn(t.a, 'analyst');
    const res = await analyst.api('GET', '/api/v1/places/map?measure=all&topic=hate_harassment&period=year');
    expect(res.statusCode).toBe(200);
    const areas = (res.json() as { areas: { name: string; count: unknown }[] }).areas;
    expect(areas.find((a) => a.name === 'Castle')!.count).toEqual({ state: 'shown', value: 6 });
    expect(areas.find((a) => a.name === 'Abington')!.count).toEqual({ state: 'small' });
  });

  it('imports boundaries for admins, with a clear problem for bad input, and refuses others', async () => {
    const admin = await t.signedIn(t.a, 'admin');
    const ok = await admin.api('POST', '/api/v1/areas/boundaries', {
      geojson: JSON.parse(read(DEMO_GEO_FILES[0]!)) as unknown,
      attribution: ATTRIBUTION,
      group: 'Daventry',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ features: 16, added: 16, updated: 0 });
    const bad = await admin.api('POST', '/api/v1/areas/boundaries', {
      geojson: '{',
      attribution: 'x',
      group: 'x',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ problem: 'notJson' });
    const analyst = await t.signedIn(t.a, 'analyst');
    const refused = await analyst.api('POST', '/api/v1/areas/boundaries', {
      geojson: '{}',
      attribution: 'x',
      group: 'x',
    });
    expect(refused.statusCode).toBe(403);
    const triage = await t.signedIn(t.a, 'triage');
    expect((await triage.api('GET', '/api/v1/areas')).statusCode).toBe(403);
    expect((await triage.api('GET', '/api/v1/places/map')).statusCode).toBe(403);
  });

  it("never shows partnership B partnership A's areas, boundaries or counts", async () => {
    const aAreas = (await (await t.signedIn(t.a, 'analyst')).api('GET', '/api/v1/areas')).json() as {
      items: { id: string }[];
    };
    const b = await t.signedIn(t.b, 'analyst');
    const bAreas = (await b.api('GET', '/api/v1/areas')).json() as {
      items: { id: string; hasBoundary: boolean }[];
      attributions: string[];
    };
    expect(bAreas.items.map((a) => a.id)).toHaveLength(3);
    expect(bAreas.items.some((a) => aAreas.items.some((x) => x.id === a.id))).toBe(false);
    expect(bAreas.attributions).toEqual([]);
    expect((await b.api('GET', `/api/v1/areas/${aAreas.items[0]!.id}`)).statusCode).toBe(404);
    const map = await b.get('/staff/places/map');
    expect(map.body).not.toContain('Castle');
    expect(map.body).toContain('No area boundaries have been imported yet');
  });
});
