import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { Database, Tx } from '../db/index.js';
import { outboxRepository, type OutboxInsert, type OutboxRow } from './outbox.repository.js';

export interface OutgoingMail {
  partnershipId: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers: Auto-Submitted, Reply-To, In-Reply-To, References… */
  headers?: Record<string, string>;
  purpose: string;
  concernId?: string;
  language?: string;
}

/** The domain of an address such as `Heard <no-reply@demo.heard.test>`; `heard.local` if there is none. */
export function mailDomain(address: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(address.trim());
  return match ? match[1]!.toLowerCase() : 'heard.local';
}

/**
 * The envelope sender (MAIL FROM) of an outbox message: bounces+<outbox id>@<domain> (VERP), so a
 * bounce names the message it answers even when the remote server mangles the original headers.
 */
export function bounceAddress(outboxId: string, domain: string): string {
  return `bounces+${outboxId}@${domain}`;
}

/** The outbox id a VERP bounce address was made for, or undefined if it is not one of ours. */
export function outboxIdFromBounceAddress(address: string): string | undefined {
  const match = /^bounces\+([0-9a-f-]{36})@/i.exec(address.trim().replace(/^<|>$/g, ''));
  return match ? match[1]!.toLowerCase() : undefined;
}

/**
 * The outbox row for a message, for a caller that stores it in the same statement as the change
 * that caused it (a new concern and its acknowledgement). The Message-ID is fixed now, so a retry
 * re-sends the same message and replies can be matched to it.
 */
export function outboxRow(mail: OutgoingMail, options: { domain?: string } = {}): OutboxInsert {
  return {
    partnershipId: mail.partnershipId,
    toAddress: mail.to,
    subject: mail.subject,
    textBody: mail.text,
    htmlBody: mail.html ?? null,
    headers: mail.headers ?? {},
    messageId: `<${randomUUID()}@${options.domain ?? 'heard.local'}>`,
    purpose: mail.purpose,
    concernId: mail.concernId ?? null,
    language: mail.language ?? 'en',
  };
}

/**
 * Queue a message in the caller's transaction; the worker sends it after commit, so it is sent if and
 * only if the change that caused it is committed.
 */
export async function enqueueMail(
  tx: Tx,
  mail: OutgoingMail,
  options: { domain?: string } = {},
): Promise<{ id: string; messageId: string }> {
  const row = outboxRow(mail, options);
  const id = await outboxRepository.enqueue(tx, row);
  return { id, messageId: row.messageId };
}

export interface MailWorker {
  /** Sends everything due now; returns how many were sent (or written). */
  drain(): Promise<number>;
  start(intervalMs?: number): void;
  /** Stops taking new work and waits for the messages in hand to finish. */
  stop(): Promise<void>;
  /**
   * Stops at once, as a crash would: the SMTP connection in use is dropped and nothing more is
   * written to the database. Claimed messages stay 'sending' until their lease runs out.
   */
  abort(): Promise<void>;
}

export interface MailWorkerOptions {
  /** smtp://host:port; unset, messages are written as .eml files into outboxDir. */
  smtpUrl: string | undefined;
  /** The From header, e.g. `Heard <no-reply@demo.heard.test>`; its domain is used for VERP. */
  from: string;
  outboxDir: string;
  log: FastifyBaseLogger;
  batchSize?: number;
  /** A claim older than this is taken to belong to a worker that died, and is retried. */
  leaseMs?: number;
  /** After this many attempts a message is marked failed. */
  maxAttempts?: number;
  /** The first retry waits this long; each later one twice as long as the one before. */
  retryBaseMs?: number;
  /** For tests: the time the worker believes it is. */
  clock?: () => Date;
}

const LEASE_MS = 2 * 60_000;

/**
 * The outbox worker. How it avoids both losing and repeating mail:
 *
 * 1. Claim: one short transaction marks a batch of due rows 'sending' with claimed_at = now (FOR UPDATE
 *    SKIP LOCKED, so several workers share the queue without taking the same row) and COMMITS before
 *    any mail leaves. Due rows are 'pending' ones whose next attempt has come, and 'sending' ones whose
 *    claim is older than the lease: their worker died.
 * 2. Send: each message goes out with its fixed Message-ID. Each send is cut off well inside the lease
 *    (half of it), so a live worker's claim never expires while the server is still talking to it and
 *    a second worker cannot pick the same row up.
 * 3. Record: the moment the server accepts (250 after DATA), the row is marked 'sent' in its own
 *    statement. A failure puts it back to 'pending' with exponential backoff, or 'failed' when the
 *    attempts are used up or the server refused it permanently (5xx).
 *
 * A worker killed before the server accepted leaves the row 'sending'; after the lease the next worker
 * sends it again, and since nothing was accepted the resident receives it once. A worker killed
 * between the server's 250 and the UPDATE in step 3 (a few milliseconds, one local round trip) sends
 * it twice: at-least-once delivery with a tiny window, which SMTP itself cannot close (RFC 1047).
 * The fixed Message-ID lets mail clients recognise and fold such a duplicate. Without SMTP_URL the
 * .eml file is written atomically and skipped if it already exists, so that mode has no window at all.
 */
export function createMailWorker(db: Database, options: MailWorkerOptions): MailWorker {
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const maxAttempts = options.maxAttempts ?? 8;
  const retryBaseMs = options.retryBaseMs ?? 60_000;
  const clock = options.clock ?? (() => new Date());
  const domain = mailDomain(options.from);
  const toFiles = !options.smtpUrl;
  const transport = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  // Aborting drops the SMTP connection in use: the nearest thing to a crash a test can cause.
  const killSwitch = new AbortController();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  const emlPath = (m: OutboxRow) =>
    path.join(options.outboxDir, `${m.createdAt.toISOString().replace(/[:.]/g, '-')}-${m.id}.eml`);

  function message(m: OutboxRow) {
    const { 'In-Reply-To': inReplyTo, References: references, ...headers } = m.headers;
    return {
      from: options.from,
      to: m.toAddress,
      subject: m.subject,
      text: m.textBody,
      ...(m.htmlBody ? { html: m.htmlBody } : {}),
      messageId: m.messageId,
      ...(inReplyTo ? { inReplyTo } : {}),
      ...(references ? { references } : {}),
      headers,
      envelope: { from: bounceAddress(m.id, domain), to: m.toAddress },
    };
  }

  /** Writes tmp then renames, so a reader never sees half a message; an existing file is left alone. */
  async function writeEml(m: OutboxRow): Promise<void> {
    const file = emlPath(m);
    if (existsSync(file)) return;
    const info = await transport.sendMail(message(m));
    await mkdir(options.outboxDir, { recursive: true });
    const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await writeFile(tmp, (info as unknown as { message: Buffer }).message);
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    options.log.info({ outboxId: m.id, purpose: m.purpose, file }, 'mail written to a file (no SMTP_URL)');
  }

  async function deliver(m: OutboxRow): Promise<void> {
    if (toFiles) return writeEml(m);
    await transport.sendMail({
      ...message(m),
      signal: AbortSignal.any([killSwitch.signal, AbortSignal.timeout(Math.max(1000, leaseMs / 2))]),
    });
  }

  async function drain(): Promise<number> {
    let sent = 0;
    // Each round claims what is due; sent and retried rows are no longer due, so this ends.
    for (let round = 0; round < 100 && !stopped; round++) {
      const now = clock();
      const claimed = await db.system((tx) =>
        outboxRepository.claimDue(tx, { limit: batchSize, now, leaseMs }),
      );
      if (claimed.length === 0) break;
      for (const m of claimed) {
        if (killSwitch.signal.aborted) return sent;
        if (m.attempts > maxAttempts) {
          // Claimed again and again without an answer (a worker dying on this message): stop trying.
          await db.system((tx) =>
            outboxRepository.markFailed(tx, m.id, 'no answer after repeated attempts', null),
          );
          continue;
        }
        try {
          await deliver(m);
        } catch (err) {
          // A killed worker writes nothing more; the lease brings the message back.
          if (killSwitch.signal.aborted) return sent;
          const e = err as { message?: string; responseCode?: number };
          const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
          const giveUp = permanent || m.attempts >= maxAttempts;
          const retryAt = new Date(clock().getTime() + retryBaseMs * 2 ** (m.attempts - 1));
          await db.system((tx) =>
            outboxRepository.markFailed(tx, m.id, e.message ?? 'unknown error', giveUp ? null : retryAt),
          );
          options.log.warn(
            { outboxId: m.id, purpose: m.purpose, attempts: m.attempts, giveUp, err: e.message },
            'mail not sent',
          );
          continue;
        }
        if (killSwitch.signal.aborted) return sent;
        // Straight after the server's 250: the window for a repeat is this one statement.
        await db.system((tx) => outboxRepository.markSent(tx, m.id, clock()));
        sent++;
      }
    }
    return sent;
  }

  return {
    drain,
    start(intervalMs = 5000) {
      timer = setInterval(() => {
        running ??= drain()
          .catch((err: unknown) => {
            options.log.error({ err }, 'mail worker failed');
            return 0;
          })
          .finally(() => {
            running = undefined;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
      transport.close();
    },
    async abort() {
      stopped = true;
      if (timer) clearInterval(timer);
      killSwitch.abort(new Error('mail worker aborted'));
      await running?.catch(() => 0);
      transport.close();
    },
  };
}
