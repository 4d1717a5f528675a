import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.js';
import type { Database } from '../../platform/db/index.js';
import { createPartnership } from '../../platform/seed/partnership.js';
import { WARDS } from '../../platform/seed/wards.js';
import { publicActor } from '../../platform/auth/actor.js';
import { testConfig } from '../../config.js';
import { buildServices, type Services } from '../../services.js';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { createTestPartnership } from '../../../test/helpers/fixtures.js';
import { locate } from './geo.js';
import { parseBoundaries, type BoundaryFeature } from './geojson.js';
import { DEMO_GEO_ATTRIBUTION, DEMO_GEO_FILES, findDemoGeoDir } from './places.demo.js';
import { runAreasImport } from './places.cli.js';
import { locateArea } from './places.service.js';

/**
 * The boundary import with the ONS 2013 ward files of West Northamptonshire's former districts
 * (shared test data, never copied into the repository), on PGlite and PostgreSQL.
 */
const GEO_DIR = findDemoGeoDir(path.resolve(import.meta.dirname, '../../..')) ?? findDemoGeoDir();
const read = (file: string) => readFileSync(path.join(GEO_DIR!, file), 'utf8');
const EXPECTED: Record<string, number> = {
  'wards-2013-E07000151.json': 16,
  'wards-2013-E07000154.json': 33,
  'wards-2013-E07000155.json': 27,
};

let db: Database;
let services: Services;
let wards: Awaited<ReturnType<typeof createPartnership>>;
let other: Awaited<ReturnType<typeof createTestPartnership>>;
let features: BoundaryFeature[];

const admin = (partnershipId: string, staffId: string | null = null): Actor => ({
  partnershipId,
  staffId,
  organisationId: null,
  roles: ['partnership_admin'],
  label: 'test admin',
  correlationId: randomUUID(),
});

async function count(partnershipId: string, table: 'area_boundaries' | 'boundary_imports' | 'areas') {
  return db.tenant(partnershipId, async (tx) => {
    const result = (await tx.execute(
      sql`select count(*)::int as n from ${sql.identifier(table)}`,
    )) as unknown as {
      rows: { n: number }[];
    };
    return result.rows[0]!.n;
  });
}

beforeAll(async () => {
  expect(GEO_DIR, 'the shared geo test data (../shared/data/geo or DEMO_GEO_DIR)').toBeDefined();
  db = await createTestDatabase();
  services = buildServices(db, testConfig());
  other = await createTestPartnership(db, 'b');
  wards = await createPartnership(db, {
    slug: 'wards',
    name: 'Wards partnership',
    shortName: 'Wards',
    organisations: [{ key: 'council', name: 'Council', kind: 'council' }],
    areas: WARDS,
    staff: [],
    passwordHash: 'x',
    totpSecret: 'JBSWY3DPEHPK3PXP',
  });
  features = DEMO_GEO_FILES.flatMap((f) => {
    const parsed = parseBoundaries(read(f));
    if (!parsed.ok) throw new Error(parsed.problem.key);
    return parsed.features;
  });
  // Set-up builds a database and partnerships; on a busy machine that can take a while.
}, 240_000);

afterAll(async () => {
  await db?.close();
});

describe('the three ONS ward files', () => {
  it('parse, with the ward counts the README gives, codes and names, and boxes in Northamptonshire', () => {
    for (const [file, n] of Object.entries(EXPECTED)) {
      const parsed = parseBoundaries(read(file));
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.features).toHaveLength(n);
      for (const f of parsed.features) {
        expect(f.code).toMatch(/^E05\d{6}$/);
        expect(f.name).toBeTruthy();
        expect(f.bbox.minLng).toBeGreaterThan(-1.7);
        expect(f.bbox.maxLng).toBeLessThan(-0.6);
        expect(f.bbox.minLat).toBeGreaterThan(51.9);
        expect(f.bbox.maxLat).toBeLessThan(52.6);
      }
    }
  });

  it('are the same 76 wards, by ONS code, as the demo seeds', () => {
    expect(new Set(features.map((f) => f.code))).toEqual(new Set(WARDS.map((w) => w.code)));
  });
});

describe('importing them', () => {
  it('gives every seeded ward its boundary, adds no area, and keeps the attribution', async () => {
    const service = services.places;
    let updated = 0;
    for (const file of DEMO_GEO_FILES) {
      const result = await service.importBoundaries(admin(wards.id), {
        filename: file,
        text: read(file),
        attribution: DEMO_GEO_ATTRIBUTION,
        group: 'New',
      });
      expect(result.ok).toBe(true);
      if (result.ok) {
        expect(result.summary.added).toBe(0);
        updated += result.summary.updated;
      }
    }
    expect(updated).toBe(76);
    expect(await count(wards.id, 'area_boundaries')).toBe(76);
    expect(await count(wards.id, 'areas')).toBe(76);
    const map = await service.map(admin(wards.id), { measure: 'all', period: 'all' });
    expect(map.ok && map.attributions).toEqual([DEMO_GEO_ATTRIBUTION]);
    expect(map.ok && map.areas.every((a) => a.geometry !== null)).toBe(true);
  });

  it('is idempotent: importing a file again updates the same areas', async () => {
    const file = DEMO_GEO_FILES[1]!;
    const result = await services.places.importBoundaries(admin(wards.id), {
      filename: file,
      text: read(file),
      attribution: 'Second import',
      group: 'New',
    });
    expect(result.ok && result.summary).toMatchObject({ features: 33, updated: 33, added: 0 });
    expect(await count(wards.id, 'area_boundaries')).toBe(76);
    const map = await services.places.map(admin(wards.id), { measure: 'all', period: 'all' });
    // Both imports still supply boundaries, so both attributions are shown.
    expect(map.ok && map.attributions).toEqual([DEMO_GEO_ATTRIBUTION, 'Second import'].sort());
  });

  it('adds areas for boundaries that match none (partnership B has none of these wards)', async () => {
    const file = DEMO_GEO_FILES[0]!;
    const before = await count(other.id, 'areas');
    const result = await services.places.importBoundaries(admin(other.id), {
      filename: file,
      text: read(file),
      attribution: DEMO_GEO_ATTRIBUTION,
      group: 'Daventry',
    });
    expect(result.ok && result.summary).toMatchObject({ features: 16, updated: 0, added: 16 });
    expect(await count(other.id, 'areas')).toBe(before + 16);
    // Row-level security: B's import touched none of the wards partnership's rows.
    expect(await count(wards.id, 'area_boundaries')).toBe(76);
  });

  it('matches by name when the code differs, ignoring punctuation and case', async () => {
    const p = await createTestPartnership(db, 'names');
    await db.tenant(p.id, (tx) =>
      tx.execute(
        sql`insert into areas (partnership_id, code, name, group_name) values (${p.id}, 'local-1', 'ST DAVIDS', 'Town')`,
      ),
    );
    const feature = features.find((f) => f.name === "St David's")!;
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: "St David's" },
          geometry: { type: 'MultiPolygon', coordinates: feature.geometry },
        },
      ],
    });
    const result = await services.places.importBoundaries(admin(p.id), {
      filename: 'one.geojson',
      text,
      attribution: 'Test',
      group: 'Town',
    });
    expect(result.ok && result.summary).toMatchObject({ updated: 1, added: 0 });
  });

  it('refuses bad files with a clear problem and stores nothing', async () => {
    const p = await createTestPartnership(db, 'bad');
    const good = JSON.parse(read(DEMO_GEO_FILES[1]!)) as { features: { geometry: unknown }[] };
    const lineString = structuredClone(good);
    // The second feature is bad: the first must not be stored either.
    lineString.features[1]!.geometry = {
      type: 'LineString',
      coordinates: [
        [0, 0],
        [1, 1],
      ],
    };
    const nationalGrid = structuredClone(good);
    nationalGrid.features[2]!.geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [475000, 260000],
          [476000, 260000],
          [476000, 261000],
          [475000, 260000],
        ],
      ],
    };
    const cases: [string, string][] = [
      ['', 'empty'],
      ['{"type":', 'notJson'],
      ['{"type":"Topology"}', 'notGeoJson'],
      ['{"type":"FeatureCollection","features":[]}', 'noFeatures'],
      [JSON.stringify(lineString), 'unsupportedGeometry'],
      [JSON.stringify(nationalGrid), 'notLongitudeLatitude'],
    ];
    for (const [text, key] of cases) {
      const result = await services.places.importBoundaries(admin(p.id), {
        filename: 'bad.json',
        text,
        attribution: 'Test',
        group: 'Town',
      });
      expect(result.ok ? 'ok' : result.problem === 'invalidFile' && result.detail.key).toBe(key);
    }
    expect(await count(p.id, 'boundary_imports')).toBe(0);
    expect(await count(p.id, 'area_boundaries')).toBe(0);
    expect(await count(p.id, 'areas')).toBe(3);
  });

  it('refuses anyone who is not a partnership admin', async () => {
    const result = await services.places.importBoundaries(
      { ...admin(wards.id), roles: ['analyst'] },
      { filename: 'x', text: read(DEMO_GEO_FILES[0]!), attribution: 'x', group: 'x' },
    );
    expect(result).toEqual({ ok: false, problem: 'forbidden' });
  });
});

describe('placing points', () => {
  /** A small deterministic spread of points over the three districts. */
  function points(n: number): [number, number][] {
    let seed = 7;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    return Array.from({ length: n }, () => [-1.35 + next() * 0.55, 52.0 + next() * 0.45]);
  }

  it('finds, in the database, the same ward as a point-in-polygon over the file itself', async () => {
    const codeToArea = wards.areas;
    const located = features.map((f) => ({ id: f.code!, code: f.code!, geometry: f.geometry, bbox: f.bbox }));
    let inside = 0;
    for (const [lng, lat] of points(60)) {
      const expected = locate(lng, lat, located);
      const areaId = await db.tenant(wards.id, (tx) => locateArea(tx, lat, lng));
      expect(areaId).toBe(expected ? codeToArea[expected.code]! : null);
      if (expected) inside++;
    }
    expect(inside).toBeGreaterThan(20);
  });

  it('assigns a new concern with a point and no area to its ward (the Open311 example: Castle ward)', async () => {
    const created = await services.concerns.create(publicActor(wards.id, 'test'), {
      kind: 'concern',
      topic: 'unsafe_place',
      description: 'The underpass lights are out',
      latitude: 52.236213,
      longitude: -0.897652,
      affectedGroups: [],
      forGroup: false,
      anonymous: true,
      consentToShare: false,
      channel: 'open311',
      language: 'en',
    });
    const areaId = await db.tenant(wards.id, async (tx) => {
      const r = (await tx.execute(sql`select area_id from concerns where id = ${created.id}`)) as unknown as {
        rows: { area_id: string }[];
      };
      return r.rows[0]!.area_id;
    });
    expect(areaId).toBe(wards.areas['E05008828']);
  });

  it('finds nothing for partnership B at a point only partnership A has a boundary for', async () => {
    // B imported Daventry's wards only; Northampton's town centre is not among them.
    expect(await db.tenant(other.id, (tx) => locateArea(tx, 52.236213, -0.897652))).toBeNull();
  });
});

describe('npm run areas:import', () => {
  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const errors: string[] = [];
    const code = await runAreasImport(db, argv, { log: (l) => lines.push(l), error: (l) => errors.push(l) });
    return { code, lines, errors };
  };

  it('imports a file into the partnership named by its slug', async () => {
    const file = path.join(GEO_DIR!, DEMO_GEO_FILES[2]!);
    const result = await run(file, '--partnership', 'wards', '--attribution', 'From the CLI');
    expect(result).toMatchObject({ code: 0, errors: [] });
    expect(result.lines[0]).toBe(
      `Imported 27 boundaries from ${DEMO_GEO_FILES[2]}: 27 areas updated, 0 added.`,
    );
    const map = await services.places.map(admin(wards.id), { measure: 'all', period: 'all' });
    expect(map.ok && map.attributions).toContain('From the CLI');
  });

  it('explains what it needs, and refuses an unknown partnership or a bad file', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('x.json', '--partnership', 'wards')).errors[0]).toContain('--attribution');
    const unknown = await run(
      path.join(GEO_DIR!, DEMO_GEO_FILES[0]!),
      '--partnership',
      'nope',
      '--attribution',
      'x',
    );
    expect(unknown).toMatchObject({ code: 1, errors: ['No partnership with the slug "nope".'] });
    const readme = await run(
      path.join(GEO_DIR!, 'README.md'),
      '--partnership',
      'wards',
      '--attribution',
      'x',
    );
    expect(readme.code).toBe(1);
    expect(readme.errors[0]).toContain('the file is not JSON');
  });
});
