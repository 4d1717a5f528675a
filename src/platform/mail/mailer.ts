import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { Database, Tx } from '../db/index.js';
import { outboxRepository } from './outbox.repository.js';

export interface OutgoingMail {
  partnershipId: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  purpose: string;
  concernId?: string;
  language?: string;
}

/** Queue a message in the caller's transaction; the worker sends it after commit. */
export async function enqueueMail(tx: Tx, mail: OutgoingMail): Promise<void> {
  await outboxRepository.enqueue(tx, {
    partnershipId: mail.partnershipId,
    toAddress: mail.to,
    subject: mail.subject,
    textBody: mail.text,
    htmlBody: mail.html ?? null,
    headers: mail.headers ?? {},
    messageId: `<${randomUUID()}@heard.local>`,
    purpose: mail.purpose,
    concernId: mail.concernId ?? null,
    language: mail.language ?? 'en',
  });
}

export interface MailWorker {
  /** Sends what is due now; returns how many were sent. */
  drain(): Promise<number>;
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

/**
 * Sends queued mail through nodemailer: SMTP_URL in production; in development, with no SMTP
 * server configured, messages are written to the log instead so the demo works offline.
 */
export function createMailWorker(
  db: Database,
  options: { smtpUrl: string | undefined; from: string; log: FastifyBaseLogger },
): MailWorker {
  const transport = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl)
    : nodemailer.createTransport({ jsonTransport: true });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function drain(): Promise<number> {
    let sent = 0;
    const batch = await db.system(async (tx) => {
      const due = await outboxRepository.claimDue(tx, 20);
      const results: { id: string; ok: boolean; error?: string; attempts: number }[] = [];
      for (const m of due) {
        try {
          const info = await transport.sendMail({
            from: options.from,
            to: m.toAddress,
            subject: m.subject,
            text: m.textBody,
          });
          if (!options.smtpUrl)
            options.log.info(
              { to: m.toAddress, subject: m.subject, purpose: m.purpose, message: info.message },
              'mail (no SMTP_URL: logged, not sent)',
            );
          results.push({ id: m.id, ok: true, attempts: m.attempts + 1 });
        } catch (err) {
          results.push({ id: m.id, ok: false, error: (err as Error).message, attempts: m.attempts + 1 });
        }
      }
      for (const r of results) {
        if (r.ok) {
          await outboxRepository.markSent(tx, r.id);
          sent++;
        } else await outboxRepository.markFailed(tx, r.id, r.error ?? 'unknown', r.attempts);
      }
      return results.length;
    });
    return batch === 0 ? 0 : sent;
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
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
