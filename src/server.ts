import { existsSync } from 'node:fs';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { createEmailService, createImapPoller, createSmtpListener } from './capabilities/email/index.js';
import { loadConfig } from './config.js';
import { openDatabase } from './platform/db/index.js';
import { createMailWorker } from './platform/mail/mailer.js';
import { seedDemo, demoSignIns } from './platform/seed/demo.js';
import { buildServices } from './services.js';

/** The only file that opens a port: migrate, seed the demo once, listen, and close gracefully. */
if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
const db = await openDatabase(config);
const services = buildServices(db, config);
const seeded = config.demoSeed ? await seedDemo(db, services, config) : undefined;
const app = await buildApp({ config, db, services });
const mail = createMailWorker(db, {
  smtpUrl: config.smtpUrl,
  from: config.mailFrom,
  outboxDir: config.outboxDir,
  log: app.log,
});
mail.start();
// Email in: the SMTP listener (SMTP_PORT; 0 turns it off) and, when configured, an IMAP mailbox, sharing one intake.
const inbound = createEmailService(db, {
  concerns: services.concerns,
  partnerships: services.partnerships,
  log: app.log,
});
const smtp = config.smtpPort
  ? createSmtpListener({ db, services, config, log: app.log, email: inbound })
  : undefined;
const imap = createImapPoller({ db, services, config, log: app.log, email: inbound });
// The overdue digest: checked hourly, queued at most once a day per organisation (from 7am London time).
const digests = async () => {
  try {
    await services.notifications.sendDailyDigests(new Date());
  } catch (err) {
    app.log.error({ err }, 'overdue digest failed');
  }
};
await digests();
const digestTimer = setInterval(() => void digests(), 60 * 60_000);
digestTimer.unref();
// Housekeeping: expired drafts and sessions go every quarter hour (and once now).
const housekeeping = async () => {
  try {
    await services.share.purgeExpired();
    await services.auth.purgeExpiredSessions();
    // Closed resettlement cases past their retention date are anonymised; their audit trail stays.
    await services.resettlement.anonymiseExpired();
  } catch (err) {
    app.log.error({ err }, 'housekeeping failed');
  }
  // The triage classifier: retrained when due, and a suggestion for every new concern.
  try {
    await services.suggestions.scheduled();
  } catch (err) {
    app.log.error({ err }, 'triage classifier housekeeping failed');
  }
};
await housekeeping();
const housekeepingTimer = setInterval(() => void housekeeping(), 15 * 60_000);
housekeepingTimer.unref();

// The dashboard's daily rollup: changed days rolled up every minute (and now, which after an upgrade
// rolls up every day that already has concerns). The dashboard is exact either way; this keeps it fast.
let rolling = false;
const rollup = async () => {
  // A first refresh of years of concerns can take longer than the minute: never two at once.
  if (rolling) return;
  rolling = true;
  try {
    await services.insight.refreshRollups(new Date());
  } catch (err) {
    app.log.error({ err }, 'insight rollup refresh failed');
  } finally {
    rolling = false;
  }
};
await rollup();
const rollupTimer = setInterval(() => void rollup(), 60_000);
rollupTimer.unref();

closeWithGrace({ delay: 10_000 }, async ({ err }) => {
  if (err) app.log.error({ err }, 'closing after an error');
  clearInterval(rollupTimer);
  clearInterval(housekeepingTimer);
  clearInterval(digestTimer);
  await app.close();
  await smtp?.close();
  await imap.stop();
  await mail.stop();
  await db.close();
});

await app.listen({ host: config.host, port: config.port });
const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
const lines = [``, `Heard is running at ${config.publicUrl}  (data: ${where})`];
if (smtp)
  lines.push(
    `Email in: SMTP listening on port ${await smtp.listen()} (see src/capabilities/email/README.md)`,
  );
if (imap.enabled) await imap.start();
if (seeded) {
  lines.push(`Demo partnership: ${seeded.name}${seeded.created ? ' (created now)' : ''}`);
  lines.push(`Staff sign in at ${config.publicUrl}/staff/sign-in with password "${config.demoPassword}"`);
  lines.push(`and a code from an authenticator app set up with the secret ${config.demoTotpSecret}:`);
  for (const s of demoSignIns()) lines.push(`  ${s.email.padEnd(30)} ${s.description}`);
}
console.log(lines.join('\n'));
