import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import type { Database } from '../../platform/db/index.js';
import { createI18n, DEFAULT_LANGUAGE } from '../../platform/i18n/index.js';
import { partnerships } from '../../platform/tenancy/tenancy.table.js';
import { importBoundariesIn } from './places.service.js';
import { randomUUID } from 'node:crypto';

export const USAGE =
  'Usage: npm run areas:import -- <file.geojson> --partnership <slug> --attribution "<licence text>" [--group "<group for new areas>"] [--code-property WD23CD] [--name-property WD23NM]';

/**
 * `npm run areas:import`: the boundary import from the command line, for a first set-up or a
 * scheduled refresh. The same checks and the same all-or-nothing transaction as the admin page;
 * the audit log records the import as done by "cli". Returns the process exit code.
 */
export async function runAreasImport(
  db: Database,
  argv: readonly string[],
  out: { log: (line: string) => void; error: (line: string) => void },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        partnership: { type: 'string' },
        attribution: { type: 'string' },
        group: { type: 'string', default: 'Imported areas' },
        'code-property': { type: 'string' },
        'name-property': { type: 'string' },
      },
    });
  } catch (err) {
    out.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (!file || !values.partnership || !values.attribution?.trim()) {
    out.error(USAGE);
    return 2;
  }
  const [partnership] = await db.system((tx) =>
    tx.select({ id: partnerships.id }).from(partnerships).where(eq(partnerships.slug, values.partnership!)),
  );
  if (!partnership) {
    out.error(`No partnership with the slug "${values.partnership}".`);
    return 1;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    out.error(`Cannot read ${file}: ${(err as Error).message}`);
    return 1;
  }
  const actor = {
    partnershipId: partnership.id,
    staffId: null,
    organisationId: null,
    roles: ['partnership_admin'],
    label: 'cli',
    correlationId: randomUUID(),
  };
  const result = await db.tenant(partnership.id, (tx) =>
    importBoundariesIn(tx, actor, {
      filename: path.basename(file),
      text,
      attribution: values.attribution!.trim(),
      group: values.group!,
      codeProperty: values['code-property'],
      nameProperty: values['name-property'],
    }),
  );
  if (!result.ok) {
    const t = createI18n().translator(DEFAULT_LANGUAGE);
    out.error(
      t('places.import.problem', {
        detail: t(`places.import.problems.${result.detail.key}`, result.detail.vars),
      }),
    );
    return 1;
  }
  const s = result.summary;
  out.log(
    `Imported ${s.features} boundaries from ${path.basename(file)}: ${s.updated} areas updated, ${s.added} added.`,
  );
  for (const name of s.addedNames) out.log(`  added: ${name}`);
  return 0;
}
