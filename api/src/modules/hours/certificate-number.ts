/**
 * Certificate numbers (证明编号): printed on a certificate, typed by whoever
 * checks it, and the only key of the public verification page — so they must
 * be unguessable as well as easy to read out and type.
 *
 * `QC-2026-7KQ2-M9XD-4TPA`: the year of issue, then 12 characters of
 * Crockford's base32 (no I, L, O or U, so nothing reads as another
 * character) drawn from the operating system's CSPRNG: 60 random bits. With
 * a million certificates issued, a guess hits one with odds of about one in
 * 10^12, far beyond what the rate limit lets anyone try. Numbers are unique
 * across every organization (a unique index), because the verification page
 * has no organization to narrow the search by.
 */
import { randomBytes } from 'node:crypto';

/** Crockford's base32 alphabet: digits, then letters without I, L, O and U. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 3;
const GROUP_LENGTH = 4;
const RANDOM_LENGTH = GROUPS * GROUP_LENGTH;

export const CERTIFICATE_NUMBER_PREFIX = 'QC';

/** A fresh certificate number for a certificate issued in `year`. */
/** The printed form: prefix, year, then the symbols in groups (QC-2026-7KQ2-M9XD-4TPA). */
function printedNumber(year: string, symbols: string): string {
  const groups = Array.from({ length: GROUPS }, (_, index) =>
    symbols.slice(index * GROUP_LENGTH, (index + 1) * GROUP_LENGTH),
  );
  return [CERTIFICATE_NUMBER_PREFIX, year, ...groups].join('-');
}

export function newCertificateNumber(year: number, random: (size: number) => Uint8Array = randomBytes): string {
  // 32 symbols divide 256 exactly, so the low five bits of a random byte are uniform.
  const symbols = Array.from(random(RANDOM_LENGTH), (byte) => ALPHABET.charAt(byte & 31)).join('');
  return printedNumber(String(year), symbols);
}

/**
 * A number as someone typed it, in the canonical printed form, or null when
 * it cannot be one. Forgiving the way Crockford's base32 intends: any case,
 * spaces or hyphens anywhere (or none), I and L read as 1, O as 0.
 */
export function normalizeCertificateNumber(typed: string): string | null {
  const compact = typed
    .toUpperCase()
    .replace(/[\s\-‐‑–—_.]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  const match = /^QC(\d{4})([0-9A-HJKMNP-TV-Z]{12})$/.exec(compact);
  // The prefix itself holds no ambiguous letters; a typed "0C" for "QC" is not forgiven.
  if (!match?.[1] || !match[2]) return null;
  const [year, symbols] = [match[1], match[2]];
  return printedNumber(year, symbols);
}
