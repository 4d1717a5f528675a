import { convert as htmlToText } from 'html-to-text';
import { simpleParser, type AddressObject, type Attachment, type HeaderValue } from 'mailparser';
import { normaliseReference, REFERENCE_ALPHABET } from '../concerns/reference.js';

/**
 * Turning raw mail into what Heard needs: who wrote, what they said (as plain text, decoded), which
 * files came with it, and the headers the classifier and the reply matcher look at. mailparser does
 * the MIME work (charsets, RFC 2047 words, transfer encodings); this file decides what to keep.
 */

export interface Mailbox {
  address: string;
  name: string;
}

export interface MailPart {
  filename: string | undefined;
  contentType: string;
  disposition: string | undefined;
  content: Buffer;
  /** The charset the part declared, for text parts kept as text. */
  charset: string | undefined;
}

export interface ParsedMail {
  from: Mailbox | undefined;
  /** The Sender: header, when a message is sent on behalf of someone. */
  sender: Mailbox | undefined;
  /** Return-Path as the final server recorded it: '' means the null sender (<>), undefined means absent. */
  returnPath: string | undefined;
  subject: string;
  /** The message's own words: decoded, HTML converted, quoted reply chains left in. */
  text: string;
  messageId: string | undefined;
  inReplyTo: string[];
  references: string[];
  /** Lower-case header name → its raw (unfolded) value(s), for the classifier. */
  headers: Map<string, string[]>;
  contentType: { value: string; params: Record<string, string> };
  /** Every non-body part, in order; nested forwarded messages are flattened into text and parts. */
  parts: MailPart[];
  /** Content types of every MIME part of the report, e.g. message/delivery-status. */
  partTypes: string[];
}

const MAX_NESTING = 3;

export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  return parseLevel(raw, 0);
}

async function parseLevel(raw: Buffer, depth: number): Promise<ParsedMail> {
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const headers = new Map<string, string[]>();
  for (const line of mail.headerLines) {
    const list = headers.get(line.key) ?? [];
    // headerLines carry "Name: value" as sent; keep the unfolded value.
    list.push(
      line.line
        .slice(line.line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    );
    headers.set(line.key, list);
  }
  const contentTypeHeader = mail.headers.get('content-type');
  const contentType = isStructured(contentTypeHeader)
    ? { value: contentTypeHeader.value.toLowerCase(), params: lowerKeys(contentTypeHeader.params) }
    : { value: 'text/plain', params: {} };

  let text = (mail.text ?? '').trim() ? tidyHtmlSource(mail.text ?? '') : '';
  // HTML-only mail (or a blank text part beside the HTML): convert the HTML ourselves, safely, to text.
  if (!text.trim() && typeof mail.html === 'string' && mail.html.trim()) text = htmlAsText(mail.html);

  const parts: MailPart[] = [];
  const extraText: string[] = [];
  for (const a of mail.attachments) {
    const type = (a.contentType || 'application/octet-stream').toLowerCase();
    if ((type === 'message/rfc822' || type === 'message/global') && depth < MAX_NESTING) {
      // A forwarded message: its words and files belong to this one.
      const inner = await parseLevel(a.content, depth + 1);
      extraText.push(forwardedText(inner));
      parts.push(...inner.parts);
      continue;
    }
    if (isInlineText(a, type)) {
      const decoded = decodeText(a.content, charsetOf(a));
      if (decoded.trim()) {
        extraText.push(decoded);
        continue;
      }
    }
    parts.push({
      filename: a.filename,
      contentType: type,
      disposition: a.contentDisposition,
      content: a.content,
      charset: charsetOf(a),
    });
  }
  if (extraText.length) text = [text, ...extraText].filter((s) => s.trim()).join('\n\n');
  // A multipart whose boundary is missing or wrong leaves the parser with nothing: keep the words anyway.
  if (!text.trim() && !mail.html && parts.length === 0 && contentType.value.startsWith('multipart/')) {
    text = rawBodyText(raw);
  }

  return {
    from: firstMailbox(mail.from),
    sender: firstMailbox(addressHeader(mail.headers.get('sender'))),
    returnPath: returnPathOf(headers.get('return-path')),
    subject: cleanLine(mail.subject ?? ''),
    text: cleanText(text),
    messageId: mail.messageId?.trim() || undefined,
    inReplyTo: messageIds(mail.inReplyTo),
    references: messageIds(mail.references),
    headers,
    contentType,
    parts,
    partTypes: partTypesOf(raw),
  };
}

function isStructured(v: HeaderValue | undefined): v is { value: string; params: Record<string, string> } {
  return typeof v === 'object' && v !== null && 'value' in v && 'params' in v;
}

function lowerKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

function addressHeader(v: HeaderValue | undefined): AddressObject | undefined {
  return typeof v === 'object' && v !== null && 'value' in v && Array.isArray(v.value)
    ? (v as AddressObject)
    : undefined;
}

function firstMailbox(a: AddressObject | AddressObject[] | undefined): Mailbox | undefined {
  for (const obj of Array.isArray(a) ? a : a ? [a] : []) {
    for (const entry of obj.value) {
      const candidates = entry.group ? entry.group : [entry];
      for (const c of candidates) {
        const address = (c.address ?? '').trim();
        if (address) return { address, name: cleanLine(c.name ?? '') };
      }
    }
  }
  // A From: with a display name but no usable address still tells us who claims to have written.
  for (const obj of Array.isArray(a) ? a : a ? [a] : []) {
    const name = obj.value[0]?.name;
    if (name) return { address: '', name: cleanLine(name) };
  }
  return undefined;
}

function returnPathOf(values: string[] | undefined): string | undefined {
  if (!values?.length) return undefined;
  const v = values[values.length - 1]!.trim();
  const m = /<([^>]*)>/.exec(v);
  return (m ? m[1]! : v).trim();
}

function messageIds(v: string | string[] | undefined): string[] {
  const list = Array.isArray(v) ? v : v ? [v] : [];
  return list.flatMap((s) => s.match(/<[^<>\s]+>/g) ?? (s.trim() ? [s.trim()] : []));
}

function charsetOf(a: Attachment): string | undefined {
  const ct = a.headers.get('content-type');
  return isStructured(ct) ? lowerKeys(ct.params).charset : undefined;
}

/** Text parts that are really body text: no filename, not marked as an attachment, no known file type. */
function isInlineText(a: Attachment, type: string): boolean {
  if (a.filename || a.contentDisposition === 'attachment') return false;
  return (
    type === 'text' || (type.startsWith('text/') && !/^text\/(html|rfc822-headers|csv|calendar)/.test(type))
  );
}

/** Decodes with the declared charset, then UTF-8, and Windows-1252 when the bytes are not valid UTF-8. */
export function decodeText(content: Buffer, charset?: string): string {
  if (charset) {
    try {
      return new TextDecoder(charset).decode(content);
    } catch {
      // Unknown charset label: fall through to the guesses below.
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return new TextDecoder('windows-1252').decode(content);
  }
}

/** The body after the header block, minus MIME boundary lines, for a multipart the parser could not split. */
function rawBodyText(raw: Buffer): string {
  const text = decodeText(raw);
  const start = /\r?\n\r?\n/.exec(text);
  if (!start) return '';
  return text
    .slice(start.index + start[0].length)
    .split(/\r?\n/)
    .filter((line) => !/^--\S+$/.test(line.trim()))
    .join('\n');
}

function forwardedText(inner: ParsedMail): string {
  const lines = ['----------'];
  if (inner.from)
    lines.push(inner.from.name ? `${inner.from.name} <${inner.from.address}>` : inner.from.address);
  if (inner.subject) lines.push(inner.subject);
  return `${lines.join('\n')}\n\n${inner.text}`.trim();
}

export function htmlAsText(html: string): string {
  return htmlToText(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ],
  });
}

const HTML_START = /^[ \t]*<(!doctype|html|head|body|div|p|table|span|font)\b[^>]*>/im;
const HTML_END = /<\/(div|p|html|body|table|span|font)>/i;

/**
 * HTML sent labelled as text/plain (some mailers send both alternatives as text/plain): from the first
 * line that opens with a block tag, the rest is converted to text, and dropped if it only repeats the
 * plain words before it.
 */
export function tidyHtmlSource(text: string): string {
  const start = HTML_START.exec(text);
  if (!start) return text;
  const tail = text.slice(start.index);
  if (!HTML_END.test(tail)) return text;
  const before = text.slice(0, start.index).trim();
  const converted = htmlAsText(tail).trim();
  const words = (s: string) => s.replace(/\s+/g, ' ').trim();
  if (before && words(before) === words(converted)) return before;
  return [before, converted].filter(Boolean).join('\n\n');
}

/** Control characters other than tab and newline are dropped; lines lose trailing space; at most one blank line in a row. */
export function cleanText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .split('\n')
      .map((l) => l.replace(/[ \t\u00a0]+$/, ''))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

function cleanLine(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * The content type of every MIME part, read from the raw headers, so the classifier can see a
 * message/delivery-status or message/feedback-report part even where the parser folded it into text.
 */
function partTypesOf(raw: Buffer): string[] {
  const text = raw.toString('latin1');
  const found = new Set<string>();
  for (const m of text.matchAll(/^content-type:[ \t]*([a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+)/gim)) {
    found.add(m[1]!.toLowerCase());
  }
  return [...found];
}

// --- Replies -------------------------------------------------------------------------------------

const ATTRIBUTION = [
  // English, as Gmail, Apple Mail and Thunderbird write it (possibly wrapped over two lines).
  /^on\b.{0,200}\bwrote:?$/i,
  /^-{2,}\s*original message\s*-{2,}$/i,
  /^_{10,}$/,
  // Outlook's header block: "From: … Sent: …".
  /^from:\s.+$/i,
  // French, German, Spanish, Dutch, Polish, Welsh attributions.
  /^le\b.{0,200}\ba écrit\s?:$/i,
  /^am\b.{0,200}\bschrieb.{0,100}:$/i,
  /^el\b.{0,200}\bescribió:$/i,
  /^op\b.{0,200}\bschreef.{0,100}:$/i,
  /^(dnia|w dniu)\b.{0,200}\bnapisał.{0,10}:$/i,
  /^ar\b.{0,200}\bysgrifennodd.{0,100}:$/i,
];

/**
 * The new words of a reply, without the quoted chain below them: cut at the first attribution line
 * ("On … wrote:", "-----Original Message-----", Outlook's "From: … Sent:") and drop ">" quoted lines.
 * If that would leave nothing (someone typed inside the quote), the whole text is kept.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const twoLines = `${line} ${(lines[i + 1] ?? '').trim()}`;
    const isAttribution = ATTRIBUTION.some((re) => re.test(line) || (line && re.test(twoLines)));
    if (isAttribution && (!/^from:/i.test(line) || looksLikeOutlookHeader(lines, i))) break;
    if (/^>/.test(line)) continue;
    kept.push(lines[i]!);
  }
  const result = cleanText(kept.join('\n'));
  return result || cleanText(text);
}

function looksLikeOutlookHeader(lines: string[], i: number): boolean {
  const next = lines
    .slice(i + 1, i + 5)
    .map((l) => l.trim())
    .join('\n');
  return /^(sent|date|to|subject):/im.test(next);
}

export function looksLikeReply(mail: ParsedMail): boolean {
  return (
    mail.inReplyTo.length > 0 ||
    mail.references.length > 0 ||
    /^(re|aw|sv|antw|vs|odp|ynt)\s*(\[\d+\])?\s*:/i.test(mail.subject)
  );
}

const REF_CHAR = `[${REFERENCE_ALPHABET}${REFERENCE_ALPHABET.toLowerCase().replace(/[0-9]/g, '')}]`;
const REFERENCE_PATTERN = new RegExp(
  `(?<![A-Za-z0-9])(${REF_CHAR}{4})[ -]?(${REF_CHAR}{4})[ -]?(${REF_CHAR}{3})(?![A-Za-z0-9])`,
  'g',
);

/** Valid references (check character and all) quoted anywhere in the text, in order, normalised. */
export function findReferences(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(REFERENCE_PATTERN)) {
    const ref = normaliseReference(`${m[1]}${m[2]}${m[3]}`);
    if (ref && !found.includes(ref)) found.push(ref);
  }
  return found;
}

// --- Attachments ---------------------------------------------------------------------------------

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS_TOTAL_BYTES = 15 * 1024 * 1024;

/** The only file types kept, with the extensions that may name them and a check of their first bytes. */
const ALLOWED: { type: string; extensions: string[]; magic: (b: Buffer) => boolean }[] = [
  {
    type: 'image/jpeg',
    extensions: ['jpg', 'jpeg', 'jfif', 'jpe'],
    magic: (b) => starts(b, [0xff, 0xd8, 0xff]),
  },
  { type: 'image/png', extensions: ['png'], magic: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47]) },
  { type: 'image/gif', extensions: ['gif'], magic: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  {
    type: 'image/webp',
    extensions: ['webp'],
    magic: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  {
    type: 'image/heic',
    extensions: ['heic', 'heif'],
    magic: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp',
  },
  {
    type: 'application/pdf',
    extensions: ['pdf'],
    magic: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  },
  { type: 'text/plain', extensions: ['txt'], magic: (b) => !b.includes(0) },
  {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
    magic: (b) => starts(b, [0x50, 0x4b, 0x03, 0x04]),
  },
  {
    type: 'application/vnd.oasis.opendocument.text',
    extensions: ['odt'],
    magic: (b) => starts(b, [0x50, 0x4b, 0x03, 0x04]),
  },
];
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/heif': 'image/heic',
  'image/x-png': 'image/png',
  'application/x-pdf': 'application/pdf',
};

function starts(b: Buffer, bytes: number[]): boolean {
  return bytes.every((v, i) => b[i] === v);
}

export type SkipReason = 'type' | 'size' | 'total' | 'content';

export interface KeptAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface SkippedAttachment {
  filename: string;
  contentType: string;
  size: number;
  reason: SkipReason;
}

/**
 * Which parts are kept: allowed type (by declared type, or by extension when the sender said
 * application/octet-stream), first bytes that match that type, at most 5 MB each and 15 MB in all.
 */
export function selectAttachments(parts: MailPart[]): {
  kept: KeptAttachment[];
  skipped: SkippedAttachment[];
} {
  const kept: KeptAttachment[] = [];
  const skipped: SkippedAttachment[] = [];
  let total = 0;
  parts.forEach((p, i) => {
    const declared = ALIASES[p.contentType] ?? p.contentType;
    const extension = /\.([a-z0-9]{1,8})$/i.exec(p.filename ?? '')?.[1]?.toLowerCase();
    const rule =
      ALLOWED.find((r) => r.type === declared) ??
      (['application/octet-stream', 'application/binary', 'binary/octet-stream', ''].includes(declared) &&
      extension
        ? ALLOWED.find((r) => r.extensions.includes(extension))
        : undefined);
    const filename = safeFilename(p.filename, i + 1, rule?.extensions[0]);
    const size = p.content.length;
    const skip = (reason: SkipReason) => skipped.push({ filename, contentType: p.contentType, size, reason });
    if (!rule) return skip('type');
    if (!rule.magic(p.content)) return skip('content');
    if (size > MAX_ATTACHMENT_BYTES) return skip('size');
    if (total + size > MAX_ATTACHMENTS_TOTAL_BYTES) return skip('total');
    total += size;
    kept.push({ filename, contentType: rule.type, content: p.content });
  });
  return { kept, skipped };
}

/**
 * A name safe to store and offer for download: no directories, no control characters, at most 150
 * characters. A name the sender's program mangled (undecodable 8-bit bytes) becomes attachment-N.ext.
 */
export function safeFilename(name: string | undefined, n: number, extension?: string): string {
  const base = (name ?? '')
    .replace(/^.*[\\/]/, '')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '')
    .trim();
  const ext = /\.([a-z0-9]{1,8})$/i.exec(base)?.[1] ?? extension;
  const mangled = !base || /\uFFFD|Ã|ï¿½/.test(base) || base.startsWith('.');
  const chosen = mangled ? `attachment-${n}${ext ? `.${ext.toLowerCase()}` : ''}` : base;
  if (chosen.length <= 150) return chosen;
  const suffix = ext ? `.${ext}` : '';
  return chosen.slice(0, 150 - suffix.length) + suffix;
}
