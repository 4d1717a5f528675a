import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { concerns } from '../concerns/concerns.table.js';
import { createImapPoller, imapSettings, pollMailbox, type Mailbox } from './email.imap.js';
import { createEmailService, type StoreInput } from './email.service.js';
import { inboundMessages } from './email.table.js';
import { startFakeImap } from './imap-fake.test-helpers.js';

/**
 * No real IMAP server runs here, so the poller's logic runs against a stub mailbox (store first, mark
 * \Seen only after the store committed, leave the rest), and imapflow itself against a small fake
 * server that speaks just enough of the protocol.
 */
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const message = (n: number) =>
  Buffer.from(
    `From: r${n}@example.org\r\nSubject: Mailbox ${n}\r\nMessage-ID: <m${n}@x>\r\n\r\nBody ${n}\r\n`,
  );

function stubMailbox(
  messages: Record<number, Buffer>,
  log: string[],
  sizes: Record<number, number> = {},
): Mailbox {
  const seen = new Set<number>();
  return {
    unseen: async () =>
      Object.keys(messages)
        .map(Number)
        .filter((u) => !seen.has(u)),
    size: async (uid) => sizes[uid] ?? messages[uid]?.length,
    source: async (uid) => {
      log.push(`fetch ${uid}`);
      return messages[uid];
    },
    markSeen: async (uid) => {
      log.push(`seen ${uid}`);
      seen.add(uid);
    },
  };
}

function stubIntake(log: string[], failOn?: number) {
  return {
    store: async (input: StoreInput) => {
      const n = Number(/Mailbox (\d+)/.exec(input.raw.toString())![1]);
      if (n === failOn) {
        log.push(`store ${n} failed`);
        throw new Error('database unavailable');
      }
      log.push(`store ${n}`);
      return `id-${n}`;
    },
    enqueue: async (id: string) => {
      log.push(`process ${id}`);
      return { status: 'skipped' as const, current: 'stub' };
    },
  };
}

describe('pollMailbox', () => {
  const target = { partnershipId: 'p', address: 'concerns@a.test', maxBytes: 1000 };

  it('stores each unread message, then marks it read, then queues it', async () => {
    const log: string[] = [];
    const result = await pollMailbox(
      stubMailbox({ 1: message(1), 2: message(2) }, log),
      stubIntake(log),
      target,
      quiet,
    );
    expect(log).toEqual([
      'fetch 1',
      'store 1',
      'seen 1',
      'process id-1',
      'fetch 2',
      'store 2',
      'seen 2',
      'process id-2',
    ]);
    expect(result).toEqual({ stored: ['id-1', 'id-2'], left: [] });
  });

  it('leaves a message unread when storing it fails, and stops the round there', async () => {
    const log: string[] = [];
    const mailbox = stubMailbox({ 1: message(1), 2: message(2), 3: message(3) }, log);
    const result = await pollMailbox(mailbox, stubIntake(log, 2), target, quiet);
    expect(log).toEqual(['fetch 1', 'store 1', 'seen 1', 'process id-1', 'fetch 2', 'store 2 failed']);
    expect(result).toEqual({ stored: ['id-1'], left: [2, 3] });
    expect(await mailbox.unseen()).toEqual([2, 3]);
  });

  it('leaves a message over the size limit unread without fetching it', async () => {
    const log: string[] = [];
    const result = await pollMailbox(
      stubMailbox({ 1: message(1), 2: message(2) }, log, { 1: 5000 }),
      stubIntake(log),
      target,
      quiet,
    );
    expect(log).toEqual(['fetch 2', 'store 2', 'seen 2', 'process id-2']);
    expect(result.left).toEqual([1]);
  });
});

describe('IMAP with the real intake', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores mailbox messages as via imap, processes them the same way, and does not repeat one fetched twice', async () => {
    const email = createEmailService(t.db, {
      concerns: t.services.concerns,
      partnerships: t.services.partnerships,
    });
    const log: string[] = [];
    const mailbox = stubMailbox({ 7: message(7) }, log);
    const first = await pollMailbox(
      mailbox,
      email,
      { partnershipId: t.b.id, address: 'concerns@b.test', maxBytes: 1e6 },
      quiet,
    );
    // The same message again, as after a crash between storing and marking it read.
    const again = await pollMailbox(
      stubMailbox({ 7: message(7) }, log),
      email,
      { partnershipId: t.b.id, address: 'concerns@b.test', maxBytes: 1e6 },
      quiet,
    );
    await email.idle();
    const rows = await t.db.system((tx) =>
      tx.select().from(inboundMessages).where(eq(inboundMessages.id, first.stored[0]!)),
    );
    expect(rows[0]).toMatchObject({
      via: 'imap',
      envelopeFrom: null,
      recipients: ['concerns@b.test'],
      status: 'processed',
      classification: 'concern',
    });
    const [second] = await t.db.system((tx) =>
      tx.select().from(inboundMessages).where(eq(inboundMessages.id, again.stored[0]!)),
    );
    expect(second).toMatchObject({ status: 'ignored', classification: 'duplicate' });
    const made = await t.db.system((tx) =>
      tx.select().from(concerns).where(eq(concerns.contactEmail, 'r7@example.org')),
    );
    expect(made).toHaveLength(1);
    expect(made[0]!.partnershipId).toBe(t.b.id);
  });

  it('polls a mailbox over IMAP with imapflow: stores unread mail, marks it read, and skips it next time', async () => {
    const fake = await startFakeImap(
      new Map([
        [3, message(3)],
        [5, message(5)],
      ]),
    );
    try {
      const poller = createImapPoller({
        db: t.db,
        services: t.services,
        config: {
          imapUrl: `imap://concerns:secret@127.0.0.1:${fake.port}/INBOX`,
          imapPartnership: 'a',
          smtpMaxBytes: 1e6,
        },
        log: quiet,
      });
      expect(poller.enabled).toBe(true);
      const first = await poller.pollOnce();
      expect(first?.stored).toHaveLength(2);
      expect(fake.seen()).toEqual([3, 5]);
      expect(
        fake.commands.filter((c) => /UID (FETCH|STORE)/.test(c)).map((c) => c.replace(/^\S+ /, '')),
      ).toEqual([
        'UID FETCH 3 (RFC822.SIZE UID)',
        'UID FETCH 3 (BODY.PEEK[] UID)',
        'UID STORE 3 +FLAGS (\\Seen)',
        'UID FETCH 5 (RFC822.SIZE UID)',
        'UID FETCH 5 (BODY.PEEK[] UID)',
        'UID STORE 5 +FLAGS (\\Seen)',
      ]);
      expect((await poller.pollOnce())?.stored).toEqual([]);
      await poller.stop();
      const made = await t.db.system((tx) =>
        tx.select().from(concerns).where(eq(concerns.contactEmail, 'r5@example.org')),
      );
      expect(made).toHaveLength(1);
      expect(made[0]!.partnershipId).toBe(t.a.id);
    } finally {
      await fake.close();
    }
  });

  it('does nothing unless both IMAP_URL and IMAP_PARTNERSHIP are set', async () => {
    const poller = createImapPoller({
      db: t.db,
      services: t.services,
      config: { imapUrl: 'imaps://u:p@127.0.0.1:1/INBOX', imapPartnership: undefined, smtpMaxBytes: 1000 },
      log: quiet,
    });
    expect(poller.enabled).toBe(false);
    expect(await poller.pollOnce()).toBeUndefined();
    await poller.start();
    await poller.stop();
  });
});

describe('imapSettings', () => {
  it('reads host, port, TLS, credentials and folder from IMAP_URL', () => {
    expect(
      imapSettings('imaps://concerns%40csp.example:p%40ss@outlook.office365.com/Inbox%2FConcerns'),
    ).toEqual({
      client: {
        host: 'outlook.office365.com',
        port: 993,
        secure: true,
        auth: { user: 'concerns@csp.example', pass: 'p@ss' },
        logger: false,
      },
      folder: 'Inbox/Concerns',
    });
    expect(imapSettings('imap://u:p@127.0.0.1:1143').client).toMatchObject({ port: 1143, secure: false });
    expect(imapSettings('imap://u:p@127.0.0.1:1143').folder).toBe('INBOX');
    expect(() => imapSettings('http://x')).toThrow(/imap:\/\/ or imaps:\/\//);
  });
});
