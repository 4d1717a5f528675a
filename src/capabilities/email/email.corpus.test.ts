import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { concerns } from '../concerns/concerns.table.js';
import { concernAttachments, correspondence, inboundMessages } from './email.table.js';
import { parseMail } from './email.parse.js';
import { createEmailService, type ProcessOutcome } from './email.service.js';

/**
 * Every real-world message we have, through the same store-then-process path as the SMTP listener:
 * each one is stored, nothing crashes, and each becomes a concern with the right text and files or is
 * ignored with its reason recorded. Machines (bounces, reports, auto-replies, lists) never make one.
 */
const MIME = fileURLToPath(new URL('../../../../shared/data/mime', import.meta.url));
const PYTHON = '/usr/lib/python3.11/test/test_email/data';

const corpus = [
  ...readdirSync(MIME)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => ({ name: f, path: `${MIME}/${f}` })),
  ...readdirSync(PYTHON)
    .filter((f) => /^msg_.*\.txt$/.test(f))
    .map((f) => ({ name: f, path: `${PYTHON}/${f}` })),
].sort((x, y) => x.name.localeCompare(y.name));

/** What each message that must not become a concern is, and why. */
const IGNORED: Record<string, string> = {
  'flanker-bounce-mailbox-full.eml': 'bounce',
  'flanker-bounce-office365.eml': 'bounce',
  'flanker-complaints-yahoo.eml': 'complaint',
  'flanker-disposition-notification.eml': 'receipt',
  // A mailing-list post (Precedence: bulk, via a list server).
  'flanker-from-encoding.eml': 'bulk',
  'mailparser-delivery-status.eml': 'bounce',
  // HTML-only spam from a no-reply address.
  'mailparser-spam.eml': 'no_reply',
  // A list digest from its -request address.
  'msg_02.txt': 'list',
  'msg_05.txt': 'bounce',
  'msg_16.txt': 'bounce',
  'msg_25.txt': 'bounce',
  'msg_32.txt': 'bulk',
  'msg_33.txt': 'bulk',
  'msg_42.txt': 'bounce',
  'msg_43.txt': 'bounce',
  // Nothing in them: no subject, no text, no file.
  'msg_18.txt': 'empty',
  'msg_40.txt': 'empty',
  // Python's fixtures reuse msg_01's and msg_04's Message-ID: the same message again is never two concerns.
  'msg_03.txt': 'duplicate',
  'msg_14.txt': 'duplicate',
  'msg_20.txt': 'duplicate',
  'msg_29.txt': 'duplicate',
  'msg_44.txt': 'duplicate',
};

/** The envelope sender a server delivering it would have used: its Return-Path, else a made-up one. */
function envelopeFrom(name: string, raw: Buffer): string {
  const returnPath = /^Return-Path:\s*<([^>]*)>/im.exec(raw.toString('latin1'));
  return returnPath ? returnPath[1]! : `sender-${name.replace(/[^a-z0-9]/gi, '')}@example.net`;
}

let t: TestApp;
const outcomes = new Map<string, ProcessOutcome>();

beforeAll(async () => {
  t = await buildTestApp();
  const email = createEmailService(t.db, {
    concerns: t.services.concerns,
    partnerships: t.services.partnerships,
    // The corpus repeats a few senders; the rate limit has its own test.
    maxConcernsPerSenderPerHour: 1000,
  });
  for (const file of corpus) {
    const raw = readFileSync(file.path);
    const id = await email.store({
      partnershipId: t.a.id,
      via: 'smtp',
      envelopeFrom: envelopeFrom(file.name, raw),
      recipients: ['concerns@a.test'],
      raw,
    });
    outcomes.set(file.name, await email.processStored(id, t.a.id));
  }
}, 180_000);

afterAll(async () => {
  await t.close();
});

const concernOf = async (name: string) => {
  const outcome = outcomes.get(name)!;
  if (outcome.status !== 'processed') throw new Error(`${name}: ${JSON.stringify(outcome)}`);
  const [row] = await t.db.system((tx) =>
    tx.select().from(concerns).where(eq(concerns.id, outcome.concernId)),
  );
  const files = await t.db.system((tx) =>
    tx.select().from(concernAttachments).where(eq(concernAttachments.concernId, outcome.concernId)),
  );
  return { concern: row!, files };
};

describe('the real-world corpus', () => {
  it('has the messages the issue names', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(18 + 47);
    expect(corpus.map((f) => f.name)).toEqual(expect.arrayContaining(['flanker-iphone.eml', 'msg_46.txt']));
  });

  it('stores every message, and leaves none unprocessed or failed', async () => {
    const rows = await t.db.system((tx) =>
      tx
        .select({ status: inboundMessages.status, size: inboundMessages.size })
        .from(inboundMessages)
        .where(eq(inboundMessages.partnershipId, t.a.id)),
    );
    expect(rows).toHaveLength(corpus.length);
    expect(rows.filter((r) => r.status === 'received' || r.status === 'failed')).toEqual([]);
  });

  it('turns each message into a concern, or ignores it for its recorded reason', () => {
    const got = Object.fromEntries(
      corpus.map((f) => {
        const o = outcomes.get(f.name)!;
        return [
          f.name,
          o.status === 'processed' ? o.classification : o.status === 'ignored' ? o.classification : o,
        ];
      }),
    );
    const expected = Object.fromEntries(corpus.map((f) => [f.name, IGNORED[f.name] ?? 'concern']));
    expect(got).toEqual(expected);
  });

  it('records the classification of every ignored message on its stored row', async () => {
    const rows = await t.db.system((tx) =>
      tx
        .select({ status: inboundMessages.status, classification: inboundMessages.classification })
        .from(inboundMessages)
        .where(eq(inboundMessages.status, 'ignored')),
    );
    expect(rows).toHaveLength(Object.keys(IGNORED).length);
    expect(rows.every((r) => r.classification && r.classification !== 'concern')).toBe(true);
  });

  it('creates no concern for any ignored message', async () => {
    const ids = [...outcomes.values()].flatMap((o) => (o.status === 'processed' ? [o.concernId] : []));
    const all = await t.db.system((tx) =>
      tx.select({ id: concerns.id }).from(concerns).where(eq(concerns.partnershipId, t.a.id)),
    );
    expect(all.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(ids).toHaveLength(corpus.length - Object.keys(IGNORED).length);
  });

  it('gives every concern non-empty text with no markup, from the sender, as an email concern', async () => {
    for (const file of corpus.filter((f) => !IGNORED[f.name])) {
      const { concern } = await concernOf(file.name);
      expect(concern.description.trim(), file.name).not.toBe('');
      expect(concern.description, file.name).not.toMatch(/<\/?(div|p|html|body|span|br|a)\b[^>]*>/i);
      expect(concern).toMatchObject({
        channel: 'email',
        kind: 'concern',
        topic: 'something_else',
        anonymous: false,
        preferredContact: 'email',
        consentToShare: false,
        language: 'en',
        status: 'new',
      });
      expect(concern.contactEmail, file.name).toMatch(/^[^@\s]+@[^@\s]+$/);
    }
  });

  it('writes each concern’s email into its correspondence', async () => {
    const { concern } = await concernOf('flanker-text-only.eml');
    const rows = await t.db.system((tx) =>
      tx.select().from(correspondence).where(eq(correspondence.concernId, concern.id)),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      direction: 'inbound',
      fromAddress: 'bob@marley.com',
      toAddress: 'concerns@a.test',
      subject: 'Testing message parsing',
    });
    expect(rows[0]!.bodyText).toContain("I'm just testing message parsing");
  });

  it('decodes an RFC 2047 display name into the contact name', async () => {
    const { concern } = await concernOf('flanker-encoded-header.eml');
    expect(concern).toMatchObject({ contactName: 'Foo, Bar', contactEmail: 'foo.bar@example.com' });
    expect(concern.description).toBe('hello\n\nhello, world');
  });

  it('decodes the encoded subject and quoted-printable UTF-8 body of a bilingual message', async () => {
    const { concern } = await concernOf('flanker-bilingual-simple.eml');
    expect(concern.description).toMatch(
      /^Simple text\. How are you\? Как ты поживаешь\?\n\nThis line is in English\nА эта линия по-русски\./,
    );
    expect(concern.contactName).toBe('Hello');
  });

  it('decodes quoted-printable links whole', async () => {
    const { concern } = await concernOf('flanker-quoted-printable.eml');
    expect(concern.description).toContain(
      'https://mailgun.com/signup?plan=priority&__utma=193350514.1157084692.1372904658.1372904658.1373046418.2',
    );
  });

  it('keeps the attached PDF, byte for byte', async () => {
    const { concern, files } = await concernOf('flanker-attached-pdf.eml');
    expect(files.map((f) => [f.filename, f.contentType, f.size])).toEqual([
      ['test.pdf', 'application/pdf', 6940],
    ]);
    const parsed = await parseMail(readFileSync(`${MIME}/flanker-attached-pdf.eml`));
    expect(files[0]!.content.equals(parsed.parts[0]!.content)).toBe(true);
    expect(files[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(concern.description).toBe(
      'test message via curl - extra content-type (_001_)\n\nTest - body content',
    );
  });

  it('keeps the iPhone photo', async () => {
    const { concern, files } = await concernOf('flanker-iphone.eml');
    expect(files.map((f) => [f.filename, f.contentType, f.size])).toEqual([
      ['photo.JPG', 'image/jpeg', 9023],
    ]);
    expect(concern).toMatchObject({ contactName: 'Danielle', contactEmail: 'someone@somewhere.com' });
  });

  it('keeps a text file whose 8-bit name the sender mangled, under a safe name', async () => {
    const { files } = await concernOf('flanker-outlook-express.eml');
    expect(files.map((f) => [f.filename, f.contentType])).toEqual([['attachment-1.txt', 'text/plain']]);
    expect(files[0]!.content.toString('utf8')).toBe('текстовое вложение');
  });

  it('notes files that were not kept in the concern’s history', async () => {
    const outcome = outcomes.get('msg_26.txt')!;
    if (outcome.status !== 'processed') throw new Error('msg_26 should be a concern');
    const events = await t.db.system((tx) =>
      tx.query.concernEvents.findMany({ where: (e, { eq: is }) => is(e.concernId, outcome.concernId) }),
    );
    const skipped = events.find((e) => e.kind === 'attachments_skipped');
    expect(skipped).toMatchObject({ visibility: 'internal', body: 'clock.bmp' });
    expect(skipped!.details).toMatchObject({ skipped: [{ filename: 'clock.bmp', reason: 'type' }] });
  });

  it('treats the same Message-ID as a duplicate only within one partnership', async () => {
    const email = createEmailService(t.db, {
      concerns: t.services.concerns,
      partnerships: t.services.partnerships,
    });
    const raw = readFileSync(`${PYTHON}/msg_14.txt`);
    const id = await email.store({
      partnershipId: t.b.id,
      via: 'smtp',
      envelopeFrom: 'bbb@zzz.org',
      recipients: ['concerns@b.test'],
      raw,
    });
    const outcome = await email.processStored(id);
    expect(outcome).toMatchObject({ status: 'processed', classification: 'concern' });
    const [row] = await t.db.system((tx) =>
      tx
        .select({ description: concerns.description, partnershipId: concerns.partnershipId })
        .from(concerns)
        .where(inArray(concerns.id, outcome.status === 'processed' ? [outcome.concernId] : [])),
    );
    expect(row!.partnershipId).toBe(t.b.id);
    expect(row!.description).toContain('This message has a Content-Type: header with no subtype.');
  });
});
