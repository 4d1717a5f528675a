import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { createTestPartnership } from '../../../test/helpers/fixtures.js';
import type { Database } from '../db/index.js';
import {
  bounceAddress,
  createMailWorker,
  enqueueMail,
  mailDomain,
  outboxIdFromBounceAddress,
  type MailWorker,
  type MailWorkerOptions,
} from './mailer.js';
import {
  parseMail,
  recordingLogger,
  startCaptureServer,
  type CaptureServer,
} from './smtp-capture.test-helpers.js';

const FROM = 'Heard <no-reply@demo.heard.test>';
const MINUTE = 60_000;

let db: Database;
let partnershipId: string;
let smtp: CaptureServer;
const workers: MailWorker[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  partnershipId = (await createTestPartnership(db, 'a')).id;
});
afterAll(async () => {
  await db?.close();
});
beforeEach(async () => {
  smtp = await startCaptureServer();
  // Each test starts with an empty outbox, so counts are about that test alone.
  await db.system((tx) => tx.execute(sql`delete from outbox`));
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.abort();
  await smtp.close();
});

function worker(options: Partial<MailWorkerOptions> = {}): MailWorker {
  const w = createMailWorker(db, {
    smtpUrl: smtp.url,
    from: FROM,
    outboxDir: path.join(os.tmpdir(), 'heard-unused'),
    log: recordingLogger(),
    ...options,
  });
  workers.push(w);
  return w;
}

async function queue(subject = 'Your concern ABCD-EFGH-JKM', headers: Record<string, string> = {}) {
  return db.tenant(partnershipId, (tx) =>
    enqueueMail(
      tx,
      {
        partnershipId,
        to: 'sam@example.com',
        subject,
        text: 'Plain words',
        html: '<!DOCTYPE html><html lang="en"><body><p>HTML words</p></body></html>',
        headers: { 'Auto-Submitted': 'auto-generated', ...headers },
        purpose: 'test',
      },
      { domain: mailDomain(FROM) },
    ),
  );
}

async function row(id: string) {
  const r = await db.system((tx) =>
    tx.execute(sql`select status, attempts, last_error, claimed_at, sent_at from outbox where id = ${id}`),
  );
  return (
    r as unknown as {
      rows: { status: string; attempts: number; last_error: string | null; sent_at: Date | null }[];
    }
  ).rows[0]!;
}

const later = (ms: number) => () => new Date(Date.now() + ms);

describe('addresses', () => {
  it('takes the Message-ID and bounce domain from MAIL_FROM', () => {
    expect(mailDomain('Heard <no-reply@demo.heard.test>')).toBe('demo.heard.test');
    expect(mailDomain('alerts@Example.ORG')).toBe('example.org');
    expect(mailDomain('no address')).toBe('heard.local');
  });

  it('round-trips an outbox id through the VERP bounce address', () => {
    const id = '3f2b6c1e-9a4d-4e1b-8c2a-0d5e6f7a8b9c';
    const address = bounceAddress(id, 'demo.heard.test');
    expect(address).toBe(`bounces+${id}@demo.heard.test`);
    expect(outboxIdFromBounceAddress(address)).toBe(id);
    expect(outboxIdFromBounceAddress(`<${address.toUpperCase()}>`)).toBe(id);
    expect(outboxIdFromBounceAddress('sam@example.com')).toBeUndefined();
  });
});

describe('sending through SMTP', () => {
  it('sends with the fixed Message-ID, the VERP envelope sender, text, HTML and headers, once', async () => {
    const queued = await queue('Your concern ABCD-EFGH-JKM', {
      'In-Reply-To': '<resident-1@example.com>',
      References: '<resident-1@example.com>',
    });
    expect(queued.messageId).toMatch(/^<[0-9a-f-]{36}@demo\.heard\.test>$/);
    const w = worker();
    expect(await w.drain()).toBe(1);
    expect(smtp.accepted).toHaveLength(1);
    const m = smtp.accepted[0]!;
    expect(m.messageId).toBe(queued.messageId);
    expect(m.envelopeFrom).toBe(`bounces+${queued.id}@demo.heard.test`);
    expect(m.recipients).toEqual(['sam@example.com']);
    expect(m.headers.get('from')).toBe('Heard <no-reply@demo.heard.test>');
    expect(m.subject).toBe('Your concern ABCD-EFGH-JKM');
    expect(m.headers.get('auto-submitted')).toBe('auto-generated');
    expect(m.headers.get('in-reply-to')).toBe('<resident-1@example.com>');
    expect(m.headers.get('references')).toBe('<resident-1@example.com>');
    expect(m.text.trim()).toBe('Plain words');
    expect(m.html).toContain('<p>HTML words</p>');
    expect(await row(queued.id)).toMatchObject({ status: 'sent', attempts: 1, last_error: null });

    // Draining again, by the same worker or a new one, sends nothing more.
    expect(await w.drain()).toBe(0);
    expect(await worker({ clock: later(24 * 60 * MINUTE) }).drain()).toBe(0);
    expect(smtp.accepted).toHaveLength(1);
  });

  it('sends exactly one email when the worker is killed mid-send and another starts after the lease', async () => {
    const queued = await queue();
    const first = worker();
    const held = smtp.holdNext();
    const sending = first.drain();
    // The server has the whole message but has not said 250: the worker dies now.
    await held;
    await first.abort();
    expect(await sending).toBe(0);
    expect(smtp.accepted).toHaveLength(0);
    expect((await row(queued.id)).status).toBe('sending');

    // A worker starting straight away leaves the claim alone while its lease runs…
    expect(await worker().drain()).toBe(0);
    expect(smtp.accepted).toHaveLength(0);

    // …and one starting after the lease sends it.
    const restarted = worker({ clock: later(3 * MINUTE) });
    expect(await restarted.drain()).toBe(1);
    expect(smtp.accepted).toHaveLength(1);
    expect(smtp.accepted[0]!.messageId).toBe(queued.messageId);
    expect(await row(queued.id)).toMatchObject({ status: 'sent', attempts: 2 });

    // And nothing after that, however much later.
    expect(await worker({ clock: later(60 * MINUTE) }).drain()).toBe(0);
    expect(smtp.accepted).toHaveLength(1);
  });

  it('never sends again a message the server accepted, after a restart', async () => {
    const queued = await queue();
    const first = worker();
    expect(await first.drain()).toBe(1);
    await first.abort();
    for (const ms of [0, 3 * MINUTE, 24 * 60 * MINUTE]) {
      expect(await worker({ clock: later(ms) }).drain()).toBe(0);
    }
    expect(smtp.accepted.map((m) => m.messageId)).toEqual([queued.messageId]);
    expect((await row(queued.id)).status).toBe('sent');
  });

  it('sends each message once when two workers drain the queue at the same time', async () => {
    const queued = [];
    for (let i = 0; i < 12; i++) queued.push(await queue(`Message ${i}`));
    const counts = await Promise.all([worker({ batchSize: 3 }).drain(), worker({ batchSize: 3 }).drain()]);
    expect(counts[0] + counts[1]).toBe(12);
    expect(smtp.accepted.map((m) => m.messageId).sort()).toEqual(queued.map((q) => q.messageId).sort());
  });

  it('sends a message queued in the clock’s current millisecond (the database stamps microseconds)', async () => {
    const queued = await queue();
    await db.system((tx) =>
      tx.execute(
        sql`update outbox set next_attempt_at = '2026-12-02T12:00:00.123456Z' where id = ${queued.id}`,
      ),
    );
    expect(await worker({ clock: () => new Date('2026-12-02T12:00:00.123Z') }).drain()).toBe(1);
    expect(smtp.accepted.map((m) => m.messageId)).toEqual([queued.messageId]);
  });

  it('retries a temporary refusal with growing waits, then marks it failed', async () => {
    const queued = await queue();
    smtp.refuseWith(451);
    let now = Date.now();
    const w = worker({ maxAttempts: 3, retryBaseMs: MINUTE, clock: () => new Date(now) });
    expect(await w.drain()).toBe(0);
    expect(await row(queued.id)).toMatchObject({ status: 'pending', attempts: 1 });
    // The first wait is a minute: not due 59 seconds on, due at 61.
    now += 59_000;
    expect(await w.drain()).toBe(0);
    expect((await row(queued.id)).attempts).toBe(1);
    now += 2_000;
    await w.drain();
    expect(await row(queued.id)).toMatchObject({ status: 'pending', attempts: 2 });
    // The second wait is two minutes.
    now += MINUTE + 1_000;
    await w.drain();
    expect((await row(queued.id)).attempts).toBe(2);
    now += MINUTE;
    await w.drain();
    const failed = await row(queued.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
    expect(failed.last_error).toContain('451');
    expect(smtp.accepted).toHaveLength(0);
  });

  it('marks a permanent refusal (5xx) failed at once', async () => {
    const queued = await queue();
    smtp.refuseWith(550);
    await worker().drain();
    expect(await row(queued.id)).toMatchObject({ status: 'failed', attempts: 1 });
    smtp.refuseWith(undefined);
    expect(await worker({ clock: later(24 * 60 * MINUTE) }).drain()).toBe(0);
    expect(smtp.accepted).toHaveLength(0);
  });
});

describe('without SMTP_URL', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'heard-outbox-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes each message as an .eml file, once, and logs its path', async () => {
    const one = await queue('First');
    const two = await queue('Second');
    const log = recordingLogger();
    const w = worker({ smtpUrl: undefined, outboxDir: dir, log });
    expect(await w.drain()).toBe(2);
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    for (const f of files) expect(f).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-[0-9a-f-]{36}\.eml$/);
    const byId = new Map(files.map((f) => [f.slice(-40, -4), f]));
    const first = parseMail(await readFile(path.join(dir, byId.get(one.id)!), 'utf8'));
    expect(first.messageId).toBe(one.messageId);
    expect(first.subject).toBe('First');
    expect(first.text.trim()).toBe('Plain words');
    expect(first.html).toContain('HTML words');
    expect(byId.has(two.id)).toBe(true);
    const written = log.lines.filter((l) => l.msg.includes('file'));
    expect(written.map((l) => (l.obj as { file: string }).file).sort()).toEqual(
      files.map((f) => path.join(dir, f)),
    );

    // A worker that died after writing but before recording: the rows come back, the files do not double.
    const before = await stat(path.join(dir, byId.get(one.id)!));
    await db.system((tx) => tx.execute(sql`update outbox set status = 'pending', sent_at = null`));
    expect(await worker({ smtpUrl: undefined, outboxDir: dir }).drain()).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(files);
    expect((await stat(path.join(dir, byId.get(one.id)!))).mtimeMs).toBe(before.mtimeMs);
    expect((await row(one.id)).status).toBe('sent');
    // And a second drain finds nothing to do.
    expect(await worker({ smtpUrl: undefined, outboxDir: dir }).drain()).toBe(0);
    expect(await readdir(dir)).toHaveLength(2);
  });
});
