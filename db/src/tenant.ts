import { and, eq, gt, sql, type SQL } from 'drizzle-orm';
import {
  APPLICATION_SETTINGS,
  queryRows,
  statementTimeoutOf,
  transactionCanceller,
  type Db,
  type Tx,
} from './client.ts';
import { organizations } from './schema/tenancy.ts';
import { sessions } from './schema/people.ts';

/** Whom a transaction acts for. Row-level security reads both settings. */
export interface TenantScope {
  /** The organization whose rows are visible; null: none. */
  orgId: string | null;
  /** The signed-in account, whose own memberships are visible in every organization; null: none. */
  accountId: string | null;
}

/**
 * Whom a request's transaction acts for, found by the transaction's first
 * statement instead of by statements of their own before it: the account of
 * a session token (by its hash, unexpired at `now`) and the organization of a
 * slug. Either may be missing or unknown: its setting is then empty.
 */
export interface TenantLookup {
  sessionTokenHash: string | null;
  organizationSlug: string | null;
  now: Date;
}

/**
 * The organization and account settings of `scope`. For a lookup, the two
 * scalar subqueries run before the role switch of the same statement applies
 * (a statement is planned under the role it starts with), on tables whose
 * rows the application role may read anyway: sessions and accounts have no
 * row-level security, organizations are readable by all (`organizations_read`).
 */
function scopeSettings(scope: TenantScope | TenantLookup): { orgId: SQL; accountId: SQL } {
  if ('orgId' in scope) return { orgId: sql`${scope.orgId ?? ''}`, accountId: sql`${scope.accountId ?? ''}` };
  const orgId = scope.organizationSlug
    ? sql`coalesce((${sql`select ${organizations.id}::text from ${organizations} where ${eq(organizations.slug, scope.organizationSlug)}`}), '')`
    : sql`''`;
  const accountId = scope.sessionTokenHash
    ? sql`coalesce((${sql`select ${sessions.accountId}::text from ${sessions} where ${and(eq(sessions.tokenHash, scope.sessionTokenHash), gt(sessions.expiresAt, scope.now))}`}), '')`
    : sql`''`;
  return { orgId, accountId };
}

/**
 * A request's time budget (its deadline): how long is left, and a signal
 * aborted when it has run out, whose reason is what the request's work then
 * fails with. See `withTenant`.
 */
export interface TimeBudget {
  readonly signal: AbortSignal;
  /** Milliseconds left before the deadline. */
  remainingMs(): number;
}

/**
 * Runs `work` in one transaction scoped to an organization. The settings are
 * `SET LOCAL` (set_config's third argument), so they end with the transaction
 * and nothing stays on the pooled connection. The transaction first switches
 * to the application role (`APPLICATION_SETTINGS`), so row-level security
 * applies whatever role the pool signed in as, from its second statement on.
 * The scope and the statement timeout are set the same way, in the same
 * statement (one round trip), rather than as a connection's startup
 * parameters (PgBouncer refuses those).
 *
 * With a `budget` (the request's deadline) the transaction is not begun once
 * the budget has run out; its statement timeout is no longer than the time
 * left; and should the deadline pass while it is open, its running statement
 * is cancelled (on PostgreSQL: `cancelTransaction`), so that it rolls back
 * instead of working on for an answer nobody will read. It then fails with
 * the budget's reason, whatever the statement's error was.
 */
export function withTenant<T>(
  db: Db,
  scope: TenantScope | TenantLookup,
  work: (tx: Tx) => Promise<T>,
  budget?: TimeBudget,
): Promise<T> {
  if (budget?.signal.aborted) return Promise.reject(budget.signal.reason as Error);
  const limit = statementTimeoutOf(db);
  const statementTimeout = String(budget ? Math.max(1, Math.min(limit, Math.floor(budget.remainingMs()))) : limit);
  const { orgId, accountId } = scopeSettings(scope);
  const cancel = budget ? transactionCanceller(db) : undefined;
  const settings = sql`select ${sql.raw(APPLICATION_SETTINGS)}, set_config('app.org_id', ${orgId}, true), set_config('app.account_id', ${accountId}, true), set_config('statement_timeout', ${statementTimeout}, true)`;
  return db
    .transaction(async (tx) => {
      if (!budget || !cancel) {
        await tx.execute(settings);
        return work(tx);
      }
      // The backend and the transaction's start (`now()` is it): what a cancellation names, so that it
      // can only reach this transaction, never a later one on the same connection.
      const [backend] = await queryRows<{ pid: number; started: string }>(
        tx,
        sql`${settings}, pg_backend_pid() as pid, (extract(epoch from now()) * 1000000)::bigint::text as started`,
      );
      const onDeadline = () => {
        if (backend) cancel(backend.pid, backend.started);
      };
      budget.signal.addEventListener('abort', onDeadline, { once: true });
      try {
        return await work(tx);
      } finally {
        budget.signal.removeEventListener('abort', onDeadline);
      }
    })
    .catch((error: unknown) => {
      throw budget?.signal.aborted ? budget.signal.reason : error;
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
 * A `budget` bounds it as it bounds `withTenant`'s.
 */
export function holdTenantTransaction(
  db: Db,
  scope: TenantScope | TenantLookup,
  budget?: TimeBudget,
): HeldTenantTransaction {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let committed!: Promise<void>;
  const opened = new Promise<Tx>((resolve, reject) => {
    committed = withTenant(
      db,
      scope,
      async (tx) => {
        resolve(tx);
        await released;
      },
      budget,
    );
    committed.catch(reject);
  });
  // Whoever runs work or ends it hears of a failure; nobody may have.
  opened.catch(() => undefined);
  return {
    run: async (work) => {
      const tx = await opened;
      // Past the deadline no new work starts in it (what runs is cancelled: see withTenant).
      if (budget?.signal.aborted) throw budget.signal.reason as Error;
      return work(tx);
    },
    end: () => {
      release();
      return committed;
    },
  };
}
