import { existsSync } from 'node:fs';
import net from 'node:net';
import { defineConfig, type TestProjectInlineConfiguration, type ViteUserConfig } from 'vitest/config';

/**
 * One suite, run twice: on embedded PGlite and on a real PostgreSQL server, plus the browser
 * journeys. Without a server or a browser those projects are left out with a warning, unless
 * REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1 (as in CI), when they run and fail loudly instead.
 */
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 5432) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export default defineConfig(async (): Promise<ViteUserConfig> => {
  const requirePostgres = process.env.REQUIRE_POSTGRES === '1';
  const requireBrowser = process.env.REQUIRE_BROWSER === '1';
  const withPostgres = requirePostgres || (await reachable(POSTGRES_URL));
  const withBrowser = requireBrowser || existsSync(CHROMIUM);
  if (!withPostgres)
    console.warn(
      `\n[heard] PostgreSQL at ${POSTGRES_URL} not reachable: the postgres project is left out.\n`,
    );
  if (!withBrowser) console.warn(`\n[heard] No browser at ${CHROMIUM}: the browser project is left out.\n`);

  const unit = ['src/**/*.test.ts', 'test/**/*.test.ts'];
  // Builds the migrated database each test file copies, once per run (see test/helpers/db.ts).
  const globalSetup = ['test/helpers/global-setup.ts'];
  const projects: TestProjectInlineConfiguration[] = [
    {
      extends: true,
      test: { name: 'pglite', include: unit, env: { HEARD_TEST_DB: 'pglite' }, globalSetup },
    },
  ];
  if (withPostgres) {
    projects.push({
      extends: true,
      test: {
        name: 'postgres',
        include: unit,
        env: { HEARD_TEST_DB: 'postgres', TEST_POSTGRES_URL: POSTGRES_URL },
        globalSetup,
      },
    });
  }
  if (withBrowser) {
    projects.push({
      extends: true,
      test: {
        name: 'browser',
        include: ['e2e/**/*.test.ts'],
        env: { CHROMIUM_PATH: CHROMIUM },
        globalSetup: ['e2e/global-setup.ts'],
        testTimeout: 120_000,
        fileParallelism: false,
      },
    });
  }
  return {
    test: {
      testTimeout: 30_000,
      hookTimeout: 60_000,
      projects,
    },
  };
});
