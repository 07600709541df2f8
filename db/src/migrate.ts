import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migrateWithPglite } from 'drizzle-orm/pglite/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/** Any fixed number: serialises migrations when several API instances start at once. */
const MIGRATION_LOCK = 7_226_001;

/**
 * Applies pending migrations as the connecting role, which becomes the
 * tables' owner, on a connection of their own (DATABASE_MIGRATION_URL,
 * else DATABASE_URL; never the application's pool). Everything runs in one
 * transaction that first takes a transaction-level advisory lock: the lock
 * is held by the very session that reads which migrations are applied and
 * applies the rest, and released by COMMIT or ROLLBACK — so it holds even
 * through a transaction-mode pooler, and an instance that starts while
 * another migrates waits, then finds nothing left to do.
 */
export async function migratePostgres(url: string): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
      // drizzle's bookkeeping, as its migrator keeps it (the PGlite path uses that migrator itself): one row
      // per migration applied, by the journal's `when`. Its migrator would open a transaction of its own.
      await tx`create schema if not exists drizzle`;
      await tx`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`;
      const [last] = await tx<{ created_at: string }[]>`
        select created_at::text from drizzle.__drizzle_migrations order by created_at desc limit 1`;
      const appliedUpTo = last ? Number(last.created_at) : -Infinity;
      for (const migration of migrations) {
        if (migration.folderMillis <= appliedUpTo) continue;
        for (const statement of migration.sql) await tx.unsafe(statement);
        await tx`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`;
      }
    });
  } finally {
    await client.end();
  }
}

export async function migratePglite(client: PGlite): Promise<void> {
  await migrateWithPglite(drizzlePglite({ client }), { migrationsFolder });
}

/** When the newest migration this code knows was made (drizzle-kit's journal), in milliseconds. */
export function newestMigrationMillis(): number {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as {
    entries: { when: number }[];
  };
  return Math.max(...journal.entries.map((entry) => entry.when));
}

/**
 * Whether the database at `url` has every migration this code knows (the
 * readiness check): read as the connecting role, which owns drizzle's
 * bookkeeping, on a connection of its own, not the application role's pool.
 */
export async function migrationsCurrent(client: postgres.Sql): Promise<boolean> {
  const [row] = await client<{ newest: string | null }[]>`
    select max(created_at)::text as newest from drizzle.__drizzle_migrations`;
  return row?.newest !== null && row?.newest !== undefined && Number(row.newest) >= newestMigrationMillis();
}
