import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Tx } from '../db/index.js';
import { outbox } from './outbox.table.js';

export type OutboxInsert = typeof outbox.$inferInsert;
export type OutboxRow = typeof outbox.$inferSelect;

export const outboxRepository = {
  async enqueue(tx: Tx, row: OutboxInsert): Promise<string> {
    const [created] = await tx.insert(outbox).values(row).returning({ id: outbox.id });
    return created!.id;
  },

  /**
   * Claims a batch across partnerships (system context) and counts the attempt: due pending rows, and
   * rows left 'sending' by a worker whose lease ran out. SKIP LOCKED lets several workers share the
   * queue; the caller's transaction must commit before anything is sent.
   */
  async claimDue(tx: Tx, options: { limit: number; now: Date; leaseMs: number }): Promise<OutboxRow[]> {
    const leaseExpired = new Date(options.now.getTime() - options.leaseMs);
    // The database stamps a queued row in microseconds and the clock reads milliseconds, so a row
    // queued in the clock's current millisecond counts as due: "before the next millisecond".
    const dueBefore = new Date(options.now.getTime() + 1);
    const due = tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        or(
          and(eq(outbox.status, 'pending'), lt(outbox.nextAttemptAt, dueBefore)),
          and(eq(outbox.status, 'sending'), lt(outbox.claimedAt, leaseExpired)),
        ),
      )
      .orderBy(asc(outbox.createdAt))
      .limit(options.limit)
      .for('update', { skipLocked: true });
    const rows = await tx
      .update(outbox)
      .set({ status: 'sending', claimedAt: options.now, attempts: sql`${outbox.attempts} + 1` })
      .where(inArray(outbox.id, due))
      .returning();
    return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  },

  async markSent(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.update(outbox).set({ status: 'sent', sentAt: at, lastError: null }).where(eq(outbox.id, id));
  },

  /** Back to pending until retryAt, or failed for good when retryAt is null. */
  async markFailed(tx: Tx, id: string, error: string, retryAt: Date | null): Promise<void> {
    await tx
      .update(outbox)
      .set({
        status: retryAt ? 'pending' : 'failed',
        lastError: error.slice(0, 1000),
        ...(retryAt ? { nextAttemptAt: retryAt } : {}),
      })
      .where(eq(outbox.id, id));
  },

  /** Holds a lock on a purpose until the transaction ends, so a check-then-queue cannot race. */
  async lockPurpose(tx: Tx, purpose: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${purpose}))`);
  },

  /** Whether anything was queued for this purpose (e.g. today's digest for an organisation). */
  async existsForPurpose(tx: Tx, purpose: string): Promise<boolean> {
    const [row] = await tx.select({ id: outbox.id }).from(outbox).where(eq(outbox.purpose, purpose)).limit(1);
    return row !== undefined;
  },

  /** Message-IDs queued about a concern for a purpose, oldest first (to thread replies). */
  async messageIdsFor(tx: Tx, concernId: string, purpose: string): Promise<string[]> {
    const rows = await tx
      .select({ messageId: outbox.messageId })
      .from(outbox)
      .where(and(eq(outbox.concernId, concernId), eq(outbox.purpose, purpose)))
      .orderBy(asc(outbox.createdAt));
    return rows.map((r) => r.messageId);
  },

  listForRecipient(tx: Tx, toAddress: string) {
    return tx.select().from(outbox).where(eq(outbox.toAddress, toAddress)).orderBy(asc(outbox.createdAt));
  },
};
