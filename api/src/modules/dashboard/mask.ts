/**
 * Names on the big screen are masked: the screen hangs where the public
 * sees it. A Chinese name keeps its first and last character (张三明 → 张*明,
 * 张三 → 张*, 欧阳明华 → 欧**华), the way names are masked on public notices
 * in China; a name in Latin letters keeps the initial of each word and only
 * the first word's length (John Smith → J*** S.).
 */

const HAN = /\p{Script=Han}/u;
/** A long first word's length says little; more stars only widen the line. */
const MAX_STARS = 4;

function stars(count: number): string {
  return '*'.repeat(Math.max(1, Math.min(count, MAX_STARS)));
}

function maskWord(word: string): string {
  const letters = Array.from(word);
  // Stryker disable next-line StringLiteral: unreachable default (a word is never empty here), there for the type checker
  const [first = ''] = letters;
  if (letters.length <= 2) return `${first}*`;
  // Stryker disable next-line StringLiteral: unreachable default (a word is never empty here), there for the type checker
  return `${first}${stars(letters.length - 2)}${letters[letters.length - 1] ?? ''}`;
}

export function maskName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  // Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut; without it an empty name still masks as '*'
  if (trimmed === '') return '*';
  if (HAN.test(trimmed)) return maskWord(trimmed.replace(/ /g, ''));
  const words = trimmed.split(' ');
  // Stryker disable next-line StringLiteral: unreachable default (split always gives one word), there for the type checker
  const [first = '', ...rest] = words;
  if (rest.length === 0) return maskWord(first);
  const firstLetters = Array.from(first);
  // Stryker disable StringLiteral: unreachable defaults (words are never empty here), there for the type checker
  const head = `${firstLetters[0] ?? ''}${stars(firstLetters.length - 1)}`;
  return [head, ...rest.map((word) => `${Array.from(word)[0] ?? ''}.`)].join(' ');
  // Stryker restore StringLiteral
}
