import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { Database } from '../../platform/db/index.js';
import { enqueueMail } from '../../platform/mail/mailer.js';
import { outbox } from '../../platform/mail/outbox.table.js';
import { concerns } from '../concerns/concerns.table.js';
import { createSmtpListener, type SmtpListener } from './email.inbound.js';
import { inboundMessages } from './email.table.js';

/** Real SMTP: nodemailer talks to the listener on an ephemeral port. */
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let t: TestApp;
let listener: SmtpListener;
let port: number;

function start(
  overrides: { db?: Database; smtpMaxBytes?: number; tls?: { key: string; cert: string } } = {},
) {
  return createSmtpListener({
    db: overrides.db ?? t.db,
    services: t.services,
    config: {
      ...t.config,
      smtpPort: 0,
      smtpHost: '127.0.0.1',
      smtpMaxBytes: overrides.smtpMaxBytes ?? t.config.smtpMaxBytes,
      smtpTlsKey: overrides.tls?.key,
      smtpTlsCert: overrides.tls?.cert,
    },
    log: quiet,
    sweepIntervalMs: 0,
  });
}

function send(to: number, message: Mail.Options, transport: Record<string, unknown> = {}) {
  return nodemailer
    .createTransport({ host: '127.0.0.1', port: to, secure: false, ignoreTLS: true, ...transport })
    .sendMail(message);
}

const smtpError = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the server to refuse');
    },
    (err: { responseCode?: number; response?: string }) => err,
  );

async function inboundCount(): Promise<number> {
  const rows = await t.db.system((tx) => tx.select({ id: inboundMessages.id }).from(inboundMessages));
  return rows.length;
}

async function concernsFrom(partnershipId: string, email: string) {
  return t.db.system((tx) =>
    tx
      .select()
      .from(concerns)
      .where(and(eq(concerns.partnershipId, partnershipId), eq(concerns.contactEmail, email))),
  );
}

beforeAll(async () => {
  t = await buildTestApp();
  listener = start();
  port = await listener.listen();
});

afterAll(async () => {
  await listener.close();
  await t.close();
});

describe('SMTP listener', () => {
  it('accepts mail for a partnership address, stores it raw, and makes a concern of it', async () => {
    const info = await send(port, {
      from: '"Ann Resident" <ann@example.org>',
      to: 'concerns@a.test',
      subject: 'Broken streetlight on Elm Road',
      text: 'The streetlight outside number 12 has been out for a week and people feel unsafe.',
    });
    expect(info.response).toMatch(/^250 2\.6\.0 Accepted: queued as [0-9a-f-]{36}$/);
    await listener.email.idle();

    const id = /queued as (\S+)/.exec(info.response)![1]!;
    const [row] = await t.db.system((tx) =>
      tx.select().from(inboundMessages).where(eq(inboundMessages.id, id)),
    );
    expect(row).toMatchObject({
      partnershipId: t.a.id,
      via: 'smtp',
      envelopeFrom: 'ann@example.org',
      recipients: ['concerns@a.test'],
      status: 'processed',
      classification: 'concern',
    });
    expect(row!.raw.toString()).toContain('Subject: Broken streetlight on Elm Road');
    expect(row!.messageId).toBe(info.messageId);

    const [concern] = await concernsFrom(t.a.id, 'ann@example.org');
    expect(concern).toMatchObject({
      id: row!.concernId,
      channel: 'email',
      anonymous: false,
      contactName: 'Ann Resident',
      preferredContact: 'email',
      consentToShare: false,
      kind: 'concern',
      topic: 'something_else',
      language: 'en',
      description:
        'Broken streetlight on Elm Road\n\nThe streetlight outside number 12 has been out for a week and people feel unsafe.',
    });
  });

  it('matches the partnership address whatever its case', async () => {
    await send(port, { from: 'case@example.org', to: 'Concerns@A.Test', subject: 'Case', text: 'Hello' });
    await listener.email.idle();
    expect(await concernsFrom(t.a.id, 'case@example.org')).toHaveLength(1);
  });

  it('refuses an unknown recipient with 550 5.1.1, and stores nothing', async () => {
    const before = await inboundCount();
    const err = await smtpError(
      send(port, { from: 'ann@example.org', to: 'someone@a.test', subject: 'x', text: 'x' }),
    );
    expect(err.responseCode).toBe(550);
    expect(err.response).toMatch(/^550 5\.1\.1 No mailbox here for <someone@a\.test>/);
    expect(await inboundCount()).toBe(before);
  });

  it('refuses a message over the size limit with 552, and stores nothing', async () => {
    const small = start({ smtpMaxBytes: 4096 });
    const smallPort = await small.listen();
    try {
      const before = await inboundCount();
      const err = await smtpError(
        send(smallPort, {
          from: 'ann@example.org',
          to: 'concerns@a.test',
          subject: 'Big',
          text: 'x'.repeat(20_000),
        }),
      );
      expect(err.responseCode).toBe(552);
      expect(await inboundCount()).toBe(before);
    } finally {
      await small.close();
    }
  });

  it('answers 451 when the message cannot be stored, so the sender retries, and stores nothing', async () => {
    const broken: Database = { ...t.db, tenant: () => Promise.reject(new Error('disk full')) };
    const failing = start({ db: broken });
    const failingPort = await failing.listen();
    try {
      const before = await inboundCount();
      const err = await smtpError(
        send(failingPort, { from: 'ann@example.org', to: 'concerns@a.test', subject: 'Lost?', text: 'No.' }),
      );
      expect(err.responseCode).toBe(451);
      expect(err.response).toMatch(/^451 4\.3\.0 /);
      expect(await inboundCount()).toBe(before);
      expect(await concernsFrom(t.a.id, 'ann@example.org')).toHaveLength(1);
    } finally {
      await failing.close();
    }
  });

  it('files mail to concerns@b.test in partnership B only', async () => {
    await send(port, {
      from: 'bea@example.org',
      to: 'concerns@b.test',
      subject: 'Graffiti',
      text: 'On the bridge.',
    });
    await listener.email.idle();
    expect(await concernsFrom(t.b.id, 'bea@example.org')).toHaveLength(1);
    expect(await concernsFrom(t.a.id, 'bea@example.org')).toHaveLength(0);
  });

  it('stores one copy per partnership when a message is addressed to both', async () => {
    await send(port, {
      from: 'both@example.org',
      to: ['concerns@a.test', 'concerns@b.test'],
      subject: 'Both',
      text: 'To both partnerships.',
    });
    await listener.email.idle();
    expect(await concernsFrom(t.a.id, 'both@example.org')).toHaveLength(1);
    expect(await concernsFrom(t.b.id, 'both@example.org')).toHaveLength(1);
  });

  it('records a bounce to a VERP address against the message it answers, and makes no concern', async () => {
    const [sent] = await t.db.tenant(t.a.id, async (tx) => {
      await enqueueMail(tx, {
        partnershipId: t.a.id,
        to: 'gone@example.net',
        subject: 'Your concern',
        text: 'Thank you',
        purpose: 'acknowledgement',
      });
      return tx.select().from(outbox).where(eq(outbox.toAddress, 'gone@example.net'));
    });
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
      `To: bounces+${sent!.id}@a.test`,
      'Subject: Undelivered Mail Returned to Sender',
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      'Final-Recipient: rfc822; gone@example.net',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <gone@example.net>: Recipient address rejected',
      '--b1--',
      '',
    ].join('\r\n');
    await send(port, { envelope: { from: '', to: [`bounces+${sent!.id}@a.test`] }, raw: dsn });
    await listener.email.idle();

    const [after] = await t.db.system((tx) => tx.select().from(outbox).where(eq(outbox.id, sent!.id)));
    expect(after!.bouncedAt).toBeInstanceOf(Date);
    expect(after!.bounceReason).toBe('5.1.1 smtp; 550 5.1.1 <gone@example.net>: Recipient address rejected');
    const [row] = await t.db.system((tx) =>
      tx.select().from(inboundMessages).where(eq(inboundMessages.outboxId, sent!.id)),
    );
    expect(row).toMatchObject({
      status: 'ignored',
      classification: 'bounce',
      envelopeFrom: '',
      concernId: null,
    });
    expect(await concernsFrom(t.a.id, 'mailer-daemon@mx.example.net')).toHaveLength(0);
  });

  it('records a bounce by the Message-ID in the returned headers', async () => {
    const [sent] = await t.db.tenant(t.a.id, async (tx) => {
      await enqueueMail(tx, {
        partnershipId: t.a.id,
        to: 'full@example.net',
        subject: 'Update on your concern',
        text: 'Update',
        purpose: 'update',
      });
      return tx.select().from(outbox).where(eq(outbox.toAddress, 'full@example.net'));
    });
    const dsn = [
      'From: postmaster@mx.example.net',
      'To: concerns@a.test',
      'Subject: Delivery Status Notification (Failure)',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b2"',
      '',
      '--b2',
      'Content-Type: message/delivery-status',
      '',
      'Final-Recipient: rfc822; full@example.net',
      'Action: failed',
      'Status: 5.2.2',
      '--b2',
      'Content-Type: text/rfc822-headers',
      '',
      'From: Heard <no-reply@a.test>',
      'To: full@example.net',
      `Message-ID: ${sent!.messageId}`,
      'Subject: Update on your concern',
      '--b2--',
      '',
    ].join('\r\n');
    await send(port, { envelope: { from: '', to: ['concerns@a.test'] }, raw: dsn });
    await listener.email.idle();
    const [after] = await t.db.system((tx) => tx.select().from(outbox).where(eq(outbox.id, sent!.id)));
    expect(after!.bounceReason).toBe('5.2.2');
  });

  it('processes, when it starts, what was stored but never processed (a crash after the 250)', async () => {
    const id = await listener.email.store({
      partnershipId: t.a.id,
      via: 'smtp',
      envelopeFrom: 'crash@example.org',
      recipients: ['concerns@a.test'],
      raw: Buffer.from('From: crash@example.org\r\nSubject: After a crash\r\n\r\nStill here.\r\n'),
    });
    const restarted = start();
    await restarted.listen();
    await restarted.close();
    const [row] = await t.db.system((tx) =>
      tx.select().from(inboundMessages).where(eq(inboundMessages.id, id)),
    );
    expect(row).toMatchObject({ status: 'processed', classification: 'concern' });
    expect(await concernsFrom(t.a.id, 'crash@example.org')).toHaveLength(1);
  });

  it('does not offer STARTTLS without a certificate', async () => {
    const err = await smtpError(
      send(
        port,
        { from: 'tls@example.org', to: 'concerns@a.test', subject: 'x', text: 'x' },
        { ignoreTLS: false, requireTLS: true },
      ),
    );
    expect(String((err as Error).message)).toMatch(/STARTTLS/);
  });

  it('offers STARTTLS when a key and certificate are configured', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heard-tls-'));
    try {
      const key = path.join(dir, 'key.pem');
      const cert = path.join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
        ],
        { stdio: 'ignore' },
      );
      const secure = start({ tls: { key, cert } });
      const securePort = await secure.listen();
      try {
        const info = await send(
          securePort,
          { from: 'tls@example.org', to: 'concerns@a.test', subject: 'Over TLS', text: 'Encrypted.' },
          { ignoreTLS: false, requireTLS: true, tls: { rejectUnauthorized: false } },
        );
        expect(info.response).toMatch(/^250 /);
        await secure.email.idle();
        expect(await concernsFrom(t.a.id, 'tls@example.org')).toHaveLength(1);
      } finally {
        await secure.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
