import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatReference, generateReference } from '../concerns/reference.js';
import {
  cleanText,
  findReferences,
  htmlAsText,
  MAX_ATTACHMENT_BYTES,
  parseMail,
  safeFilename,
  selectAttachments,
  stripQuotedReply,
  type MailPart,
} from './email.parse.js';

const MIME = fileURLToPath(new URL('../../../../shared/data/mime', import.meta.url));
const PYTHON = '/usr/lib/python3.11/test/test_email/data';
const mime = (name: string) => readFileSync(`${MIME}/${name}`);
const python = (name: string) => readFileSync(`${PYTHON}/${name}`);

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\n', 'latin1');
const part = (p: Partial<MailPart> & { content: Buffer }): MailPart => ({
  filename: undefined,
  contentType: 'application/octet-stream',
  disposition: 'attachment',
  charset: undefined,
  ...p,
});

describe('parseMail on real messages', () => {
  it('decodes RFC 2047 encoded display names', async () => {
    const mail = await parseMail(mime('flanker-encoded-header.eml'));
    expect(mail.from).toEqual({ address: 'foo.bar@example.com', name: 'Foo, Bar' });
    expect(mail.text).toBe('hello, world');
  });

  it('decodes an encoded-word subject and a quoted-printable UTF-8 body in two scripts', async () => {
    const mail = await parseMail(mime('flanker-bilingual-simple.eml'));
    expect(mail.subject).toBe('Simple text. How are you? Как ты поживаешь?');
    expect(mail.text).toContain('This line is in English');
    expect(mail.text).toContain('А эта линия по-русски.');
  });

  it('joins quoted-printable soft line breaks and decodes =3D', async () => {
    const mail = await parseMail(mime('flanker-quoted-printable.eml'));
    expect(mail.text).toContain(
      'http://translate.google.com/translate?sl=de&tl=en&u=http%3A%2F%2Fwww.horizont.at%2Fhome%2Fdetail%2Fgoogle-ist-geldgeber-von-adblock-plus.html&act=url',
    );
    expect(mail.text).not.toMatch(/=3D|=\n/);
  });

  it('converts HTML sent as a second text/plain alternative, and drops it when it repeats the first', async () => {
    const mail = await parseMail(mime('flanker-quoted-printable.eml'));
    expect(mail.text).not.toMatch(/<\/?[a-z][^>]*>/i);
    expect(mail.text.match(/Thanks,\nBob/g)).toHaveLength(1);
  });

  it('turns HTML-only mail into text without tags or entities', async () => {
    const mail = await parseMail(mime('mailparser-spam.eml'));
    expect(mail.text).toContain('Im Jahre 2007 wurde er als „asozialer Penner“ beschimpft!');
    expect(mail.text).toContain('Straße');
    expect(mail.text).not.toMatch(/<\/?[a-z][^>]*>/i);
    expect(mail.text).not.toMatch(/&[a-z]+;/i);
  });

  it('keeps the PDF and the iPhone JPEG as parts', async () => {
    const pdf = await parseMail(mime('flanker-attached-pdf.eml'));
    expect(pdf.parts.map((p) => [p.filename, p.contentType])).toEqual([['test.pdf', 'application/pdf']]);
    const photo = await parseMail(mime('flanker-iphone.eml'));
    expect(photo.parts.map((p) => [p.filename, p.contentType])).toEqual([['photo.JPG', 'image/jpeg']]);
    expect(photo.text).toContain('Hello');
  });

  it('reads Latin-1, ISO-8859-2 and KOI8-R parts and transfer encodings', async () => {
    const mail = await parseMail(python('msg_10.txt'));
    expect(mail.text).toContain('¡This is a Quoted Printable encoded message!');
    expect(mail.text).toContain('This is a Base64 encoded message.');
  });

  it('treats a bare "Content-Type: text" part as text, not a file', async () => {
    const mail = await parseMail(python('msg_14.txt'));
    expect(mail.text).toContain('This message has a Content-Type: header with no subtype.');
    expect(mail.parts).toEqual([]);
  });

  it('keeps the words of a multipart whose boundary never appears', async () => {
    expect((await parseMail(python('msg_41.txt'))).text).toBe('Blah blah blah');
    expect((await parseMail(python('msg_17.txt'))).text).toContain('This is the dingus fish.');
  });

  it('brings the words of a forwarded message/rfc822 into the body', async () => {
    const mail = await parseMail(python('msg_46.txt'));
    expect(mail.text).toContain('Testing email forwarding with Groupwise 1.2.2010');
    expect(mail.text).toContain('Dr. Sender <sender@example.net>');
  });

  it('sees the report parts and the null Return-Path of a bounce', async () => {
    const mail = await parseMail(python('msg_16.txt'));
    expect(mail.returnPath).toBe('');
    expect(mail.partTypes).toContain('message/delivery-status');
  });

  it('reads In-Reply-To and References as lists of ids', async () => {
    const raw = Buffer.from(
      'From: a@example.org\r\nIn-Reply-To: <one@x>\r\nReferences: <zero@x>\r\n <one@x>\r\nSubject: Re: hi\r\n\r\nok\r\n',
    );
    const mail = await parseMail(raw);
    expect(mail.inReplyTo).toEqual(['<one@x>']);
    expect(mail.references).toEqual(['<zero@x>', '<one@x>']);
  });
});

describe('stripQuotedReply', () => {
  it('cuts at "On … wrote:" and drops quoted lines', () => {
    const text =
      'Thanks, the lights are still out.\n\nOn Mon, 3 Mar 2025 at 10:00, Heard <x@y> wrote:\n> Your reference is ABCD\n> Thanks';
    expect(stripQuotedReply(text)).toBe('Thanks, the lights are still out.');
  });

  it('cuts at an attribution wrapped over two lines', () => {
    const text =
      'Still happening.\n\nOn Mon, 3 Mar 2025 at 10:00, West Northants CSP <\nconcerns@demo.heard.test> wrote:\n\n> old';
    expect(stripQuotedReply(text)).toBe('Still happening.');
  });

  it("cuts at Outlook's Original Message and From/Sent header block", () => {
    expect(stripQuotedReply('Yes please.\n-----Original Message-----\nFrom: x\nquoted')).toBe('Yes please.');
    expect(
      stripQuotedReply(
        'See below.\n\nFrom: Heard <x@y>\nSent: 03 March 2025 10:00\nTo: me\nSubject: Your concern',
      ),
    ).toBe('See below.');
  });

  it('keeps a line that only starts with "From:" when no header block follows', () => {
    expect(stripQuotedReply('From: my window I saw it again.\nIt was 9pm.')).toBe(
      'From: my window I saw it again.\nIt was 9pm.',
    );
  });

  it('keeps everything when stripping would leave nothing', () => {
    expect(stripQuotedReply('> only a quote')).toBe('> only a quote');
  });

  it('knows German and French attributions', () => {
    expect(stripQuotedReply('Danke.\nAm 3. März 2025 um 10:00 schrieb Heard <x@y>:\n> alt')).toBe('Danke.');
    expect(stripQuotedReply('Merci.\nLe lun. 3 mars 2025 à 10:00, Heard <x@y> a écrit :\n> ancien')).toBe(
      'Merci.',
    );
  });
});

describe('findReferences', () => {
  it('finds valid references in any case, with or without separators, in order', () => {
    const a = generateReference();
    const b = generateReference();
    const text = `Re: your concern ${formatReference(a)} and also ${b.toLowerCase()} and ${formatReference(a)}`;
    expect(findReferences(text)).toEqual([a, b]);
  });

  it('ignores look-alikes whose check character is wrong, and longer words', () => {
    const a = generateReference();
    const wrong = a.slice(0, 10) + (a[10] === '2' ? '3' : '2');
    expect(findReferences(`ref ${wrong}`)).toEqual([]);
    expect(findReferences(`X${a}`)).toEqual([]);
  });
});

describe('selectAttachments', () => {
  it('keeps allowed types whose bytes match, naming the type from the allowlist', () => {
    const { kept, skipped } = selectAttachments([
      part({ filename: 'photo.jpg', contentType: 'image/jpg', content: JPEG }),
      part({ filename: 'letter.pdf', contentType: 'application/octet-stream', content: PDF }),
    ]);
    expect(kept.map((k) => [k.filename, k.contentType])).toEqual([
      ['photo.jpg', 'image/jpeg'],
      ['letter.pdf', 'application/pdf'],
    ]);
    expect(skipped).toEqual([]);
  });

  it('skips types off the list, disguised files, and files over the size caps', () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(MAX_ATTACHMENT_BYTES)]);
    const four = Buffer.concat([JPEG, Buffer.alloc(4 * 1024 * 1024)]);
    const { kept, skipped } = selectAttachments([
      part({ filename: 'run.exe', contentType: 'application/x-msdownload', content: Buffer.from('MZ') }),
      part({ filename: 'page.html', contentType: 'text/html', content: Buffer.from('<script>') }),
      part({ filename: 'fake.jpg', contentType: 'image/jpeg', content: Buffer.from('<html>') }),
      part({ filename: 'huge.jpg', contentType: 'image/jpeg', content: big }),
      part({ filename: '1.jpg', contentType: 'image/jpeg', content: four }),
      part({ filename: '2.jpg', contentType: 'image/jpeg', content: four }),
      part({ filename: '3.jpg', contentType: 'image/jpeg', content: four }),
      part({ filename: '4.jpg', contentType: 'image/jpeg', content: four }),
    ]);
    expect(kept.map((k) => k.filename)).toEqual(['1.jpg', '2.jpg', '3.jpg']);
    expect(skipped.map((s) => [s.filename, s.reason])).toEqual([
      ['run.exe', 'type'],
      ['page.html', 'type'],
      ['fake.jpg', 'content'],
      ['huge.jpg', 'size'],
      ['4.jpg', 'total'],
    ]);
  });
});

describe('safeFilename', () => {
  it('removes directories and unsafe characters, and replaces mangled names', () => {
    expect(safeFilename('../../etc/passwd', 1)).toBe('passwd');
    expect(safeFilename('C:\\Users\\me\\photo "1".jpg', 1)).toBe('photo 1.jpg');
    expect(safeFilename('\uFFFD\uFFFD.txt', 2)).toBe('attachment-2.txt');
    expect(safeFilename(undefined, 3, 'pdf')).toBe('attachment-3.pdf');
    expect(safeFilename(`${'a'.repeat(300)}.pdf`, 1)).toHaveLength(150);
  });
});

describe('text helpers', () => {
  it('cleanText drops control characters, trailing space and runs of blank lines', () => {
    expect(cleanText('a\u0000b  \r\n\r\n\r\n\r\nc\t\n')).toBe('ab\n\nc');
  });

  it('htmlAsText drops images and scripts and keeps link targets', () => {
    const text = htmlAsText(
      '<p>Look <a href="https://x.test/a">here</a><img src="x.png" alt="x"></p><script>alert(1)</script>',
    );
    expect(text).toBe('Look here [https://x.test/a]');
  });
});
