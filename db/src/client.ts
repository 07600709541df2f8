/**
 * One `Db` type over two drivers: postgres.js for a PostgreSQL server
 * (DATABASE_URL), PGlite — PostgreSQL in WebAssembly, data in a local folder —
 * as the embedded default. Both run every application query as the
 * application role, so row-level security is in force on either.
 *
 * Nothing is set per connection (no startup parameters, no session `SET`):
 * behind a transaction-mode pooler (PgBouncer) consecutive transactions may
 * run on different server connections, and PgBouncer refuses startup
 * parameters it does not know. The role is switched inside each transaction
 * instead (`SET LOCAL ROLE`, see `withTenant` and `asApplicationRole`).
 */
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { mkdirSync } from 'node:fs';
import { migratePglite, migratePostgres, migrationsCurrent } from './migrate.ts';
import * as schema from './schema/index.ts';
import { APP_ROLE } from './schema/index.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface Database {
  readonly db: Db;
  readonly driver: 'postgres' | 'pglite';
  /** Connections in its pool (PGlite: one). */
  readonly connections: number;
  /** How the pool is used, for operators' metrics (postgres.js); undefined on PGlite, one connection. */
  readonly pool?: PoolUse;
  /** Whether every migration this code knows is applied (PGlite: migrated when opened, so always). */
  migrationsCurrent(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The application pool's use, counted around every transaction it runs (every
 * application statement runs in one: see `asApplicationRole`), since
 * postgres.js tells nothing of its pool.
 */
export interface PoolUse {
  /** Transactions holding a connection now. */
  inUse: number;
  /** Transactions waiting for a connection. */
  waiting: number;
  /** Told how long each transaction waited for its connection, BEGIN's round trip included, in seconds. */
  readonly waitListeners: Set<(seconds: number) => void>;
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL; without one, PGlite is used. */
  url?: string | undefined;
  /** PGlite's data folder; `memory://` keeps it in memory. */
  dataDir?: string | undefined;
  /** Connections in the postgres.js pool. */
  poolSize?: number | undefined;
  /** Apply pending migrations before returning (always done for PGlite). */
  migrate?: boolean | undefined;
  /** Called for every SQL statement the application issues (for statement counts). */
  onQuery?: ((sql: string) => void) | undefined;
  /**
   * Named prepared statements (default on). Off for poolers that cannot route
   * them in transaction mode (PgBouncer before 1.21); PgBouncer 1.21+ routes
   * them with `max_prepared_statements` set.
   */
  preparedStatements?: boolean | undefined;
  /** Where migrations run, over their own direct connection (default: `url`). */
  migrationUrl?: string | undefined;
  /** How long one statement of a tenant transaction may run (see `withTenant`); default 30 s. */
  statementTimeoutMs?: number | undefined;
}

/**
 * How long opening a connection may take. A server that refuses connections
 * fails a query at once; one that does not answer (a cut network) fails it
 * after this, instead of postgres.js' default 30 s.
 */
const CONNECT_TIMEOUT_SECONDS = 5;

/**
 * Seconds before a connection that closed with an error reconnects. postgres.js counts failures across
 * the whole pool and by default waits up to 20 s (3^failures / 100): a restart that drops ten connections
 * at once would leave the pool waiting that long after the server is back. Here: 50 ms doubling, at most
 * 1 s, with jitter, so requests work again within a second or two of the server's return.
 */
function reconnectBackoff(failures: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** failures, 1);
}

/**
 * What every transaction starts with, local to it (`set_config(…, true)` is
 * `SET LOCAL`): the application role, and a plan for each execution's values
 * (an organization of 30,000 members wants another plan than one of 30).
 */
/** How long one statement of a tenant transaction may run unless the database was opened with another limit. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

const statementTimeouts = new WeakMap<Db, number>();

/** The statement timeout `withTenant` sets in every transaction on `db` (openDatabase sets it). */
function setStatementTimeout(db: Db, milliseconds: number): void {
  statementTimeouts.set(db, milliseconds);
}

export function statementTimeoutOf(db: Db): number {
  return statementTimeouts.get(db) ?? DEFAULT_STATEMENT_TIMEOUT_MS;
}

/**
 * Cancels the statement a transaction is running: its backend, and the
 * transaction's start (`now()` in it) in microseconds since 1970, as text
 * (a timestamp parameter would be cut to milliseconds by postgres.js).
 */
export type TransactionCanceller = (pid: number, started: string) => void;

const cancellers = new WeakMap<Db, TransactionCanceller>();

/**
 * How `withTenant` cancels a transaction of `db` whose request ran out of
 * time; undefined on PGlite (one connection, in this process: there is
 * nothing to send a cancellation over while it runs a statement).
 */
export function transactionCanceller(db: Db): TransactionCanceller | undefined {
  return cancellers.get(db);
}

/**
 * Cancellations over a connection of their own, opened when first needed: a
 * request out of time may be one of many holding every pooled connection.
 * `pg_cancel_backend` reaches the backend only while it is still in the same
 * transaction (pg_stat_activity's xact_start is the transaction's `now()`, to the microsecond),
 * so a connection already handed to another request is never touched. A
 * cancellation that fails leaves the statement timeout to end the statement.
 */
function cancellingOver(url: string): { cancel: TransactionCanceller; close(): Promise<void> } {
  let connection: postgres.Sql | undefined;
  return {
    cancel: (pid, started) => {
      connection ??= postgres(url, {
        max: 1,
        idle_timeout: 60,
        connect_timeout: CONNECT_TIMEOUT_SECONDS,
        onnotice: () => {},
      });
      connection`select pg_cancel_backend(pid) from pg_stat_activity where pid = ${pid} and (extract(epoch from xact_start) * 1000000)::bigint::text = ${started}`.then(
        () => undefined,
        () => undefined,
      );
    },
    close: async () => {
      await connection?.end({ timeout: 1 });
    },
  };
}

/** The same as a select list, for a transaction's first statement to set more beside them (see `withTenant`). */
export const APPLICATION_SETTINGS = `set_config('role', '${APP_ROLE}', true), set_config('plan_cache_mode', 'force_custom_plan', true)`;
/** The settings alone, as a statement. */
export const APPLICATION_SESSION = `select ${APPLICATION_SETTINGS}`;

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const logger = options.onQuery ? { logQuery: options.onQuery } : false;

  if (options.url) {
    if (options.migrate) await migratePostgres(options.migrationUrl ?? options.url);
    const connections = options.poolSize ?? 10;
    const prepare = options.preparedStatements ?? true;
    const client = postgres(options.url, {
      max: connections,
      connect_timeout: CONNECT_TIMEOUT_SECONDS,
      backoff: reconnectBackoff,
      onnotice: () => {},
      prepare,
    });
    const pool: PoolUse = { inUse: 0, waiting: 0, waitListeners: new Set() };
    const asApp = asApplicationRole(measuringUse(client, pool));
    const db = drizzlePostgres({ client: prepare ? preparingStatements(asApp) : asApp, schema, logger });
    setStatementTimeout(db, options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS);
    const cancelling = cancellingOver(options.url);
    cancellers.set(db, cancelling.cancel);
    // The readiness check reads drizzle's bookkeeping as the owner: one connection, opened when first asked.
    let owner: postgres.Sql | undefined;
    const url = options.url;
    return {
      db,
      driver: 'postgres',
      connections,
      pool,
      migrationsCurrent: () => {
        owner ??= postgres(url, {
          max: 1,
          idle_timeout: 60,
          connect_timeout: CONNECT_TIMEOUT_SECONDS,
          onnotice: () => {},
        });
        return migrationsCurrent(owner);
      },
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), owner?.end({ timeout: 1 }), cancelling.close()]);
      },
    };
  }

  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  await migratePglite(client);
  // PGlite is one connection and signs in as a superuser; from here on it acts as the application role.
  await client.exec(`SET ROLE ${APP_ROLE}`);
  const db = drizzlePglite({ client, schema, logger });
  setStatementTimeout(db, options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS);
  return {
    db,
    driver: 'pglite',
    connections: 1,
    migrationsCurrent: () => Promise.resolve(true),
    close: () => client.close(),
  };
}

/**
 * The pool as drizzle sees it, with a statement outside any transaction run
 * in one of its own that first switches to the application role (a role
 * given as a startup parameter or a session `SET ROLE` would not survive a
 * transaction-mode pooler). Transactions switch in `withTenant`.
 */
function asApplicationRole(client: postgres.Sql): postgres.Sql {
  type Parameters = postgres.ParameterOrJSON<never>[] | undefined;
  const alone = (
    query: string,
    parameters: Parameters,
    options: postgres.UnsafeQueryOptions | undefined,
    arrays: boolean,
  ) =>
    client.begin(async (tx) => {
      await tx.unsafe(APPLICATION_SESSION);
      const statement = tx.unsafe(query, parameters, options);
      return arrays ? statement.values() : statement;
    });
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'unsafe') return Reflect.get(target, property, receiver) as unknown;
      // drizzle awaits the query, or calls `.values()` on it for rows as arrays; run only what it asks for.
      return (query: string, parameters?: Parameters, options?: postgres.UnsafeQueryOptions) => ({
        then: (resolve: (rows: unknown) => unknown, reject: (error: unknown) => unknown) =>
          alone(query, parameters, options, false).then(resolve, reject),
        values: () => alone(query, parameters, options, true),
      });
    },
  });
}

/** The client with its transactions counted in `pool`: waiting until their callback starts, in use until they end. */
function measuringUse(client: postgres.Sql, pool: PoolUse): postgres.Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'begin' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const work = args.at(-1) as (tx: postgres.TransactionSql) => unknown;
        const asked = performance.now();
        let begun = false;
        pool.waiting++;
        const transaction = (value as (...inner: unknown[]) => Promise<unknown>).apply(target, [
          ...args.slice(0, -1),
          (tx: postgres.TransactionSql) => {
            begun = true;
            pool.waiting--;
            pool.inUse++;
            const seconds = (performance.now() - asked) / 1000;
            for (const listener of pool.waitListeners) listener(seconds);
            return work(tx);
          },
        ]);
        return transaction.finally(() => {
          if (begun) pool.inUse--;
          else pool.waiting--;
        });
      };
    },
  });
}

/**
 * The client as drizzle sees it, with every statement prepared (drizzle
 * prepares only queries built with `.prepare(name)`): postgres.js then keeps
 * one named statement per text and connection and sends only its parameters,
 * where an unnamed statement sends its whole text, often over a kilobyte,
 * each time. The same inside transactions and savepoints.
 */
function preparingStatements<Client extends postgres.Sql | postgres.TransactionSql>(client: Client): Client {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'unsafe') {
        return (query: string, parameters?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, parameters, { ...options, prepare: true });
      }
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) => {
          const work = args.at(-1) as (inner: postgres.TransactionSql) => unknown;
          return (value as (...inner: unknown[]) => unknown).apply(target, [
            ...args.slice(0, -1),
            (inner: postgres.TransactionSql) => work(preparingStatements(inner)),
          ]);
        };
      }
      return value;
    },
  });
}

/**
 * Runs raw SQL and returns its rows. The drivers shape `execute`'s result
 * differently (postgres.js: an array; PGlite: `{ rows }`); this hides that.
 */
export async function queryRows<Row extends Record<string, unknown>>(db: Db, statement: SQL): Promise<Row[]> {
  const result: unknown = await db.execute(statement);
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return rows as Row[];
}
