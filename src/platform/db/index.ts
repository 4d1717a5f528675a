import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { Writable } from 'node:stream';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** A Drizzle handle inside a transaction; repositories take one of these as their first argument. */
export type Tx = PgDatabase<PgQueryResultHKT, Schema>;

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../migrations',
);

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs fn in a transaction as the heard_app role with the partnership set, so row-level security
   * confines every query to that partnership. Almost all work goes through here.
   */
  tenant<T>(partnershipId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * tenant(), with a first statement that travels with BEGIN in one round trip on a server. For the
   * busiest paths (a resident's submission), where each round trip is a large share of the cost.
   */
  tenantWith<R, T>(
    partnershipId: string,
    opening: OpeningQuery<R>,
    fn: (tx: Tx, opened: R) => Promise<T | Last<T>>,
  ): Promise<T>;
  /**
   * Runs fn as the schema owner, outside row-level security. Only for the few lookups that happen
   * before a partnership is known (a session token, an API token, a host name) and for seeding.
   */
  system<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /** PGlite only: a tarball of the data directory, for createDatabase({ loadDataDir }) (test snapshots). */
  dumpDataDir?(): Promise<Blob>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * A statement sent in the same simple-protocol message as BEGIN, so it cannot take parameters: its
 * text is constant, and any value in it is one the repository made and checked the shape of (a hex
 * hash, a uuid), never anything a person typed.
 */
export interface OpeningQuery<R> {
  text: string;
  read(rows: Record<string, unknown>[]): R;
}

/**
 * A transaction's last statements, for the database to send with COMMIT behind them: on a server
 * they travel together, in one packet and one round trip. If one fails, the server answers the
 * COMMIT by rolling back, and that statement's error is what the caller sees.
 */
export class Last<T> {
  /**
   * `send` makes the statements before it returns (a Drizzle query is sent when then() is called):
   * a Drizzle query, an async function whose first await is one, or Promise.all of such.
   */
  constructor(readonly send: () => Promise<T>) {}
}

async function settle<T>(result: T | Last<T>): Promise<T> {
  return result instanceof Last ? result.send() : result;
}

/**
 * Writes made on this connection before the next tick leave together, in one system call: on a busy
 * server each write to the database's socket costs more than building the query.
 */
function batchWrites(client: pg.PoolClient): void {
  // pg's Client keeps its socket on `connection.stream`; without one, writes simply go one by one.
  const stream = (client as unknown as { connection?: { stream?: Partial<Writable> } }).connection?.stream;
  if (!stream?.cork || !stream.uncork) return;
  stream.cork();
  process.nextTick(() => stream.uncork!());
}

export interface DatabaseOptions {
  /** postgres://… for a server; otherwise PGlite. */
  url?: string | undefined;
  /** PGlite data directory; undefined keeps it in memory (tests). */
  dataDir?: string | undefined;
  /**
   * A PGlite data directory tarball (from dumpDataDir) to start from instead of an empty cluster:
   * tests start from an already migrated snapshot, as creating and migrating a cluster costs seconds.
   */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
}

type AnyDrizzle = {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  execute: Tx['execute'];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function wrap(
  kind: Database['kind'],
  db: AnyDrizzle,
  doMigrate: () => Promise<void>,
  doClose: () => Promise<void>,
  fast?: Pick<Database, 'tenant' | 'tenantWith'>,
): Database {
  const tenant: Database['tenant'] = (partnershipId, fn) =>
    db.transaction(async (tx) => {
      // One round trip: SET LOCAL ROLE and the tenant setting, both ending with the transaction.
      await tx.execute(
        sql`select set_config('role', 'heard_app', true), set_config('heard.partnership_id', ${partnershipId}, true)`,
      );
      return fn(tx);
    });
  return {
    kind,
    tenant: fast?.tenant ?? tenant,
    tenantWith:
      fast?.tenantWith ??
      ((partnershipId, opening, fn) =>
        tenant(partnershipId, async (tx) => {
          const result = (await tx.execute(sql.raw(opening.text))) as unknown as {
            rows: Record<string, unknown>[];
          };
          return settle(await fn(tx, opening.read(result.rows)));
        })),
    system(fn) {
      return db.transaction(fn);
    },
    migrate: doMigrate,
    async ping() {
      try {
        await db.execute(sql`select 1`);
        return true;
      } catch {
        return false;
      }
    },
    close: doClose,
  };
}

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    // Pipelining (node-postgres 8.23): a query is written as soon as it is made, without waiting for
    // the one before to be answered, so BEGIN travels with a transaction's first statement and COMMIT
    // with its last. Each query still gets its own answer, in order.
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      pipeline: true,
    } as pg.PoolConfig);
    // An idle client that errors (e.g. the server restarted) must not crash the process.
    pool.on('error', () => undefined);
    const db = drizzlePg(pool, { schema });
    /**
     * On a server every round trip counts, so a tenant transaction opens with BEGIN and its settings
     * in one simple-protocol query (the id is checked to be a uuid, so it can be written inline),
     * pipelined with the first statement, rather than drizzle's BEGIN followed by a second query.
     */
    // Building a drizzle instance walks the whole schema, so each pooled connection gets one, once.
    const perClient = new WeakMap<pg.PoolClient, Tx>();
    const txFor = (client: pg.PoolClient) => {
      let tx = perClient.get(client);
      if (!tx) {
        tx = drizzlePg(client, { schema }) as unknown as Tx;
        perClient.set(client, tx);
      }
      return tx;
    };
    const inTenant = async <T>(
      partnershipId: string,
      opening: OpeningQuery<unknown> | undefined,
      fn: (tx: Tx, opened: unknown) => Promise<T | Last<T>>,
    ): Promise<T> => {
      if (!UUID.test(partnershipId)) throw new Error('Not a partnership id');
      const client = await pool.connect();
      let broken: Error | undefined;
      // Made, and so sent, at once; awaited later. A rejection is handled where it is awaited.
      const send = (text: string) => {
        const answer = client.query(text) as unknown as Promise<pg.QueryResult | pg.QueryResult[]>;
        answer.catch(() => undefined);
        return answer;
      };
      try {
        const begin = `BEGIN; SELECT set_config('role', 'heard_app', true), set_config('heard.partnership_id', '${partnershipId}', true)`;
        let opened: unknown;
        let begun: Promise<unknown> | undefined;
        if (opening) {
          // Several statements in one message answer with one result each; the opening's is the last.
          const results = (await send(`${begin}; ${opening.text}`)) as pg.QueryResult[];
          opened = opening.read(results[results.length - 1]!.rows);
        } else {
          batchWrites(client);
          begun = send(begin);
        }
        const result = await fn(txFor(client), opened);
        await begun;
        if (result instanceof Last) {
          batchWrites(client);
          // then() now, not await later: a Drizzle query is only sent when then() is called, and it
          // must be on its way before the COMMIT.
          const value = result.send().then((settled) => settled);
          const committed = send('COMMIT');
          const settled = await value;
          await committed;
          return settled;
        }
        await send('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw err;
      } finally {
        client.release(broken);
      }
    };
    return wrap(
      'postgres',
      db as unknown as AnyDrizzle,
      () => migratePg(db, { migrationsFolder: MIGRATIONS_DIR }),
      () => pool.end(),
      {
        tenant: (partnershipId, fn) => inTenant(partnershipId, undefined, (tx) => fn(tx)),
        tenantWith: (partnershipId, opening, fn) =>
          inTenant(partnershipId, opening, (tx, opened) => fn(tx, opened as never)),
      },
    );
  }
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const client = options.dataDir
    ? new PGlite(path.resolve(options.dataDir, 'pglite'))
    : new PGlite(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  await client.waitReady;
  const db = drizzlePglite(client, { schema });
  return {
    ...wrap(
      'pglite',
      db as unknown as AnyDrizzle,
      () => migratePglite(db, { migrationsFolder: MIGRATIONS_DIR }),
      () => client.close(),
    ),
    // Uncompressed: loading skips gunzip, and the file only ever lives in a temp directory.
    dumpDataDir: () => client.dumpDataDir('none'),
  };
}

/** The database the config names (a server, or PGlite under DATA_DIR), migrated and ready. */
export async function openDatabase(config: {
  databaseUrl: string | undefined;
  dataDir: string;
  databasePoolSize: number;
}): Promise<Database> {
  const db = await createDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  await db.migrate();
  return db;
}
