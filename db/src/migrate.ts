import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migrateWithPglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migrateWithPostgres } from 'drizzle-orm/postgres-js/migrator';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/** Any fixed number: serialises migrations when several API instances start at once. */
const MIGRATION_LOCK = 7_226_001;

/**
 * Applies pending migrations as the connecting role, which becomes the
 * tables' owner. `url` must reach PostgreSQL directly (DATABASE_MIGRATION_URL),
 * not through a transaction-mode pooler: the lock is a session advisory lock,
 * held because the lock, the migrations and the unlock share the one
 * connection of this pool, which only a direct connection keeps to one server session.
 */
export async function migratePostgres(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const db = drizzlePostgres({ client });
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      await migrateWithPostgres(db, { migrationsFolder });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
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
