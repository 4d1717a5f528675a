import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Actor } from '../../platform/auth/actor.js';
import type { Tx } from '../../platform/db/index.js';
import { importBoundariesIn } from './places.service.js';

/**
 * Boundaries for the demo partnership. Heard ships no boundary files (a partnership imports its own
 * official ones); the demo uses the ONS 2013 ward boundaries of West Northamptonshire's three former
 * districts when they are found beside the project (DEMO_GEO_DIR, or ../shared/data/geo). Those are
 * the same ward pattern, and the same ONS codes, as the demo's 76 seeded wards, so every ward gets
 * its boundary and none is added.
 */

export const DEMO_GEO_FILES = [
  'wards-2013-E07000151.json',
  'wards-2013-E07000154.json',
  'wards-2013-E07000155.json',
];

export const DEMO_GEO_ATTRIBUTION =
  'Contains OS data © Crown copyright and database right 2016. Contains National Statistics data © Crown copyright and database right 2016. Open Government Licence v3 and OS OpenData licence; via the UK-GeoJSON collection (martinjc/UK-GeoJSON).';

/** Where the demo's boundary files are, if anywhere. */
export function findDemoGeoDir(cwd: string = process.cwd()): string | undefined {
  const candidates = [
    process.env.DEMO_GEO_DIR,
    path.resolve(cwd, '../shared/data/geo'),
    path.resolve(cwd, '../../shared/data/geo'),
  ].filter((d): d is string => typeof d === 'string' && d !== '');
  return candidates.find((d) => existsSync(d) && DEMO_GEO_FILES.every((f) => readdirSync(d).includes(f)));
}

/** Imports the demo boundaries inside the seed's transaction; returns how many areas got one. */
export async function seedPlacesDemo(tx: Tx, actor: Actor, dir = findDemoGeoDir()): Promise<number> {
  if (!dir) return 0;
  let count = 0;
  for (const file of DEMO_GEO_FILES) {
    const result = await importBoundariesIn(tx, actor, {
      filename: file,
      text: readFileSync(path.join(dir, file), 'utf8'),
      attribution: DEMO_GEO_ATTRIBUTION,
      group: 'Imported areas',
    });
    if (!result.ok) throw new Error(`Demo boundaries ${file}: ${result.detail.key}`);
    count += result.summary.features;
  }
  return count;
}
