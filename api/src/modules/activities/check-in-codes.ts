/**
 * The QR fallback for check-in where GPS is poor: the lead's phone shows a
 * code that changes every 30 seconds, a MAC (HMAC-SHA256 under APP_SECRET) of
 * the organization, the activity and the time step. It is short enough to
 * type (8 characters), bound to one activity, valid for a few steps, and a
 * member may use a given code once (the use is recorded, so a replay fails).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const CODE_STEP_SECONDS = 30;
/** A code is accepted in its own step and the next two: it lives between 60 and 90 seconds. */
export const CODE_VALID_STEPS = 3;
/** Older codes than this are not even told apart from wrong ones. */
const EXPIRED_LOOKBACK_STEPS = 2 * 60 * 2;

/** Crockford's base32 without I, L, O, U: nothing to misread when typing it. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function codeStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / CODE_STEP_SECONDS);
}

const keys = new Map<string, Buffer>();

/** A key for check-in codes only, derived from APP_SECRET. */
function codeKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = createHmac('sha256', secret).update('qicai:check-in-code:v1').digest();
    keys.set(secret, key);
  }
  return key;
}

/** The code for one activity and time step: 8 characters, 40 bits of the MAC. */
export function checkInCodeFor(secret: string, orgId: string, activityId: string, step: number): string {
  const mac = createHmac('sha256', codeKey(secret)).update(`${orgId}:${activityId}:${step}`).digest();
  let bits = 0;
  let value = 0;
  let code = '';
  for (const byte of mac) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && code.length < 8) {
      code += ALPHABET.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
    if (code.length === 8) break;
  }
  return code;
}

/** Upper case, spaces and dashes dropped, and the letters people type for digits mapped back. */
export function normalizeCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export type CodeCheck = { ok: true; step: number } | { ok: false; reason: 'INVALID' | 'EXPIRED' };

function same(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Whether `typed` is this activity's code now, an expired one of it, or neither. */
export function verifyCheckInCode(
  secret: string,
  orgId: string,
  activityId: string,
  typed: string,
  now: Date,
): CodeCheck {
  const code = normalizeCode(typed);
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(code)) return { ok: false, reason: 'INVALID' };
  const current = codeStep(now);
  for (let step = current; step > current - CODE_VALID_STEPS; step--) {
    if (same(checkInCodeFor(secret, orgId, activityId, step), code)) return { ok: true, step };
  }
  for (let step = current - CODE_VALID_STEPS; step > current - EXPIRED_LOOKBACK_STEPS; step--) {
    if (same(checkInCodeFor(secret, orgId, activityId, step), code)) return { ok: false, reason: 'EXPIRED' };
  }
  return { ok: false, reason: 'INVALID' };
}

/** The code to show now, and when the next one replaces it. */
export function currentCheckInCode(secret: string, orgId: string, activityId: string, now: Date) {
  const step = codeStep(now);
  return {
    code: checkInCodeFor(secret, orgId, activityId, step),
    refreshAt: new Date((step + 1) * CODE_STEP_SECONDS * 1000),
    expiresAt: new Date((step + CODE_VALID_STEPS) * CODE_STEP_SECONDS * 1000),
  };
}
