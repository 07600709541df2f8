/**
 * Migration 0025 turns the three member categories into a GB/T 4762
 * political status and a party-development stage without losing any:
 * 党员 → 中共党员, 入党积极分子 → 群众 at the stage 入党积极分子, 群众 → 群众.
 * The roster is migrated up to 0022, filled the old way, then migrated on.
 */
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../src/migrate.ts';

const BEFORE = '0025_political_status';

describe('migration 0025: political status and party stage', () => {
  const folder = mkdtempSync(join(tmpdir(), 'qicai-migrations-'));
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('migrates every member and every stored preview without loss', async () => {
    cpSync(migrationsFolder, folder, { recursive: true });
    const journalPath = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
    const at = journal.entries.findIndex((entry) => entry.tag === BEFORE);
    expect(at).toBeGreaterThan(0);
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));

    const client = await PGlite.create();
    try {
      await migrate(drizzle({ client }), { migrationsFolder: folder });
      await client.exec(`
        insert into organizations (id, slug, name) values ('00000000-0000-4000-8000-000000000001', 'yyx', '岳阳县七彩之光');
        insert into members (org_id, id, display_name, phone, category) values
          ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', '欧阳修文', '13600001111', 'PARTY_MEMBER'),
          ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a2', '李娜', '13600002222', 'ACTIVIST'),
          ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a3', '王芳', '13600003333', 'CITIZEN');
        insert into roster_imports (org_id, id, created_by_member_id, file_name, format, columns, total_rows,
            create_count, update_count, unchanged_count, reject_count)
          values ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000b1',
            '00000000-0000-4000-8000-0000000000a1', '花名册.xlsx', 'xlsx', '{name,phone,category}', 1, 1, 0, 0, 0);
        insert into roster_import_rows (org_id, import_id, row_number, outcome, problems, cells, changes)
          values ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000b1', 2, 'CREATE', '{}',
            '{"name":"赵敏","phone":"13600004444","category":"预备党员"}', '{}');`);

      await migrate(drizzle({ client }), { migrationsFolder });
      const members = await client.query<{
        display_name: string;
        political_status: string;
        party_stage: string | null;
      }>(`select display_name, political_status, party_stage from members order by phone`);
      expect(members.rows).toEqual([
        { display_name: '欧阳修文', political_status: 'CPC_MEMBER', party_stage: null },
        { display_name: '李娜', political_status: 'MASSES', party_stage: 'ACTIVIST' },
        { display_name: '王芳', political_status: 'MASSES', party_stage: null },
      ]);
      const columns = await client.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_name = 'members' and column_name = 'category'`,
      );
      expect(columns.rows).toEqual([]);
      const preview = await client.query<{ columns: string[]; cells: Record<string, string> }>(
        `select i.columns, r.cells from roster_imports i join roster_import_rows r on r.import_id = i.id`,
      );
      expect(preview.rows).toEqual([
        {
          columns: ['name', 'phone', 'politicalStatus'],
          cells: { name: '赵敏', phone: '13600004444', politicalStatus: '预备党员' },
        },
      ]);
    } finally {
      await client.close();
    }
  }, 120_000);
});
