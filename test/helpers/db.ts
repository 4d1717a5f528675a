import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type Database } from '../../src/platform/db/index.js';

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or (HEARD_TEST_DB=postgres) a
 * new database on the PostgreSQL server, dropped again on close.
 */
export async function createTestDatabase(): Promise<Database> {
  if (process.env.HEARD_TEST_DB !== 'postgres') {
    const db = await createDatabase({});
    await db.migrate();
    return db;
  }
  const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `heard_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await createDatabase({ url: url.toString(), poolSize: 5 });
  await db.migrate();
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
