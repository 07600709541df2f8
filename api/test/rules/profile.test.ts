/** What a member profile may hold, as typed in the form or read from a roster cell. */
import { describe, expect, it } from 'vitest';
import {
  CATEGORY_LABELS,
  GENDER_LABELS,
  lengthOf,
  LIST_SEPARATORS,
  nameProblem,
  normalizeName,
  parseCategory,
  parseEmail,
  parseGender,
  parseMobile,
  parseSkills,
  SKILL_MAX_LENGTH,
  SKILLS_MAX,
  SUGGESTED_SKILLS,
  WORK_UNIT_MAX_LENGTH,
} from '../../src/modules/members/profile.ts';

describe('names', () => {
  it('trims and collapses white space, keeping any script', () => {
    expect(normalizeName('  欧阳   修文 ')).toBe('欧阳 修文');
    expect(normalizeName('\u3000李娜\u3000')).toBe('李娜');
    expect(normalizeName('阿依古丽·买买提')).toBe('阿依古丽·买买提');
    expect(normalizeName('Zhang\n San')).toBe('Zhang San');
  });

  it('counts code points, as PostgreSQL does', () => {
    expect(lengthOf('欧阳修文')).toBe(4);
    expect(lengthOf('𠮷田')).toBe(2);
    expect(lengthOf('')).toBe(0);
  });

  it('requires a name of at most 60 characters without control characters', () => {
    expect(nameProblem('张三')).toBeNull();
    expect(nameProblem('')).toBe('REQUIRED');
    expect(nameProblem('欧'.repeat(60))).toBeNull();
    expect(nameProblem('欧'.repeat(61))).toBe('TOO_LONG');
    // 60 characters outside the BMP are 120 UTF-16 units, still 60 characters.
    expect(nameProblem('𠮷'.repeat(60))).toBeNull();
    expect(nameProblem('张\u0000三')).toBe('INVALID_NAME');
    expect(nameProblem('张\u001f三')).toBe('INVALID_NAME');
    expect(nameProblem('张\u007f三')).toBe('INVALID_NAME');
    expect(nameProblem('张\u0080三')).toBeNull();
    expect(nameProblem('张 三')).toBeNull();
  });
});

describe('parseMobile', () => {
  it.each([
    ['13800138000', '13800138000'],
    [' +86 138 0013 8000 ', '13800138000'],
    ['86-138-0013-8000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['138\u30000013\u30008000', '13800138000'],
    ['１５９０７３０１２３４', '15907301234'],
    ['159.0730.1234', '15907301234'],
  ])('reads %j as %s', (typed, phone) => {
    expect(parseMobile(typed)).toBe(phone);
  });

  it.each(['', '0730-8221234', '12800138000', '1380013800', '138001380001', '8613800138000x', '电话13800138000'])(
    'refuses %j',
    (typed) => {
      expect(parseMobile(typed)).toBeNull();
    },
  );
});

describe('parseEmail', () => {
  it('normalizes an address, or gives null', () => {
    expect(parseEmail(' LiNa@YYX.gov.cn ')).toBe('lina@yyx.gov.cn');
    expect(parseEmail('lina@yyx')).toBeNull();
    expect(parseEmail('')).toBeNull();
  });
});

describe('parseSkills', () => {
  it('splits a cell on every separator a roster uses, trimmed and without duplicates, in order', () => {
    expect(parseSkills('急救、驾驶,摄影，手语;护理；教学/医疗|法律咨询\n心理疏导\r\n文艺演出')).toEqual({
      skills: ['急救', '驾驶', '摄影', '手语', '护理', '教学', '医疗', '法律咨询', '心理疏导', '文艺演出'],
      valid: true,
    });
    expect(parseSkills(' 急救 、、 急救 、 Driving 、 driving 、 ')).toEqual({
      skills: ['急救', 'Driving'],
      valid: true,
    });
    expect(parseSkills('')).toEqual({ skills: [], valid: true });
    // Compared in lower case: ß and SS are different letters there.
    expect(parseSkills('Straße、STRASSE、strasse')).toEqual({ skills: ['Straße', 'STRASSE'], valid: true });
  });

  it('takes a list, each entry possibly with separators', () => {
    expect(parseSkills(['急救', '驾驶、摄影', '  ', '急救'])).toEqual({
      skills: ['急救', '驾驶', '摄影'],
      valid: true,
    });
    expect(parseSkills([])).toEqual({ skills: [], valid: true });
  });

  it('refuses a skill over 20 characters or with control characters, and more than 20 skills', () => {
    expect(parseSkills('急'.repeat(20))).toEqual({ skills: ['急'.repeat(20)], valid: true });
    expect(parseSkills(`急救、${'急'.repeat(21)}`)).toEqual({ skills: ['急救', '急'.repeat(21)], valid: false });
    expect(parseSkills(['急\u0007救']).valid).toBe(false);
    const twenty = Array.from({ length: 20 }, (_, index) => `技能${index + 1}`);
    expect(parseSkills(twenty)).toEqual({ skills: twenty, valid: true });
    expect(parseSkills([...twenty, '技能21']).valid).toBe(false);
    // Duplicates do not count towards the limit.
    expect(parseSkills([...twenty, '技能1']).valid).toBe(true);
  });

  it('keeps the limits and the suggestions', () => {
    expect([SKILL_MAX_LENGTH, SKILLS_MAX, WORK_UNIT_MAX_LENGTH]).toEqual([20, 20, 100]);
    expect(SUGGESTED_SKILLS).toContain('急救');
    expect(SUGGESTED_SKILLS).toHaveLength(12);
    expect(LIST_SEPARATORS.test('红队 绿队')).toBe(false);
  });
});

describe('parseGender', () => {
  it.each([
    ['男', 'MALE'],
    ['男性', 'MALE'],
    [' 男 ', 'MALE'],
    ['M', 'MALE'],
    ['m', 'MALE'],
    ['Male', 'MALE'],
    ['MALE', 'MALE'],
    ['女', 'FEMALE'],
    ['女性', 'FEMALE'],
    ['F', 'FEMALE'],
    ['female', 'FEMALE'],
    ['Female', 'FEMALE'],
  ] as const)('reads %j as %s', (text, gender) => {
    expect(parseGender(text)).toBe(gender);
  });

  it('reads nothing else', () => {
    expect(parseGender('')).toBeUndefined();
    expect(parseGender('未知')).toBeUndefined();
    expect(parseGender('man')).toBeUndefined();
    expect(parseGender('toString')).toBeUndefined();
  });

  it('labels genders in both languages', () => {
    expect(GENDER_LABELS).toEqual({ zh: { MALE: '男', FEMALE: '女' }, en: { MALE: 'Male', FEMALE: 'Female' } });
  });
});

describe('parseCategory', () => {
  it.each([
    ['党员', 'PARTY_MEMBER'],
    ['中共党员', 'PARTY_MEMBER'],
    ['预备党员', 'PARTY_MEMBER'],
    ['中共预备党员', 'PARTY_MEMBER'],
    ['Party Member', 'PARTY_MEMBER'],
    ['  party   member ', 'PARTY_MEMBER'],
    ['入党积极分子', 'ACTIVIST'],
    ['积极分子', 'ACTIVIST'],
    ['Activist', 'ACTIVIST'],
    ['Party activist', 'ACTIVIST'],
    ['群众', 'CITIZEN'],
    ['CITIZEN', 'CITIZEN'],
  ] as const)('reads %j as %s', (text, category) => {
    expect(parseCategory(text)).toBe(category);
  });

  it('reads nothing else', () => {
    expect(parseCategory('')).toBeUndefined();
    expect(parseCategory('团员')).toBeUndefined();
    expect(parseCategory('partymember')).toBeUndefined();
  });

  it('labels categories in both languages', () => {
    expect(CATEGORY_LABELS).toEqual({
      zh: { PARTY_MEMBER: '党员', ACTIVIST: '入党积极分子', CITIZEN: '群众' },
      en: { PARTY_MEMBER: 'Party member', ACTIVIST: 'Party activist', CITIZEN: 'Citizen' },
    });
  });
});
