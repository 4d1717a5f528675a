import { existsSync } from 'node:fs';
import { runAreasImport } from '../src/capabilities/places/places.cli.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/platform/db/index.js';

/**
 * Imports area boundaries from a GeoJSON file: `npm run areas:import -- <file> --partnership <slug>
 * --attribution "<text>"`. Uses the same database settings as `npm start` (DATABASE_URL, DATA_DIR).
 */
if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
const db = await openDatabase(config);
try {
  process.exitCode = await runAreasImport(db, process.argv.slice(2), {
    log: (line) => console.log(line),
    error: (line) => console.error(line),
  });
} finally {
  await db.close();
}
