/** What people type to identify themselves: phones in every form a roster holds, emails, logins. */
import { describe, expect, it } from 'vitest';
import {
  DISPLAY_NAME_MAX_LENGTH,
  isEmail,
  MAINLAND_MOBILE,
  normalizeEmail,
  normalizePhone,
  parseLogin,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from '../../src/modules/people/validation.ts';

describe('normalizePhone', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['86 138-0013-8000', '13800138000'],
    ['008613800138000', '13800138000'],
    ['0086-138-0013-8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138\u30000013\u30008000', '13800138000'],
    ['\u3000138 0013 8000\u3000', '13800138000'],
    ['138\t0013\u00a08000', '13800138000'],
    ['138.0013.8000', '13800138000'],
    ['(+86) 138 0013 8000', '13800138000'],
    ['+86(138)00138000', '13800138000'],
    ['138\u20100013\u20118000', '13800138000'],
    ['138\u20130013\u20148000', '13800138000'],
    ['138\u20150013\u20128000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['＋８６　１３８－００１３－８０００', '13800138000'],
    ['(0730) 8221234', '07308221234'],
  ])('reads %j as %s', (typed, phone) => {
    expect(normalizePhone(typed)).toBe(phone);
  });

  it('removes a bare 86 only before an 11-digit mobile number', () => {
    // 86 then a mobile number: the country code.
    expect(normalizePhone('8615907301234')).toBe('15907301234');
    // Too short to be 86 + a mobile number: kept as typed.
    expect(normalizePhone('861590730123')).toBe('861590730123');
    // Too long: kept.
    expect(normalizePhone('86159073012345')).toBe('86159073012345');
    // 86 followed by something other than a mobile number: kept.
    expect(normalizePhone('8605907301234')).toBe('8605907301234');
    // Only at the start.
    expect(normalizePhone('1398613800138')).toBe('1398613800138');
    // +86 and 0086 are removed whatever follows.
    expect(normalizePhone('+86730822')).toBe('730822');
    expect(normalizePhone('0086730822')).toBe('730822');
    expect(normalizePhone('130086')).toBe('130086');
  });

  it('keeps what is not a separator', () => {
    expect(normalizePhone('138/0013/8000')).toBe('138/0013/8000');
    expect(normalizePhone('tel:13800138000')).toBe('tel:13800138000');
  });
});

describe('MAINLAND_MOBILE', () => {
  it('is eleven digits starting 13 to 19', () => {
    expect(MAINLAND_MOBILE.test('13800138000')).toBe(true);
    expect(MAINLAND_MOBILE.test('19973001234')).toBe(true);
    expect(MAINLAND_MOBILE.test('12800138000')).toBe(false);
    expect(MAINLAND_MOBILE.test('1380013800')).toBe(false);
    expect(MAINLAND_MOBILE.test('138001380001')).toBe(false);
    expect(MAINLAND_MOBILE.test('x13800138000')).toBe(false);
  });
});

describe('emails', () => {
  it('normalizes by trimming and lower-casing', () => {
    expect(normalizeEmail('  Li.Na@YueYang.GOV.cn \u3000')).toBe('li.na@yueyang.gov.cn');
  });

  it('accepts an address with a dotted domain, up to 254 characters', () => {
    expect(isEmail('lina@yyx.gov.cn')).toBe(true);
    expect(isEmail('志愿者@七彩.中国')).toBe(true);
    const long = `${'a'.repeat(64)}@${'b'.repeat(185)}.com`;
    expect(long).toHaveLength(254);
    expect(isEmail(long)).toBe(true);
    expect(isEmail(`a${long}`)).toBe(false);
  });

  it('refuses what is not one', () => {
    expect(isEmail('lina@localhost')).toBe(false);
    expect(isEmail('lina.yyx.gov.cn')).toBe(false);
    expect(isEmail('li na@yyx.gov.cn')).toBe(false);
    expect(isEmail('lina@yyx gov.cn')).toBe(false);
    expect(isEmail('@yyx.gov.cn')).toBe(false);
    expect(isEmail('lina@@yyx.gov.cn')).toBe(false);
    expect(isEmail('lina@yyx.')).toBe(false);
    expect(isEmail(' lina@yyx.gov.cn')).toBe(false);
    expect(isEmail('lina@yyx.gov.cn ')).toBe(false);
    expect(isEmail('')).toBe(false);
  });
});

describe('parseLogin', () => {
  it('reads a login with an @ as an email, normalized', () => {
    expect(parseLogin(' ZhangSan@Example.COM ')).toEqual({ kind: 'email', email: 'zhangsan@example.com' });
  });

  it('reads any other login as a phone number, normalized', () => {
    expect(parseLogin('+86 139-7300-1234')).toEqual({ kind: 'phone', phone: '13973001234' });
    expect(parseLogin('１３９７３００１２３４')).toEqual({ kind: 'phone', phone: '13973001234' });
  });
});

describe('limits', () => {
  it('sets the password and name lengths', () => {
    expect([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, DISPLAY_NAME_MAX_LENGTH]).toEqual([8, 128, 60]);
  });
});
