import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { formatReference } from '../concerns/reference.js';
import { createEmailService, type EmailService } from './email.service.js';

/** What staff see on the concern page of a concern that came by email: its files and the reply. */
let t: TestApp;
let email: EmailService;

beforeAll(async () => {
  t = await buildTestApp();
  email = createEmailService(t.db, { concerns: t.services.concerns, partnerships: t.services.partnerships });
});

afterAll(async () => {
  await t.close();
});

function message(
  subject: string,
  body: string,
  attachment?: { name: string; type: string; content: Buffer },
): Buffer {
  const boundary = 'heard-test-boundary';
  const lines = [
    'From: Ann Resident <ann@example.org>',
    'To: concerns@a.test',
    `Subject: ${subject}`,
    `Message-ID: <${crypto.randomUUID()}@mail.example.org>`,
    'MIME-Version: 1.0',
  ];
  if (!attachment) {
    lines.push('Content-Type: text/plain; charset=utf-8', '', body, '');
    return Buffer.from(lines.join('\r\n'));
  }
  lines.push(
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    `--${boundary}`,
    `Content-Type: ${attachment.type}; name="${attachment.name}"`,
    `Content-Disposition: attachment; filename="${attachment.name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    attachment.content.toString('base64'),
    `--${boundary}--`,
    '',
  );
  return Buffer.from(lines.join('\r\n'));
}

async function deliver(raw: Buffer) {
  const id = await email.store({
    partnershipId: t.a.id,
    via: 'smtp',
    envelopeFrom: 'ann@example.org',
    recipients: ['concerns@a.test'],
    raw,
  });
  return email.processStored(id);
}

describe('the concern page of an emailed concern', () => {
  it('lists the attachment with a download link and labels the resident’s reply', async () => {
    // A minimal PDF: its first bytes must match its type to be kept.
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const first = await deliver(
      message('Broken lights in the underpass', 'The lights have been out for a week.', {
        name: 'photo-notes.pdf',
        type: 'application/pdf',
        content: pdf,
      }),
    );
    expect(first).toMatchObject({ status: 'processed', classification: 'concern' });
    const reference = (first as { reference: string }).reference;
    const shown = formatReference(reference);
    expect(
      await deliver(message(`Re: Your concern ${shown}`, 'It is still dark there tonight.')),
    ).toMatchObject({
      status: 'processed',
      classification: 'reply',
    });

    const triage = await t.signedIn(t.a, 'triage');
    const page = await triage.get(`/staff/concerns/${shown}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('photo-notes.pdf');
    const link = /href="([^"]*\/attachments\/[^"]+)"/.exec(page.body)?.[1];
    expect(link).toBeDefined();
    expect(page.body).toContain('Reply received by email');

    const download = await triage.get(link!.replace(/&amp;/g, '&'));
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(download.rawPayload.equals(pdf)).toBe(true);
  });
});
