import type { Database, Tx } from '../../platform/db/index.js';
import { publicActor, type Actor } from '../../platform/auth/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import type { PartnershipDirectory } from '../../platform/tenancy/tenancy.service.js';
import { findVisibleConcern } from '../concerns/concerns.access.js';
import { concernsRepository } from '../concerns/concerns.repository.js';
import type { ConcernsService } from '../concerns/concerns.service.js';
import { bounceDetails, classify, type IgnoredClassification } from './email.classify.js';
import {
  findReferences,
  looksLikeReply,
  parseMail,
  selectAttachments,
  stripQuotedReply,
  type KeptAttachment,
  type ParsedMail,
  type SkippedAttachment,
} from './email.parse.js';
import { emailRepository, type InboundRow } from './email.repository.js';

/**
 * Email intake. Storing and processing are two steps on purpose: a message is stored raw (and only
 * then acknowledged with 250), and processed afterwards from the stored row, so a crash in between
 * loses nothing: the sweep picks up whatever is still 'received'.
 */

export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface StoreInput {
  partnershipId: string;
  via: 'smtp' | 'imap';
  /** MAIL FROM: '' for the null sender <>, null when unknown (IMAP). */
  envelopeFrom: string | null;
  recipients: string[];
  raw: Buffer;
}

export type ProcessOutcome =
  | { status: 'processed'; classification: 'concern' | 'reply'; concernId: string; reference: string }
  | {
      status: 'ignored';
      classification: IgnoredClassification | 'empty' | 'duplicate' | 'rate_limited';
      reason: string;
      outboxId?: string | undefined;
    }
  | { status: 'failed'; error: string }
  /** Someone else (another process's sweep) had already processed it; or it does not exist. */
  | { status: 'skipped'; current: string };

export interface EmailServiceOptions {
  concerns: ConcernsService;
  partnerships: PartnershipDirectory;
  log?: Log;
  /** New concerns one sender may start by email per hour, per partnership. */
  maxConcernsPerSenderPerHour?: number;
}

/** Longest text kept from one message, in characters (the web form allows 5,000). */
export const MAX_TEXT = 20_000;
const HOUR = 60 * 60_000;
const DUPLICATE_WINDOW = 7 * 24 * HOUR;

class LostRace extends Error {
  constructor() {
    super('Another process handled this message first');
  }
}

function cap(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A Message-ID header value, read cheaply from the raw header block when storing. */
export function rawMessageId(raw: Buffer): string | null {
  const end = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = raw.subarray(0, end >= 0 ? end : Math.min(raw.length, 64 * 1024)).toString('latin1');
  const m = /^message-id:\s*(<[^<>\s]{1,900}>)/im.exec(head);
  return m ? m[1]! : null;
}

export function createEmailService(db: Database, options: EmailServiceOptions) {
  const log = options.log ?? silent;
  const maxPerHour = options.maxConcernsPerSenderPerHour ?? 10;
  let chain: Promise<unknown> = Promise.resolve();

  /** Stores a message raw for one partnership; the returned id exists once this resolves. */
  async function store(input: StoreInput): Promise<string> {
    return db.tenant(input.partnershipId, (tx) =>
      emailRepository.insertInbound(tx, {
        partnershipId: input.partnershipId,
        via: input.via,
        envelopeFrom: input.envelopeFrom === null ? null : input.envelopeFrom.toLowerCase(),
        recipients: input.recipients.map((r) => r.toLowerCase()),
        messageId: rawMessageId(input.raw),
        raw: input.raw,
        size: input.raw.length,
      }),
    );
  }

  async function finishOrLose(tx: Tx, id: string, values: Parameters<typeof emailRepository.finish>[2]) {
    if (!(await emailRepository.finish(tx, id, values))) throw new LostRace();
  }

  async function ignoreMessage(
    row: InboundRow,
    classification: Extract<ProcessOutcome, { status: 'ignored' }>['classification'],
    reason: string,
    mail?: ParsedMail,
  ): Promise<ProcessOutcome> {
    return db.tenant(row.partnershipId, async (tx) => {
      let outboxId: string | undefined;
      if (classification === 'bounce' && mail) {
        const details = bounceDetails(mail, row.raw, row.recipients);
        const answered = await emailRepository.findOutbound(tx, details.outboxIds, details.messageIds);
        if (answered) {
          outboxId = answered.id;
          await emailRepository.markBounced(tx, answered.id, details.reason ?? null);
        }
      }
      await finishOrLose(tx, row.id, { status: 'ignored', classification, outboxId: outboxId ?? null });
      return { status: 'ignored', classification, reason, outboxId };
    });
  }

  /**
   * The concern a reply belongs to: one we wrote to (In-Reply-To / References against the outbox), or
   * one whose reference is quoted in the subject or body. Only ever one whose contact is the sender.
   */
  async function replyTarget(tx: Tx, mail: ParsedMail, sender: string) {
    const viaHeaders = await emailRepository.findConcernsByOutboundMessageIds(tx, [
      ...mail.inReplyTo,
      ...mail.references,
    ]);
    const byHeader = viaHeaders.find((c) => c.contactEmail === sender);
    if (byHeader) return byHeader;
    for (const reference of [...findReferences(mail.subject), ...findReferences(mail.text)]) {
      const concern = await emailRepository.findConcernByReference(tx, reference);
      if (concern && concern.contactEmail === sender) return concern;
    }
    return undefined;
  }

  async function keepFiles(
    tx: Tx,
    row: InboundRow,
    concernId: string,
    kept: KeptAttachment[],
    skipped: SkippedAttachment[],
  ) {
    for (const file of kept) {
      await emailRepository.insertAttachment(tx, {
        partnershipId: row.partnershipId,
        concernId,
        inboundMessageId: row.id,
        filename: file.filename,
        contentType: file.contentType,
        size: file.content.length,
        content: file.content,
      });
    }
    if (skipped.length) {
      // Staff should know a file was sent even though it was not kept.
      await concernsRepository.insertEvent(tx, {
        partnershipId: row.partnershipId,
        concernId,
        kind: 'attachments_skipped',
        visibility: 'internal',
        body: skipped.map((s) => s.filename).join('\n'),
        details: { inboundMessageId: row.id, skipped },
        staffId: null,
      });
    }
  }

  async function handle(row: InboundRow): Promise<ProcessOutcome> {
    const mail = await parseMail(row.raw);
    const everyAddress = (await options.partnerships.all()).flatMap((p) => p.inboundAddresses);
    const verdict = classify(mail, { from: row.envelopeFrom, recipients: row.recipients }, everyAddress);
    if (verdict.kind === 'ignore') return ignoreMessage(row, verdict.classification, verdict.reason, mail);
    const sender = verdict.sender;
    const text = cap(looksLikeReply(mail) ? stripQuotedReply(mail.text) : mail.text);
    const subject = cap(mail.subject, 998);
    const { kept, skipped } = selectAttachments(mail.parts);
    const toAddress =
      row.recipients[0] ?? (await options.partnerships.byId(row.partnershipId))?.inboundAddresses[0] ?? '';

    const decision = await db.tenant(row.partnershipId, async (tx) => {
      if (mail.messageId) {
        const copy = await emailRepository.findHandledCopy(
          tx,
          row.id,
          mail.messageId,
          new Date(row.receivedAt.getTime() - DUPLICATE_WINDOW),
        );
        if (copy) return { kind: 'duplicate' as const };
      }
      const target = await replyTarget(tx, mail, sender.address);
      if (target) {
        await finishOrLose(tx, row.id, {
          status: 'processed',
          classification: 'reply',
          concernId: target.id,
        });
        await emailRepository.insertCorrespondence(tx, {
          partnershipId: row.partnershipId,
          concernId: target.id,
          direction: 'inbound',
          inboundMessageId: row.id,
          fromAddress: sender.address,
          toAddress,
          subject,
          bodyText: text,
        });
        await keepFiles(tx, row, target.id, kept, skipped);
        await concernsRepository.insertEvent(tx, {
          partnershipId: row.partnershipId,
          concernId: target.id,
          kind: 'email_reply',
          visibility: 'internal',
          body: text,
          details: { inboundMessageId: row.id, subject, attachments: kept.map((k) => k.filename) },
          staffId: null,
        });
        await concernsRepository.update(tx, target.id, {});
        await audit(tx, publicActor(row.partnershipId, row.id, 'email'), {
          action: 'concern.email-reply.received',
          entityType: 'concern',
          entityId: target.id,
          details: { inboundMessageId: row.id, attachments: kept.length, skipped: skipped.length },
        });
        return { kind: 'reply' as const, concernId: target.id, reference: target.reference };
      }
      if (!subject && !text && kept.length === 0) return { kind: 'empty' as const };
      const recent = await emailRepository.countConcernsFrom(
        tx,
        sender.address,
        new Date(row.receivedAt.getTime() - HOUR),
      );
      if (recent >= maxPerHour) return { kind: 'rate_limited' as const };
      return { kind: 'new' as const };
    });

    if (decision.kind === 'reply')
      return {
        status: 'processed',
        classification: 'reply',
        concernId: decision.concernId,
        reference: decision.reference,
      };
    if (decision.kind === 'duplicate')
      return ignoreMessage(row, 'duplicate', `same Message-ID as a message already handled`);
    if (decision.kind === 'empty') return ignoreMessage(row, 'empty', 'no subject, text or attachment');
    if (decision.kind === 'rate_limited')
      return ignoreMessage(
        row,
        'rate_limited',
        `more than ${maxPerHour} new concerns in an hour from ${sender.address}`,
      );

    const createdAt = row.receivedAt;
    const description = cap(
      [subject, text].filter(Boolean).join('\n\n') || kept.map((k) => k.filename).join(', '),
    );
    let linked: { id: string; reference: string } | undefined;
    await options.concerns.create(
      publicActor(row.partnershipId, row.id, 'email'),
      {
        kind: 'concern',
        topic: 'something_else',
        description,
        affectedGroups: [],
        forGroup: false,
        anonymous: false,
        contactName: sender.name ? sender.name.slice(0, 200) : undefined,
        contactEmail: sender.address,
        preferredContact: 'email',
        // We cannot know whether they agree to sharing; staff see that it is unset and ask.
        consentToShare: false,
        channel: 'email',
        language: 'en',
        createdAt,
        inReplyTo: row.messageId ?? undefined,
      },
      {
        within: async (tx, concern) => {
          await finishOrLose(tx, row.id, {
            status: 'processed',
            classification: 'concern',
            concernId: concern.id,
          });
          await emailRepository.insertCorrespondence(tx, {
            partnershipId: row.partnershipId,
            concernId: concern.id,
            direction: 'inbound',
            inboundMessageId: row.id,
            fromAddress: sender.address,
            toAddress,
            subject,
            bodyText: text,
          });
          await keepFiles(tx, row, concern.id, kept, skipped);
          linked = concern;
        },
      },
    );
    return {
      status: 'processed',
      classification: 'concern',
      concernId: linked!.id,
      reference: linked!.reference,
    };
  }

  /** Processes one stored message: classify, then a new concern, a reply on one, or ignored. */
  async function processStored(id: string, partnershipId?: string): Promise<ProcessOutcome> {
    const pid = partnershipId ?? (await db.system((tx) => emailRepository.findInboundPartnership(tx, id)));
    if (!pid) return { status: 'skipped', current: 'missing' };
    const row = await db.tenant(pid, (tx) => emailRepository.findInbound(tx, id));
    if (!row) return { status: 'skipped', current: 'missing' };
    if (row.status !== 'received') return { status: 'skipped', current: row.status };
    try {
      return await handle(row);
    } catch (err) {
      if (err instanceof LostRace) return { status: 'skipped', current: 'processed elsewhere' };
      const error = (err as Error).message ?? String(err);
      log.error({ err, inboundMessageId: id }, 'processing an inbound email failed');
      // Recorded, not retried for ever: the raw message stays for a person (or a fix) to handle.
      await db
        .tenant(pid, (tx) =>
          emailRepository.finish(tx, id, {
            status: 'failed',
            classification: null,
            error: error.slice(0, 1000),
          }),
        )
        .catch((e: unknown) => log.error({ err: e, inboundMessageId: id }, 'could not record the failure'));
      return { status: 'failed', error };
    }
  }

  /** Queues processing after the reply to the sender; one at a time, in arrival order. */
  function enqueue(id: string, partnershipId?: string): Promise<ProcessOutcome> {
    const run = chain.then(() => processStored(id, partnershipId));
    chain = run.catch((err: unknown) => log.error({ err, inboundMessageId: id }, 'inbound email queue'));
    return run;
  }

  /** Picks up messages stored but never processed (a crash after the 250, say). */
  async function sweep(olderThanMs = 0, limit = 200): Promise<number> {
    const rows = await db.system((tx) =>
      emailRepository.listUnprocessed(tx, new Date(Date.now() - olderThanMs), limit),
    );
    for (const r of rows) await enqueue(r.id, r.partnershipId).catch(() => undefined);
    return rows.length;
  }

  /** A concern this viewer may see, or nothing: the same rule as the concern page. */
  return {
    store,
    processStored,
    enqueue,
    sweep,
    /** Resolves when everything queued so far has been processed. */
    async idle(): Promise<void> {
      let seen: Promise<unknown>;
      do {
        seen = chain;
        await seen;
      } while (seen !== chain);
    },

    /**
     * The files that came with a concern, for the concern page. (The email conversation itself is
     * shown by the notifications capability, with each message's delivery state.)
     */
    async listForConcern(actor: Actor, reference: string) {
      return db.tenant(actor.partnershipId, async (tx) => {
        const found = await findVisibleConcern(tx, actor, reference);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        return {
          ok: true as const,
          reference: found.concern.reference,
          attachments: await emailRepository.listAttachments(tx, found.concern.id),
        };
      });
    },

    /** One attachment's bytes, for a viewer who can see the concern; the download is audited. */
    async attachment(actor: Actor, reference: string, attachmentId: string) {
      return db.tenant(actor.partnershipId, async (tx) => {
        const found = await findVisibleConcern(tx, actor, reference);
        if (!found) return { ok: false as const, problem: 'notFound' as const };
        const file = await emailRepository.findAttachment(tx, found.concern.id, attachmentId);
        if (!file) return { ok: false as const, problem: 'notFound' as const };
        await audit(tx, actor, {
          action: 'concern.attachment.downloaded',
          entityType: 'concern',
          entityId: found.concern.id,
          details: { attachmentId: file.id, filename: file.filename },
        });
        return {
          ok: true as const,
          file: { filename: file.filename, contentType: file.contentType, content: file.content },
        };
      });
    },
  };
}

export type EmailService = ReturnType<typeof createEmailService>;
