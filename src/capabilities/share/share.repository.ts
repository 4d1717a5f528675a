import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { OpeningQuery, Tx } from '../../platform/db/index.js';
import { shareDrafts } from './share.table.js';

export const shareRepository = {
  async find(tx: Tx, tokenHash: string) {
    const [row] = await tx
      .select()
      .from(shareDrafts)
      .where(and(eq(shareDrafts.tokenHash, tokenHash), gt(shareDrafts.expiresAt, new Date())));
    return row;
  },

  async upsert(
    tx: Tx,
    partnershipId: string,
    tokenHash: string,
    answers: Record<string, unknown>,
    expiresAt: Date,
  ) {
    await tx
      .insert(shareDrafts)
      .values({ partnershipId, tokenHash, answers, expiresAt, updatedAt: new Date() })
      .onConflictDoUpdate({
        target: shareDrafts.tokenHash,
        set: { answers, expiresAt, updatedAt: new Date() },
      });
  },

  /**
   * Locks the drafts being sent and returns their answers by token hash. It opens the submission's
   * transaction (one round trip fewer), so the hashes are written inline: safe, because each is
   * checked to be the hex digest hashToken() makes. Rows are locked in one order, so two batches
   * that hold the same draft (a double click reaching two servers) wait for each other, not deadlock.
   */
  lockOpening(tokenHashes: string[]): OpeningQuery<Map<string, Record<string, unknown>>> {
    return {
      text: `select token_hash, answers from share_drafts where token_hash in (${inlineHashes(tokenHashes)}) and expires_at > now() order by token_hash for update`,
      read: (rows) =>
        new Map(rows.map((row) => [row.token_hash as string, row.answers as Record<string, unknown>])),
    };
  },

  /**
   * Deletes the drafts that were sent, so sending one again finds nothing. The statement is on its
   * way when this returns (then() sends a Drizzle query), so it can travel with the COMMIT (`Last`).
   */
  removeSent(tx: Tx, tokenHashes: string[]): Promise<unknown> {
    return tx
      .execute(sql.raw(`delete from share_drafts where token_hash in (${inlineHashes(tokenHashes)})`))
      .then((result) => result);
  },

  async findByResumeHash(tx: Tx, resumeHash: string) {
    const [row] = await tx
      .select()
      .from(shareDrafts)
      .where(and(eq(shareDrafts.resumeHash, resumeHash), gt(shareDrafts.expiresAt, new Date())));
    return row;
  },

  async setResumeHash(tx: Tx, tokenHash: string, resumeHash: string) {
    await tx.update(shareDrafts).set({ resumeHash }).where(eq(shareDrafts.tokenHash, tokenHash));
  },

  /** Moves a draft to a new cookie token (the browser that opened the resume link). */
  async moveToToken(tx: Tx, id: string, tokenHash: string, expiresAt: Date) {
    await tx
      .update(shareDrafts)
      .set({ tokenHash, expiresAt, updatedAt: new Date() })
      .where(eq(shareDrafts.id, id));
  },

  async removeExpired(tx: Tx) {
    await tx.delete(shareDrafts).where(lt(shareDrafts.expiresAt, new Date()));
  },
};

/** Token hashes as an SQL list, each checked to be a hex SHA-256 digest, so nothing typed reaches SQL. */
function inlineHashes(tokenHashes: string[]): string {
  if (tokenHashes.length === 0) throw new Error('No draft token hashes');
  for (const hash of tokenHashes) if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error('Not a draft token hash');
  return tokenHashes.map((hash) => `'${hash}'`).join(',');
}
