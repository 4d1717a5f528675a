import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { publicActor } from '../auth/actor.js';
import { hashToken, newSecretToken } from '../auth/tokens.js';
import { testConfig } from '../../config.js';
import { buildServices, type Services } from '../../services.js';
import { shareRepository } from '../../capabilities/share/share.repository.js';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { createTestPartnership } from '../../../test/helpers/fixtures.js';
import { Last, type Database } from './index.js';
import { placeholders, preparedFor } from './prepared.js';

let db: Database;
let services: Services;
let a: Awaited<ReturnType<typeof createTestPartnership>>;
let b: Awaited<ReturnType<typeof createTestPartnership>>;

beforeAll(async () => {
  db = await createTestDatabase();
  a = await createTestPartnership(db, 'a');
  b = await createTestPartnership(db, 'b');
  services = buildServices(db, testConfig());
});
afterAll(() => db.close());

async function draftCount(partnershipId: string) {
  return db.tenant(partnershipId, async (tx) => {
    const result = (await tx.execute(sql`select count(*)::int as n from share_drafts`)) as unknown as {
      rows: { n: number }[];
    };
    return result.rows[0]!.n;
  });
}

describe('tenantWith: a first statement sent with BEGIN', () => {
  const lock = (...tokens: string[]) => shareRepository.lockOpening(tokens.map((t) => hashToken(t)));

  it('hands the opening statement’s rows to the transaction', async () => {
    const token = newSecretToken();
    const other = newSecretToken();
    await services.share.save(a.id, token, { kind: 'concern' });
    await services.share.save(a.id, other, { kind: 'suggestion' });
    const drafts = await db.tenantWith(a.id, lock(token, other, newSecretToken()), async (_tx, o) => o);
    expect(drafts).toEqual(
      new Map([
        [hashToken(token), { kind: 'concern' }],
        [hashToken(other), { kind: 'suggestion' }],
      ]),
    );
  });

  it('runs the opening statement under row-level security', async () => {
    const token = newSecretToken();
    await services.share.save(a.id, token, { kind: 'suggestion' });
    const fromB = await db.tenantWith(b.id, lock(token), async (_tx, opened) => opened);
    expect(fromB.size).toBe(0);
    // Still there for its own partnership.
    const fromA = await db.tenantWith(a.id, lock(token), async (_tx, opened) => opened);
    expect(fromA.get(hashToken(token))).toEqual({ kind: 'suggestion' });
  });

  it('rolls everything back when the work fails', async () => {
    const token = newSecretToken();
    await services.share.save(a.id, token, { kind: 'concern' });
    const before = await draftCount(a.id);
    await expect(
      db.tenantWith(a.id, lock(token), async (tx) => {
        await shareRepository.removeSent(tx, [hashToken(token)]);
        throw new Error('the insert failed');
      }),
    ).rejects.toThrow('the insert failed');
    expect(await draftCount(a.id)).toBe(before);
  });

  it('commits with the last statements, and rolls everything back when one of them fails', async () => {
    const kept = newSecretToken();
    await services.share.save(a.id, kept, { kind: 'concern' });
    const before = await draftCount(a.id);
    await expect(
      db.tenantWith(a.id, lock(kept), async (tx) => {
        return new Last(() =>
          Promise.all([
            shareRepository.removeSent(tx, [hashToken(kept)]),
            tx.execute(sql`select 1 / 0`).then(),
          ]),
        );
      }),
    ).rejects.toThrow();
    // The draft deleted with it is back: the failed statement took the COMMIT's transaction with it.
    expect(await draftCount(a.id)).toBe(before);

    const sent = await db.tenantWith(a.id, lock(kept), async (tx, opened) => {
      return new Last(async () => {
        await shareRepository.removeSent(tx, [hashToken(kept)]);
        return opened.get(hashToken(kept));
      });
    });
    expect(sent).toEqual({ kind: 'concern' });
    expect(await draftCount(a.id)).toBe(before - 1);
  });

  it('refuses to build SQL from anything but token hashes', () => {
    expect(() => shareRepository.lockOpening([hashToken('x'), "x' or true --"])).toThrow(
      'Not a draft token hash',
    );
    expect(() => shareRepository.lockOpening([])).toThrow('No draft token hashes');
  });
});

describe('prepared statements', () => {
  it('builds a statement once per handle and shape, and names each shape once', () => {
    const h1 = {};
    const h2 = {};
    let built = 0;
    const build = (name: string) => {
      built++;
      return name;
    };
    const first = preparedFor(h1, 'test shape one', build);
    expect(preparedFor(h1, 'test shape one', build)).toBe(first);
    expect(built).toBe(1);
    // Another connection builds its own, under the same name.
    expect(preparedFor(h2, 'test shape one', build)).toBe(first);
    expect(built).toBe(2);
    expect(preparedFor(h1, 'test shape two', build)).not.toBe(first);
  });

  it('names placeholders after the row’s keys and leaves out undefined values', () => {
    const p = placeholders('c', { id: 'x', topic: null, source: undefined });
    expect(p.shape).toBe('c(id,topic)');
    expect(p.values).toEqual({ c_id: 'x', c_topic: null });
    expect(Object.keys(p.slots())).toEqual(['id', 'topic']);
  });

  it('stores each new concern with its own values through the same statement', async () => {
    const make = (description: string, email: string | undefined) =>
      services.concerns.create(publicActor(a.id, 'prepared-test'), {
        kind: 'concern',
        topic: 'unsafe_place',
        description,
        affectedGroups: [],
        forGroup: false,
        anonymous: email === undefined,
        contactEmail: email,
        preferredContact: email ? 'email' : undefined,
        consentToShare: true,
        channel: 'web',
        language: 'en',
      });
    const one = await make('The first underpass is dark', 'one@example.test');
    const two = await make('The second underpass is flooded', 'two@example.test');
    const three = await make('The third underpass has no lights', undefined);
    const stored = await db.tenant(a.id, async (tx) => {
      const result = (await tx.execute(
        sql`select c.id, c.description, c.contact_email, (select count(*)::int from outbox o where o.concern_id = c.id) as mail
            from concerns c where c.id in (${one.id}, ${two.id}, ${three.id}) order by c.created_at`,
      )) as unknown as {
        rows: { id: string; description: string; contact_email: string | null; mail: number }[];
      };
      return result.rows;
    });
    expect(stored).toEqual([
      { id: one.id, description: 'The first underpass is dark', contact_email: 'one@example.test', mail: 1 },
      {
        id: two.id,
        description: 'The second underpass is flooded',
        contact_email: 'two@example.test',
        mail: 1,
      },
      { id: three.id, description: 'The third underpass has no lights', contact_email: null, mail: 0 },
    ]);
  });
});
