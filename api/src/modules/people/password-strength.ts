/**
 * How strong a new password must be (issue 17): measured with zxcvbn-ts,
 * which estimates how many guesses an attacker needs, knowing common
 * passwords, words, keyboard patterns, dates and repeats, and the account's
 * own details.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

/**
 * zxcvbn's score 3 of 0–4: "safely unguessable", about 10^8 guesses or more.
 * Refused below it: `12345678`, `password`, `qwertyuiop`, `P@ssw0rd!`, eight spaces.
 */
export const MIN_PASSWORD_SCORE = 3;

/**
 * zxcvbn-ts has no Chinese dictionary: the passwords Chinese sites' leaks show
 * most, pinyin and number puns (5201314: 我爱你一生一世), so that they score as
 * the common passwords they are.
 */
const CHINESE_COMMON_PASSWORDS = [
  'woaini',
  'woaini1314',
  'woaini520',
  'woaini521',
  'aini1314',
  '5201314',
  '1314520',
  '520520',
  '521521',
  'iloveyou1314',
  'qq123456',
  'qq5201314',
  'a123456',
  '123456a',
  'a123456789',
  'abc123456',
  '1qaz2wsx',
  'zxcvbnm123',
  'woaiwojia',
  'wodemima',
  'mima123456',
  'zhongguo',
  'beijing2008',
  'nihao123',
  'xiaoming',
  'zhangwei',
  'wangwei',
  'lilei',
  'qicai',
  'qicaizhiguang',
  'zhiyuanzhe',
];

let factory: ZxcvbnFactory | undefined;

/** Built on first use: the dictionaries take a moment and some memory. */
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...commonDictionary, ...englishDictionary, chinese: CHINESE_COMMON_PASSWORDS },
    graphs: adjacencyGraphs,
    translations,
  });
  return factory;
}

/** What the account is known by, which its password must not contain. */
export interface PersonalData {
  phone: string | null;
  email: string | null;
  displayName: string;
}

/** Lower case, without the spaces, dashes, dots and underscores people put between parts. */
const squeezed = (text: string) => text.toLowerCase().replace(/[\s._-]+/g, '');

/** The parts of the account's details a password is checked for: each at least a few characters long. */
function personalParts({ phone, email, displayName }: PersonalData): string[] {
  const parts = [squeezed(displayName)];
  if (phone) parts.push(phone, phone.slice(-8));
  if (email) parts.push(squeezed(email.split('@')[0] ?? ''));
  return parts.filter((part) => part.length >= 2 && (part.length >= 3 || /\P{ASCII}/u.test(part)));
}

/**
 * Why a new password is refused, as a field code: PASSWORD_HAS_PERSONAL_DATA
 * (it contains the account's phone number, the local part of its email or its
 * name), WEAK_PASSWORD (zxcvbn scores it below MIN_PASSWORD_SCORE), or null.
 */
export function passwordProblem(
  password: string,
  personal: PersonalData,
): 'PASSWORD_HAS_PERSONAL_DATA' | 'WEAK_PASSWORD' | null {
  const parts = personalParts(personal);
  const plain = squeezed(password);
  if (parts.some((part) => plain.includes(part))) return 'PASSWORD_HAS_PERSONAL_DATA';
  return zxcvbn().check(password, parts).score < MIN_PASSWORD_SCORE ? 'WEAK_PASSWORD' : null;
}
