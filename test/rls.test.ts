import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Tx } from '../src/platform/db/index.js';
import { publicActor } from '../src/platform/auth/actor.js';
import { enqueueMail } from '../src/platform/mail/mailer.js';
import { hashToken, newSecretToken } from '../src/platform/auth/tokens.js';
import { authRepository } from '../src/platform/auth/auth.repository.js';
import { buildServices, type Services } from '../src/services.js';
import { testConfig } from '../src/config.js';
import { createTestDatabase } from './helpers/db.js';
import { createTestPartnership } from './helpers/fixtures.js';

/**
 * Row-level security, checked in the database itself: whatever a query forgets, heard_app cannot
 * read or write another partnership's rows.
 */
type Partnership = Awaited<ReturnType<typeof createTestPartnership>>;

let db: Database;
let services: Services;
let a: Partnership;
let b: Partnership;
let tenantTables: string[];

async function rows<T>(tx: Tx, query: SQL): Promise<T[]> {
  // Drizzle types raw results loosely; both drivers return { rows }.
  return ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Puts at least one row in every tenant table for partnership `p`. */
async function populate(p: Partnership): Promise<void> {
  const triageId = p.staff[p.email('triage')]!;
  const created = await services.concerns.create(publicActor(p.id, 'rls-test'), {
    kind: 'concern',
    topic: 'unsafe_place',
    description: 'The underpass is dark',
    affectedGroups: ['age'],
    forGroup: false,
    anonymous: false,
    contactName: 'Sam',
    contactEmail: 'sam@example.test',
    consentToShare: true,
    equality: { ageBand: '25_34' },
    channel: 'web',
    language: 'en',
  });
  await services.share.save(p.id, newSecretToken(), { kind: 'concern' });
  await db.tenant(p.id, async (tx) => {
    await tx.execute(
      sql`insert into response_targets (partnership_id, topic, acknowledge_working_days, respond_working_days) values (${p.id}, 'idea', 5, 20)`,
    );
    await tx.execute(
      sql`insert into api_tokens (partnership_id, staff_id, name, token_hash) values (${p.id}, ${triageId}, 'Reports', ${hashToken(newSecretToken())})`,
    );
    await tx.execute(
      sql`insert into concern_shares (partnership_id, concern_id, organisation_id, role) values (${p.id}, ${created.id}, ${p.organisations.police!}, 'lead')`,
    );
    await tx.execute(
      sql`insert into concern_redactions (partnership_id, concern_id, original_description, reason, staff_id) values (${p.id}, ${created.id}, 'Original', 'Named a child', ${triageId})`,
    );
    const [inbound] = await rows<{ id: string }>(
      tx,
      sql`insert into inbound_messages (partnership_id, via, envelope_from, raw, size, concern_id) values (${p.id}, 'smtp', 'sam@example.test', decode('48656c6c6f', 'hex'), 5, ${created.id}) returning id`,
    );
    await tx.execute(
      sql`insert into concern_attachments (partnership_id, concern_id, inbound_message_id, filename, content_type, size, content) values (${p.id}, ${created.id}, ${inbound!.id}, 'photo.jpg', 'image/jpeg', 5, decode('48656c6c6f', 'hex'))`,
    );
    await tx.execute(
      sql`insert into correspondence (partnership_id, concern_id, direction, inbound_message_id, from_address, to_address, subject, body_text) values (${p.id}, ${created.id}, 'inbound', ${inbound!.id}, 'sam@example.test', 'concerns@a.test', 'Re: your concern', 'Thanks')`,
    );
    await tx.execute(
      sql`insert into open311_keys (partnership_id, name, key_hash) values (${p.id}, 'FixMyStreet', ${hashToken(newSecretToken())})`,
    );
    await tx.execute(
      sql`insert into open311_services (partnership_id, topic, public) values (${p.id}, 'unsafe_place', true)`,
    );
    await authRepository.insertSession(tx, {
      partnershipId: p.id,
      staffId: triageId,
      tokenHash: hashToken(newSecretToken()),
      stage: 'full',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await enqueueMail(tx, {
      partnershipId: p.id,
      to: 'sam@example.test',
      subject: 'Hi',
      text: 'Hello',
      purpose: 'test',
    });
  });
  await services.insight.savePopulation(
    {
      partnershipId: p.id,
      staffId: p.staff[p.email('admin')]!,
      organisationId: p.organisations.council!,
      roles: ['partnership_admin'],
      label: 'admin',
      correlationId: 'rls-test',
    },
    { characteristic: 'disability', source: 'Census 2021', figures: { yes: 166, no: 834 } },
  );
}

async function countAs(partnershipId: string, table: string, where?: string): Promise<number> {
  const [r] = await db.tenant(partnershipId, (tx) =>
    rows<{ n: number }>(
      tx,
      sql.raw(`select count(*)::int as n from ${table}${where ? ` where ${where}` : ''}`),
    ),
  );
  return Number(r!.n);
}

async function countOwned(table: string, partnershipId: string): Promise<number> {
  const [r] = await db.system((tx) =>
    rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from ${sql.identifier(table)} where partnership_id = ${partnershipId}`,
    ),
  );
  return Number(r!.n);
}

/** The error Postgres raised, whether or not the driver wrapped it. */
async function refusal(work: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await work;
  } catch (err) {
    const e = err as { code?: string; message: string; cause?: { code?: string; message: string } };
    return e.cause?.code ? e.cause : e;
  }
  throw new Error('expected the database to refuse');
}

beforeAll(async () => {
  db = await createTestDatabase();
  a = await createTestPartnership(db, 'a');
  b = await createTestPartnership(db, 'b', ['b.heard.test']);
  services = buildServices(db, testConfig());
  await populate(a);
  await populate(b);
  tenantTables = (
    await db.system((tx) =>
      rows<{ table: string }>(
        tx,
        sql`select c.relname as table from pg_class c
            join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute att on att.attrelid = c.oid and att.attname = 'partnership_id' and not att.attisdropped
            where n.nspname = 'public' and c.relkind in ('r', 'p')
            order by c.relname`,
      ),
    )
  ).map((r) => r.table);
});

afterAll(async () => {
  await db.close();
});

describe('schema', () => {
  it('finds the tenant tables', () => {
    expect(tenantTables).toEqual(
      expect.arrayContaining([
        'concerns',
        'concern_equality',
        'staff',
        'audit_log',
        'share_drafts',
        'outbox',
      ]),
    );
    expect(tenantTables).not.toContain('partnerships');
  });

  it('every table with a partnership_id has row-level security and a policy for heard_app', async () => {
    const found = await db.system((tx) =>
      rows<{ table: string; rls: boolean; policies: number }>(
        tx,
        sql`select c.relname as table, c.relrowsecurity as rls,
                   (select count(*)::int from pg_policies p
                     where p.schemaname = 'public' and p.tablename = c.relname
                       and ('heard_app' = any(p.roles) or 'public' = any(p.roles))) as policies
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relname = any(${sql.raw(`array[${tenantTables.map((t) => `'${t}'`).join(',')}]`)})
            order by c.relname`,
      ),
    );
    expect(found.map((f) => f.table)).toEqual(tenantTables);
    for (const f of found) {
      expect(f.rls, `${f.table} has row-level security`).toBe(true);
      expect(Number(f.policies), `${f.table} has a policy`).toBeGreaterThan(0);
    }
  });

  it('heard_app is not a superuser, cannot bypass row-level security and owns no table', async () => {
    const [role] = await db.system((tx) =>
      rows<{ rolsuper: boolean; rolbypassrls: boolean }>(
        tx,
        sql`select rolsuper, rolbypassrls from pg_roles where rolname = 'heard_app'`,
      ),
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const [owned] = await db.system((tx) =>
      rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = 'heard_app'`,
      ),
    );
    expect(Number(owned!.n)).toBe(0);
  });

  it('tenant transactions really run as heard_app', async () => {
    const [who] = await db.tenant(a.id, (tx) =>
      rows<{ user: string; partnership: string }>(
        tx,
        sql`select current_user as user, heard_current_partnership()::text as partnership`,
      ),
    );
    expect(who).toEqual({ user: 'heard_app', partnership: a.id });
  });
});

describe('isolation between partnerships', () => {
  it('every tenant table holds rows for both partnerships (so the checks below mean something)', async () => {
    for (const table of tenantTables) {
      expect(await countOwned(table, a.id), `${table} rows for A`).toBeGreaterThan(0);
      expect(await countOwned(table, b.id), `${table} rows for B`).toBeGreaterThan(0);
    }
  });

  it("partnership B sees none of A's rows, in any table, but all of its own", async () => {
    for (const table of tenantTables) {
      expect(await countAs(b.id, table, `partnership_id = '${a.id}'`), `${table}: A's rows seen by B`).toBe(
        0,
      );
      expect(await countAs(b.id, table), `${table}: B's own rows`).toBe(await countOwned(table, b.id));
      expect(await countAs(a.id, table, `partnership_id = '${b.id}'`), `${table}: B's rows seen by A`).toBe(
        0,
      );
    }
  });

  it("partnership B cannot insert a row carrying A's partnership_id, in any table", async () => {
    for (const table of tenantTables) {
      const [sample] = await db.system((tx) =>
        rows<{ row: Record<string, unknown> }>(
          tx,
          sql`select to_jsonb(x) as row from ${sql.identifier(table)} x where partnership_id = ${a.id} limit 1`,
        ),
      );
      const copy = JSON.stringify(sample!.row);
      const err = await refusal(
        db.tenant(b.id, (tx) =>
          tx.execute(
            sql`insert into ${sql.identifier(table)} select * from jsonb_populate_record(null::${sql.identifier(table)}, ${copy}::jsonb)`,
          ),
        ),
      );
      expect(err.message, table).toMatch(/row-level security/);
    }
  });

  it('partnership B cannot insert a new organisation for A', async () => {
    const org = await refusal(
      db.tenant(b.id, (tx) =>
        tx.execute(
          sql`insert into organisations (partnership_id, name, kind) values (${a.id}, 'Sneaky', 'council')`,
        ),
      ),
    );
    expect(org.code).toBe('42501');
    expect(await countOwned('organisations', a.id)).toBe(5);
  });

  it("partnership B cannot update or delete A's rows, and A cannot move a row to B", async () => {
    const updated = await db.tenant(b.id, (tx) =>
      rows(tx, sql`update concerns set description = 'changed' where partnership_id = ${a.id} returning id`),
    );
    expect(updated).toEqual([]);
    const deleted = await db.tenant(b.id, (tx) =>
      rows(tx, sql`delete from share_drafts where partnership_id = ${a.id} returning id`),
    );
    expect(deleted).toEqual([]);
    expect(await countOwned('share_drafts', a.id)).toBeGreaterThan(0);

    const moved = await refusal(
      db.tenant(a.id, (tx) =>
        tx.execute(sql`update areas set partnership_id = ${b.id} where partnership_id = ${a.id}`),
      ),
    );
    expect(moved.message).toMatch(/row-level security/);
  });
});

describe('with no partnership', () => {
  it('a partnership id that does not exist sees nothing', async () => {
    const nobody = randomUUID();
    for (const table of tenantTables) expect(await countAs(nobody, table), table).toBe(0);
  });

  it('heard_app with the setting unset or empty sees nothing', async () => {
    for (const setting of [null, '']) {
      for (const table of tenantTables) {
        const [r] = await db.system(async (tx) => {
          await tx.execute(sql`select set_config('role', 'heard_app', true)`);
          if (setting !== null)
            await tx.execute(sql`select set_config('heard.partnership_id', ${setting}, true)`);
          return rows<{ n: number }>(tx, sql.raw(`select count(*)::int as n from ${table}`));
        });
        expect(Number(r!.n), `${table} with setting ${String(setting)}`).toBe(0);
      }
    }
  });

  it('heard_app may read partnerships (to match host names) but not change them', async () => {
    const [r] = await db.tenant(b.id, (tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int as n from partnerships`),
    );
    expect(Number(r!.n)).toBe(2);
    const err = await refusal(
      db.tenant(b.id, (tx) =>
        tx.execute(sql`update partnerships set name = 'Taken over' where id = ${a.id}`),
      ),
    );
    expect(err.code).toBe('42501');
  });
});

describe('audit log', () => {
  it('heard_app may add to it', async () => {
    const before = await countOwned('audit_log', a.id);
    await db.tenant(a.id, (tx) =>
      tx.execute(
        sql`insert into audit_log (partnership_id, actor_label, action, entity_type, correlation_id) values (${a.id}, 'test', 'test.added', 'test', 'rls')`,
      ),
    );
    expect(await countOwned('audit_log', a.id)).toBe(before + 1);
  });

  it('heard_app may not update or delete it, even for its own partnership', async () => {
    const update = await refusal(
      db.tenant(a.id, (tx) => tx.execute(sql`update audit_log set action = 'rewritten'`)),
    );
    expect(update.code).toBe('42501');
    expect(update.message).toMatch(/permission denied/);
    const del = await refusal(db.tenant(a.id, (tx) => tx.execute(sql`delete from audit_log`)));
    expect(del.code).toBe('42501');
    const [r] = await db.system((tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int as n from audit_log where action = 'rewritten'`),
    );
    expect(Number(r!.n)).toBe(0);
  });

  it('even the owner cannot rewrite it: a trigger refuses', async () => {
    const err = await refusal(
      db.system((tx) => tx.execute(sql`delete from audit_log where partnership_id = ${a.id}`)),
    );
    expect(err.message).toMatch(/append-only/);
    expect(await countOwned('audit_log', a.id)).toBeGreaterThan(0);
  });
});
