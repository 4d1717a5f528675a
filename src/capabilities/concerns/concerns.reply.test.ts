import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, type TestClient } from '../../../test/helpers/app.js';
import { createMailWorker, type MailWorker } from '../../platform/mail/mailer.js';
import {
  recordingLogger,
  startCaptureServer,
  type CaptureServer,
} from '../../platform/mail/smtp-capture.test-helpers.js';
import { correspondence, inboundMessages } from '../email/email.table.js';
import { actorFor, auditRows, concernRow, createConcern, staffClient } from './concerns.test-helpers.js';

let t: TestApp;
let smtp: CaptureServer;
let worker: MailWorker;
let triage: TestClient;

function rows<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

async function outboxCount(): Promise<number> {
  const r = await t.db.system((tx) => tx.execute(sql`select count(*)::int as n from outbox`));
  return Number(rows<{ n: number }>(r)[0]!.n);
}

/** What the email capability does when a resident's email arrives about a concern. */
async function residentWrote(concernId: string, messageId: string, body: string, at: Date) {
  await t.db.tenant(t.a.id, async (tx) => {
    const [inbound] = await tx
      .insert(inboundMessages)
      .values({
        partnershipId: t.a.id,
        via: 'smtp',
        envelopeFrom: 'reply.person@example.com',
        recipients: ['concerns@a.test'],
        messageId,
        raw: Buffer.from(`Message-ID: ${messageId}\r\n\r\n${body}`),
        size: body.length,
        status: 'processed',
        classification: 'reply',
        concernId,
        receivedAt: at,
      })
      .returning({ id: inboundMessages.id });
    await tx.insert(correspondence).values({
      partnershipId: t.a.id,
      concernId,
      direction: 'inbound',
      inboundMessageId: inbound!.id,
      fromAddress: 'reply.person@example.com',
      toAddress: 'concerns@a.test',
      subject: 'Re: Your concern',
      bodyText: body,
      createdAt: at,
    });
  });
}

beforeAll(async () => {
  t = await buildTestApp();
  smtp = await startCaptureServer();
  worker = createMailWorker(t.db, {
    smtpUrl: smtp.url,
    from: t.config.mailFrom,
    outboxDir: path.join(os.tmpdir(), 'heard-unused'),
    log: recordingLogger(),
  });
  triage = await staffClient(t, t.a, 'triage');
});
afterAll(async () => {
  await worker.abort();
  await smtp.close();
  await t.close();
});

describe('replying by email from the concern page', () => {
  it('queues the reply threaded on their last email, shows the conversation in order with delivery, and audits it', async () => {
    const c = await createConcern(t, t.a, { contactEmail: 'reply.person@example.com' });
    const { id } = await concernRow(t, t.a, c.ref);
    await residentWrote(id, '<resident-1@example.com>', 'The shouting started again last night.', new Date());

    const page = await triage.get(`/staff/concerns/${c.ref}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="form-reply"');
    expect(page.body).toContain('Reply by email');
    expect(page.body).toContain('The shouting started again last night.');

    const res = await triage.post(`/staff/concerns/${c.ref}/reply`, {
      body: 'Thank you. An officer will visit on Friday.\n\nPlease call 101 if it happens again.',
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/staff/concerns/${c.ref}`);

    const queued = await triage.get(`/staff/concerns/${c.ref}`);
    expect(queued.body).toContain('Your reply has been queued');
    const conversation = queued.body.slice(queued.body.indexOf('id="correspondence"'));
    const inboundAt = conversation.indexOf('The shouting started again');
    const outboundAt = conversation.indexOf('An officer will visit on Friday');
    expect(inboundAt).toBeGreaterThan(-1);
    expect(outboundAt).toBeGreaterThan(inboundAt);
    expect(conversation).toContain('From reply.person@example.com');
    expect(conversation).toContain('To reply.person@example.com, sent by Triage A');
    expect(conversation).toContain('Waiting to send');
    expect(queued.body).toContain('Email reply sent to the person who raised it');

    await worker.drain();
    const arrived = smtp.to('reply.person@example.com').filter((m) => m.subject.startsWith('Re:'));
    expect(arrived).toHaveLength(1);
    const m = arrived[0]!;
    expect(m.subject).toBe(`Re: Your concern ${c.ref}`);
    expect(m.headers.get('in-reply-to')).toBe('<resident-1@example.com>');
    expect(m.headers.get('references')).toContain('<resident-1@example.com>');
    expect(m.headers.get('auto-submitted')).toBeUndefined();
    expect(m.text).toContain('An officer will visit on Friday.');
    expect(m.text).toContain('http://localhost:3000/progress');
    // The officer's name stays out of the email.
    expect(m.raw).not.toContain('Triage A');

    const sent = await triage.get(`/staff/concerns/${c.ref}`);
    expect(sent.body.slice(sent.body.indexOf('id="correspondence"'))).toMatch(/govuk-tag--green">\s*Sent/);

    const audits = await auditRows(t, t.a, 'concern.email.sent', id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actor_staff_id).toBe(t.a.staff['triage@a.test']);
    // A reply counts as the first response for the targets.
    expect((await concernRow(t, t.a, c.ref)).first_response_at).not.toBeNull();
  });

  it('asks for a message when the box is empty', async () => {
    const c = await createConcern(t, t.a, { contactEmail: 'empty.reply@example.com' });
    const before = await outboxCount();
    const res = await triage.post(`/staff/concerns/${c.ref}/reply`, { body: '   ' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#reply-body"');
    expect(res.body).toContain('Enter your message');
    expect(await outboxCount()).toBe(before);
  });

  it('offers no form to a role that cannot see contact details, and refuses its POST with nothing queued', async () => {
    const c = await createConcern(t, t.a, { contactEmail: 'private.person@example.com' });
    // Fire supports the police: its officer can work the concern but not see who raised it.
    await t.services.concerns.share(actorFor(t.a, 'triage'), c.ref, t.a.organisations.police!, [
      t.a.organisations.fire!,
    ]);
    const fire = await staffClient(t, t.a, 'fire');
    const page = await fire.get(`/staff/concerns/${c.ref}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="form-note"');
    expect(page.body).not.toContain('id="form-reply"');
    expect(page.body).not.toContain('private.person@example.com');
    expect(page.body).toContain('id="correspondence-hidden"');

    const before = await outboxCount();
    const res = await fire.post(`/staff/concerns/${c.ref}/reply`, { body: 'Hello from the fire service' });
    expect(res.statusCode).toBe(403);
    expect(await outboxCount()).toBe(before);
    const { id } = await concernRow(t, t.a, c.ref);
    expect(await auditRows(t, t.a, 'concern.email.sent', id)).toHaveLength(0);
  });

  it('offers no form when the person gave no email address', async () => {
    const c = await createConcern(t, t.a, { contactEmail: undefined, preferredContact: 'phone' });
    const page = await triage.get(`/staff/concerns/${c.ref}`);
    expect(page.body).not.toContain('id="form-reply"');
    expect(page.body).toContain('id="correspondence-none"');
    const before = await outboxCount();
    const res = await triage.post(`/staff/concerns/${c.ref}/reply`, { body: 'Hello' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The person did not give an email address.');
    expect(await outboxCount()).toBe(before);
  });
});
