import type { Mailbox, ParsedMail } from './email.parse.js';

/**
 * What a message is, before anything is done with it. Heard must never answer a machine: bounces,
 * delivery and read reports, complaints, auto-replies, lists and no-reply senders are stored and
 * ignored, never turned into a concern, so they are never acknowledged and no mail loop can start.
 */

export type IgnoredClassification =
  'bounce' | 'complaint' | 'receipt' | 'auto_reply' | 'bulk' | 'list' | 'no_reply' | 'loop' | 'no_sender';

export type Verdict =
  | { kind: 'ignore'; classification: IgnoredClassification; reason: string }
  | { kind: 'accept'; sender: Mailbox };

export interface Envelope {
  /** The SMTP MAIL FROM: '' is the null sender <>, null means unknown (IMAP). */
  from: string | null;
  recipients: string[];
}

const ignore = (classification: IgnoredClassification, reason: string): Verdict => ({
  kind: 'ignore',
  classification,
  reason,
});

const DAEMON_LOCAL = /^(mailer[-_.]?daemon|postmaster)$/i;
const DAEMON_NAME = /mailer[-_. ]?daemon|mail delivery (sub)?system/i;
const NO_REPLY_LOCAL = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply)([-+._].*)?$/i;
const LIST_LOCAL = /(-request|-owner|-bounces?)(\+.*)?$|^owner-/i;
const VERP_LOCAL = /^bounces\+/i;
const AUTO_SUBJECT =
  /^(auto(matic)?[ -]?(reply|response|antwort)|autosvar|out of (the )?office|abwesenheitsnotiz|réponse automatique|respuesta automática)\b/i;

export function localPart(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : address.slice(0, at);
}

export function isEmailAddress(address: string): boolean {
  return address.length <= 254 && /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/.test(address);
}

export function classify(mail: ParsedMail, envelope: Envelope, ownAddresses: readonly string[]): Verdict {
  const header = (name: string) => mail.headers.get(name) ?? [];
  const first = (name: string) => (header(name)[0] ?? '').trim().toLowerCase();
  const isReport = mail.contentType.value === 'multipart/report';
  const reportType = isReport ? (mail.contentType.params['report-type'] ?? '').toLowerCase() : '';
  const reportParts = isReport ? mail.partTypes : [];

  // Reports first: they say exactly what they are.
  if (reportType === 'feedback-report' || reportParts.includes('message/feedback-report'))
    return ignore('complaint', 'ARF feedback report');
  if (reportType === 'disposition-notification' || reportParts.includes('message/disposition-notification'))
    return ignore('receipt', 'message disposition notification');
  if (
    reportType === 'delivery-status' ||
    reportType === 'global-delivery-status' ||
    reportParts.includes('message/delivery-status') ||
    reportParts.includes('message/global-delivery-status') ||
    mail.contentType.value === 'message/delivery-status'
  )
    return ignore('bounce', 'delivery status notification');
  if (header('x-failed-recipients').length || header('x-ms-exchange-message-is-ndr').length)
    return ignore('bounce', 'non-delivery report header');

  const from = mail.from;
  if (from && (DAEMON_LOCAL.test(localPart(from.address)) || DAEMON_NAME.test(from.name)))
    return ignore('bounce', `sent by ${from.name || from.address}`);
  if (envelope.recipients.some((r) => VERP_LOCAL.test(localPart(r))))
    return ignore('bounce', 'sent to a bounce address');

  // RFC 3834 and the vendor headers that came before it.
  const autoSubmitted = first('auto-submitted');
  if (autoSubmitted && !autoSubmitted.startsWith('no'))
    return ignore('auto_reply', `Auto-Submitted: ${autoSubmitted}`);
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-reply']) {
    if (header(name).length) return ignore('auto_reply', `${name} header`);
  }
  const precedence = first('precedence');
  if (precedence === 'auto_reply') return ignore('auto_reply', 'Precedence: auto_reply');
  if (AUTO_SUBJECT.test(mail.subject)) return ignore('auto_reply', 'automatic reply subject');
  if (precedence === 'list') return ignore('list', 'Precedence: list');
  if (precedence === 'bulk' || precedence === 'junk') return ignore('bulk', `Precedence: ${precedence}`);
  if (header('list-id').length || header('list-post').length) return ignore('list', 'mailing list headers');

  // The null sender is used only by bounces, reports and auto-replies; no resident sends from it.
  const nullSender = envelope.from === '' || (envelope.from === null && mail.returnPath === '');
  if (nullSender) return ignore('bounce', 'null envelope sender');

  const sender = senderOf(mail, envelope);
  if (!sender) return ignore('no_sender', 'no sender address');
  const local = localPart(sender.address);
  if (DAEMON_LOCAL.test(local)) return ignore('bounce', `sent by ${sender.address}`);
  if (NO_REPLY_LOCAL.test(local) || (from?.address && NO_REPLY_LOCAL.test(localPart(from.address))))
    return ignore('no_reply', `no-reply sender ${sender.address}`);
  if (LIST_LOCAL.test(local)) return ignore('list', `list address ${sender.address}`);
  const own = ownAddresses.map((a) => a.toLowerCase());
  if (own.includes(sender.address.toLowerCase()) || VERP_LOCAL.test(local))
    return ignore('loop', `sent from our own address ${sender.address}`);
  return { kind: 'accept', sender };
}

/**
 * Who wrote: the From address, else Sender:, else the envelope sender, else Return-Path. The name
 * comes only with the From address it belongs to.
 */
export function senderOf(mail: ParsedMail, envelope: Envelope): Mailbox | undefined {
  if (mail.from && isEmailAddress(mail.from.address))
    return { address: mail.from.address.toLowerCase(), name: mail.from.name };
  const fallbacks = [mail.sender?.address, envelope.from, mail.returnPath];
  const address = fallbacks.find((a): a is string => !!a && isEmailAddress(a));
  return address ? { address: address.toLowerCase(), name: mail.from?.name ?? '' } : undefined;
}

export interface BounceDetails {
  /** Outbox ids from VERP recipients bounces+<id>@…. */
  outboxIds: string[];
  /** Message-IDs of the message that bounced, read from the report's attached headers. */
  messageIds: string[];
  reason: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a bounce says about the message it answers, and why it failed. */
export function bounceDetails(mail: ParsedMail, raw: Buffer, recipients: readonly string[]): BounceDetails {
  const outboxIds = recipients
    .map((r) => /^bounces\+([^@]+)@/i.exec(r)?.[1] ?? '')
    .filter((id) => UUID.test(id))
    .map((id) => id.toLowerCase());
  const text = raw.toString('latin1');
  const ids = new Set<string>([...mail.inReplyTo, ...mail.references]);
  for (const m of text.matchAll(/^(?:original-|x-original-)?message-id:\s*(<[^<>\s]+>)/gim)) ids.add(m[1]!);
  if (mail.messageId) ids.delete(mail.messageId);
  const diagnostic = /^diagnostic-code:[ \t]*(.*(?:\r?\n[ \t]+.*)*)/im
    .exec(text)?.[1]
    ?.replace(/\s+/g, ' ')
    .trim();
  const status = /^status:[ \t]*([245]\.\d{1,3}\.\d{1,3})/im.exec(text)?.[1];
  const reason = [status, diagnostic].filter(Boolean).join(' ') || mail.subject || undefined;
  return { outboxIds, messageIds: [...ids], reason: reason?.slice(0, 1000) };
}
