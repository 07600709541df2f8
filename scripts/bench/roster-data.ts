/**
 * A generated county roster (the source article: 31,172 party members), as
 * rows of a spreadsheet under the Chinese headers, with a few bad rows whose
 * row numbers and reasons are known. Deterministic. Used by the roster import
 * test and by `pnpm bench:roster`.
 */

export const ROSTER_HEADER = ['姓名', '手机号', '性别', '政治面貌', '工作单位', '所属队伍', '技能', '邮箱'];

export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
export const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红梅文斌晓东春德小海燕玉丹萍鑫宇浩然思雨欣怡子涵梓轩';
export const WORK_UNITS = [
  '县委组织部',
  '县委宣传部',
  '县人民医院',
  '县中医医院',
  '县教育局',
  '县司法局',
  '县民政局',
  '县生态环境局',
  '县应急管理局',
  '县卫生健康局',
  '县财政局',
  '县税务局',
  '团县委',
  '县妇联',
  '荣家湾镇人民政府',
  '新墙镇中心学校',
  '筻口镇人民政府',
  '县公安局',
  '县交通运输局',
  '县农业农村局',
];
/** Teams as rosters write them: the colour (红, 红队, Red) or the team's name. */
const TEAM_CELLS = [
  '红队',
  '红色旗帜',
  'Red',
  '绿队',
  '绿色卫士',
  '白色天使',
  '白',
  '橙队',
  'Orange Rescue',
  '紫色关怀',
  '金队',
  '蓝色心语',
  'blue team',
  '红队、绿队',
  '白色天使、金色童心',
];
export const SKILLS = [
  '急救',
  '法律咨询',
  '心理疏导',
  '驾驶',
  '医疗',
  '护理',
  '教学',
  '摄影',
  '文艺演出',
  '电脑维修',
  '手语',
];
const CATEGORIES = ['党员', '党员', '党员', '中共党员', '入党积极分子', '群众'];

/** mulberry32: small and seeded, so every run makes the same roster. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The mobile number of the roster's i-th person: unique, valid (139…, 11 digits). */
export function generatedPhone(index: number): string {
  return String(13_900_000_000 + index * 7);
}

export interface GeneratedRoster {
  /** The header, then one row per person. */
  rows: string[][];
  /** The rows made bad on purpose: their spreadsheet row numbers (the header is row 1) and the reason the import must give. */
  bad: { rowNumber: number; problem: string }[];
}

/**
 * `count` data rows. With `withBadRows`, five of them are bad: a malformed
 * phone, an unknown team, a phone already used higher up, a missing name, a
 * bad email.
 */
export function generateRoster(count: number, withBadRows = true): GeneratedRoster {
  const random = seeded(31_172);
  const pick = <Item>(items: readonly Item[]): Item => items[Math.floor(random() * items.length)] as Item;
  const rows = [ROSTER_HEADER];
  for (let index = 0; index < count; index++) {
    const givenLength = 1 + Math.floor(random() * 2);
    let given = '';
    for (let character = 0; character < givenLength; character++) given += pick(Array.from(GIVEN));
    const skills = random() < 0.6 ? [pick(SKILLS), ...(random() < 0.3 ? [pick(SKILLS)] : [])] : [];
    rows.push([
      pick(Array.from(SURNAMES)) + given,
      generatedPhone(index),
      random() < 0.5 ? '男' : '女',
      pick(CATEGORIES),
      pick(WORK_UNITS),
      pick(TEAM_CELLS),
      [...new Set(skills)].join('、'),
      random() < 0.2 ? `v${index}@example.cn` : '',
    ]);
  }
  const bad: GeneratedRoster['bad'] = [];
  if (withBadRows && count >= 10) {
    // Data row i is spreadsheet row i + 2.
    const spoil = (dataIndex: number, problem: string, change: (row: string[]) => void) => {
      const row = rows[dataIndex + 1];
      if (!row) return;
      change(row);
      bad.push({ rowNumber: dataIndex + 2, problem });
    };
    const at = (fraction: number) => Math.floor((count - 1) * fraction);
    spoil(at(0.01), 'INVALID_PHONE', (row) => (row[1] = '1380013'));
    spoil(at(0.3), 'UNKNOWN_TEAM', (row) => (row[5] = '黑队'));
    spoil(at(0.55), 'DUPLICATE_IN_FILE', (row) => (row[1] = generatedPhone(3)));
    spoil(at(0.8), 'MISSING_NAME', (row) => (row[0] = ''));
    spoil(count - 1, 'INVALID_EMAIL', (row) => (row[7] = 'not-an-email'));
  }
  return { rows, bad };
}
