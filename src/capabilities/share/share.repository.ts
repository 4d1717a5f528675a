import { and, eq, gt, lt } from 'drizzle-orm';
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
   * Deletes the draft and returns its answers, so submitting it twice finds nothing the second time.
   * It opens the submission's transaction (one round trip fewer), so the hash is written inline:
   * safe, because it is checked to be the hex digest hashToken() makes.
   */
  takeOpening(tokenHash: string): OpeningQuery<Record<string, unknown> | undefined> {
    if (!/^[0-9a-f]{64}$/.test(tokenHash)) throw new Error('Not a draft token hash');
    return {
      text: `delete from share_drafts where token_hash = '${tokenHash}' and expires_at > now() returning answers`,
      read: (rows) => rows[0]?.answers as Record<string, unknown> | undefined,
    };
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
