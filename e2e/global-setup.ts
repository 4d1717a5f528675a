import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migratedPgliteSnapshot, SNAPSHOT_DIR } from '../test/helpers/db.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run keeps the seeded demo database that startHeard loads (see support.ts). */
    heardDemoSnapshot: string;
  }
}

/**
 * Names a file for this run's seeded demo database: the first browser file seeds and saves it, the
 * others load it (see startHeard). It is per run, not kept like the migrated snapshot, because the
 * demo's dates are relative to when it was seeded and it depends on all of the seed code; the
 * teardown removes it.
 */
export default async function setup(project: TestProject) {
  // Built here, before the worker starts, so the first file does not spend its hook timeout on it.
  await migratedPgliteSnapshot();
  const file = path.join(SNAPSHOT_DIR, `demo-${process.pid}-${randomBytes(4).toString('hex')}.tar`);
  project.provide('heardDemoSnapshot', file);
  return async () => {
    await rm(file, { force: true });
  };
}
