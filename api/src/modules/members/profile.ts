/**
 * What a member profile may hold, and how typed or imported text becomes it.
 * One set of rules for the profile form and the roster import, so a row that
 * imports is a profile that saves.
 */
import type { Gender, PartyStage, PoliticalStatus } from '@qicai/db';
import {
  DISPLAY_NAME_MAX_LENGTH,
  isEmail,
  MAINLAND_MOBILE,
  normalizeEmail,
  normalizePhone,
} from '../people/validation.ts';

export const WORK_UNIT_MAX_LENGTH = 100;
export const SKILL_MAX_LENGTH = 20;
export const SKILLS_MAX = 20;

/** What separates several skills or teams in one cell or field: 、 , ， ; ； / ／ | and line breaks. */
export const LIST_SEPARATORS = /[、,，;；/／|\r\n]+/;

/** White space next to a CJK character also separates ("急救 驾驶"), but not inside English ("first aid"). */
const CJK_SPACE = /(?<=\P{ASCII})\s+|\s+(?=\P{ASCII})/u;

/** Splits a cell or field into its items: on the separators, and on spaces next to CJK text. */
export function splitList(text: string): string[] {
  return text
    .split(LIST_SEPARATORS)
    .flatMap((part) => part.split(CJK_SPACE))
    .map((part) => part.trim())
    .filter(Boolean);
}

// Zero-width spaces and the BOM, which NFKC keeps but nobody typed on purpose.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/**
 * A cell as the rules read it: Unicode NFKC (full-width digits, letters and
 * the ideographic space U+3000 become ASCII), invisible characters removed,
 * every kind of white space collapsed and trimmed.
 */
export function normalizeCell(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** Common skills offered as suggestions (the organization's own most used ones come first). */
export const SUGGESTED_SKILLS = [
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
  '应急救援',
] as const;

/** Length in Unicode code points, as PostgreSQL's char_length counts (a CJK character is one). */
export function lengthOf(text: string): number {
  return Array.from(text).length;
}

/** Trims and collapses runs of white space; names keep any script and length up to the limit (少数民族 names are long). */
export function normalizeName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export type NameProblem = 'REQUIRED' | 'TOO_LONG' | 'INVALID_NAME' | null;

export function nameProblem(name: string): NameProblem {
  if (name.length === 0) return 'REQUIRED';
  if (lengthOf(name) > DISPLAY_NAME_MAX_LENGTH) return 'TOO_LONG';
  if (CONTROL_CHARACTERS.test(name)) return 'INVALID_NAME';
  return null;
}

/** A mainland mobile number from how people write it (spaces, dashes, +86), or null if it is not one. */
export function parseMobile(text: string): string | null {
  const phone = normalizePhone(normalizeCell(text));
  return MAINLAND_MOBILE.test(phone) ? phone : null;
}

export function parseEmail(text: string): string | null {
  const email = normalizeEmail(text);
  return isEmail(email) ? email : null;
}

/** Skill tags from a list or from one text with separators: trimmed, without duplicates (case-insensitive), in order. */
export function parseSkills(input: string | readonly string[]): { skills: string[]; valid: boolean } {
  const parts = typeof input === 'string' ? splitList(input) : input.flatMap((skill) => splitList(skill));
  const skills: string[] = [];
  const seen = new Set<string>();
  let valid = true;
  for (const part of parts) {
    const skill = normalizeName(part);
    if (!skill) continue;
    if (lengthOf(skill) > SKILL_MAX_LENGTH || CONTROL_CHARACTERS.test(skill)) valid = false;
    const key = skill.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    skills.push(skill);
  }
  if (skills.length > SKILLS_MAX) valid = false;
  return { skills, valid };
}

const GENDERS: Record<string, Gender> = {
  男: 'MALE',
  男性: 'MALE',
  m: 'MALE',
  male: 'MALE',
  女: 'FEMALE',
  女性: 'FEMALE',
  f: 'FEMALE',
  female: 'FEMALE',
};

/** 男 / 女 / Male / Female (any case); undefined if the text is none of them. */
export function parseGender(text: string): Gender | undefined {
  return GENDERS[normalizeCell(text).toLowerCase()];
}

/** GB/T 4762's 13 statuses, each in the forms rosters write it: short, full, the standard's own, and English. */
const POLITICAL_STATUS_FORMS: Record<PoliticalStatus, readonly string[]> = {
  CPC_MEMBER: [
    '中共党员',
    '党员',
    '中国共产党党员',
    '共产党员',
    '正式党员',
    '中共正式党员',
    'cpc member',
    'ccp member',
    'party member',
    'communist party member',
    'member of the communist party of china',
  ],
  CPC_PROBATIONARY_MEMBER: [
    '中共预备党员',
    '预备党员',
    '中国共产党预备党员',
    'cpc probationary member',
    'probationary cpc member',
    'probationary party member',
    'probationary member of the communist party of china',
  ],
  CYL_MEMBER: [
    '共青团员',
    '团员',
    '共青团',
    '中国共产主义青年团团员',
    'cyl member',
    'league member',
    'communist youth league member',
    'member of the communist youth league of china',
  ],
  RCCK_MEMBER: [
    '民革党员',
    '民革',
    '民革会员',
    '民革成员',
    '中国国民党革命委员会会员',
    '中国国民党革命委员会党员',
    'rcck member',
    'rcck',
  ],
  CDL_MEMBER: ['民盟盟员', '民盟', '中国民主同盟盟员', 'cdl member', 'cdl', 'china democratic league member'],
  CNDCA_MEMBER: ['民建会员', '民建', '中国民主建国会会员', 'cndca member', 'cndca', 'cdnca member'],
  CAPD_MEMBER: ['民进会员', '民进', '中国民主促进会会员', 'capd member', 'capd'],
  CPWDP_MEMBER: ['农工党党员', '农工党', '农工民主党党员', '中国农工民主党党员', 'cpwdp member', 'cpwdp'],
  CZGP_MEMBER: ['致公党党员', '致公党', '中国致公党党员', 'czgp member', 'czgp', 'china zhi gong party member'],
  JIUSAN_MEMBER: ['九三学社社员', '九三学社', '九三', 'jiusan society member', 'jiusan society', 'jiusan'],
  TDSGL_MEMBER: ['台盟盟员', '台盟', '台湾民主自治同盟盟员', 'tdsgl member', 'tdsgl'],
  NON_PARTY: ['无党派人士', '无党派', '无党派民主人士', 'non-party', 'non-party personage', 'independent'],
  MASSES: ['群众', '普通群众', 'masses', 'the masses', 'citizen', 'ordinary citizen'],
};

const PARTY_STAGE_FORMS: Record<PartyStage, readonly string[]> = {
  ACTIVIST: ['入党积极分子', '积极分子', 'activist', 'party activist', 'activist applying for party membership'],
  CANDIDATE: [
    '发展对象',
    '入党发展对象',
    '党员发展对象',
    'candidate',
    'party candidate',
    'candidate for party membership',
  ],
};

/** A status or stage as written, compared without case, spaces or the standard's numbering (01 中共党员). */
function statusKey(text: string): string {
  return normalizeCell(text)
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^0?\d{1,2}\s*/, '');
}

const STATUS_INDEX = new Map<string, PoliticalStatus>(
  Object.entries(POLITICAL_STATUS_FORMS).flatMap(([status, forms]) =>
    forms.map((form) => [statusKey(form), status as PoliticalStatus] as const),
  ),
);
const STAGE_INDEX = new Map<string, PartyStage>(
  Object.entries(PARTY_STAGE_FORMS).flatMap(([stage, forms]) =>
    forms.map((form) => [statusKey(form), stage as PartyStage] as const),
  ),
);

/** Members and probationary members are past the party-development stages. */
export function stageAllowed(status: PoliticalStatus, stage: PartyStage | null): boolean {
  return stage === null || (status !== 'CPC_MEMBER' && status !== 'CPC_PROBATIONARY_MEMBER');
}

/**
 * The stage after a change of status or stage: joining the party ends it
 * (undefined: leave as it is), a stage given to a party member is refused.
 */
export function settleStage(
  before: { politicalStatus: PoliticalStatus; partyStage: PartyStage | null },
  change: { politicalStatus?: PoliticalStatus | undefined; partyStage?: PartyStage | null | undefined },
): PartyStage | null | undefined | 'NOT_ALLOWED' {
  const status = change.politicalStatus ?? before.politicalStatus;
  if (change.partyStage !== undefined)
    return stageAllowed(status, change.partyStage) ? change.partyStage : 'NOT_ALLOWED';
  return stageAllowed(status, before.partyStage) ? undefined : null;
}

export function parsePoliticalStatus(text: string): PoliticalStatus | undefined {
  return STATUS_INDEX.get(statusKey(text));
}

export function parsePartyStage(text: string): PartyStage | undefined {
  return STAGE_INDEX.get(statusKey(text));
}

export type PoliticalStatusReading =
  | { status: PoliticalStatus | undefined; stage: PartyStage | undefined; unknown: null }
  | { status: undefined; stage: undefined; unknown: string };

/**
 * A 政治面貌 cell: one of the 13 statuses, a stage (入党积极分子 alone reads as
 * 群众 at that stage, as rosters that mix the two mean it), or both, e.g.
 * "共青团员（入党积极分子）" or "团员/发展对象". `unknown` is the part that is neither.
 */
export function readPoliticalStatus(text: string): PoliticalStatusReading {
  const parts = normalizeCell(text)
    .split(/[()（）[\]【】]|[、,，;；/／|]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  let status: PoliticalStatus | undefined;
  let stage: PartyStage | undefined;
  for (const part of parts) {
    const asStatus = parsePoliticalStatus(part);
    const asStage = asStatus ? undefined : parsePartyStage(part);
    if (asStatus && !status) status = asStatus;
    else if (asStage && !stage) stage = asStage;
    else return { status: undefined, stage: undefined, unknown: part };
  }
  return { status: status ?? (stage ? 'MASSES' : undefined), stage, unknown: null };
}

export const GENDER_LABELS: Record<'zh' | 'en', Record<Gender, string>> = {
  zh: { MALE: '男', FEMALE: '女' },
  en: { MALE: 'Male', FEMALE: 'Female' },
};

/** The standard's names (GB/T 4762), as an export writes them; each reads back. */
export const POLITICAL_STATUS_LABELS: Record<'zh' | 'en', Record<PoliticalStatus, string>> = {
  zh: {
    CPC_MEMBER: '中共党员',
    CPC_PROBATIONARY_MEMBER: '中共预备党员',
    CYL_MEMBER: '共青团员',
    RCCK_MEMBER: '民革党员',
    CDL_MEMBER: '民盟盟员',
    CNDCA_MEMBER: '民建会员',
    CAPD_MEMBER: '民进会员',
    CPWDP_MEMBER: '农工党党员',
    CZGP_MEMBER: '致公党党员',
    JIUSAN_MEMBER: '九三学社社员',
    TDSGL_MEMBER: '台盟盟员',
    NON_PARTY: '无党派人士',
    MASSES: '群众',
  },
  en: {
    CPC_MEMBER: 'CPC member',
    CPC_PROBATIONARY_MEMBER: 'CPC probationary member',
    CYL_MEMBER: 'CYL member',
    RCCK_MEMBER: 'RCCK member',
    CDL_MEMBER: 'CDL member',
    CNDCA_MEMBER: 'CNDCA member',
    CAPD_MEMBER: 'CAPD member',
    CPWDP_MEMBER: 'CPWDP member',
    CZGP_MEMBER: 'CZGP member',
    JIUSAN_MEMBER: 'Jiusan Society member',
    TDSGL_MEMBER: 'TDSGL member',
    NON_PARTY: 'Non-party personage',
    MASSES: 'Masses',
  },
};

export const PARTY_STAGE_LABELS: Record<'zh' | 'en', Record<PartyStage, string>> = {
  zh: { ACTIVIST: '入党积极分子', CANDIDATE: '发展对象' },
  en: { ACTIVIST: 'Party activist', CANDIDATE: 'Party candidate' },
};

const DAY_MS = 24 * 60 * 60 * 1000;
/** Excel's day 0 as it counts (1899-12-30, which absorbs its 1900 leap-year bug for dates after February 1900). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** The date (YYYY-MM-DD) of an Excel serial day number; the time of day, if any, is dropped. */
export function excelSerialDate(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 61) return undefined;
  return new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS).toISOString().slice(0, 10);
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * A join date (入会时间) as rosters write it: 2018-04-16, 2018/4/16,
 * 2018.4.16, 2018年4月16日, 20180416, a month alone (2018-04, 2018年4月,
 * 201804: its first day), or an Excel serial day number (43206). Undefined if
 * it is none of them or no date of the calendar.
 */
export function parseJoinDate(text: string): string | undefined {
  const value = normalizeCell(text);
  const full = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(
    value,
  );
  if (full) return isoDate(Number(full[1]), Number(full[2]), Number(full[3]));
  const month = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(value);
  if (month) return isoDate(Number(month[1]), Number(month[2]), 1);
  const digits = /^(\d{4})(\d{2})(\d{2})?$/.exec(value);
  if (digits) return isoDate(Number(digits[1]), Number(digits[2]), Number(digits[3] ?? '1'));
  // Five digits: Excel's day numbers from 1927 (10000) to 2173 (99999); a year alone (2018) is not a date.
  if (/^\d{5}(?:\.\d+)?$/.test(value)) {
    return excelSerialDate(Number(value));
  }
  return undefined;
}
