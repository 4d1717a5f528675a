import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Config } from '../../config.js';
import type { Database } from '../../platform/db/index.js';
import type { PartnershipDirectory, PartnershipSummary } from '../../platform/tenancy/tenancy.service.js';
import type { ConcernsService } from '../concerns/concerns.service.js';
import { createEmailService, type EmailService, type Log } from './email.service.js';

/**
 * The SMTP listener residents' mail arrives at. It accepts mail only for a partnership's own
 * addresses (and the VERP bounce addresses of our outgoing mail), stores each message raw, and only
 * once that row is committed answers 250. Anything that goes wrong before then is a 4xx, so the
 * sending server keeps the message and tries again: an acknowledged message is never lost.
 */

export interface IntakeServices {
  partnerships: PartnershipDirectory;
  concerns: ConcernsService;
}

export interface SmtpListenerOptions {
  db: Database;
  services: IntakeServices;
  config: Pick<Config, 'smtpPort' | 'smtpHost' | 'smtpMaxBytes' | 'smtpTlsKey' | 'smtpTlsCert' | 'publicUrl'>;
  log: Log;
  /** Shares one intake (and its processing queue) with an IMAP poller; built from db otherwise. */
  email?: EmailService;
  /** How often to look for stored messages nobody processed; 0 turns the periodic sweep off. */
  sweepIntervalMs?: number;
}

export interface SmtpListener {
  /** Starts listening (port 0 picks a free one) and returns the port. */
  listen(): Promise<number>;
  close(): Promise<void>;
  /** The intake behind the listener, e.g. to wait until processing is done (idle()). */
  email: EmailService;
}

const BOUNCE_ADDRESS = /^bounces\+[^@]+@(.+)$/;

/** The partnership an address belongs to: one of its inbound addresses, or a VERP bounce address on its domain. */
export function partnershipForRecipient(
  address: string,
  list: readonly PartnershipSummary[],
): PartnershipSummary | undefined {
  const wanted = address.trim().toLowerCase();
  const direct = list.find((p) => p.inboundAddresses.some((a) => a.toLowerCase() === wanted));
  if (direct) return direct;
  const domain = BOUNCE_ADDRESS.exec(wanted)?.[1];
  if (!domain) return undefined;
  return list.find((p) => p.inboundAddresses.some((a) => a.toLowerCase().split('@')[1] === domain));
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** A PEM value straight from the environment, or the path of a file holding it. */
function pem(value: string): Buffer {
  return value.includes('-----BEGIN') ? Buffer.from(value) : readFileSync(value);
}

export function createSmtpListener(options: SmtpListenerOptions): SmtpListener {
  const { db, services, config, log } = options;
  const email =
    options.email ??
    createEmailService(db, { concerns: services.concerns, partnerships: services.partnerships, log });
  const tls =
    config.smtpTlsKey && config.smtpTlsCert
      ? { key: pem(config.smtpTlsKey), cert: pem(config.smtpTlsCert) }
      : undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let startup: Promise<unknown> = Promise.resolve();

  async function recipientsByPartnership(session: SMTPServerSession) {
    const list = await services.partnerships.all();
    const groups = new Map<string, string[]>();
    for (const rcpt of session.envelope.rcptTo) {
      const p = partnershipForRecipient(rcpt.address, list);
      if (p) groups.set(p.id, [...(groups.get(p.id) ?? []), rcpt.address.toLowerCase()]);
    }
    return groups;
  }

  function readAll(stream: SMTPServerDataStream): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the limit we keep reading (the client is still sending) but keep nothing.
        if (size <= config.smtpMaxBytes) chunks.push(chunk);
      });
      stream.once('error', reject);
      stream.once('end', () =>
        resolve(stream.sizeExceeded || size > config.smtpMaxBytes ? undefined : Buffer.concat(chunks)),
      );
    });
  }

  const server = new SMTPServer({
    name: new URL(config.publicUrl).hostname,
    banner: 'Heard: write to your Community Safety Partnership',
    size: config.smtpMaxBytes,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    hideSTARTTLS: !tls,
    // RFC 3463 codes (550 5.1.1, 451 4.3.0, 552 5.3.4) tell the sending server exactly what went wrong.
    hideENHANCEDSTATUSCODES: false,
    ...(tls ?? {}),
    logger: false,
    disableReverseLookup: true,
    maxClients: 100,
    socketTimeout: 60_000,
    closeTimeout: 5_000,

    onRcptTo(address, _session, callback) {
      services.partnerships
        .all()
        .then((list) => {
          if (partnershipForRecipient(address.address, list)) return callback();
          callback(
            smtpError(550, `No mailbox here for <${address.address}>: check the address and send again`),
          );
        })
        .catch((err: unknown) => {
          log.error({ err }, 'smtp: could not look up recipients');
          callback(smtpError(451, 'Temporary problem looking up the recipient: please try again later'));
        });
    },

    onData(stream, session, callback) {
      void (async () => {
        let raw: Buffer | undefined;
        try {
          raw = await readAll(stream);
        } catch (err) {
          log.warn({ err }, 'smtp: reading the message failed');
          return callback(smtpError(451, 'The message could not be read: please try again'));
        }
        if (!raw) {
          return callback(
            smtpError(552, `Message too big: the limit is ${config.smtpMaxBytes} bytes, send a smaller one`),
          );
        }
        const stored: { id: string; partnershipId: string }[] = [];
        try {
          const groups = await recipientsByPartnership(session);
          // Recipients accepted a moment ago but no longer anyone's (a partnership changed): try again later.
          if (groups.size === 0) throw new Error('No partnership for the accepted recipients');
          const mailFrom = session.envelope.mailFrom;
          for (const [partnershipId, recipients] of groups) {
            const id = await email.store({
              partnershipId,
              via: 'smtp',
              envelopeFrom: mailFrom ? mailFrom.address : '',
              recipients,
              raw,
            });
            stored.push({ id, partnershipId });
          }
        } catch (err) {
          log.error({ err }, 'smtp: storing a message failed; answered 451 so the sender retries');
          return callback(smtpError(451, 'Temporary problem storing the message: please try again later'));
        }
        // Stored and committed: now, and only now, accept it.
        callback(null, `Accepted: queued as ${stored.map((s) => s.id).join(', ')}`);
        for (const s of stored) void email.enqueue(s.id, s.partnershipId);
      })();
    },
  });
  // Connection-level errors (a client vanishing mid-command) must never crash the process.
  server.on('error', (err) => log.warn({ err }, 'smtp: connection error'));

  return {
    email,
    async listen() {
      const port = await new Promise<number>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.server.once('error', onError);
        server.listen(config.smtpPort, config.smtpHost, () => {
          server.server.off('error', onError);
          resolve((server.server.address() as AddressInfo).port);
        });
      });
      // Whatever was stored but not processed before a stop or crash is processed now, and checked again regularly.
      startup = email.sweep().catch((err: unknown) => log.error({ err }, 'smtp: start-up sweep failed'));
      const every = options.sweepIntervalMs ?? 5 * 60_000;
      if (every > 0) {
        sweeper = setInterval(() => {
          void email.sweep(2 * 60_000).catch((err: unknown) => log.error({ err }, 'smtp: sweep failed'));
        }, every);
        sweeper.unref();
      }
      log.info({ port }, 'smtp listener ready');
      return port;
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await startup;
      await email.idle();
    },
  };
}
