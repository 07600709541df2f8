/**
 * docs/citus.md against the catalogue: the tables it distributes by org_id
 * are exactly the tables with an org_id column, the ones it keeps as
 * reference or local tables exactly those without; the global keys, the
 * cross-organization (SECURITY DEFINER) functions, the triggers and the
 * sequences it names are exactly the schema's. A schema change that makes
 * the page wrong fails here until the page says where the new thing goes.
 */
import { sql } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Database } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

const page = readFileSync(new URL('../../docs/citus.md', import.meta.url), 'utf8');

/** The backquoted names at the start of each table row or list item between `<!-- citus:<name> -->` markers. */
function listed(name: string): string[] {
  const match = new RegExp(`<!-- citus:${name} -->([\\s\\S]*?)<!-- /citus:${name} -->`).exec(page);
  if (!match?.[1]) throw new Error(`docs/citus.md has no citus:${name} list`);
  return [...match[1].matchAll(/^(?:\|\s*|-\s+)`([a-z0-9_]+)`/gm)].map((item) => item[1] ?? '').sort();
}

/** The placement column of the not-distributed table, by table. */
function placements(): Record<string, string> {
  const match = /<!-- citus:not-distributed -->([\s\S]*?)<!-- \/citus:not-distributed -->/.exec(page);
  const found: Record<string, string> = {};
  for (const row of (match?.[1] ?? '').matchAll(/^\|\s*`([a-z0-9_]+)`\s*\|\s*([^|]+?)\s*\|/gm))
    found[row[1] ?? ''] = row[2] ?? '';
  return found;
}

describe('docs/citus.md matches the schema', () => {
  let testDb: TestDatabase;
  let database: Database;
  const names = async (statement: ReturnType<typeof sql>) =>
    (await queryRows<{ name: string }>(database.db, statement)).map((row) => row.name).sort();

  beforeAll(async () => {
    testDb = await createTestDatabase('pglite');
    database = await testDb.open();
  }, 60_000);
  afterAll(async () => {
    await testDb.drop();
  });

  const tenantTable = sql`exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped)`;
  const publicTables = sql`c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')`;

  it('distributes exactly the tables with an org_id column', async () => {
    const tables = await names(
      sql`select c.relname::text as name from pg_class c where ${publicTables} and ${tenantTable}`,
    );
    expect(tables.length).toBeGreaterThan(20);
    expect(listed('distributed')).toEqual(tables);
  });

  it('places every table without org_id as a reference or local table, and no other', async () => {
    const tables = await names(
      sql`select c.relname::text as name from pg_class c where ${publicTables} and not ${tenantTable}`,
    );
    expect(tables).toEqual(expect.arrayContaining(['accounts', 'organizations', 'sessions']));
    expect(listed('not-distributed')).toEqual(tables);
    for (const placement of Object.values(placements()))
      expect(['reference', 'local (coordinator)']).toContain(placement);
  });

  it('has no foreign key from a table without org_id to one with it (a reference table cannot point into a shard)', async () => {
    const references = await names(sql`
      select c.conname::text as name from pg_constraint c
      where c.contype = 'f' and c.connamespace = 'public'::regnamespace
        and not exists (select 1 from pg_attribute a where a.attrelid = c.conrelid and a.attname = 'org_id')
        and exists (select 1 from pg_attribute a where a.attrelid = c.confrelid and a.attname = 'org_id')`);
    expect(references).toEqual([]);
  });

  it('names every unique index of a distributed table that lacks org_id', async () => {
    const keys = await names(sql`
      select ci.relname::text as name from pg_index i
      join pg_class ci on ci.oid = i.indexrelid
      join pg_class c on c.oid = i.indrelid
      where ${publicTables} and ${tenantTable} and i.indisunique
        and not exists (select 1 from unnest(i.indkey) k join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k
                        where a.attname = 'org_id')`);
    expect(listed('global-keys')).toEqual(keys);
  });

  it('names every SECURITY DEFINER function (each reads across organizations)', async () => {
    const functions = await names(
      sql`select p.proname::text as name from pg_proc p where p.pronamespace = 'public'::regnamespace and p.prosecdef`,
    );
    expect(functions.length).toBeGreaterThan(3);
    expect(listed('cross-organization-functions')).toEqual(functions);
  });

  it('names every trigger of the distributed tables', async () => {
    const triggers = await names(sql`
      select t.tgname::text as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where not t.tgisinternal and ${publicTables} and ${tenantTable}`);
    expect(listed('triggers')).toEqual(triggers);
  });

  it('names every sequence the distributed tables draw from', async () => {
    const sequences = await names(sql`
      select distinct s.relname::text as name from pg_class s
      join pg_depend d on d.objid = s.oid and d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
      join pg_class c on c.oid = d.refobjid
      where s.relkind = 'S' and ${publicTables} and ${tenantTable}
      union
      select distinct s.relname::text from pg_class s
      join pg_depend d on d.refobjid = s.oid and d.classid = 'pg_attrdef'::regclass
      join pg_attrdef ad on ad.oid = d.objid
      join pg_class c on c.oid = ad.adrelid
      where s.relkind = 'S' and ${publicTables} and ${tenantTable}`);
    expect(listed('sequences')).toEqual(sequences);
  });
});
