import { ImapFlow } from 'imapflow';
import type { Config } from '../../config.js';
import type { Database } from '../../platform/db/index.js';
import type { IntakeServices } from './email.inbound.js';
import { createEmailService, type EmailService, type Log } from './email.service.js';

/**
 * For a partnership whose address is hosted elsewhere (Microsoft 365, say): poll its mailbox for
 * unread mail, store each message exactly as the SMTP listener does, and mark it read only after the
 * store has committed. A crash in between leaves it unread, so it is fetched again next time (and
 * recognised by its Message-ID when processed, so it never becomes two concerns).
 */

/** The little of an IMAP mailbox the poller needs; imapflow provides it, tests stub it. */
export interface Mailbox {
  unseen(): Promise<number[]>;
  size(uid: number): Promise<number | undefined>;
  source(uid: number): Promise<Buffer | undefined>;
  markSeen(uid: number): Promise<void>;
}

export interface PollResult {
  stored: string[];
  /** Left unread: too big to take, or a failure stopped the round. */
  left: number[];
}

/**
 * One round: every unread message is stored, then flagged \Seen; processing is queued after that. A
 * failure to store stops the round with the rest left unread for the next one.
 */
export async function pollMailbox(
  mailbox: Mailbox,
  email: Pick<EmailService, 'store' | 'enqueue'>,
  target: { partnershipId: string; address: string | undefined; maxBytes: number },
  log: Log,
): Promise<PollResult> {
  const result: PollResult = { stored: [], left: [] };
  const uids = await mailbox.unseen();
  for (const [i, uid] of uids.entries()) {
    const size = await mailbox.size(uid);
    if (size !== undefined && size > target.maxBytes) {
      log.warn({ uid, size }, 'imap: message over the size limit left unread for a person to handle');
      result.left.push(uid);
      continue;
    }
    let id: string;
    try {
      const raw = await mailbox.source(uid);
      if (!raw) {
        result.left.push(uid);
        continue;
      }
      id = await email.store({
        partnershipId: target.partnershipId,
        via: 'imap',
        envelopeFrom: null,
        recipients: target.address ? [target.address] : [],
        raw,
      });
    } catch (err) {
      log.error({ err, uid }, 'imap: storing a message failed; it stays unread for the next round');
      result.left.push(...uids.slice(i));
      return result;
    }
    // Only now that the row is committed is the message marked read.
    await mailbox.markSeen(uid);
    result.stored.push(id);
    void email.enqueue(id, target.partnershipId);
  }
  return result;
}

export interface ImapPollerOptions {
  db: Database;
  services: IntakeServices;
  config: Pick<Config, 'imapUrl' | 'imapPartnership' | 'smtpMaxBytes'>;
  log: Log;
  email?: EmailService;
  intervalMs?: number;
}

export interface ImapPoller {
  /** Whether IMAP_URL and IMAP_PARTNERSHIP are both set. */
  readonly enabled: boolean;
  start(): Promise<void>;
  pollOnce(): Promise<PollResult | undefined>;
  stop(): Promise<void>;
}

/** imaps://user:password@host:port/Folder → imapflow options and the folder (INBOX by default). */
export function imapSettings(url: string) {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  if (!secure && u.protocol !== 'imap:') throw new Error('IMAP_URL must start with imap:// or imaps://');
  return {
    client: {
      host: u.hostname,
      port: u.port ? Number(u.port) : secure ? 993 : 143,
      secure,
      auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
      logger: false as const,
    },
    folder: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

function imapflowMailbox(client: ImapFlow): Mailbox {
  return {
    async unseen() {
      const found = await client.search({ seen: false }, { uid: true });
      return Array.isArray(found) ? found : [];
    },
    async size(uid) {
      const m = await client.fetchOne(String(uid), { size: true }, { uid: true });
      return m ? m.size : undefined;
    },
    async source(uid) {
      const m = await client.fetchOne(String(uid), { source: true }, { uid: true });
      return m ? m.source : undefined;
    },
    async markSeen(uid) {
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    },
  };
}

export function createImapPoller(options: ImapPollerOptions): ImapPoller {
  const { db, services, config, log } = options;
  const enabled = Boolean(config.imapUrl && config.imapPartnership);
  const email =
    options.email ??
    createEmailService(db, { concerns: services.concerns, partnerships: services.partnerships, log });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<PollResult | undefined> | undefined;

  async function pollOnce(): Promise<PollResult | undefined> {
    if (!enabled) return undefined;
    const partnership = (await services.partnerships.all()).find((p) => p.slug === config.imapPartnership);
    if (!partnership) {
      log.error({ slug: config.imapPartnership }, 'imap: IMAP_PARTNERSHIP names no partnership');
      return undefined;
    }
    const settings = imapSettings(config.imapUrl!);
    const client = new ImapFlow(settings.client);
    // A dropped connection is reported here rather than crashing the process.
    client.on('error', (err: Error) => log.warn({ err }, 'imap: connection error'));
    await client.connect();
    try {
      const lock = await client.getMailboxLock(settings.folder);
      try {
        return await pollMailbox(
          imapflowMailbox(client),
          email,
          {
            partnershipId: partnership.id,
            address: partnership.inboundAddresses[0],
            maxBytes: config.smtpMaxBytes,
          },
          log,
        );
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  function tick() {
    running ??= pollOnce()
      .catch((err: unknown) => {
        log.error({ err }, 'imap: poll failed');
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
  }

  return {
    enabled,
    async start() {
      if (!enabled) return;
      tick();
      timer = setInterval(tick, options.intervalMs ?? 60_000);
      timer.unref();
      void email.sweep().catch((err: unknown) => log.error({ err }, 'imap: start-up sweep failed'));
    },
    pollOnce,
    async stop() {
      if (timer) clearInterval(timer);
      await running;
      await email.idle();
    },
  };
}
