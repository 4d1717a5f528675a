import type { TestProject } from 'vitest/node';
import { ensurePostgresTemplate, migratedPgliteSnapshot, postgresAdminUrl } from './db.js';

/**
 * Builds the migrated database that every test file copies (see createTestDatabase) once, before
 * the workers start, so two of them do not both build it on a cold start. Only a warm-up: if it
 * fails (no server, say), each file builds or fails on its own, as without it.
 */
export default async function setup(project: TestProject) {
  const kind = project.config.env.HEARD_TEST_DB;
  try {
    if (kind === 'postgres') {
      await ensurePostgresTemplate(project.config.env.TEST_POSTGRES_URL ?? postgresAdminUrl());
    } else {
      await migratedPgliteSnapshot();
    }
  } catch (err) {
    console.warn(`[heard] could not prepare the ${kind ?? 'pglite'} test database up front:`, err);
  }
}
