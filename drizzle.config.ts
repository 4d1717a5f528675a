import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema, then applied at start-up by src/platform/db/migrate.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/platform/db/schema.ts',
  out: './migrations',
});
