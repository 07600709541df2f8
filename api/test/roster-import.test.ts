/**
 * Roster import and export: a county-sized workbook with bad rows, idempotence,
 * GBK CSV, a failure mid-apply, and export → re-import.
 */
import { members, teamMemberships, withTenant } from '@qicai/db';
import { and, count, eq, isNull, max } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedPhone, generateRoster, ROSTER_HEADER } from '../../scripts/bench/roster-data.ts';

import { testClock } from './clock.ts';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';
import {
  addRosterMember,
  applyImport,
  countMembers,
  csv,
  importRows,
  previewRoster,
  rosterSnapshot,
  uploadRoster,
  workbook,
} from './members-seed.ts';
import { localDateAt } from '../src/kernel/time.ts';

/**
 * A CSV as Excel in China saves it: GBK. The bytes of
 *   姓名,手机号,性别,政治面貌,工作单位,所属队伍,技能
 *   欧阳修文,13600001111,男,中共党员,荣家湾镇人民政府,红队、绿色卫士,急救、驾驶
 *   "李,娜",13600002222,女,群众,县人民医院,白色天使,护理
 */
const GBK_CSV = Buffer.from(
  'd0d5c3fb2ccad6bbfabac52cd0d4b1f02cd5fed6cec3e6c3b22cb9a4d7f7b5a5cebb2ccbf9caf4b6d3cee92cbcbcc4dc0d0ac5b7d1f4d0decec42c31333630303030313131312cc4d02cd6d0b9b2b5b3d4b12cc8d9bcd2cde5d5f2c8cbc3f1d5feb8ae2cbaecb6d3a1a2c2ccc9abcec0cabf2cbcb1bec8a1a2bcddcabb0d0a22c0ee2cc4c8222c31333630303030323232322cc5ae2cc8bad6da2ccfd8c8cbc3f1d2bdd4ba2cb0d7c9abcceccab92cbba4c0ed0d0a',
  'hex',
);

interface RosterMember {
  displayName: string;
  phone: string | null;
  gender: string | null;
  politicalStatus: string;
  partyStage: string | null;
  workUnit: string | null;
  skills: string[];
  joinedOn: string;
  email: string | null;
  teams: { colour: string }[];
}

async function memberByPhone(admin: Client, phone: string): Promise<RosterMember | undefined> {
  const result = await admin.gql<{ organization: { members: { nodes: RosterMember[] } } }>(
    `query ($search: String) { organization { members(search: $search, filter: { status: ALL }) {
      nodes { displayName phone gender politicalStatus partyStage workUnit skills joinedOn email teams { colour } } } } }`,
    { search: phone },
  );
  expectNoErrors(result);
  return result.data?.organization.members.nodes[0];
}

describe('roster import at county scale', () => {
  let testApp: TestApp;
  let admin: Client;
  let orgId: string;
  const COUNT = 31_172;
  const generated = generateRoster(COUNT);
  const file = workbook(generated.rows);

  beforeAll(async () => {
    testApp = await TestApp.start();
    admin = await testApp.signUp({ phone: '13800000001' });
    orgId = (await admin.createOrganization('岳阳县七彩之光志愿者协会')).id;
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('previews 31,172 rows: the good ones to create, the bad ones with their row numbers and reasons', async () => {
    const preview = await previewRoster(admin, file, '岳阳县党员花名册.xlsx');
    expect(preview).toMatchObject({
      status: 'READY',
      format: 'xlsx',
      columns: ['name', 'phone', 'gender', 'politicalStatus', 'workUnit', 'teams', 'skills', 'email'],
      headerRow: 1,
      ignoredColumns: [],
      idNumberColumn: null,
      totalRows: COUNT,
      createCount: COUNT - generated.bad.length,
      updateCount: 0,
      unchangedCount: 0,
      rejectCount: generated.bad.length,
    });
    const rejected = await importRows(admin, preview.id, ['REJECT']);
    expect(rejected.map((row) => ({ rowNumber: row.rowNumber, problem: row.problems[0] }))).toEqual(generated.bad);
    const duplicate = rejected.find((row) => row.problems.includes('DUPLICATE_IN_FILE'));
    expect(duplicate?.duplicateOf).toBe(5); // generatedPhone(3) is data row 3, spreadsheet row 5.
    expect(await countMembers(testApp, orgId)).toBe(1);
  }, 120_000);

  it('applies in one transaction; the good rows land; a second import of the same file changes nothing', async () => {
    const first = await previewRoster(admin, file);
    const applied = await applyImport(admin, first.id);
    expect(applied).toMatchObject({
      status: 'APPLIED',
      createCount: COUNT - generated.bad.length,
      progressDone: COUNT - generated.bad.length,
    });
    expect(await countMembers(testApp, orgId)).toBe(1 + COUNT - generated.bad.length);

    const sample = await memberByPhone(admin, generatedPhone(100));
    const row = generated.rows[101] ?? [];
    expect(sample).toMatchObject({ displayName: row[0], phone: generatedPhone(100), workUnit: row[4] });

    const stateOf = () =>
      withTenant(testApp.database.db, { orgId, accountId: null }, async (tx) => ({
        members: (
          await tx
            .select({ n: count(), last: max(members.updatedAt) })
            .from(members)
            .where(eq(members.orgId, orgId))
        )[0],
        memberships: (await tx.select({ n: count() }).from(teamMemberships).where(eq(teamMemberships.orgId, orgId)))[0],
      }));
    const before = await stateOf();
    const second = await previewRoster(admin, file);
    expect(second).toMatchObject({
      createCount: 0,
      updateCount: 0,
      unchangedCount: COUNT - generated.bad.length,
      rejectCount: generated.bad.length,
    });
    const reapplied = await applyImport(admin, second.id);
    expect(reapplied).toMatchObject({ status: 'APPLIED', createCount: 0, updateCount: 0, progressDone: 0 });
    expect(await stateOf()).toEqual(before);
  }, 180_000);
});

describe('roster import', () => {
  let testApp: TestApp;
  let admin: Client;
  let orgId: string;
  let teams: Record<string, string>;

  beforeAll(async () => {
    testApp = await TestApp.start();
    admin = await testApp.signUp({ phone: '13800000009' });
    orgId = (await admin.createOrganization()).id;
    teams = await admin.teams();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('reads a GBK CSV', async () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(GBK_CSV)).toThrow();
    const preview = await previewRoster(admin, GBK_CSV, '名单.csv');
    expect(preview).toMatchObject({ format: 'csv (gbk)', createCount: 2, rejectCount: 0 });
    expect(await applyImport(admin, preview.id)).toMatchObject({ status: 'APPLIED' });
    expect(await memberByPhone(admin, '13600001111')).toEqual({
      displayName: '欧阳修文',
      phone: '13600001111',
      gender: 'MALE',
      politicalStatus: 'CPC_MEMBER',
      partyStage: null,
      workUnit: '荣家湾镇人民政府',
      skills: ['急救', '驾驶'],
      joinedOn: localDateAt(testClock.now(), 'Asia/Shanghai'),
      email: null,
      teams: [{ colour: 'RED' }, { colour: 'GREEN' }],
    });
    expect((await memberByPhone(admin, '13600002222'))?.displayName).toBe('李,娜');
  });

  it('reads English headers, team colours and names, and updates by phone only the columns the file has', async () => {
    const existing = await addRosterMember(admin, {
      displayName: '旧名字',
      phone: '13600003333',
      email: 'keep@example.cn',
      workUnit: '旧单位',
      teamIds: [teams['BLUE'] ?? ''],
    });
    expectNoErrors(
      await admin.gql(`mutation ($input: SetTeamLeadsInput!) { setTeamLeads(input: $input) { id } }`, {
        input: { teamId: teams['BLUE'], memberIds: [existing] },
      }),
    );
    const file = csv([
      ['Name', 'Mobile', 'Teams', 'Work unit'],
      ['新名字', '136 0000 3333', 'Orange Rescue; 金队', '新单位'],
      ['Wang Fang', '13600004444', 'red team', ''],
      ['王五', '13600005555', '黑队', '县财政局'],
      ['赵六', '13600006666', '', ''],
      ['赵六二', '13600006666', '', ''],
    ]);
    const preview = await previewRoster(admin, Buffer.from(file, 'utf8'), 'english.csv');
    expect(preview).toMatchObject({ format: 'csv (utf-8)', columns: ['name', 'phone', 'workUnit', 'teams'] });
    const rows = await importRows(admin, preview.id, ['CREATE', 'UPDATE', 'UNCHANGED', 'REJECT']);
    expect(rows.map((row) => [row.rowNumber, row.outcome, row.problems, row.changes])).toEqual([
      [2, 'UPDATE', [], ['displayName', 'workUnit', 'teams']],
      [3, 'CREATE', [], []],
      [4, 'REJECT', ['UNKNOWN_TEAM'], []],
      [5, 'CREATE', [], []],
      [6, 'REJECT', ['DUPLICATE_IN_FILE'], []],
    ]);
    expect(await applyImport(admin, preview.id)).toMatchObject({ status: 'APPLIED', createCount: 2, updateCount: 1 });
    // The email column was not in the file: kept. The blue team is one they lead: kept.
    expect(await memberByPhone(admin, '13600003333')).toMatchObject({
      displayName: '新名字',
      email: 'keep@example.cn',
      workUnit: '新单位',
      teams: [{ colour: 'ORANGE' }, { colour: 'GOLD' }, { colour: 'BLUE' }],
    });
    expect(await memberByPhone(admin, '13600004444')).toMatchObject({
      displayName: 'Wang Fang',
      workUnit: null,
      teams: [{ colour: 'RED' }],
    });
  });

  it('reads every way an office writes a mobile number, and refuses what is not one', async () => {
    // As clerks type them: the country code in three forms, spaces, dashes, dots, full-width digits.
    const forms = [
      ['谭志明', '+86 136 0001 0001', '13600010001'],
      ['彭秀兰', '8613600010002', '13600010002'],
      ['易国庆', '0086-136-0001-0003', '13600010003'],
      ['黎春燕', '136-0001-0004', '13600010004'],
      ['邹建军', '136 0001 0005', '13600010005'],
      ['熊丽萍', '１３６０００１０００６', '13600010006'],
      ['尹卫东', '136.0001.0007', '13600010007'],
      ['贺小梅', '＋８６　１３６　０００１　０００８', '13600010008'],
    ];
    const refused = [
      ['龚德华', '0730-8221234'], // a landline (岳阳's area code), not a mobile
      ['毛玉珍', '1360001000'], // ten digits
      ['戴海波', '+8613600010009x'],
      ['邓红霞', '8613600010'], // "86" that is not a country code
    ];
    const file = workbook([
      ['姓名', '手机号码'],
      ...forms.map(([name, phone]) => [name ?? '', phone ?? '']),
      ...refused,
    ]);
    const preview = await previewRoster(admin, file, '电话号码.xlsx');
    expect(preview).toMatchObject({ createCount: forms.length, rejectCount: refused.length });
    const rejected = await importRows(admin, preview.id, ['REJECT']);
    expect(rejected.map((row) => [row.cells.name, row.problems])).toEqual(
      refused.map(([name]) => [name, ['INVALID_PHONE']]),
    );
    expect(await applyImport(admin, preview.id)).toMatchObject({ status: 'APPLIED', createCount: forms.length });
    for (const [name, , stored] of forms) {
      expect((await memberByPhone(admin, stored ?? ''))?.displayName, `${name}'s number`).toBe(name);
    }
  });

  it('refuses a file without the name or phone column, an empty file, and anyone but an admin', async () => {
    const missing = await uploadRoster(
      admin,
      workbook([
        ['序号', '姓名', '单位'],
        ['1', '张三', '县委'],
      ]),
    );
    expect(missing.errors?.[0]?.extensions).toEqual({
      code: 'VALIDATION',
      fields: { file: 'MISSING_COLUMNS' },
      missingColumns: ['phone'],
    });
    expect((await uploadRoster(admin, Buffer.alloc(0))).errors?.[0]?.extensions?.fields).toEqual({ file: 'EMPTY' });
    const member = (await testApp.signUp()).in(admin.org);
    await testApp.addMember(orgId, member);
    expect(errorCode(await uploadRoster(member, workbook([ROSTER_HEADER])))).toBe('FORBIDDEN');
    expect(errorCode(await uploadRoster(testApp.anonymous(admin.org ?? ''), workbook([ROSTER_HEADER])))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('leaves no partial roster when applying fails half-way, and can be applied again', async (context) => {
    const url = testApp.databaseUrl;
    if (!url) {
      context.skip(); // The failure is injected with a trigger, as the database's owner (PostgreSQL only).
      return;
    }
    const generated = generateRoster(3_000, false);
    // Row 2,500 will make the database refuse its insert: a failure in the third chunk of a thousand.
    const poisoned = generated.rows.map((row, index) => (index === 2_500 ? ['导入失败测试', ...row.slice(1)] : row));
    const preview = await previewRoster(admin, workbook(poisoned));
    expect(preview.createCount).toBe(3_000);
    const owner = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await owner.unsafe(`
        create function refuse_poisoned_member() returns trigger language plpgsql as $$
        begin
          if new.display_name = '导入失败测试' then raise exception 'injected failure'; end if;
          return new;
        end $$;
        create trigger refuse_poisoned_member before insert on members
          for each row execute function refuse_poisoned_member();`);
      const before = await rosterSnapshot(testApp, orgId);
      const failed = await applyImport(admin, preview.id);
      expect(failed).toMatchObject({ status: 'FAILED', failureCode: 'INTERNAL' });
      expect(await rosterSnapshot(testApp, orgId)).toBe(before);
    } finally {
      await owner.unsafe(
        `drop trigger if exists refuse_poisoned_member on members; drop function if exists refuse_poisoned_member();`,
      );
      await owner.end();
    }
    const retried = await applyImport(admin, preview.id);
    expect(retried).toMatchObject({ status: 'APPLIED', createCount: 3_000 });
  }, 60_000);

  it('exports the filtered roster so that importing it back changes nothing', async () => {
    await addRosterMember(admin, {
      displayName: '导出测试',
      phone: '13600007777',
      gender: 'FEMALE',
      politicalStatus: 'CYL_MEMBER',
      partyStage: 'ACTIVIST',
      joinedOn: '2018-04-16',
      workUnit: '县妇联',
      skills: ['心理疏导', 'First aid'],
      email: 'export@example.cn',
      teamIds: [teams['PURPLE'] ?? '', teams['WHITE'] ?? ''],
    });
    await testApp.addMember(orgId, await testApp.signUp());
    const total = await countMembers(testApp, orgId);
    // Members who signed up without a mobile number export with an empty one, which an import rejects (and so changes nothing).
    const [withoutPhone] = await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
      tx
        .select({ n: count() })
        .from(members)
        .where(and(eq(members.orgId, orgId), isNull(members.phone))),
    );
    const rejected = withoutPhone?.n ?? 0;
    expect(rejected).toBeGreaterThan(0);
    const EXPORT = `mutation ($input: ExportRosterInput!) { exportRoster(input: $input) { fileName contentType base64 rowCount } }`;
    for (const [format, locale] of [
      ['XLSX', 'zh'],
      ['CSV', 'zh'],
      ['XLSX', 'en'],
      ['CSV', 'en'],
    ] as const) {
      const exported = await admin.gql<{ exportRoster: { fileName: string; base64: string; rowCount: number } }>(
        EXPORT,
        {
          input: { format, locale, filter: { status: 'ALL' } },
        },
      );
      expectNoErrors(exported);
      expect(exported.data?.exportRoster.rowCount).toBe(total);
      expect(exported.data?.exportRoster.fileName).toMatch(new RegExp(`\\.${format.toLowerCase()}$`));
      const before = await rosterSnapshot(testApp, orgId);
      const preview = await previewRoster(
        admin,
        Buffer.from(exported.data?.exportRoster.base64 ?? '', 'base64'),
        exported.data?.exportRoster.fileName,
      );
      expect(preview, `${format} ${locale}`).toMatchObject({
        createCount: 0,
        updateCount: 0,
        unchangedCount: total - rejected,
        rejectCount: rejected,
      });
      expect(await applyImport(admin, preview.id)).toMatchObject({ status: 'APPLIED', createCount: 0, updateCount: 0 });
      expect(await rosterSnapshot(testApp, orgId), `${format} ${locale}`).toBe(before);
    }
    const filtered = await admin.gql<{ exportRoster: { rowCount: number } }>(EXPORT, {
      input: { format: 'CSV', search: '导出测试' },
    });
    expect(filtered.data?.exportRoster.rowCount).toBe(1);
    const member = (await testApp.signUp()).in(admin.org);
    await testApp.addMember(orgId, member);
    expect(errorCode(await member.gql(EXPORT, { input: { format: 'CSV' } }))).toBe('FORBIDDEN');
    const leadCheck = await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
      tx
        .select({ n: count() })
        .from(members)
        .where(and(eq(members.orgId, orgId), eq(members.displayName, '导出测试'))),
    );
    expect(leadCheck[0]?.n).toBe(1);
  });
});
