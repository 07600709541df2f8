/**
 * The schema keeps every tenant's rows addressable by organization: each
 * primary key and unique constraint of a table with an org_id column
 * includes it, and each foreign key between such tables carries it, so a row
 * can never point at another organization's (and the tables could be
 * distributed by org_id). Exceptions are listed with their reason.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Database } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

/** Keys without org_id on purpose, by constraint name: why each may be global. */
const GLOBAL_KEYS: Record<string, string> = {};

/** Foreign keys between tenant tables without org_id on purpose: why. */
const GLOBAL_REFERENCES: Record<string, string> = {};

describe('keys of tenant tables', () => {
  let testDb: TestDatabase;
  let database: Database;
  let constraints: { table: string; name: string; type: string; columns: string[]; target: string | null }[];

  beforeAll(async () => {
    testDb = await createTestDatabase('pglite');
    database = await testDb.open();
    constraints = await queryRows(
      database.db,
      sql`select c.conrelid::regclass::text as "table", c.conname as name, c.contype as type,
          array(select a.attname::text from unnest(c.conkey) k join pg_attribute a
                on a.attrelid = c.conrelid and a.attnum = k order by a.attname) as columns,
          case when c.contype = 'f' then c.confrelid::regclass::text end as target
        from pg_constraint c
        join pg_class t on t.oid = c.conrelid
        where t.relnamespace = 'public'::regnamespace and c.contype in ('p', 'u', 'f')
          and exists (select 1 from pg_attribute a where a.attrelid = c.conrelid and a.attname = 'org_id')`,
    );
  }, 60_000);
  afterAll(async () => {
    await testDb.drop();
  });

  it('has tenant tables to check', () => {
    expect(new Set(constraints.map((constraint) => constraint.table)).size).toBeGreaterThan(10);
  });

  it('includes org_id in every primary key and unique constraint, but for the listed exceptions', () => {
    const keys = constraints.filter((c) => c.type === 'p' || c.type === 'u');
    expect(keys.length).toBeGreaterThan(20);
    const missing = keys
      .filter((c) => !c.columns.includes('org_id') && !(c.name in GLOBAL_KEYS))
      .map((c) => `${c.table}.${c.name} (${c.columns.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('carries org_id in every foreign key between tenant tables, but for the listed exceptions', () => {
    const tenantTables = new Set(constraints.map((constraint) => constraint.table));
    const between = constraints.filter((c) => c.type === 'f' && c.target !== null && tenantTables.has(c.target));
    expect(between.length).toBeGreaterThan(10);
    const missing = between
      .filter((c) => !c.columns.includes('org_id') && !(c.name in GLOBAL_REFERENCES))
      .map((c) => `${c.table}.${c.name} (${c.columns.join(', ')}) → ${c.target ?? ''}`);
    expect(missing).toEqual([]);
  });
});
