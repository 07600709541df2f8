/**
 * Tracking codes (查询码): what a requester keeps to check a request's status
 * without signing in. Ten characters of Crockford's base32 — 50 random bits,
 * so not guessable within any rate limit — shown as two groups of five.
 * Crockford's alphabet leaves out I, L, O and U; a typed I or L reads as 1
 * and O as 0, so a code read over the phone still works.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 10;
/** Ten characters of the alphabet above. */
const CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{10}$/;

export function newTrackingCode(): string {
  // 256 is a multiple of 32: each byte's low five bits are uniform.
  return [...randomBytes(LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
}

/** The stored form of a typed code, or null if it cannot be one. */
export function normalizeTrackingCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return CODE_PATTERN.test(code) ? code : null;
}

/** As people read and type it: `K7M2Q-9XD3F`. */
export function formatTrackingCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}
