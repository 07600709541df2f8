/**
 * What each roster row does — create, update, leave unchanged or reject — decided
 * without a database: the rows as readRoster gives them, the organization's seven
 * teams, and the members already on the roster with those phones.
 */
import type { Team, TeamColour } from '@qicai/db';
import { describe, expect, it } from 'vitest';
import type { ImportMatch } from '../../src/modules/members/repository.ts';
import type { RosterField } from '../../src/modules/members/roster-file.ts';
import {
  countOutcomes,
  evaluateRows,
  nameReadsBack,
  phonesOf,
  readTeams,
  teamAliases,
  type EvaluatedRow,
  type RowsToEvaluate,
} from '../../src/modules/members/roster-rows.ts';

const ORG = '0b7e1c52-6a3e-4d21-9a57-3f1c2d4e5f60';
const CREATED = new Date('2026-03-05T02:00:00Z');

const TEAM_NAMES: [TeamColour, string, string][] = [
  ['RED', '红色先锋', 'Red Vanguard'],
  ['GREEN', '绿色卫士', 'Green Guardians'],
  ['WHITE', '白色天使', 'White Angels'],
  ['ORANGE', '橙色阳光', 'Orange Sunshine'],
  ['PURPLE', '紫色港湾', 'Purple Harbour'],
  ['GOLD', '金色夕阳', 'Golden Sunset'],
  ['BLUE', '蓝色救援/水上', 'Blue Rescue'],
];
const TEAMS: Team[] = TEAM_NAMES.map(([colour, nameZh, nameEn]) => ({
  orgId: ORG,
  id: `team-${colour.toLowerCase()}`,
  colour,
  nameZh,
  nameEn,
  missionZh: '',
  missionEn: '',
  createdAt: CREATED,
  updatedAt: CREATED,
}));

type Cells = Partial<Record<RosterField, string>>;

/** The organization's date: join dates after it are refused. */
const TODAY = '2026-03-05';

function table(rows: Cells[]): RowsToEvaluate {
  // Row 1 is the header row.
  return { rows: rows.map((cells, index) => ({ rowNumber: index + 2, cells })) };
}

function member(fields: Partial<ImportMatch>): ImportMatch {
  return {
    id: 'member-1',
    phone: '13600001111',
    displayName: '欧阳修文',
    email: null,
    gender: 'MALE',
    politicalStatus: 'CPC_MEMBER',
    partyStage: null,
    workUnit: '荣家湾镇人民政府',
    skills: ['急救', '驾驶'],
    joinedOn: '2018-04-16',
    teamIds: ['team-red', 'team-green'],
    ledTeamIds: [],
    ...fields,
  };
}

const FULL_ROW: Cells = {
  name: '欧阳修文',
  phone: '13600001111',
  gender: '男',
  politicalStatus: '中共党员',
  workUnit: '荣家湾镇人民政府',
  teams: '红队、绿色卫士',
  skills: '急救、驾驶',
  email: '',
};

const only = (rows: EvaluatedRow[]): EvaluatedRow => {
  expect(rows).toHaveLength(1);
  return rows[0] as EvaluatedRow;
};
const evaluateOne = (cells: Cells, matches: ImportMatch[] = []) =>
  only(evaluateRows(table([cells]), TEAMS, matches, TODAY));

describe('teamAliases and readTeams', () => {
  const aliases = teamAliases(TEAMS);
  const read = (text: string) => readTeams(text, aliases);

  it('names a team by its colour in any form, or by its names with or without 志愿服务队 / 服务队 / 队', () => {
    for (const alias of [
      '红',
      '红队',
      '红色',
      '红色队',
      'Red',
      'red',
      'RED TEAM',
      '红色先锋',
      '红色先锋队',
      '红色先锋服务队',
      '红色先锋志愿服务队',
      'Red Vanguard',
      'red vanguard volunteer team',
      '红色志愿服务队',
      '红色先锋　志愿服务队',
    ]) {
      expect(read(alias), alias).toEqual({ teamIds: ['team-red'], unknown: [] });
    }
    expect(read('金色夕阳').teamIds).toEqual(['team-gold']);
    expect(read('Golden Sunset').teamIds).toEqual(['team-gold']);
    const words: [TeamColour, string, string][] = [
      ['RED', '红', 'red'],
      ['GREEN', '绿', 'green'],
      ['WHITE', '白', 'white'],
      ['ORANGE', '橙', 'orange'],
      ['PURPLE', '紫', 'purple'],
      ['GOLD', '金', 'gold'],
      ['BLUE', '蓝', 'blue'],
    ];
    for (const [colour, zh, en] of words) {
      const id = `team-${colour.toLowerCase()}`;
      expect([zh, `${zh}队`, `${zh}色`, `${zh}色队`, en, `${en} team`].map((alias) => read(alias).teamIds)).toEqual(
        Array.from({ length: 6 }, () => [id]),
      );
    }
  });

  it('splits a cell on 、，,;；／/ and spaces, each team once, and names the parts that match no team', () => {
    expect(read('红色先锋志愿服务队、绿队，白色天使; 金／蓝 橙队 红')).toEqual({
      teamIds: ['team-red', 'team-green', 'team-white', 'team-gold', 'team-blue', 'team-orange'],
      unknown: [],
    });
    expect(read('Red Vanguard, Green Guardians')).toEqual({ teamIds: ['team-red', 'team-green'], unknown: [] });
    expect(read('红队、黑队 黄色旗帜志愿服务队')).toEqual({
      teamIds: ['team-red'],
      unknown: ['黑队', '黄色旗帜志愿服务队'],
    });
    expect(read('')).toEqual({ teamIds: [], unknown: [] });
  });
});

describe('nameReadsBack', () => {
  it('is false for a name with a list separator in it', () => {
    expect(nameReadsBack('红色先锋')).toBe(true);
    expect(nameReadsBack('Red Vanguard')).toBe(true);
    expect(nameReadsBack('蓝色救援/水上')).toBe(false);
    expect(nameReadsBack('蓝色救援、水上')).toBe(false);
  });
});

describe('evaluateRows: creating', () => {
  it('creates a member from a full row, reading every column', () => {
    expect(evaluateOne(FULL_ROW)).toEqual({
      rowNumber: 2,
      cells: FULL_ROW,
      outcome: 'CREATE',
      problems: [],
      problemValues: [],
      changes: [],
      memberId: null,
      duplicateOf: null,
      values: {
        displayName: '欧阳修文',
        phone: '13600001111',
        gender: 'MALE',
        politicalStatus: 'CPC_MEMBER',
        workUnit: '荣家湾镇人民政府',
        teamIds: ['team-red', 'team-green'],
        skills: ['急救', '驾驶'],
        email: null,
      },
    });
  });

  it('leaves out the fields the file has no column for', () => {
    expect(evaluateOne({ name: ' 李  娜 ', phone: '13600002222' }).values).toEqual({
      displayName: '李 娜',
      phone: '13600002222',
    });
  });

  it.each([
    ['+86 136 0000 2222'],
    ['+8613600002222'],
    ['8613600002222'],
    ['0086-136-0000-2222'],
    ['136-0000-2222'],
    ['136 0000 2222'],
    ['136\u30000000\u30002222'],
    ['136.0000.2222'],
    ['１３６００００２２２２'],
  ])('accepts the phone %j as 13600002222', (phone) => {
    const row = evaluateOne({ name: '李娜', phone });
    expect(row.outcome).toBe('CREATE');
    expect(row.values?.phone).toBe('13600002222');
  });

  it('reads empty optional cells as cleared fields', () => {
    expect(
      evaluateOne({ name: '李娜', phone: '13600002222', gender: '', workUnit: '  ', teams: '', skills: '', email: '' })
        .values,
    ).toEqual({
      displayName: '李娜',
      phone: '13600002222',
      gender: null,
      workUnit: null,
      teamIds: [],
      skills: [],
      email: null,
    });
  });

  it('reads the English forms, teams named several ways once each, and an email', () => {
    const row = evaluateOne({
      name: 'Li Na',
      phone: '13600002222',
      gender: 'Female',
      politicalStatus: 'Masses',
      teams: 'White, white team ; 白色天使 | Gold',
      email: ' LiNa@YYX.gov.cn ',
    });
    expect(row.outcome).toBe('CREATE');
    expect(row.values).toEqual({
      displayName: 'Li Na',
      phone: '13600002222',
      gender: 'FEMALE',
      politicalStatus: 'MASSES',
      teamIds: ['team-white', 'team-gold'],
      email: 'lina@yyx.gov.cn',
    });
  });

  it('takes an empty 政治面貌 as none given', () => {
    expect(evaluateOne({ name: '李娜', phone: '13600002222', politicalStatus: '' }).values).toEqual({
      displayName: '李娜',
      phone: '13600002222',
    });
  });
});

describe('evaluateRows: rejecting', () => {
  const rejected = (cells: Cells) => {
    const row = evaluateOne(cells);
    expect(row.outcome).toBe('REJECT');
    expect(row.values).toBeNull();
    expect(row.changes).toEqual([]);
    expect(row.memberId).toBeNull();
    return row.problems;
  };

  it('needs a name of at most 60 characters without control characters', () => {
    expect(rejected({ name: '  ', phone: '13600002222' })).toEqual(['MISSING_NAME']);
    expect(rejected({ phone: '13600002222' })).toEqual(['MISSING_NAME']);
    expect(rejected({ name: '欧'.repeat(61), phone: '13600002222' })).toEqual(['NAME_TOO_LONG']);
    expect(rejected({ name: '李\u0000娜', phone: '13600002222' })).toEqual(['INVALID_NAME']);
  });

  it('needs a mainland mobile number', () => {
    expect(rejected({ name: '李娜' })).toEqual(['MISSING_PHONE']);
    expect(rejected({ name: '李娜', phone: '' })).toEqual(['MISSING_PHONE']);
    expect(rejected({ name: '李娜', phone: '0730-8221234' })).toEqual(['INVALID_PHONE']);
    expect(rejected({ name: '李娜', phone: '+86 136 0000 222' })).toEqual(['INVALID_PHONE']);
  });

  it('names every problem of a row, in column order', () => {
    expect(
      rejected({
        name: '',
        phone: '12345',
        gender: '未知',
        politicalStatus: '党外人士',
        workUnit: '岳'.repeat(101),
        teams: '红队、黑队',
        skills: '急'.repeat(21),
        email: 'not-an-email',
      }),
    ).toEqual([
      'MISSING_NAME',
      'INVALID_PHONE',
      'INVALID_GENDER',
      'INVALID_POLITICAL_STATUS',
      'WORK_UNIT_TOO_LONG',
      'UNKNOWN_TEAM',
      'INVALID_SKILLS',
      'INVALID_EMAIL',
    ]);
  });

  it('allows a work unit of 100 characters', () => {
    expect(evaluateOne({ name: '李娜', phone: '13600002222', workUnit: '岳'.repeat(100) }).outcome).toBe('CREATE');
  });

  it('rejects a later row with a phone already seen, pointing at the first, however it was written', () => {
    const rows = evaluateRows(
      table([
        { name: '欧阳修文', phone: '13600001111' },
        { name: '李娜', phone: '13600002222' },
        { name: '欧阳修武', phone: '+86 136-0000-1111' },
        { name: '', phone: '8613600002222' },
        { name: '王芳', phone: '13600003333' },
      ]),
      TEAMS,
      [],
      TODAY,
    );
    expect(rows.map((row) => [row.rowNumber, row.outcome, row.duplicateOf, row.problems])).toEqual([
      [2, 'CREATE', null, []],
      [3, 'CREATE', null, []],
      [4, 'REJECT', 2, ['DUPLICATE_IN_FILE']],
      [5, 'REJECT', 3, ['MISSING_NAME', 'DUPLICATE_IN_FILE']],
      [6, 'CREATE', null, []],
    ]);
  });

  it('does not match rows without a readable phone to each other', () => {
    const rows = evaluateRows(
      table([
        { name: '李娜', phone: 'x' },
        { name: '王芳', phone: 'x' },
      ]),
      TEAMS,
      [member({ phone: '' })],
      TODAY,
    );
    expect(rows.map((row) => [row.outcome, row.duplicateOf, row.problems])).toEqual([
      ['REJECT', null, ['INVALID_PHONE']],
      ['REJECT', null, ['INVALID_PHONE']],
    ]);
  });
});

describe('evaluateRows: members already on the roster', () => {
  it('leaves a member unchanged when the row says what the roster holds', () => {
    expect(evaluateOne(FULL_ROW, [member({})])).toMatchObject({
      outcome: 'UNCHANGED',
      changes: [],
      memberId: 'member-1',
      problems: [],
    });
  });

  it('matches the member by the normalized phone', () => {
    expect(evaluateOne({ ...FULL_ROW, phone: '+86 136 0000 1111' }, [member({})])).toMatchObject({
      outcome: 'UNCHANGED',
      memberId: 'member-1',
    });
  });

  it('updates the fields that differ, and only those', () => {
    const row = evaluateOne(
      {
        name: '欧阳修武',
        phone: '13600001111',
        gender: '女',
        politicalStatus: '群众',
        workUnit: '岳阳县人民医院',
        teams: '蓝队',
        skills: '驾驶、急救',
        email: 'ouyang@yyx.gov.cn',
      },
      [member({})],
    );
    expect(row).toMatchObject({ outcome: 'UPDATE', memberId: 'member-1', duplicateOf: null });
    expect(row.changes).toEqual(['displayName', 'gender', 'politicalStatus', 'workUnit', 'teams', 'skills', 'email']);
  });

  it.each([
    [{ name: '欧阳修武' }, ['displayName']],
    [{ gender: '女' }, ['gender']],
    [{ gender: '' }, ['gender']],
    [{ politicalStatus: '群众' }, ['politicalStatus']],
    [{ politicalStatus: '中共预备党员' }, ['politicalStatus']],
    [{ joinDate: '2018年4月16日' }, []],
    [{ joinDate: '2019.3.1' }, ['joinDate']],
    [{ workUnit: '' }, ['workUnit']],
    [{ teams: '红队' }, ['teams']],
    [{ teams: '红队、绿队、白队' }, ['teams']],
    [{ teams: '绿队、红队' }, []],
    [{ teams: '红队、红色先锋、绿队' }, []],
    [{ teams: '红队、蓝队' }, ['teams']],
    [{ teams: ' Red   Team , GREEN ' }, []],
    [{ skills: '急救' }, ['skills']],
    [{ skills: '驾驶、急救' }, ['skills']],
    [{ skills: '急救、驾驶、摄影' }, ['skills']],
    [{ skills: '急救、摄影' }, ['skills']],
    [{ email: 'ouyang@yyx.gov.cn' }, ['email']],
  ] as [Cells, string[]][])('sees %j as changing %j', (cells, changes) => {
    const row = evaluateOne({ ...FULL_ROW, ...cells }, [member({})]);
    expect(row.changes).toEqual(changes);
    expect(row.outcome).toBe(changes.length > 0 ? 'UPDATE' : 'UNCHANGED');
  });

  it('keeps the teams a member leads, whatever the file says', () => {
    const lead = member({ teamIds: ['team-red', 'team-green', 'team-gold'], ledTeamIds: ['team-gold'] });
    expect(evaluateOne(FULL_ROW, [lead]).changes).toEqual([]);
    expect(evaluateOne({ ...FULL_ROW, teams: '红队、绿队、金队' }, [lead]).changes).toEqual([]);
    expect(evaluateOne({ ...FULL_ROW, teams: '红队' }, [lead]).changes).toEqual(['teams']);
  });

  it('changes nothing the file has no column for', () => {
    const row = evaluateOne({ name: '欧阳修文', phone: '13600001111' }, [
      member({ email: 'old@yyx.gov.cn', gender: null, workUnit: null, skills: [], teamIds: [] }),
    ]);
    expect(row).toMatchObject({ outcome: 'UNCHANGED', changes: [] });
  });

  it('clears an email the file leaves empty', () => {
    const row = evaluateOne(FULL_ROW, [member({ email: 'old@yyx.gov.cn' })]);
    expect(row.changes).toEqual(['email']);
  });

  it('creates a row whose phone is not on the roster', () => {
    expect(evaluateOne({ ...FULL_ROW, phone: '13600009999' }, [member({})])).toMatchObject({
      outcome: 'CREATE',
      memberId: null,
    });
  });
});

describe('phonesOf and countOutcomes', () => {
  it('lists the readable phones of a table once each, normalized', () => {
    expect(
      phonesOf(
        table([
          { name: '欧阳修文', phone: '136 0000 1111' },
          { name: '李娜', phone: '+8613600002222' },
          { name: '欧阳修武', phone: '13600001111' },
          { name: '王芳', phone: '0730-8221234' },
          { name: '赵敏' },
        ]),
      ),
    ).toEqual(['13600001111', '13600002222']);
  });

  it('counts the outcomes', () => {
    const rows = evaluateRows(
      table([
        FULL_ROW,
        { ...FULL_ROW, phone: '13600002222', name: '李娜' },
        { ...FULL_ROW, phone: '13600003333', name: '王芳' },
        { name: '', phone: '13600004444' },
        { name: '赵敏', phone: '13600005555' },
        { name: '周强', phone: 'x' },
      ]),
      TEAMS,
      [member({}), member({ id: 'member-2', phone: '13600002222', displayName: '李 娜' })],
      TODAY,
    );
    expect(rows.map((row) => row.outcome)).toEqual(['UNCHANGED', 'UPDATE', 'CREATE', 'REJECT', 'CREATE', 'REJECT']);
    expect(countOutcomes(rows)).toEqual({ create: 2, update: 1, unchanged: 1, reject: 2 });
    expect(countOutcomes([])).toEqual({ create: 0, update: 0, unchanged: 0, reject: 0 });
  });
});
