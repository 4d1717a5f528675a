import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { hashToken, newSecretToken } from '../../platform/auth/tokens.js';
import type { Database } from '../../platform/db/index.js';
import { testConfig } from '../../config.js';
import { buildServices } from '../../services.js';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { createTestPartnership } from '../../../test/helpers/fixtures.js';

/**
 * Sending a draft from the answers this server already holds (one round trip), and falling back to
 * reading the draft whenever those answers may be out of date: changed or sent on another server,
 * expired, or not complete here. Two service instances on one database stand for two servers.
 */
let db: Database;
let a: Awaited<ReturnType<typeof createTestPartnership>>;

beforeAll(async () => {
  db = await createTestDatabase();
  a = await createTestPartnership(db, 'a');
});
afterAll(() => db.close());

/** A server: its own services (and so its own held drafts), counting the submissions that read the draft first. */
function server() {
  const counter = { reads: 0 };
  const counted: Database = {
    ...db,
    tenantWith: (...args: Parameters<Database['tenantWith']>) => {
      counter.reads++;
      return db.tenantWith(...args);
    },
  } as Database;
  return { share: buildServices(counted, testConfig()).share, counter };
}

const complete = (description: string) => ({
  kind: 'concern',
  topic: 'unsafe_place',
  description,
  whereAnswered: true,
  affectedGroups: [],
  forGroup: 'no',
  contactMode: 'anonymous',
  consentToShare: 'yes',
  equalityAnswered: true,
});

async function stored(description: string) {
  return db.tenant(a.id, async (tx) => {
    const result = (await tx.execute(
      sql`select count(*)::int as n from concerns where description = ${description}`,
    )) as unknown as { rows: { n: number }[] };
    return result.rows[0]!.n;
  });
}

async function draftExists(token: string) {
  return db.tenant(a.id, async (tx) => {
    const result = (await tx.execute(
      sql`select count(*)::int as n from share_drafts where token_hash = ${hashToken(token)}`,
    )) as unknown as { rows: { n: number }[] };
    return result.rows[0]!.n === 1;
  });
}

describe('submitting a draft', () => {
  it('sends the answers this server saved without reading the draft again', async () => {
    const one = server();
    const token = newSecretToken();
    await one.share.save(a.id, token, complete('The bus shelter glass is smashed'));
    const outcome = await one.share.submit(a.id, token, 'en', 'held');
    expect(outcome.ok).toBe(true);
    expect(one.counter.reads).toBe(0);
    expect(await stored('The bus shelter glass is smashed')).toBe(1);
    expect(await draftExists(token)).toBe(false);
    // A second press of Send finds nothing, and stores nothing.
    expect(await one.share.submit(a.id, token, 'en', 'held again')).toEqual({
      ok: false,
      problem: 'noDraft',
    });
    expect(await stored('The bus shelter glass is smashed')).toBe(1);
  });

  it('sends the answers as they are now when another server changed them', async () => {
    const one = server();
    const two = server();
    const token = newSecretToken();
    await one.share.save(a.id, token, complete('The underpass light is out'));
    await two.share.save(a.id, token, { description: 'The underpass light is out and the gate is broken' });
    const outcome = await one.share.submit(a.id, token, 'en', 'changed');
    expect(outcome.ok && outcome.answers.description).toBe(
      'The underpass light is out and the gate is broken',
    );
    expect(one.counter.reads).toBe(1);
    expect(await stored('The underpass light is out')).toBe(0);
    expect(await stored('The underpass light is out and the gate is broken')).toBe(1);
    expect(await draftExists(token)).toBe(false);
  });

  it('stores nothing twice when another server already sent the draft', async () => {
    const one = server();
    const two = server();
    const token = newSecretToken();
    await one.share.save(a.id, token, complete('Cars race along the park road at night'));
    expect((await two.share.submit(a.id, token, 'en', 'sent there')).ok).toBe(true);
    expect(await one.share.submit(a.id, token, 'en', 'sent here')).toEqual({ ok: false, problem: 'noDraft' });
    expect(await stored('Cars race along the park road at night')).toBe(1);
  });

  it('does not send a draft that expired, even with its answers held', async () => {
    const one = server();
    const token = newSecretToken();
    await one.share.save(a.id, token, complete('The footbridge is covered in graffiti'));
    await db.system((tx) =>
      tx.execute(
        sql`update share_drafts set expires_at = now() - interval '1 minute' where token_hash = ${hashToken(token)}`,
      ),
    );
    expect(await one.share.submit(a.id, token, 'en', 'expired')).toEqual({ ok: false, problem: 'noDraft' });
    expect(await stored('The footbridge is covered in graffiti')).toBe(0);
  });

  it('reads the draft when the answers held here are not complete', async () => {
    const one = server();
    const two = server();
    const token = newSecretToken();
    const answers = complete('Dumped mattresses block the alley');
    await one.share.save(a.id, token, { ...answers, equalityAnswered: undefined });
    // Held here: incomplete. Completed on the other server.
    await two.share.save(a.id, token, { equalityAnswered: true });
    const outcome = await one.share.submit(a.id, token, 'en', 'completed there');
    expect(outcome.ok).toBe(true);
    expect(one.counter.reads).toBe(1);
    expect(await stored('Dumped mattresses block the alley')).toBe(1);
  });

  it('sends the resident back to the first page not answered, keeping the draft', async () => {
    const one = server();
    const token = newSecretToken();
    await one.share.save(a.id, token, { ...complete('The subway smells of gas'), consentToShare: undefined });
    expect(await one.share.submit(a.id, token, 'en', 'incomplete')).toEqual({
      ok: false,
      problem: 'incomplete',
      step: 'consent',
    });
    expect(await draftExists(token)).toBe(true);
    expect(await stored('The subway smells of gas')).toBe(0);
  });
});
