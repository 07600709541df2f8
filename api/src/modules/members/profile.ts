/**
 * What a member profile may hold, and how typed or imported text becomes it.
 * One set of rules for the profile form and the roster import, so a row that
 * imports is a profile that saves.
 */
import type { Gender, MemberCategory } from '@qicai/db';
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

/** What separates several skills or teams in one cell or field: 、 , ， ; ； / | and line breaks. */
export const LIST_SEPARATORS = /[、,，;；/|\r\n]+/;

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
  const phone = normalizePhone(text.trim());
  return MAINLAND_MOBILE.test(phone) ? phone : null;
}

export function parseEmail(text: string): string | null {
  const email = normalizeEmail(text);
  return isEmail(email) ? email : null;
}

/** Skill tags from a list or from one text with separators: trimmed, without duplicates (case-insensitive), in order. */
export function parseSkills(input: string | readonly string[]): { skills: string[]; valid: boolean } {
  const parts =
    typeof input === 'string' ? input.split(LIST_SEPARATORS) : input.flatMap((skill) => skill.split(LIST_SEPARATORS));
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
  return GENDERS[text.trim().toLowerCase()];
}

const CATEGORIES: Record<string, MemberCategory> = {
  党员: 'PARTY_MEMBER',
  中共党员: 'PARTY_MEMBER',
  预备党员: 'PARTY_MEMBER',
  中共预备党员: 'PARTY_MEMBER',
  'party member': 'PARTY_MEMBER',
  入党积极分子: 'ACTIVIST',
  积极分子: 'ACTIVIST',
  activist: 'ACTIVIST',
  'party activist': 'ACTIVIST',
  群众: 'CITIZEN',
  citizen: 'CITIZEN',
};

/** 政治面貌 as rosters write it, in Chinese or English; undefined if unknown. */
export function parseCategory(text: string): MemberCategory | undefined {
  return CATEGORIES[text.trim().toLowerCase().replace(/\s+/g, ' ')];
}

export const GENDER_LABELS: Record<'zh' | 'en', Record<Gender, string>> = {
  zh: { MALE: '男', FEMALE: '女' },
  en: { MALE: 'Male', FEMALE: 'Female' },
};

export const CATEGORY_LABELS: Record<'zh' | 'en', Record<MemberCategory, string>> = {
  zh: { PARTY_MEMBER: '党员', ACTIVIST: '入党积极分子', CITIZEN: '群众' },
  en: { PARTY_MEMBER: 'Party member', ACTIVIST: 'Party activist', CITIZEN: 'Citizen' },
};
