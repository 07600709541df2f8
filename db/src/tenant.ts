import { sql } from 'drizzle-orm';
import { APPLICATION_SESSION, type Db, type Tx } from './client.ts';

/** Whom a transaction acts for. Row-level security reads both settings. */
export interface TenantScope {
  /** The organization whose rows are visible; null: none. */
  orgId: string | null;
  /** The signed-in account, whose own memberships are visible in every organization; null: none. */
  accountId: string | null;
}

/** How long one statement of a tenant transaction may run unless the database was opened with another limit. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

const statementTimeouts = new WeakMap<Db, number>();

/** The statement timeout `withTenant` sets in every transaction on `db` (openDatabase calls this). */
export function setStatementTimeout(db: Db, milliseconds: number): void {
  statementTimeouts.set(db, milliseconds);
}

/**
 * Runs `work` in one transaction scoped to an organization. The settings are
 * `SET LOCAL` (set_config's third argument), so they end with the transaction
 * and nothing stays on the pooled connection. The transaction first switches
 * to the application role (`APPLICATION_SESSION`), so row-level security
 * applies whatever role the pool signed in as.
 * The statement timeout is set the same way, in the same statement, rather
 * than as a connection's startup parameter (PgBouncer refuses those).
 */
export function withTenant<T>(db: Db, scope: TenantScope, work: (tx: Tx) => Promise<T>): Promise<T> {
  const statementTimeout = String(statementTimeouts.get(db) ?? DEFAULT_STATEMENT_TIMEOUT_MS);
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(APPLICATION_SESSION));
    await tx.execute(
      sql`select set_config('app.org_id', ${scope.orgId ?? ''}, true), set_config('app.account_id', ${scope.accountId ?? ''}, true), set_config('statement_timeout', ${statementTimeout}, true)`,
    );
    return work(tx);
  });
}

/** A transaction scoped like `withTenant`'s, held open for several units of work until `end`. */
export interface HeldTenantTransaction {
  /** Runs `work` in the held transaction; units of work may run concurrently (their statements are pipelined). */
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Commits; resolves once committed, rejects if BEGIN or COMMIT failed. */
  end(): Promise<void>;
}

/**
 * Opens a transaction for many small units of work, so that they pay for
 * BEGIN, the settings and COMMIT once instead of once each. It holds a
 * pooled connection until `end`: the caller bounds how many are held at once.
 */
export function holdTenantTransaction(db: Db, scope: TenantScope): HeldTenantTransaction {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let committed!: Promise<void>;
  const opened = new Promise<Tx>((resolve, reject) => {
    committed = withTenant(db, scope, async (tx) => {
      resolve(tx);
      await released;
    });
    committed.catch(reject);
  });
  // Whoever runs work or ends it hears of a failure; nobody may have.
  opened.catch(() => undefined);
  return {
    run: async (work) => work(await opened),
    end: () => {
      release();
      return committed;
    },
  };
}
