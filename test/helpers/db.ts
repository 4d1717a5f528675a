import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, MIGRATIONS_DIR, type Database } from '../../src/platform/db/index.js';

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or (HEARD_TEST_DB=postgres) a
 * new database on the PostgreSQL server, dropped again on close.
 *
 * Creating a PGlite cluster (initdb in WebAssembly) and running every migration costs several
 * seconds of CPU, and on PostgreSQL the migrations are hundreds of statements, per test file. So
 * the migrated state is built once and copied: PGlite loads a dumped data directory, PostgreSQL
 * clones a template database. Both are keyed by a hash of the migrations folder (and PGlite's
 * version), so a changed migration builds a new one rather than serving a stale copy. The vitest
 * global setup (test/helpers/global-setup.ts) builds them before the workers start; without it the
 * first file to need one builds it here.
 */
export async function createTestDatabase(): Promise<Database> {
  if (process.env.HEARD_TEST_DB !== 'postgres') {
    return createDatabase({ loadDataDir: await migratedPgliteSnapshot() });
  }
  const adminUrl = postgresAdminUrl();
  const template = await ensurePostgresTemplate(adminUrl);
  const name = `heard_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // A copy of the migrated template: tables, row-level security policies and grants to heard_app
    // (a cluster-wide role, so it exists for the copy too).
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  return postgresDatabase(adminUrl, name);
}

export function postgresAdminUrl(): string {
  return process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A database on the server that is dropped when closed. */
async function postgresDatabase(adminUrl: string, name: string): Promise<Database> {
  const db = await createDatabase({ url: databaseUrl(adminUrl, name), poolSize: 5 });
  const close = db.close.bind(db);
  return {
    ...db,
    async close() {
      await close();
      const again = new pg.Client({ connectionString: adminUrl });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

let migrationsHash: Promise<string> | undefined;

/** Every migration file's name and content (the journal included), and the PGlite version. */
export function migrationsKey(): Promise<string> {
  migrationsHash ??= (async () => {
    const hash = createHash('sha256');
    const files = (await readdir(MIGRATIONS_DIR, { recursive: true, withFileTypes: true }))
      .filter((f) => f.isFile())
      .map((f) => path.relative(MIGRATIONS_DIR, path.join(f.parentPath, f.name)))
      .sort();
    for (const file of files) {
      hash.update(`${file}\0`);
      hash.update(await readFile(path.join(MIGRATIONS_DIR, file)));
      hash.update('\0');
    }
    // A data directory is only good for the PGlite (PostgreSQL build) that wrote it.
    hash.update(`pglite ${pgliteVersion()}`);
    return hash.digest('hex').slice(0, 16);
  })();
  return migrationsHash;
}

function pgliteVersion(): string {
  // The package's exports leave out package.json, so look for it above the resolved entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
  }
  throw new Error('Cannot find the version of @electric-sql/pglite');
}

/** Outside the repository, so nothing is ever committed and a fresh clone builds its own. */
export const SNAPSHOT_DIR = path.join(os.tmpdir(), 'heard-test-db');

/**
 * Writes a file so that readers see all of it or none of it: concurrent workers may both build the
 * same snapshot on a cold start, and each renames a complete copy into place.
 */
export async function writeAtomically(file: string, data: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await writeFile(partial, data);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}

async function readIfThere(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The migrated PGlite data directory, built (and saved for later files and runs) if missing. */
export async function migratedPgliteSnapshot(): Promise<Blob> {
  const file = path.join(SNAPSHOT_DIR, `pglite-migrated-${await migrationsKey()}.tar`);
  const saved = await readIfThere(file);
  // readFile never hands back a SharedArrayBuffer, whatever the types say.
  if (saved) return new Blob([saved as Uint8Array<ArrayBuffer>]);
  const db = await createDatabase({});
  try {
    await db.migrate();
    const dump = await db.dumpDataDir!();
    await writeAtomically(file, new Uint8Array(await dump.arrayBuffer()));
    return dump;
  } finally {
    await db.close();
  }
}

/**
 * The name of a migrated template database on the server, built if missing. An advisory lock keeps
 * two workers (or two runs) from building the same one at once; the template is migrated under a
 * scratch name and renamed when complete, so a run that dies half way leaves nothing to clone.
 */
export async function ensurePostgresTemplate(adminUrl: string): Promise<string> {
  const key = await migrationsKey();
  const template = `heard_template_${key}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = async () =>
      (await admin.query('select 1 from pg_database where datname = $1', [template])).rowCount === 1;
    if (await exists()) return template;
    const lock = Number.parseInt(key.slice(0, 8), 16);
    await admin.query('select pg_advisory_lock($1)', [lock]);
    try {
      if (await exists()) return template;
      const building = `${template}_building`;
      await admin.query(`drop database if exists ${building} with (force)`);
      await admin.query(`create database ${building}`);
      const db = await createDatabase({ url: databaseUrl(adminUrl, building), poolSize: 1 });
      try {
        await db.migrate();
      } finally {
        await db.close();
      }
      // Renaming (like cloning) waits for the builder's connection to be gone.
      await admin.query(`alter database ${building} rename to ${template}`);
      return template;
    } finally {
      await admin.query('select pg_advisory_unlock($1)', [lock]);
    }
  } finally {
    await admin.end();
  }
}
