import { sql } from 'drizzle-orm';
import type { Db, Tx } from './client.ts';

/** Whom a transaction acts for. Row-level security reads both settings. */
export interface TenantScope {
  /** The organization whose rows are visible; null: none. */
  orgId: string | null;
  /** The signed-in account, whose own memberships are visible in every organization; null: none. */
  accountId: string | null;
}

/**
 * Runs `work` in one transaction scoped to an organization. The settings are
 * `SET LOCAL` (set_config's third argument), so they end with the transaction
 * and nothing stays on the pooled connection.
 */
export function withTenant<T>(db: Db, scope: TenantScope, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.org_id', ${scope.orgId ?? ''}, true), set_config('app.account_id', ${scope.accountId ?? ''}, true)`,
    );
    return work(tx);
  });
}
