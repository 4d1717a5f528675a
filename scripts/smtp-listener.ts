import { existsSync } from 'node:fs';
import closeWithGrace from 'close-with-grace';
import { createImapPoller } from '../src/capabilities/email/email.imap.js';
import { createSmtpListener } from '../src/capabilities/email/email.inbound.js';
import { createEmailService, type Log } from '../src/capabilities/email/email.service.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/platform/db/index.js';
import { buildServices } from '../src/services.js';

/**
 * Email in, as its own process, for deployments that run the web app and the mail listener apart:
 * `npx tsx scripts/smtp-listener.ts`. Same configuration as `npm start` (SMTP_PORT, SMTP_HOST,
 * SMTP_MAX_BYTES, SMTP_TLS_KEY/CERT, IMAP_URL, IMAP_PARTNERSHIP, DATABASE_URL).
 */
if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
if (!config.smtpPort && !(config.imapUrl && config.imapPartnership)) {
  console.error('Nothing to do: SMTP_PORT is 0 and IMAP_URL / IMAP_PARTNERSHIP are not both set.');
  process.exit(1);
}
if (!config.databaseUrl) {
  console.warn(
    `No DATABASE_URL: using PGlite in ${config.dataDir}, which only one process can open at a time. ` +
      'Stop `npm start` first, or use PostgreSQL to run the web app and this listener side by side.',
  );
}

const line = (level: string) => (obj: object, msg?: string) =>
  console.log(JSON.stringify({ level, time: new Date().toISOString(), msg, ...obj }, errorFields));
function errorFields(_key: string, value: unknown) {
  return value instanceof Error ? { message: value.message, stack: value.stack } : value;
}
const log: Log = { info: line('info'), warn: line('warn'), error: line('error') };

const db = await openDatabase(config);
const services = buildServices(db, config);
// One intake, so the listener and the poller process one message at a time between them.
const email = createEmailService(db, {
  concerns: services.concerns,
  partnerships: services.partnerships,
  log,
});
const smtp = config.smtpPort ? createSmtpListener({ db, services, config, log, email }) : undefined;
const imap = createImapPoller({ db, services, config, log, email });

closeWithGrace({ delay: 10_000 }, async ({ err }) => {
  if (err) log.error({ err }, 'closing after an error');
  await smtp?.close();
  await imap.stop();
  await db.close();
});

if (smtp) {
  const port = await smtp.listen();
  console.log(`Heard email in: SMTP listening on ${config.smtpHost}:${port}`);
}
if (imap.enabled) {
  await imap.start();
  console.log(`Heard email in: polling IMAP every minute for partnership "${config.imapPartnership}"`);
}
