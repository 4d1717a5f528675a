import { and, asc, desc, eq, gt, inArray, isNotNull, lte, ne, or, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import { outbox } from '../../platform/mail/outbox.table.js';
import { concerns } from '../concerns/concerns.table.js';
import { concernAttachments, correspondence, inboundMessages } from './email.table.js';

export type InboundRow = typeof inboundMessages.$inferSelect;
export type InboundInsert = typeof inboundMessages.$inferInsert;

export const emailRepository = {
  async insertInbound(tx: Tx, row: InboundInsert): Promise<string> {
    const [created] = await tx.insert(inboundMessages).values(row).returning({ id: inboundMessages.id });
    return created!.id;
  },

  async findInbound(tx: Tx, id: string): Promise<InboundRow | undefined> {
    const [row] = await tx.select().from(inboundMessages).where(eq(inboundMessages.id, id));
    return row;
  },

  /** Before a partnership is known (system context): which partnership a stored message belongs to. */
  async findInboundPartnership(tx: Tx, id: string): Promise<string | undefined> {
    const [row] = await tx
      .select({ partnershipId: inboundMessages.partnershipId })
      .from(inboundMessages)
      .where(eq(inboundMessages.id, id));
    return row?.partnershipId;
  },

  /** Messages stored but not yet processed, across partnerships (system context), oldest first. */
  listUnprocessed(tx: Tx, receivedBefore: Date, limit: number) {
    return tx
      .select({ id: inboundMessages.id, partnershipId: inboundMessages.partnershipId })
      .from(inboundMessages)
      .where(and(eq(inboundMessages.status, 'received'), lte(inboundMessages.receivedAt, receivedBefore)))
      .orderBy(asc(inboundMessages.receivedAt))
      .limit(limit);
  },

  /**
   * Records the outcome, but only if the message is still waiting: the row lock makes a second
   * processor (a sweep in another process) wait, then find nothing to do. Returns whether it won.
   */
  async finish(
    tx: Tx,
    id: string,
    values: {
      status: 'processed' | 'ignored' | 'failed';
      classification: string | null;
      concernId?: string | null;
      outboxId?: string | null;
      error?: string | null;
    },
  ): Promise<boolean> {
    const rows = await tx
      .update(inboundMessages)
      .set({ ...values, processedAt: new Date() })
      .where(and(eq(inboundMessages.id, id), eq(inboundMessages.status, 'received')))
      .returning({ id: inboundMessages.id });
    return rows.length === 1;
  },

  /** Another copy of the same message (a retried delivery, or SMTP and IMAP both) already handled. */
  async findHandledCopy(tx: Tx, id: string, messageId: string, since: Date) {
    const [row] = await tx
      .select({ id: inboundMessages.id, concernId: inboundMessages.concernId })
      .from(inboundMessages)
      .where(
        and(
          eq(inboundMessages.messageId, messageId),
          ne(inboundMessages.id, id),
          inArray(inboundMessages.status, ['processed', 'ignored']),
          gt(inboundMessages.receivedAt, since),
        ),
      )
      .limit(1);
    return row;
  },

  /** New concerns this sender started by email since the given time. */
  async countConcernsFrom(tx: Tx, sender: string, since: Date): Promise<number> {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(inboundMessages)
      .innerJoin(concerns, eq(concerns.id, inboundMessages.concernId))
      .where(
        and(
          eq(inboundMessages.classification, 'concern'),
          gt(inboundMessages.receivedAt, since),
          eq(concerns.contactEmail, sender),
        ),
      );
    return Number(row?.n ?? 0);
  },

  async findConcernByReference(tx: Tx, reference: string) {
    const [row] = await tx
      .select({ id: concerns.id, reference: concerns.reference, contactEmail: concerns.contactEmail })
      .from(concerns)
      .where(eq(concerns.reference, reference));
    return row;
  },

  /** Concerns we wrote to with one of these Message-IDs (a reply's In-Reply-To and References). */
  async findConcernsByOutboundMessageIds(tx: Tx, messageIds: readonly string[]) {
    if (messageIds.length === 0) return [];
    return tx
      .select({ id: concerns.id, reference: concerns.reference, contactEmail: concerns.contactEmail })
      .from(outbox)
      .innerJoin(concerns, eq(concerns.id, outbox.concernId))
      .where(and(inArray(outbox.messageId, [...messageIds]), isNotNull(outbox.concernId)))
      .orderBy(desc(outbox.createdAt));
  },

  async findOutbound(tx: Tx, ids: readonly string[], messageIds: readonly string[]) {
    const conditions = [];
    if (ids.length) conditions.push(inArray(outbox.id, [...ids]));
    if (messageIds.length) conditions.push(inArray(outbox.messageId, [...messageIds]));
    if (conditions.length === 0) return undefined;
    const [row] = await tx
      .select({ id: outbox.id, concernId: outbox.concernId })
      .from(outbox)
      .where(or(...conditions))
      .orderBy(desc(outbox.createdAt))
      .limit(1);
    return row;
  },

  async markBounced(tx: Tx, outboxId: string, reason: string | null): Promise<void> {
    await tx
      .update(outbox)
      .set({ bouncedAt: new Date(), bounceReason: reason })
      .where(eq(outbox.id, outboxId));
  },

  async insertAttachment(tx: Tx, row: typeof concernAttachments.$inferInsert): Promise<void> {
    await tx.insert(concernAttachments).values(row);
  },

  async insertCorrespondence(tx: Tx, row: typeof correspondence.$inferInsert): Promise<void> {
    await tx.insert(correspondence).values(row);
  },

  /** The list without the file contents. */
  listAttachments(tx: Tx, concernId: string) {
    return tx
      .select({
        id: concernAttachments.id,
        filename: concernAttachments.filename,
        contentType: concernAttachments.contentType,
        size: concernAttachments.size,
        createdAt: concernAttachments.createdAt,
      })
      .from(concernAttachments)
      .where(eq(concernAttachments.concernId, concernId))
      .orderBy(asc(concernAttachments.createdAt), asc(concernAttachments.filename));
  },

  async findAttachment(tx: Tx, concernId: string, id: string) {
    const [row] = await tx
      .select()
      .from(concernAttachments)
      .where(and(eq(concernAttachments.concernId, concernId), eq(concernAttachments.id, id)));
    return row;
  },
};
