import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { Tx } from '../../platform/db/index.js';
import { staff } from '../../platform/auth/auth.table.js';
import { outbox } from '../../platform/mail/outbox.table.js';
import { correspondence, inboundMessages } from '../email/email.table.js';

export type CorrespondenceInsert = typeof correspondence.$inferInsert;

/**
 * The email conversation about a concern. Inbound rows are written by the email capability as mail
 * arrives; this capability writes the outbound ones (staff replies) and reads both.
 */
export const correspondenceRepository = {
  async insertOutbound(tx: Tx, row: Omit<CorrespondenceInsert, 'direction'>): Promise<void> {
    await tx.insert(correspondence).values({ ...row, direction: 'outbound' });
  },

  /** Both directions in order, with each outbound message's delivery state from the outbox. */
  listForConcern(tx: Tx, concernId: string) {
    return tx
      .select({
        id: correspondence.id,
        direction: correspondence.direction,
        fromAddress: correspondence.fromAddress,
        toAddress: correspondence.toAddress,
        subject: correspondence.subject,
        bodyText: correspondence.bodyText,
        createdAt: correspondence.createdAt,
        staffName: staff.name,
        outboxStatus: outbox.status,
        bouncedAt: outbox.bouncedAt,
      })
      .from(correspondence)
      .leftJoin(staff, eq(staff.id, correspondence.staffId))
      .leftJoin(outbox, eq(outbox.id, correspondence.outboxId))
      .where(eq(correspondence.concernId, concernId))
      .orderBy(asc(correspondence.createdAt), asc(correspondence.id));
  },

  /** Message-IDs of the conversation, oldest first: inbound ones as received, outbound as queued. */
  async threadMessageIds(tx: Tx, concernId: string): Promise<{ direction: string; messageId: string }[]> {
    const rows = await tx
      .select({
        direction: correspondence.direction,
        inboundId: inboundMessages.messageId,
        outboundId: outbox.messageId,
      })
      .from(correspondence)
      .leftJoin(inboundMessages, eq(inboundMessages.id, correspondence.inboundMessageId))
      .leftJoin(outbox, eq(outbox.id, correspondence.outboxId))
      .where(eq(correspondence.concernId, concernId))
      .orderBy(asc(correspondence.createdAt), asc(correspondence.id));
    return rows.flatMap((r) => {
      const messageId = r.direction === 'inbound' ? r.inboundId : r.outboundId;
      return messageId ? [{ direction: r.direction, messageId }] : [];
    });
  },

  /** The Message-ID of the email a concern was raised by, when it came by email. */
  async originatingMessageId(tx: Tx, concernId: string): Promise<string | undefined> {
    const [row] = await tx
      .select({ messageId: inboundMessages.messageId })
      .from(inboundMessages)
      .where(and(eq(inboundMessages.concernId, concernId), isNotNull(inboundMessages.messageId)))
      .orderBy(asc(inboundMessages.receivedAt))
      .limit(1);
    return row?.messageId ?? undefined;
  },
};
