import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Tx } from '../db/index.js';
import { outbox } from './outbox.table.js';

export type OutboxInsert = typeof outbox.$inferInsert;

export const outboxRepository = {
  async enqueue(tx: Tx, row: OutboxInsert): Promise<void> {
    await tx.insert(outbox).values(row);
  },

  /** Claims a batch across partnerships (system context); SKIP LOCKED lets several workers share the queue. */
  async claimDue(tx: Tx, limit: number) {
    return tx
      .select()
      .from(outbox)
      .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, new Date())))
      .orderBy(asc(outbox.createdAt))
      .limit(limit)
      .for('update', { skipLocked: true });
  },

  async markSent(tx: Tx, id: string): Promise<void> {
    await tx
      .update(outbox)
      .set({ status: 'sent', sentAt: new Date(), attempts: sql`${outbox.attempts} + 1` })
      .where(eq(outbox.id, id));
  },

  async markFailed(tx: Tx, id: string, error: string, attempts: number): Promise<void> {
    const giveUp = attempts >= 8;
    await tx
      .update(outbox)
      .set({
        status: giveUp ? 'failed' : 'pending',
        attempts,
        lastError: error.slice(0, 1000),
        // Exponential backoff: 1, 2, 4 … minutes.
        nextAttemptAt: new Date(Date.now() + 60_000 * 2 ** (attempts - 1)),
      })
      .where(eq(outbox.id, id));
  },

  listForRecipient(tx: Tx, toAddress: string) {
    return tx.select().from(outbox).where(eq(outbox.toAddress, toAddress)).orderBy(asc(outbox.createdAt));
  },
};
