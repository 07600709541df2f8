/**
 * Rosters as county offices keep them: a merged two-row title above a header
 * of two lines, office spellings of the headers, a 序号 and an ID-number
 * column, full-width phones, every 政治面貌 form, full team names and cells of
 * several teams, Excel date cells and dates as text, and a few bad rows. Then
 * the same as a GBK CSV, the rejected rows' file, and export → re-import.
 */
import * as XLSX from '@e965/xlsx';
import { rosterImportRows, withTenant } from '@qicai/db';
import { eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from './clock.ts';
import { expectNoErrors, TestApp, type Client } from './helper.ts';
import {
  applyImport,
  importRows,
  previewRoster,
  rosterSnapshot,
  uploadRoster,
  type ImportRowView,
} from './members-seed.ts';
import { localDateAt } from '../src/kernel/time.ts';

const TITLE = '岳阳县七彩之光志愿者协会会员花名册（2018年）';

/** Every written form of the 13 statuses (GB/T 4762) and of the two stages, with what it must become. */
const STATUS_FORMS: [string, string, string | null][] = [
  ['中共党员', 'CPC_MEMBER', null],
  ['党员', 'CPC_MEMBER', null],
  ['中国共产党党员', 'CPC_MEMBER', null],
  ['中共预备党员', 'CPC_PROBATIONARY_MEMBER', null],
  ['预备党员', 'CPC_PROBATIONARY_MEMBER', null],
  ['共青团员', 'CYL_MEMBER', null],
  ['团员', 'CYL_MEMBER', null],
  ['中国共产主义青年团团员', 'CYL_MEMBER', null],
  ['民革', 'RCCK_MEMBER', null],
  ['民革会员', 'RCCK_MEMBER', null],
  ['中国国民党革命委员会会员', 'RCCK_MEMBER', null],
  ['民盟盟员', 'CDL_MEMBER', null],
  ['中国民主同盟盟员', 'CDL_MEMBER', null],
  ['民建会员', 'CNDCA_MEMBER', null],
  ['中国民主建国会会员', 'CNDCA_MEMBER', null],
  ['民进会员', 'CAPD_MEMBER', null],
  ['中国民主促进会会员', 'CAPD_MEMBER', null],
  ['农工党党员', 'CPWDP_MEMBER', null],
  ['中国农工民主党党员', 'CPWDP_MEMBER', null],
  ['致公党党员', 'CZGP_MEMBER', null],
  ['中国致公党党员', 'CZGP_MEMBER', null],
  ['九三学社社员', 'JIUSAN_MEMBER', null],
  ['九三学社', 'JIUSAN_MEMBER', null],
  ['台盟盟员', 'TDSGL_MEMBER', null],
  ['台湾民主自治同盟盟员', 'TDSGL_MEMBER', null],
  ['无党派人士', 'NON_PARTY', null],
  ['群众', 'MASSES', null],
  ['入党积极分子', 'MASSES', 'ACTIVIST'],
  ['发展对象', 'MASSES', 'CANDIDATE'],
  ['共青团员（入党积极分子）', 'CYL_MEMBER', 'ACTIVIST'],
  ['CYL member', 'CYL_MEMBER', null],
  ['Masses', 'MASSES', null],
];

/** Team cells as offices write them, and the colours they must become (in the roster's colour order). */
const TEAM_CELLS: [string, string[]][] = [
  ['红色旗帜志愿服务队', ['RED']],
  ['绿色卫士服务队、白色天使', ['GREEN', 'WHITE']],
  ['红队，金色童心志愿服务队', ['RED', 'GOLD']],
  ['橙色救援/紫色关怀；蓝色心语队', ['ORANGE', 'PURPLE', 'BLUE']],
  ['红 绿 白', ['RED', 'GREEN', 'WHITE']],
  ['Red Banner, green', ['RED', 'GREEN']],
  ['红色；金队／蓝', ['RED', 'GOLD', 'BLUE']],
  ['白色天使志愿服务队', ['WHITE']],
];

/** A join date as a cell: an Excel date (its serial, in a date format), a bare serial, or text. */
type DateCell = { serial: number; format: string | null } | string;
const DATE_CELLS: [DateCell, string][] = [
  [{ serial: 43206, format: 'yyyy-mm-dd' }, '2018-04-16'],
  [{ serial: 43101, format: 'yyyy"年"m"月"d"日"' }, '2018-01-01'],
  [{ serial: 42736, format: null }, '2017-01-01'],
  ['2018-04-16', '2018-04-16'],
  ['2018/4/6', '2018-04-06'],
  ['2018.4.16', '2018-04-16'],
  ['2018年4月16日', '2018-04-16'],
  ['201804', '2018-04-01'],
  ['２０１９年１２月３１日', '2019-12-31'],
];

const SKILL_CELLS: [string, string[]][] = [
  ['急救、驾驶', ['急救', '驾驶']],
  ['护理 心理疏导', ['护理', '心理疏导']],
  ['法律咨询，手语;摄影', ['法律咨询', '手语', '摄影']],
  ['', []],
  ['教学／文艺演出', ['教学', '文艺演出']],
];

const SURNAMES = '欧阳李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁';
const GIVEN = ['修文', '娜', '芳', '建国', '秀兰', '春燕', '志明', '海波', '丽萍', '卫东'];
const UNITS = ['县委组织部', '县人民医院', '县教育局', '团县委', '荣家湾镇人民政府', '县司法局'];

interface Person {
  name: string;
  /** As written in the file (full-width, +86, dashes, …) and as stored. */
  phoneCell: string;
  phone: string;
  gender: string;
  statusCell: string;
  status: string;
  stage: string | null;
  teamsCell: string;
  teams: string[];
  skillsCell: string;
  skills: string[];
  dateCell: DateCell;
  joinedOn: string;
  unit: string;
}

const fullWidth = (text: string) =>
  text.replace(/[0-9]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0));
const PHONE_FORMS = [
  (phone: string) => fullWidth(phone),
  (phone: string) => `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`,
  (phone: string) => `0086${phone}`,
  (phone: string) => `86 ${phone}`,
  (phone: string) => `${phone.slice(0, 3)}.${phone.slice(3, 7)}.${phone.slice(7)}`,
  (phone: string) => `\u3000${fullWidth(phone.slice(0, 3))}\u3000${phone.slice(3)}\u3000`,
  (phone: string) => phone,
];

/** One person per 政治面貌 form; the other columns cycle through their forms. */
const PEOPLE: Person[] = STATUS_FORMS.map(([statusCell, status, stage], index) => {
  const phone = String(13_807_300_000 + index + 1);
  const [teamsCell, teams] = TEAM_CELLS[index % TEAM_CELLS.length] ?? ['', []];
  const [skillsCell, skills] = SKILL_CELLS[index % SKILL_CELLS.length] ?? ['', []];
  const [dateCell, joinedOn] = DATE_CELLS[index % DATE_CELLS.length] ?? ['', ''];
  return {
    name: `${SURNAMES.charAt(index % SURNAMES.length)}${GIVEN[index % GIVEN.length] ?? ''}`,
    phoneCell: (PHONE_FORMS[index % PHONE_FORMS.length] ?? String)(phone),
    phone,
    gender: index % 2 === 0 ? '男' : '女',
    statusCell,
    status,
    stage,
    teamsCell,
    teams,
    skillsCell,
    skills,
    dateCell,
    joinedOn,
    unit: UNITS[index % UNITS.length] ?? '',
  };
});

/** The bad rows: each wrong in one column, and the value the preview must show for it. */
const BAD: { person: Partial<Person>; problem: string; field: string; value: string }[] = [
  {
    person: { statusCell: '党外人士' },
    problem: 'INVALID_POLITICAL_STATUS',
    field: 'politicalStatus',
    value: '党外人士',
  },
  { person: { teamsCell: '红色旗帜志愿服务队、黄河队' }, problem: 'UNKNOWN_TEAM', field: 'teams', value: '黄河队' },
  { person: { phoneCell: '１３８０７３０' }, problem: 'INVALID_PHONE', field: 'phone', value: '１３８０７３０' },
  { person: { dateCell: '2018-02-30' }, problem: 'INVALID_JOIN_DATE', field: 'joinDate', value: '2018-02-30' },
];

function badPeople(): Person[] {
  return BAD.map(({ person }, index) => {
    const base = PEOPLE[index] as Person;
    const phone = String(13_807_309_000 + index);
    return { ...base, name: `错行${index + 1}`, phoneCell: phone, phone, ...person };
  });
}

/** Where the bad rows go among the good ones (data row indexes). */
const BAD_AT = [3, 11, 20, 28];

function fileRows(): Person[] {
  const rows = [...PEOPLE];
  const bad = badPeople();
  BAD_AT.forEach((at, index) => rows.splice(at, 0, bad[index] as Person));
  return rows;
}

const ID_NUMBER = (index: number) => `43062119800101${String(1000 + index).slice(-4)}`;

/**
 * The workbook: two merged title rows, a blank row, a header of two lines
 * (联系方式 over 手机号码 and 电子邮箱; the other headers merged down), then
 * the people, with 序号, 身份证号 and 备注 columns that are not imported.
 */
function officeWorkbook(): { bytes: Buffer; rows: Person[] } {
  const rows = fileRows();
  const header1 = [
    '序号',
    '姓名',
    '性别',
    '联系方式',
    '',
    '政治面貌',
    '所属队伍',
    '特长技能',
    '入会时间',
    '工作单位',
    '身份证号',
    '备注',
  ];
  const header2 = ['', '', '', '手机号码', '电子邮箱', '', '', '', '', '', '', ''];
  const aoa: (string | number)[][] = [
    [TITLE],
    ['填报单位：岳阳县七彩之光志愿者协会　　　　填报时间：2019年1月'],
    [],
    header1,
    header2,
    ...rows.map((person, index) => [
      index + 1,
      person.name,
      person.gender,
      person.phoneCell,
      '',
      person.statusCell,
      person.teamsCell,
      person.skillsCell,
      typeof person.dateCell === 'string' ? person.dateCell : person.dateCell.serial,
      person.unit,
      ID_NUMBER(index),
      index === 0 ? '会长' : '',
    ]),
  ];
  const sheet = XLSX.utils.aoa_to_sheet(aoa);
  rows.forEach((person, index) => {
    if (typeof person.dateCell === 'string' || !person.dateCell.format) return;
    const address = XLSX.utils.encode_cell({ r: 5 + index, c: 8 });
    sheet[address] = { t: 'n', v: person.dateCell.serial, z: person.dateCell.format };
  });
  sheet['!merges'] = [
    { s: { r: 0, c: 0 }, e: { r: 0, c: 11 } },
    { s: { r: 1, c: 0 }, e: { r: 1, c: 11 } },
    { s: { r: 3, c: 3 }, e: { r: 3, c: 4 } },
    ...[0, 1, 2, 5, 6, 7, 8, 9, 10, 11].map((c) => ({ s: { r: 3, c }, e: { r: 4, c } })),
  ];
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, '花名册');
  const written: unknown = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' });
  if (!Buffer.isBuffer(written)) throw new Error('no workbook');
  return { bytes: written, rows };
}

/** The same roster as a CSV saved by Excel in China: GBK, a title line, other header spellings. */
function officeCsv(): Buffer {
  const rows = fileRows();
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const lines = [
    [TITLE, '', '', '', '', '', '', '', ''],
    ['序号', '名字', '联系电话', '性别', '政治身份', '服务队', '专长', '加入时间', '所在单位'],
    ...rows.map((person, index) => [
      String(index + 1),
      person.name,
      person.phoneCell,
      person.gender,
      person.statusCell,
      person.teamsCell,
      person.skillsCell,
      typeof person.dateCell === 'string' ? person.dateCell : String(person.dateCell.serial),
      person.unit,
    ]),
  ];
  return iconv.encode(lines.map((line) => line.map(quote).join(',')).join('\r\n'), 'gbk');
}

interface RosterMember {
  displayName: string;
  phone: string;
  gender: string;
  politicalStatus: string;
  partyStage: string | null;
  workUnit: string | null;
  skills: string[];
  joinedOn: string;
  email: string | null;
  teams: { colour: string }[];
}

async function roster(admin: Client): Promise<RosterMember[]> {
  const result = await admin.gql<{ organization: { members: { nodes: RosterMember[] } } }>(
    `{ organization { members(first: 200, filter: { status: ALL }) { nodes {
      displayName phone gender politicalStatus partyStage workUnit skills joinedOn email teams { colour } } } } }`,
  );
  expectNoErrors(result);
  return result.data?.organization.members.nodes ?? [];
}

/** Every good row landed as the file wrote it: status, stage, join date, skills, teams. */
function expectLandedAsWritten(members: RosterMember[]) {
  const byPhone = new Map(members.map((member) => [member.phone, member]));
  for (const person of PEOPLE) {
    expect(byPhone.get(person.phone), `${person.name} (${person.statusCell})`).toEqual({
      displayName: person.name,
      phone: person.phone,
      gender: person.gender === '男' ? 'MALE' : 'FEMALE',
      politicalStatus: person.status,
      partyStage: person.stage,
      workUnit: person.unit,
      skills: person.skills,
      joinedOn: person.joinedOn,
      email: null,
      teams: person.teams.map((colour) => ({ colour })),
    });
  }
  for (const bad of badPeople()) expect(byPhone.has(bad.phone), bad.name).toBe(false);
}

/** Exactly the bad rows are rejected, each naming its column (by the file's header) and the value at fault. */
function expectExactlyTheBadRows(rejected: ImportRowView[], firstDataRow: number, headers: Record<string, string>) {
  const rows = fileRows();
  expect(
    rejected.map((row) => ({ rowNumber: row.rowNumber, name: row.cells['name'], problems: row.problemDetails })),
  ).toEqual(
    BAD.map((bad, index) => {
      const dataIndex = rows.findIndex((person) => person.name === `错行${index + 1}`);
      return {
        rowNumber: firstDataRow + dataIndex,
        name: `错行${index + 1}`,
        problems: [{ code: bad.problem, field: bad.field, column: headers[bad.field], value: bad.value }],
      };
    }),
  );
}

describe('roster files as county offices keep them', () => {
  let testApp: TestApp;
  let admin: Client;
  let orgId: string;

  beforeAll(async () => {
    testApp = await TestApp.start();
    admin = await testApp.signUp({ phone: '13800000001' });
    orgId = (await admin.createOrganization('岳阳县七彩之光志愿者协会')).id;
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('finds the header under a merged title, imports every other row as written and rejects exactly the bad rows, showing their values', async () => {
    const { bytes } = officeWorkbook();
    const preview = await previewRoster(admin, bytes, '2018年会员花名册.xlsx');
    expect(preview).toMatchObject({
      status: 'READY',
      format: 'xlsx',
      headerRow: 5,
      columns: ['name', 'phone', 'gender', 'politicalStatus', 'workUnit', 'teams', 'skills', 'joinDate', 'email'],
      ignoredColumns: ['序号', '身份证号', '备注'],
      idNumberColumn: '身份证号',
      totalRows: PEOPLE.length + BAD.length,
      createCount: PEOPLE.length,
      rejectCount: BAD.length,
    });
    const rejected = await importRows(admin, preview.id, ['REJECT']);
    expectExactlyTheBadRows(rejected, 6, {
      politicalStatus: '政治面貌',
      teams: '所属队伍',
      phone: '手机号码',
      joinDate: '入会时间',
    });

    // ID numbers are not kept anywhere, not even in the rows kept to give back.
    const stored = await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
      tx.select().from(rosterImportRows).where(eq(rosterImportRows.importId, preview.id)),
    );
    expect(JSON.stringify(stored)).not.toContain('430621198001');

    expect(await applyImport(admin, preview.id)).toMatchObject({ status: 'APPLIED', createCount: PEOPLE.length });
    const members = await roster(admin);
    expectLandedAsWritten(members);
  });

  it('gives the rejected rows back as .xlsx in the file’s own columns, with the reasons in the admin’s language', async () => {
    const { bytes } = officeWorkbook();
    const preview = await previewRoster(admin, bytes, '2018年会员花名册.xlsx');
    const FILE = `query ($id: ID!, $locale: Locale) { organization { rosterImport(id: $id) {
      rejectedRowsFile(locale: $locale) { fileName contentType base64 rowCount } } } }`;
    for (const locale of ['zh', 'en'] as const) {
      const result = await admin.gql<{
        organization: { rosterImport: { rejectedRowsFile: { fileName: string; base64: string; rowCount: number } } };
      }>(FILE, { id: preview.id, locale });
      expectNoErrors(result);
      const file = result.data?.organization.rosterImport.rejectedRowsFile;
      expect(file?.rowCount).toBe(BAD.length);
      expect(file?.fileName).toBe(locale === 'zh' ? '2018年会员花名册-未导入.xlsx' : '2018年会员花名册-rejected.xlsx');
      const book = XLSX.read(Buffer.from(file?.base64 ?? '', 'base64'), { type: 'buffer' });
      const sheet = book.Sheets[book.SheetNames[0] ?? ''];
      if (!sheet) throw new Error('no sheet');
      const rows: string[][] = XLSX.utils.sheet_to_json(sheet, { header: 1, raw: false, defval: '' });
      expect(rows[0]).toEqual([
        '序号',
        '姓名',
        '性别',
        '手机号码',
        '电子邮箱',
        '政治面貌',
        '所属队伍',
        '特长技能',
        '入会时间',
        '工作单位',
        '备注',
        locale === 'zh' ? '未导入原因' : 'Why not imported',
      ]);
      expect(rows.slice(1).map((row) => [row[1], row.at(-1)])).toEqual(
        locale === 'zh'
          ? [
              ['错行1', '政治面貌无法识别：党外人士'],
              ['错行2', '队伍不存在：黄河队'],
              ['错行3', '手机号无效：１３８０７３０'],
              ['错行4', '入会时间无法识别（如 2018-04-16）：2018-02-30'],
            ]
          : [
              ['错行1', 'Unknown political status: 党外人士'],
              ['错行2', 'Unknown team: 黄河队'],
              ['错行3', 'Not a mobile number: １３８０７３０'],
              ['错行4', 'Unreadable join date (e.g. 2018-04-16): 2018-02-30'],
            ],
      );
      expect(JSON.stringify(rows)).not.toContain('430621198001');
    }
    // Fixed by the clerk and uploaded again: the four rows import.
    const fixed = await admin.gql<{ organization: { rosterImport: { rejectedRowsFile: { base64: string } } } }>(FILE, {
      id: preview.id,
      locale: 'zh',
    });
    const book = XLSX.read(Buffer.from(fixed.data?.organization.rosterImport.rejectedRowsFile.base64 ?? '', 'base64'));
    const sheet = book.Sheets[book.SheetNames[0] ?? ''];
    if (!sheet) throw new Error('no sheet');
    const rows: string[][] = XLSX.utils.sheet_to_json(sheet, { header: 1, raw: false, defval: '' });
    const repaired = rows.map((row, index) =>
      index === 0
        ? row
        : [
            ...row.slice(0, 3),
            index === 3 ? '13807309002' : (row[3] ?? ''),
            row[4] ?? '',
            index === 1 ? '群众' : (row[5] ?? ''),
            index === 2 ? '红色旗帜志愿服务队' : (row[6] ?? ''),
            row[7] ?? '',
            index === 4 ? '2018-02-28' : (row[8] ?? ''),
            ...row.slice(9),
          ],
    );
    const again = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(again, XLSX.utils.aoa_to_sheet(repaired), '未导入');
    const bytes2: unknown = XLSX.write(again, { type: 'buffer', bookType: 'xlsx' });
    if (!Buffer.isBuffer(bytes2)) throw new Error('no workbook');
    const second = await previewRoster(admin, bytes2, '改好了.xlsx');
    expect(second).toMatchObject({ headerRow: 1, createCount: BAD.length, rejectCount: 0 });
    expect(second.ignoredColumns).toEqual(['序号', '备注', '未导入原因']);
  });

  it('reads the same roster as a GBK CSV with other header spellings', async () => {
    const other = await testApp.signUp({ phone: '13800000002' });
    const otherOrg = (await other.createOrganization('岳阳县七彩之光志愿者协会（CSV）')).id;
    const bytes = officeCsv();
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const preview = await previewRoster(other, bytes, '花名册.csv');
    expect(preview).toMatchObject({
      format: 'csv (gbk)',
      headerRow: 2,
      columns: ['name', 'phone', 'gender', 'politicalStatus', 'workUnit', 'teams', 'skills', 'joinDate'],
      ignoredColumns: ['序号'],
      idNumberColumn: null,
      createCount: PEOPLE.length,
      rejectCount: BAD.length,
    });
    expectExactlyTheBadRows(await importRows(other, preview.id, ['REJECT']), 3, {
      politicalStatus: '政治身份',
      teams: '服务队',
      phone: '联系电话',
      joinDate: '加入时间',
    });
    expect(await applyImport(other, preview.id)).toMatchObject({ status: 'APPLIED', createCount: PEOPLE.length });
    expectLandedAsWritten(await roster(other));
    expect(otherOrg).not.toBe(orgId);
  });

  it('exports the roster so that importing it back changes nothing (status, stage, join date, skills, teams)', async () => {
    for (const [format, locale] of [
      ['XLSX', 'zh'],
      ['CSV', 'en'],
    ] as const) {
      const exported = await admin.gql<{ exportRoster: { base64: string; fileName: string } }>(
        `mutation ($input: ExportRosterInput!) { exportRoster(input: $input) { base64 fileName } }`,
        { input: { format, locale, filter: { status: 'ALL' } } },
      );
      expectNoErrors(exported);
      const before = await rosterSnapshot(testApp, orgId);
      const preview = await previewRoster(
        admin,
        Buffer.from(exported.data?.exportRoster.base64 ?? '', 'base64'),
        exported.data?.exportRoster.fileName,
      );
      // The admin who signed up has no phone on the roster: that one row is refused, the rest unchanged.
      expect(preview, `${format} ${locale}`).toMatchObject({ headerRow: 1, createCount: 0, updateCount: 0 });
      expect(preview.rejectCount).toBeLessThanOrEqual(1);
      expect(await applyImport(admin, preview.id)).toMatchObject({ status: 'APPLIED', createCount: 0, updateCount: 0 });
      expect(await rosterSnapshot(testApp, orgId), `${format} ${locale}`).toBe(before);
    }
  });

  it('refuses a file with a header and no data rows, and one whose rows are all blank', async () => {
    for (const bytes of [
      Buffer.from('姓名,手机号,政治面貌\r\n', 'utf8'),
      Buffer.from('\uFEFF姓名,手机号\r\n,\r\n,\r\n', 'utf8'),
    ]) {
      const refused = await uploadRoster(admin, bytes, '空表.csv');
      expect(refused.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION', fields: { file: 'NO_DATA_ROWS' } });
    }
    const sheet = XLSX.utils.aoa_to_sheet([[TITLE], [], ['序号', '姓名', '手机号码', '所属队伍']]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, '花名册');
    const bytes: unknown = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' });
    if (!Buffer.isBuffer(bytes)) throw new Error('no workbook');
    const refused = await uploadRoster(admin, bytes, '空表.xlsx');
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION', fields: { file: 'NO_DATA_ROWS' } });
  });

  it('uses the organization’s date for a row without a join date, and refuses one after it', async () => {
    const today = localDateAt(testClock.now(), 'Asia/Shanghai');
    const nextYear = String(Number(today.slice(0, 4)) + 1);
    const preview = await previewRoster(
      admin,
      Buffer.from(`姓名,手机号,入会时间\r\n新会员,13807301001,\r\n未来人,13807301002,${nextYear}年1月1日\r\n`, 'utf8'),
      '新会员.csv',
    );
    const rows = await importRows(admin, preview.id, ['CREATE', 'REJECT']);
    expect(rows.map((row) => [row.cells['name'], row.outcome, row.problems])).toEqual([
      ['新会员', 'CREATE', []],
      ['未来人', 'REJECT', ['JOIN_DATE_IN_FUTURE']],
    ]);
    await applyImport(admin, preview.id);
    const created = (await roster(admin)).find((member) => member.phone === '13807301001');
    expect(created?.joinedOn).toBe(today);
  });
});
