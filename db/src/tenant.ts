import { and, eq, gt, sql, type SQL } from 'drizzle-orm';
import { APPLICATION_SETTINGS, statementTimeoutOf, type Db, type Tx } from './client.ts';
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
 * Runs `work` in one transaction scoped to an organization. The settings are
 * `SET LOCAL` (set_config's third argument), so they end with the transaction
 * and nothing stays on the pooled connection. The transaction first switches
 * to the application role (`APPLICATION_SETTINGS`), so row-level security
 * applies whatever role the pool signed in as, from its second statement on.
 * The scope and the statement timeout are set the same way, in the same
 * statement (one round trip), rather than as a connection's startup
 * parameters (PgBouncer refuses those).
 */
export function withTenant<T>(db: Db, scope: TenantScope | TenantLookup, work: (tx: Tx) => Promise<T>): Promise<T> {
  const statementTimeout = String(statementTimeoutOf(db));
  const { orgId, accountId } = scopeSettings(scope);
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select ${sql.raw(APPLICATION_SETTINGS)}, set_config('app.org_id', ${orgId}, true), set_config('app.account_id', ${accountId}, true), set_config('statement_timeout', ${statementTimeout}, true)`,
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
export function holdTenantTransaction(db: Db, scope: TenantScope | TenantLookup): HeldTenantTransaction {
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
