import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bounceDetails, classify, senderOf, type Envelope } from './email.classify.js';
import { parseMail } from './email.parse.js';

const MIME = fileURLToPath(new URL('../../../../shared/data/mime', import.meta.url));
const OWN = ['concerns@a.test', 'concerns@b.test'];
const SMTP: Envelope = { from: 'resident@example.org', recipients: ['concerns@a.test'] };

async function verdict(headers: string, envelope: Envelope = SMTP, body = 'The streetlight is out again.') {
  const raw = Buffer.from(`${headers.trim().replace(/\n/g, '\r\n')}\r\n\r\n${body}\r\n`);
  const v = classify(await parseMail(raw), envelope, OWN);
  return v.kind === 'ignore' ? v.classification : 'accept';
}

const resident = 'From: Ann Resident <ann@example.org>\nTo: concerns@a.test\nSubject: Streetlight';

describe('classify', () => {
  it('accepts an ordinary message, with the From address as sender', async () => {
    expect(await verdict(resident)).toBe('accept');
    expect(await verdict(`${resident}\nAuto-Submitted: no`)).toBe('accept');
    // List-Unsubscribe alone is not enough: only with Precedence: list (or List-Id) is it a list.
    expect(await verdict(`${resident}\nList-Unsubscribe: <mailto:x@y>`)).toBe('accept');
  });

  it.each([
    ['Auto-Submitted: auto-replied', 'auto_reply'],
    ['Auto-Submitted: auto-generated', 'auto_reply'],
    ['X-Autoreply: yes', 'auto_reply'],
    ['X-Autorespond: Out of office', 'auto_reply'],
    ['Precedence: auto_reply', 'auto_reply'],
    ['Precedence: bulk', 'bulk'],
    ['Precedence: junk', 'bulk'],
    ['Precedence: list', 'list'],
    ['List-Id: Residents <residents.example.org>', 'list'],
    ['X-Failed-Recipients: someone@example.org', 'bounce'],
  ])('ignores a message with %s as %s', async (header, expected) => {
    expect(await verdict(`${resident}\n${header}`)).toBe(expected);
  });

  it('ignores automatic replies recognisable only by their subject', async () => {
    expect(await verdict('From: ann@example.org\nSubject: Automatic reply: Your concern')).toBe('auto_reply');
    expect(await verdict('From: ann@example.org\nSubject: Out of Office: back Monday')).toBe('auto_reply');
  });

  it.each([
    ['noreply@shop.example', 'no_reply'],
    ['no-reply@shop.example', 'no_reply'],
    ['do-not-reply@shop.example', 'no_reply'],
    ['DoNotReply@shop.example', 'no_reply'],
    ['no_reply+abc@shop.example', 'no_reply'],
    ['MAILER-DAEMON@mx.example', 'bounce'],
    ['postmaster@mx.example', 'bounce'],
    ['residents-request@lists.example', 'list'],
    ['concerns@b.test', 'loop'],
  ])('ignores mail from %s as %s', async (from, expected) => {
    expect(await verdict(`From: ${from}\nSubject: Hello`)).toBe(expected);
  });

  it('treats the null envelope sender, or Return-Path <> when the envelope is unknown, as a bounce', async () => {
    expect(await verdict(resident, { from: '', recipients: ['concerns@a.test'] })).toBe('bounce');
    expect(await verdict(`Return-Path: <>\n${resident}`, { from: null, recipients: [] })).toBe('bounce');
    expect(await verdict(`Return-Path: <ann@example.org>\n${resident}`, { from: null, recipients: [] })).toBe(
      'accept',
    );
  });

  it('treats anything sent to a VERP bounce address as a bounce', async () => {
    expect(
      await verdict(resident, {
        from: 'ann@example.org',
        recipients: ['bounces+0b9d2c1e-8f8e-4c55-9d7e-2b7a51a1f0c1@a.test'],
      }),
    ).toBe('bounce');
  });

  it('reads multipart/report types: delivery status, feedback (ARF) and disposition notifications', async () => {
    const report = (type: string, partType: string) =>
      verdict(
        `${resident}\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=${type}; boundary=b`,
        SMTP,
        `--b\r\nContent-Type: text/plain\r\n\r\nReport\r\n--b\r\nContent-Type: ${partType}\r\n\r\nX: y\r\n--b--`,
      );
    expect(await report('delivery-status', 'message/delivery-status')).toBe('bounce');
    expect(await report('feedback-report', 'message/feedback-report')).toBe('complaint');
    expect(await report('disposition-notification', 'message/disposition-notification')).toBe('receipt');
  });

  it('ignores a message with no usable sender address at all', async () => {
    expect(await verdict('Subject: Hello', { from: null, recipients: [] })).toBe('no_sender');
    expect(await verdict('From: Someone\nSubject: Hello', { from: null, recipients: [] })).toBe('no_sender');
  });

  it('falls back to the envelope sender when there is no From address', async () => {
    const mail = await parseMail(Buffer.from('Subject: Hello\r\n\r\nHi\r\n'));
    expect(senderOf(mail, { from: 'Ann@Example.org', recipients: [] })).toEqual({
      address: 'ann@example.org',
      name: '',
    });
  });
});

describe('bounceDetails', () => {
  it('reads the status, diagnostic code and the original Message-ID from a DSN', async () => {
    const raw = readFileSync(`${MIME}/mailparser-delivery-status.eml`);
    const details = bounceDetails(await parseMail(raw), raw, ['concerns@a.test']);
    expect(details.reason).toMatch(/^5\.1\.1 Amazon SES did not send the message/);
    expect(details.messageIds).toContain('<xxxxx@email.amazonses.com>');
    expect(details.messageIds).not.toContain('<xxxxxxxxxxx@email.amazonses.com>');
    expect(details.outboxIds).toEqual([]);
  });

  it('reads the outbox id from a VERP recipient, and only a well-formed one', async () => {
    const raw = readFileSync(`${MIME}/flanker-bounce-mailbox-full.eml`);
    const details = bounceDetails(await parseMail(raw), raw, [
      'bounces+0B9D2C1E-8F8E-4C55-9D7E-2B7A51A1F0C1@a.test',
      'bounces+------------------------------------@a.test',
    ]);
    expect(details.outboxIds).toEqual(['0b9d2c1e-8f8e-4c55-9d7e-2b7a51a1f0c1']);
    expect(details.reason).toMatch(/^5\.2\.2 /);
  });
});
