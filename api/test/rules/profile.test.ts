/** What a member profile may hold, as typed in the form or read from a roster cell. */
import { describe, expect, it } from 'vitest';
import {
  GENDER_LABELS,
  lengthOf,
  LIST_SEPARATORS,
  nameProblem,
  normalizeCell,
  normalizeName,
  parseEmail,
  parseGender,
  parseJoinDate,
  parseMobile,
  parseSkills,
  POLITICAL_STATUS_LABELS,
  readPoliticalStatus,
  settleStage,
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

describe('normalizeCell', () => {
  it('applies NFKC and trims every kind of space, U+3000 included', () => {
    expect(normalizeCell('\u3000１３８ ００１３\u00a0８０００\u3000')).toBe('138 0013 8000');
    expect(normalizeCell('\u200b 共青团员\ufeff ')).toBe('共青团员');
    expect(normalizeCell('Ｒｅｄ\t\tＴｅａｍ')).toBe('Red Team');
  });
});

describe('readPoliticalStatus (GB/T 4762)', () => {
  it.each([
    ['中共党员', 'CPC_MEMBER'],
    ['党员', 'CPC_MEMBER'],
    ['中国共产党党员', 'CPC_MEMBER'],
    ['CPC member', 'CPC_MEMBER'],
    ['01 中共党员', 'CPC_MEMBER'],
    ['中共预备党员', 'CPC_PROBATIONARY_MEMBER'],
    ['预备党员', 'CPC_PROBATIONARY_MEMBER'],
    ['Probationary party member', 'CPC_PROBATIONARY_MEMBER'],
    ['共青团员', 'CYL_MEMBER'],
    ['团员', 'CYL_MEMBER'],
    ['中国共产主义青年团团员', 'CYL_MEMBER'],
    ['CYL Member', 'CYL_MEMBER'],
    ['民革', 'RCCK_MEMBER'],
    ['民革会员', 'RCCK_MEMBER'],
    ['民革党员', 'RCCK_MEMBER'],
    ['中国国民党革命委员会会员', 'RCCK_MEMBER'],
    ['民盟盟员', 'CDL_MEMBER'],
    ['中国民主同盟盟员', 'CDL_MEMBER'],
    ['民建会员', 'CNDCA_MEMBER'],
    ['中国民主建国会会员', 'CNDCA_MEMBER'],
    ['民进会员', 'CAPD_MEMBER'],
    ['中国民主促进会会员', 'CAPD_MEMBER'],
    ['农工党党员', 'CPWDP_MEMBER'],
    ['中国农工民主党党员', 'CPWDP_MEMBER'],
    ['致公党党员', 'CZGP_MEMBER'],
    ['中国致公党党员', 'CZGP_MEMBER'],
    ['九三学社社员', 'JIUSAN_MEMBER'],
    ['九三学社', 'JIUSAN_MEMBER'],
    ['台盟盟员', 'TDSGL_MEMBER'],
    ['台湾民主自治同盟盟员', 'TDSGL_MEMBER'],
    ['无党派人士', 'NON_PARTY'],
    ['无党派', 'NON_PARTY'],
    ['群众', 'MASSES'],
    ['Ｍａｓｓｅｓ', 'MASSES'],
  ] as const)('reads %j as %s', (text, status) => {
    expect(readPoliticalStatus(text)).toEqual({ status, stage: undefined, unknown: null });
  });

  it('reads a party-development stage alone as 群众 at that stage, or beside a status', () => {
    expect(readPoliticalStatus('入党积极分子')).toEqual({ status: 'MASSES', stage: 'ACTIVIST', unknown: null });
    expect(readPoliticalStatus('发展对象')).toEqual({ status: 'MASSES', stage: 'CANDIDATE', unknown: null });
    expect(readPoliticalStatus('共青团员（入党积极分子）')).toEqual({
      status: 'CYL_MEMBER',
      stage: 'ACTIVIST',
      unknown: null,
    });
    expect(readPoliticalStatus('团员/发展对象')).toEqual({ status: 'CYL_MEMBER', stage: 'CANDIDATE', unknown: null });
  });

  it('names the part it cannot read', () => {
    expect(readPoliticalStatus('党外人士')).toEqual({ status: undefined, stage: undefined, unknown: '党外人士' });
    expect(readPoliticalStatus('团员（学生干部）').unknown).toBe('学生干部');
    expect(readPoliticalStatus('党员、团员').unknown).toBe('团员');
  });

  it('labels the 13 statuses by the standard, each reading back', () => {
    expect(Object.keys(POLITICAL_STATUS_LABELS.zh)).toHaveLength(13);
    for (const locale of ['zh', 'en'] as const) {
      for (const [status, label] of Object.entries(POLITICAL_STATUS_LABELS[locale])) {
        expect(readPoliticalStatus(label).status, label).toBe(status);
      }
    }
  });
});

describe('settleStage', () => {
  const masses = { politicalStatus: 'MASSES', partyStage: 'ACTIVIST' } as const;
  it('ends the stage when someone joins the party, refuses a stage for a party member', () => {
    expect(settleStage(masses, { politicalStatus: 'CPC_PROBATIONARY_MEMBER' })).toBeNull();
    expect(settleStage(masses, { politicalStatus: 'CYL_MEMBER' })).toBeUndefined();
    expect(settleStage(masses, { partyStage: 'CANDIDATE' })).toBe('CANDIDATE');
    expect(settleStage(masses, { politicalStatus: 'CPC_MEMBER', partyStage: 'ACTIVIST' })).toBe('NOT_ALLOWED');
    expect(settleStage({ politicalStatus: 'CPC_MEMBER', partyStage: null }, { partyStage: 'ACTIVIST' })).toBe(
      'NOT_ALLOWED',
    );
  });
});

describe('parseJoinDate', () => {
  it.each([
    ['2018-04-16', '2018-04-16'],
    ['2018/4/16', '2018-04-16'],
    ['2018.4.16', '2018-04-16'],
    ['2018年4月16日', '2018-04-16'],
    ['２０１８年４月１６日', '2018-04-16'],
    ['2018-04-16 00:00:00', '2018-04-16'],
    ['20180416', '2018-04-16'],
    ['201804', '2018-04-01'],
    ['2018年4月', '2018-04-01'],
    ['2018-4', '2018-04-01'],
    ['43206', '2018-04-16'],
    ['43159', '2018-02-28'],
    ['43160', '2018-03-01'],
  ])('reads %j as %s', (text, date) => {
    expect(parseJoinDate(text)).toBe(date);
  });

  it.each(['', '2018', '2018-02-30', '2018-13-01', '16/04/2018', '去年', '201813', '1899-12-31'])(
    'reads %j as no date',
    (text) => {
      expect(parseJoinDate(text)).toBeUndefined();
    },
  );
});
