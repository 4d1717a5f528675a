import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { auditLog } from '../../platform/audit/audit.table.js';
import { enqueueMail } from '../../platform/mail/mailer.js';
import { outbox } from '../../platform/mail/outbox.table.js';
import { concernEvents, concerns } from '../concerns/concerns.table.js';
import { createConcernsService, type NewConcernFacts } from '../concerns/concerns.service.js';
import { formatReference } from '../concerns/reference.js';
import { concernAttachments, correspondence, inboundMessages } from './email.table.js';
import { createEmailService, type EmailService, type ProcessOutcome } from './email.service.js';

let t: TestApp;
let email: EmailService;

beforeAll(async () => {
  t = await buildTestApp();
  email = createEmailService(t.db, { concerns: t.services.concerns, partnerships: t.services.partnerships });
});

afterAll(async () => {
  await t.close();
});

interface Message {
  from: string;
  subject: string;
  body: string;
  headers?: string[];
  to?: string;
  messageId?: string;
}

function raw(m: Message): Buffer {
  return Buffer.from(
    [
      `From: ${m.from}`,
      `To: ${m.to ?? 'concerns@a.test'}`,
      `Subject: ${m.subject}`,
      `Message-ID: ${m.messageId ?? `<${crypto.randomUUID()}@mail.example.org>`}`,
      ...(m.headers ?? []),
      'Content-Type: text/plain; charset=utf-8',
      '',
      m.body,
      '',
    ].join('\r\n'),
  );
}

async function deliver(m: Message, options: { partnershipId?: string; service?: EmailService } = {}) {
  const partnershipId = options.partnershipId ?? t.a.id;
  const service = options.service ?? email;
  const address = /<([^>]+)>/.exec(m.from)?.[1] ?? m.from;
  const id = await service.store({
    partnershipId,
    via: 'smtp',
    envelopeFrom: address,
    recipients: [m.to ?? 'concerns@a.test'],
    raw: raw(m),
  });
  return { id, outcome: await service.processStored(id) };
}

function created(outcome: ProcessOutcome) {
  if (outcome.status !== 'processed') throw new Error(`Not processed: ${JSON.stringify(outcome)}`);
  return outcome;
}

const letters = (concernId: string) =>
  t.db.system((tx) =>
    tx
      .select()
      .from(correspondence)
      .where(eq(correspondence.concernId, concernId))
      .orderBy(correspondence.createdAt),
  );

describe('replies', () => {
  it('files a reply quoting the reference, from the contact’s address, on that concern', async () => {
    const first = created(
      (
        await deliver({
          from: 'Ann <ann@example.org>',
          subject: 'Noise at night',
          body: 'Every night at 2am.',
        })
      ).outcome,
    );
    const { id, outcome } = await deliver({
      from: 'Ann Resident <ANN@Example.org>',
      subject: `Re: Your concern ${formatReference(first.reference)}`,
      body: 'It happened again last night.\n\nOn Mon, 3 Mar 2025 at 10:00, Partnership A <concerns@a.test> wrote:\n> Thank you for telling us.',
    });
    expect(outcome).toEqual({
      status: 'processed',
      classification: 'reply',
      concernId: first.concernId,
      reference: first.reference,
    });

    const rows = await letters(first.concernId);
    expect(rows.map((r) => [r.direction, r.fromAddress, r.bodyText])).toEqual([
      ['inbound', 'ann@example.org', 'Every night at 2am.'],
      ['inbound', 'ann@example.org', 'It happened again last night.'],
    ]);
    expect(rows[1]!.inboundMessageId).toBe(id);

    const events = await t.db.system((tx) =>
      tx.select().from(concernEvents).where(eq(concernEvents.concernId, first.concernId)),
    );
    expect(events.find((e) => e.kind === 'email_reply')).toMatchObject({
      visibility: 'internal',
      body: 'It happened again last night.',
    });
    const concernsFromAnn = await t.db.system((tx) =>
      tx.select().from(concerns).where(eq(concerns.contactEmail, 'ann@example.org')),
    );
    expect(concernsFromAnn).toHaveLength(1);
    const [stored] = await t.db.system((tx) =>
      tx.select().from(inboundMessages).where(eq(inboundMessages.id, id)),
    );
    expect(stored).toMatchObject({
      status: 'processed',
      classification: 'reply',
      concernId: first.concernId,
    });
    const audits = await t.db.system((tx) =>
      tx
        .select()
        .from(auditLog)
        .where(
          and(eq(auditLog.entityId, first.concernId), eq(auditLog.action, 'concern.email-reply.received')),
        ),
    );
    expect(audits).toHaveLength(1);
  });

  it('finds the reference in the body too, in lower case without dashes', async () => {
    const first = created(
      (await deliver({ from: 'bob@example.org', subject: 'Dumped rubbish', body: 'Behind the shops.' }))
        .outcome,
    );
    const { outcome } = await deliver({
      from: 'bob@example.org',
      subject: 'More about it',
      body: `About ${first.reference.toLowerCase()}: it is still there.`,
    });
    expect(outcome).toMatchObject({ classification: 'reply', concernId: first.concernId });
  });

  it('makes a new concern when someone else quotes the reference', async () => {
    const first = created(
      (await deliver({ from: 'cat@example.org', subject: 'Broken glass', body: 'In the park.' })).outcome,
    );
    const { outcome } = await deliver({
      from: 'mallory@example.net',
      subject: `Re: ${formatReference(first.reference)}`,
      body: 'I want to see this one.',
    });
    const other = created(outcome);
    expect(other.classification).toBe('concern');
    expect(other.concernId).not.toBe(first.concernId);
    expect(await letters(first.concernId)).toHaveLength(1);
  });

  it('acknowledges a new concern as a reply to the email it came in, so the resident’s mail threads it', async () => {
    const messageId = `<${crypto.randomUUID()}@mail.example.org>`;
    const first = created(
      (
        await deliver({
          from: 'Fay <fay@example.org>',
          subject: 'Broken lights in the underpass',
          body: 'It is dark all night.',
          messageId,
        })
      ).outcome,
    );
    const [ack] = await t.db.system((tx) =>
      tx
        .select()
        .from(outbox)
        .where(and(eq(outbox.concernId, first.concernId), eq(outbox.purpose, 'concern.acknowledgement'))),
    );
    expect(ack).toBeDefined();
    expect(ack!.toAddress).toBe('fay@example.org');
    expect(ack!.headers).toMatchObject({
      'In-Reply-To': messageId,
      References: messageId,
      'Auto-Submitted': 'auto-replied',
    });
  });

  it('threads a reply by In-Reply-To to mail we sent about the concern, from the contact only', async () => {
    const first = created(
      (await deliver({ from: 'dan@example.org', subject: 'Parking on the pavement', body: 'Every day.' }))
        .outcome,
    );
    const [ack] = await t.db.tenant(t.a.id, async (tx) => {
      await enqueueMail(tx, {
        partnershipId: t.a.id,
        to: 'dan@example.org',
        subject: 'We have your concern',
        text: 'Thank you',
        purpose: 'test-acknowledgement',
        concernId: first.concernId,
      });
      return tx
        .select()
        .from(outbox)
        .where(and(eq(outbox.concernId, first.concernId), eq(outbox.purpose, 'test-acknowledgement')));
    });
    const reply = await deliver({
      from: 'dan@example.org',
      subject: 'Re: We have your concern',
      body: 'Thanks, here is a photo later.',
      headers: [`In-Reply-To: ${ack!.messageId}`, `References: ${ack!.messageId}`],
    });
    expect(reply.outcome).toMatchObject({ classification: 'reply', concernId: first.concernId });

    const stranger = await deliver({
      from: 'eve@example.net',
      subject: 'Re: We have your concern',
      body: 'Forwarded to me.',
      headers: [`In-Reply-To: ${ack!.messageId}`],
    });
    expect(stranger.outcome).toMatchObject({ classification: 'concern' });
  });

  it('keeps a reply’s attachments on the concern', async () => {
    const first = created(
      (await deliver({ from: 'fay@example.org', subject: 'Graffiti', body: 'On the wall.' })).outcome,
    );
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]).toString('base64');
    const message = Buffer.from(
      [
        'From: fay@example.org',
        'To: concerns@a.test',
        `Subject: Re: ${formatReference(first.reference)} photo`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="x"',
        '',
        '--x',
        'Content-Type: text/plain',
        '',
        'Here is the photo.',
        '--x',
        'Content-Type: image/jpeg; name="wall.jpg"',
        'Content-Disposition: attachment; filename="wall.jpg"',
        'Content-Transfer-Encoding: base64',
        '',
        jpeg,
        '--x--',
        '',
      ].join('\r\n'),
    );
    const id = await email.store({
      partnershipId: t.a.id,
      via: 'smtp',
      envelopeFrom: 'fay@example.org',
      recipients: ['concerns@a.test'],
      raw: message,
    });
    expect(await email.processStored(id)).toMatchObject({ classification: 'reply' });
    const files = await t.db.system((tx) =>
      tx.select().from(concernAttachments).where(eq(concernAttachments.concernId, first.concernId)),
    );
    expect(files.map((f) => [f.filename, f.contentType, f.inboundMessageId])).toEqual([
      ['wall.jpg', 'image/jpeg', id],
    ]);
  });

  it('never joins a concern of another partnership', async () => {
    const inB = created(
      (
        await deliver(
          { from: 'gus@example.org', to: 'concerns@b.test', subject: 'In B', body: 'Partnership B.' },
          { partnershipId: t.b.id },
        )
      ).outcome,
    );
    const { outcome } = await deliver({
      from: 'gus@example.org',
      subject: `Re: ${formatReference(inB.reference)}`,
      body: 'Sent to A by mistake.',
    });
    const inA = created(outcome);
    expect(inA.classification).toBe('concern');
    const [row] = await t.db.system((tx) => tx.select().from(concerns).where(eq(concerns.id, inA.concernId)));
    expect(row!.partnershipId).toBe(t.a.id);
  });
});

describe('per-sender rate limit', () => {
  it('takes at most ten new concerns an hour from one sender, per partnership, and stores the rest as ignored', async () => {
    const outcomes: ProcessOutcome[] = [];
    for (let i = 1; i <= 11; i++) {
      outcomes.push(
        (await deliver({ from: 'flood@example.net', subject: `Number ${i}`, body: 'Again.' })).outcome,
      );
    }
    expect(outcomes.slice(0, 10).every((o) => o.status === 'processed')).toBe(true);
    expect(outcomes[10]).toMatchObject({ status: 'ignored', classification: 'rate_limited' });
    const rows = await t.db.system((tx) =>
      tx
        .select({ status: inboundMessages.status, classification: inboundMessages.classification })
        .from(inboundMessages)
        .where(eq(inboundMessages.envelopeFrom, 'flood@example.net')),
    );
    expect(rows).toHaveLength(11);
    expect(rows.filter((r) => r.classification === 'rate_limited')).toEqual([
      { status: 'ignored', classification: 'rate_limited' },
    ]);
    // Another sender, and the same sender writing to another partnership, are not held back.
    expect((await deliver({ from: 'calm@example.net', subject: 'One', body: 'Once.' })).outcome.status).toBe(
      'processed',
    );
    const inB = await deliver(
      { from: 'flood@example.net', to: 'concerns@b.test', subject: 'B', body: 'Other partnership.' },
      { partnershipId: t.b.id },
    );
    expect(inB.outcome.status).toBe('processed');
  });
});

describe('processing', () => {
  it('processes a stored message once, even when two processes race for it', async () => {
    const id = await email.store({
      partnershipId: t.a.id,
      via: 'smtp',
      envelopeFrom: 'race@example.org',
      recipients: ['concerns@a.test'],
      raw: raw({ from: 'race@example.org', subject: 'Race', body: 'Only once please.' }),
    });
    const other = createEmailService(t.db, {
      concerns: t.services.concerns,
      partnerships: t.services.partnerships,
    });
    const results = await Promise.all([email.processStored(id), other.processStored(id)]);
    expect(results.filter((r) => r.status === 'processed')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'skipped')).toHaveLength(1);
    const made = await t.db.system((tx) =>
      tx.select().from(concerns).where(eq(concerns.contactEmail, 'race@example.org')),
    );
    expect(made).toHaveLength(1);
    expect(await email.processStored(id)).toEqual({ status: 'skipped', current: 'processed' });
  });

  it('tells the acknowledgement listener about new concerns only, never about ignored mail', async () => {
    const events: NewConcernFacts[] = [];
    const concernsService = createConcernsService(t.db, {
      secret: t.config.sessionSecret,
      mailForNewConcern: async (_tx, concern) => {
        events.push(concern);
        return [];
      },
    });
    const watched = createEmailService(t.db, {
      concerns: concernsService,
      partnerships: t.services.partnerships,
    });
    const machines: Message[] = [
      {
        from: 'ooo@example.org',
        subject: 'Out of office',
        body: 'Away.',
        headers: ['Auto-Submitted: auto-replied'],
      },
      { from: 'no-reply@shop.example', subject: 'Your order', body: 'Thanks.' },
      { from: 'MAILER-DAEMON@mx.example', subject: 'Undelivered', body: 'Failed.' },
      {
        from: 'news@list.example',
        subject: 'Newsletter',
        body: 'News.',
        headers: ['List-Id: <news.list.example>'],
      },
      { from: 'bulk@example.org', subject: 'Offer', body: 'Buy.', headers: ['Precedence: bulk'] },
    ];
    for (const m of machines) {
      expect((await deliver(m, { service: watched })).outcome.status).toBe('ignored');
    }
    expect(events).toEqual([]);
    await deliver({ from: 'hal@example.org', subject: 'A person', body: 'Hello.' }, { service: watched });
    expect(events.map((e) => [e.channel, e.contactEmail])).toEqual([['email', 'hal@example.org']]);
  });

  it('records a failure on the stored row instead of losing the message', async () => {
    const broken = createEmailService(t.db, {
      concerns: {
        ...t.services.concerns,
        create: () => Promise.reject(new Error('concerns are down')),
      },
      partnerships: t.services.partnerships,
    });
    const { id, outcome } = await deliver(
      { from: 'ivy@example.org', subject: 'Fails', body: 'Will fail.' },
      { service: broken },
    );
    expect(outcome).toEqual({ status: 'failed', error: 'concerns are down' });
    const [row] = await t.db.system((tx) =>
      tx.select().from(inboundMessages).where(eq(inboundMessages.id, id)),
    );
    expect(row).toMatchObject({ status: 'failed', error: 'concerns are down', concernId: null });
    expect(row!.raw.length).toBeGreaterThan(0);
  });

  it('sweeps up messages stored but never processed', async () => {
    const id = await email.store({
      partnershipId: t.b.id,
      via: 'imap',
      envelopeFrom: null,
      recipients: [],
      raw: raw({
        from: 'jo@example.org',
        to: 'concerns@b.test',
        subject: 'Left behind',
        body: 'Process me.',
      }),
    });
    expect(await email.sweep()).toBeGreaterThanOrEqual(1);
    const [row] = await t.db.system((tx) =>
      tx.select().from(inboundMessages).where(eq(inboundMessages.id, id)),
    );
    expect(row).toMatchObject({ status: 'processed', classification: 'concern' });
    const [concern] = await t.db.system((tx) =>
      tx.select().from(concerns).where(eq(concerns.id, row!.concernId!)),
    );
    expect(concern).toMatchObject({ partnershipId: t.b.id, contactEmail: 'jo@example.org' });
  });
});
