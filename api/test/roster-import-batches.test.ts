/**
 * The roster import on the embedded PGlite, whose one connection every
 * request shares: the apply writes in committed batches, recording what
 * each changed, so that other requests are answered between batches; a
 * failure half-way — and an apply cut short by the end of its process — is
 * undone from that record, leaving the roster as it was. Always on PGlite
 * (on PostgreSQL the apply is one transaction: roster-import-faults.test.ts).
 */
import { sql } from 'drizzle-orm';
import { queryRows, withTenant } from '@qicai/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedPhone, generateRoster, ROSTER_HEADER } from '../../scripts/bench/roster-data.ts';
import { countyWorkbook } from '../../scripts/bench/roster-import.ts';
import * as imports from '../src/modules/members/imports-repository.ts';
import { undoInterruptedApplies } from '../src/modules/members/imports.ts';
import { expectNoErrors, TestApp, type Client } from './helper.ts';
import {
  applyImport,
  countMembers,
  importView,
  previewRoster,
  rosterSnapshot,
  workbook,
  type ImportView,
} from './members-seed.ts';

const APPLY = `mutation ($id: ID!) { applyRosterImport(id: $id) { id status createCount updateCount progressDone failureCode } }`;
const WORK_UNIT = ROSTER_HEADER.indexOf('工作单位');
const TEAMS = ROSTER_HEADER.indexOf('所属队伍');

/** `count` generated people, with phones from `firstPhone` on (unique across the file's tests). */
function people(count: number, firstPhone: number): string[][] {
  return generateRoster(count, false)
    .rows.slice(1)
    .map((row, index) => [row[0] ?? '', generatedPhone(firstPhone + index), ...row.slice(2)]);
}

describe('roster import on PGlite, in committed batches', () => {
  let testApp: TestApp;
  let admin: Client;
  let orgId: string;

  /** Runs SQL as PGlite's superuser (to inject a failure), then acts as the application role again. */
  async function asOwner(statement: string): Promise<void> {
    const db = testApp.database.db;
    await db.execute(sql`RESET ROLE`);
    try {
      await db.execute(sql.raw(statement));
    } finally {
      await db.execute(sql`SET ROLE qicai_app`);
    }
  }

  const undoLeft = async () => {
    const [row] = await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
      queryRows<{ left: number }>(tx, sql`select count(*)::int as left from roster_import_undo`),
    );
    return row?.left ?? -1;
  };

  beforeAll(async () => {
    testApp = await TestApp.start({}, { driver: 'pglite' });
    admin = await testApp.signUp({ phone: '13800000041' });
    orgId = (await admin.createOrganization('岳阳县七彩之光志愿者协会')).id;
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('answers other requests while it applies, with the progress the committed batches made', async () => {
    const preview = await previewRoster(admin, workbook([ROSTER_HEADER, ...people(3_000, 100_000)]), '分批导入.xlsx');
    expect(preview.createCount).toBe(3_000);
    const applying = admin.gql<{ applyRosterImport: ImportView }>(APPLY, { id: preview.id });
    // Each answer below came while the apply was under way: between two of its batches.
    let seen: ImportView | undefined;
    for (let attempt = 0; attempt < 5_000; attempt++) {
      seen = await importView(admin, preview.id);
      if (seen.status !== 'APPLYING' || seen.progressDone > 0) break;
    }
    expect(seen).toMatchObject({ status: 'APPLYING' });
    expect(seen?.progressDone).toBeGreaterThan(0);
    expect(seen?.progressDone).toBeLessThan(3_000);
    const applied = await applying;
    expectNoErrors(applied);
    expect(applied.data?.applyRosterImport).toMatchObject({ status: 'APPLIED', createCount: 3_000 });
    expect(await countMembers(testApp, orgId)).toBe(1 + 3_000);
    expect(await undoLeft()).toBe(0);
  });

  it('undoes what the committed batches wrote when a later batch fails: created members go, updated ones are as they were', async () => {
    const existing = people(600, 200_000);
    expect(
      await applyImport(admin, (await previewRoster(admin, workbook([ROSTER_HEADER, ...existing]))).id),
    ).toMatchObject({ status: 'APPLIED', createCount: 600 });
    // The same 600 moved to another unit and team, and 1,200 new people: three batches of creates,
    // then the updates, of which the second batch fails on its last row.
    const changed = existing.map((row) => {
      const moved = [...row];
      moved[WORK_UNIT] = '县民政局';
      moved[TEAMS] = '紫色关怀';
      return moved;
    });
    const last = changed.at(-1);
    if (last) last[WORK_UNIT] = '导入失败测试单位';
    const preview = await previewRoster(admin, workbook([ROSTER_HEADER, ...people(1_200, 300_000), ...changed]));
    expect(preview).toMatchObject({ createCount: 1_200, updateCount: 600 });
    const before = await rosterSnapshot(testApp, orgId);
    await asOwner(`
      create function refuse_poisoned_update() returns trigger language plpgsql as $$
      begin
        if new.work_unit = '导入失败测试单位' then raise exception 'injected failure'; end if;
        return new;
      end $$`);
    await asOwner(`create trigger refuse_poisoned_update before update on members
      for each row execute function refuse_poisoned_update()`);
    try {
      const failed = await applyImport(admin, preview.id);
      expect(failed).toMatchObject({ status: 'FAILED', failureCode: 'INTERNAL', progressDone: 0 });
      const after = await rosterSnapshot(testApp, orgId);
      expect(after).toBe(before);
      expect(await undoLeft()).toBe(0);
    } finally {
      await asOwner(`drop trigger refuse_poisoned_update on members`);
      await asOwner(`drop function refuse_poisoned_update()`);
    }
    const retried = await applyImport(admin, preview.id);
    expect(retried).toMatchObject({ status: 'APPLIED', createCount: 1_200, updateCount: 600 });
    expect(await countMembers(testApp, orgId)).toBe(1 + 3_000 + 600 + 1_200);
  });

  it('takes the benchmark’s office-shaped roster whole: title row, office headers, full-width phones, every status', async () => {
    const preview = await previewRoster(admin, countyWorkbook(400).file, '岳阳县党员花名册.xlsx');
    expect(preview).toMatchObject({ headerRow: 3, createCount: 400, rejectCount: 0 });
  });

  it('undoes, when the app starts, what an apply cut short by the end of its process had committed', async () => {
    const rows = people(800, 400_000);
    const preview = await previewRoster(admin, workbook([ROSTER_HEADER, ...rows]));
    const before = await rosterSnapshot(testApp, orgId);
    // What the first two batches of an apply would have committed before the process died.
    await withTenant(testApp.database.db, { orgId, accountId: null }, async (tx) => {
      const ids = await imports.insertImportedMembers(
        tx,
        orgId,
        rows.slice(0, 500).map((row) => ({ displayName: row[0] ?? '', phone: row[1] ?? '', teamIds: [] })),
        { joinedOn: '2026-01-01' },
      );
      await imports.recordCreatedForUndo(tx, orgId, preview.id, [...ids.values()]);
    });
    expect(await rosterSnapshot(testApp, orgId)).not.toBe(before);
    // What the app runs when it starts on PGlite (routes.ts, onReady).
    await undoInterruptedApplies(testApp.app);
    expect(await rosterSnapshot(testApp, orgId)).toBe(before);
    expect(await applyImport(admin, preview.id)).toMatchObject({ status: 'APPLIED', createCount: 800 });
  });
});
