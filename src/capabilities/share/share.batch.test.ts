import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inArray, sql } from 'drizzle-orm';
import { newSecretToken } from '../../platform/auth/tokens.js';
import type { Database } from '../../platform/db/index.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { concerns } from '../concerns/concerns.table.js';
import { createShareService, type SubmitOutcome } from './share.service.js';

/**
 * Residents who press "Send" at about the same time are stored in one transaction, each with their
 * own outcome, and one submission's failure is never another's.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const COMPLETE = {
  kind: 'concern',
  topic: 'antisocial_behaviour',
  description: 'Motorbikes on the footpath by the canal every evening.',
  whereAnswered: true,
  affectedGroups: [],
  forGroup: 'no',
  contactMode: 'anonymous',
  consentToShare: 'yes',
  equalityAnswered: true,
};

async function draft(partnershipId: string, answers: Record<string, unknown> = COMPLETE) {
  const token = newSecretToken();
  await t.services.share.save(partnershipId, token, answers);
  return token;
}

/** The transaction each stored concern was written in (its row's xmin), by reference. */
async function transactionsOf(partnershipId: string, outcomes: SubmitOutcome[]) {
  const references = outcomes.flatMap((o) => (o.ok ? [o.created.reference] : []));
  const rows = await t.db.tenant(partnershipId, (tx) =>
    tx
      .select({ reference: concerns.reference, tx: sql<string>`${concerns}.xmin::text` })
      .from(concerns)
      .where(inArray(concerns.reference, references)),
  );
  return new Map(rows.map((r) => [r.reference, r.tx]));
}

describe('submissions sent together', () => {
  it('stores the complete ones in one transaction and answers each resident on their own', async () => {
    const complete = await Promise.all([draft(t.a.id), draft(t.a.id), draft(t.a.id)]);
    const incomplete = await draft(t.a.id, { kind: 'concern', topic: 'idea' });
    const twice = await draft(t.a.id);
    const tokens = [...complete, incomplete, newSecretToken(), twice, twice];
    const outcomes = await Promise.all(
      tokens.map((token) => t.services.share.submit(t.a.id, token, 'en', 'c')),
    );

    expect(outcomes.map((o) => (o.ok ? 'ok' : o.problem))).toEqual([
      'ok',
      'ok',
      'ok',
      'incomplete',
      'noDraft',
      'ok',
      // The same draft again (a double click) finds it sent.
      'noDraft',
    ]);
    expect(outcomes[3]).toEqual({ ok: false, problem: 'incomplete', step: 'details' });
    const stored = await transactionsOf(t.a.id, outcomes);
    expect(stored.size).toBe(4);
    expect(new Set(stored.values()).size).toBe(1);
    // The incomplete draft is left for its resident to finish; the sent ones are gone.
    expect(await t.services.share.load(t.a.id, incomplete)).toEqual({ kind: 'concern', topic: 'idea' });
    for (const token of [...complete, twice]) expect(await t.services.share.load(t.a.id, token)).toEqual({});
  });

  it('keeps partnerships apart: each is stored in its own partnership’s transaction', async () => {
    const [fromA, fromB] = await Promise.all([draft(t.a.id), draft(t.b.id)]);
    // A token sent to the wrong partnership finds no draft there.
    const [okA, okB, wrong] = await Promise.all([
      t.services.share.submit(t.a.id, fromA, 'en', 'c'),
      t.services.share.submit(t.b.id, fromB, 'en', 'c'),
      t.services.share.submit(t.b.id, await draft(t.a.id), 'en', 'c'),
    ]);
    expect([okA.ok, okB.ok, wrong]).toEqual([true, true, { ok: false, problem: 'noDraft' }]);
    expect((await transactionsOf(t.a.id, [okA])).size).toBe(1);
    expect((await transactionsOf(t.b.id, [okB])).size).toBe(1);
    expect((await transactionsOf(t.b.id, [okA])).size).toBe(0);
  });

  it('sends each again on its own when the shared transaction fails, losing none', async () => {
    // A database whose first transaction with several drafts fails after doing all its work.
    let failed = false;
    const failing: Database = {
      ...t.db,
      tenantWith: (partnershipId, opening, fn) =>
        t.db.tenantWith(partnershipId, opening, async (tx, opened) => {
          const result = await fn(tx, opened);
          if (!failed && opening.text.includes("','")) {
            failed = true;
            throw new Error('the shared transaction failed');
          }
          return result;
        }),
    };
    const share = createShareService(failing, t.services.concerns, {
      secret: 's',
      mailFrom: 'heard@example.org',
    });
    const tokens = await Promise.all([draft(t.a.id), draft(t.a.id), draft(t.a.id)]);
    const outcomes = await Promise.all(tokens.map((token) => share.submit(t.a.id, token, 'en', 'c')));

    expect(failed).toBe(true);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const stored = await transactionsOf(t.a.id, outcomes);
    expect(stored.size).toBe(3);
    // One transaction each: the failed one stored nothing.
    expect(new Set(stored.values()).size).toBe(3);
  });
});
