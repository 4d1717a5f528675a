import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server for tests: it records every message it accepts, exactly as it arrived, so a
 * test can assert what was sent and how many times. It can also hold a message's DATA without
 * answering (the moment a worker may be killed) or refuse messages with a given reply code.
 */

export interface CapturedMail {
  envelopeFrom: string;
  recipients: string[];
  raw: string;
  /** Header names in lower case; values unfolded and with encoded words decoded. */
  headers: Map<string, string>;
  subject: string;
  messageId: string;
  text: string;
  html: string | undefined;
}

export interface CaptureServer {
  url: string;
  /** Messages the server answered 250 to, in order. */
  accepted: CapturedMail[];
  /** The next message is received but never answered; resolves once its data is in. */
  holdNext(): Promise<CapturedMail>;
  /** Refuse the next messages with this SMTP code (e.g. 451 temporary, 550 permanent); undefined stops. */
  refuseWith(code: number | undefined): void;
  to(address: string): CapturedMail[];
  close(): Promise<void>;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const accepted: CapturedMail[] = [];
  let hold: ((m: CapturedMail) => void) | undefined;
  let refuse: number | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 500,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = parseMail(Buffer.concat(chunks).toString('utf8'), {
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          recipients: session.envelope.rcptTo.map((r) => r.address),
        });
        if (hold) {
          // Never answered: the sender is left waiting, as if the network or the server stalled.
          const held = hold;
          hold = undefined;
          held(mail);
          return;
        }
        if (refuse !== undefined) {
          const err = Object.assign(new Error(`refused with ${refuse}`), { responseCode: refuse });
          return callback(err);
        }
        accepted.push(mail);
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    holdNext: () =>
      new Promise<CapturedMail>((resolve) => {
        hold = resolve;
      }),
    refuseWith(code) {
      refuse = code;
    },
    to: (address) => accepted.filter((m) => m.recipients.includes(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------
// Just enough MIME to read what nodemailer sends: headers, encoded words, multipart, QP and base64.
// ---------------------------------------------------------------------------------------------

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const soft = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at === -1 ? raw : raw.slice(0, at);
  const body = at === -1 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

function leaves(raw: string): { type: string; content: string }[] {
  const { headers, body } = splitEntity(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((part) => !part.startsWith('--'))
      .flatMap((part) => leaves(part.replace(/^\r?\n/, '')));
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const content =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  return [{ type: type.split(';')[0]!.trim().toLowerCase(), content: content.replace(/\r\n/g, '\n') }];
}

export function parseMail(
  raw: string,
  envelope: { envelopeFrom: string; recipients: string[] } = { envelopeFrom: '', recipients: [] },
): CapturedMail {
  const { headers } = splitEntity(raw);
  const parts = leaves(raw);
  return {
    ...envelope,
    raw,
    headers,
    subject: headers.get('subject') ?? '',
    messageId: headers.get('message-id') ?? '',
    text: parts.find((p) => p.type === 'text/plain')?.content ?? '',
    html: parts.find((p) => p.type === 'text/html')?.content,
  };
}

/** A logger that keeps what it is told, for asserting on the lines a worker writes. */
export function recordingLogger(): FastifyBaseLogger & {
  lines: { level: string; obj: unknown; msg: string }[];
} {
  const lines: { level: string; obj: unknown; msg: string }[] = [];
  const at =
    (level: string) =>
    (obj: unknown, msg = '') => {
      lines.push({ level, obj, msg });
    };
  const logger = {
    lines,
    level: 'info',
    fatal: at('fatal'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
    silent: () => undefined,
    child: () => logger,
  };
  return logger as unknown as FastifyBaseLogger & { lines: typeof lines };
}
