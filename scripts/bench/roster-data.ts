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

/** 政治面貌 as offices write them: every one of the 13 (GB/T 4762) in short and full forms, and the two stages. */
const OFFICE_STATUSES = [
  '中共党员',
  '中共党员',
  '中共党员',
  '党员',
  '中国共产党党员',
  '中共预备党员',
  '预备党员',
  '共青团员',
  '共青团员',
  '团员',
  '民革会员',
  '中国民主同盟盟员',
  '民建会员',
  '民进会员',
  '农工党党员',
  '致公党党员',
  '九三学社社员',
  '台盟盟员',
  '无党派人士',
  '群众',
  '群众',
  '入党积极分子',
  '发展对象',
];
/** Teams as offices write them: full names with their suffixes, colour words, several in a cell. */
const OFFICE_TEAM_CELLS = [
  '红色旗帜志愿服务队',
  '绿色卫士服务队',
  '白色天使志愿服务队',
  '橙色救援队',
  '紫色关怀志愿服务队',
  '金色童心',
  '蓝色心语服务队',
  '红队、绿队',
  '红色旗帜，金色童心志愿服务队',
  '白 紫',
  'Red Banner, green',
];
/** Join dates as clerks type them. */
function officeDate(random: () => number, year: number): string {
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  const pad = (value: number) => String(value).padStart(2, '0');
  const forms = [
    `${year}-${pad(month)}-${pad(day)}`,
    `${year}/${month}/${day}`,
    `${year}.${month}.${day}`,
    `${year}年${month}月${day}日`,
    `${year}${pad(month)}`,
  ];
  return forms[Math.floor(random() * forms.length)] ?? forms[0] ?? '';
}

/** Full-width digits (１３８…), as an office system or a Chinese input method writes them. */
const fullWidth = (text: string) =>
  text.replace(/[0-9]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0));

/** The office roster's title rows and its header (with a 序号 and an ID-number column, office spellings). */
export const OFFICE_TITLE = '岳阳县七彩之光志愿者协会会员花名册（2018年）';
export const OFFICE_HEADER = [
  '序号',
  '姓名',
  '性别',
  '身份证号',
  '政治面貌',
  '联系电话',
  '工作单位',
  '所在队',
  '特长技能',
  '入会时间',
];

/**
 * A county roster as an office keeps it (the import's real input, issue #15): a title row and a
 * blank row above the header, a 序号 and an ID-number column, office header spellings, every
 * 政治面貌 form, phones in full-width digits (one row in eight) or with +86 and dashes, full team
 * names and several teams in a cell, join dates in the forms clerks type, skills. Deterministic;
 * every row valid. The title sits in the first cell (merge it across the header's width).
 */
export function generateOfficeRoster(count: number): string[][] {
  const random = seeded(2018);
  const pick = <Item>(items: readonly Item[]): Item => items[Math.floor(random() * items.length)] as Item;
  const rows: string[][] = [[OFFICE_TITLE], [], OFFICE_HEADER];
  for (let index = 0; index < count; index++) {
    const givenLength = 1 + Math.floor(random() * 2);
    let given = '';
    for (let character = 0; character < givenLength; character++) given += pick(Array.from(GIVEN));
    const phone = generatedPhone(index);
    const written =
      index % 8 === 0
        ? fullWidth(phone)
        : index % 8 === 1
          ? `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`
          : phone;
    const skills = random() < 0.6 ? [...new Set([pick(SKILLS), ...(random() < 0.3 ? [pick(SKILLS)] : [])])] : [];
    rows.push([
      String(index + 1),
      pick(Array.from(SURNAMES)) + given,
      random() < 0.5 ? '男' : '女',
      `430621${1960 + Math.floor(random() * 45)}0101${String(1000 + (index % 9000)).slice(0, 4)}`,
      pick(OFFICE_STATUSES),
      written,
      pick(WORK_UNITS),
      pick(OFFICE_TEAM_CELLS),
      skills.join('、'),
      officeDate(random, 2012 + Math.floor(random() * 8)),
    ]);
  }
  return rows;
}
