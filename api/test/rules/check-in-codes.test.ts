/** The check-in code on the lead's phone: its derivation, its steps, and what a member may type. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkInCodeFor,
  CODE_STEP_SECONDS,
  CODE_VALID_STEPS,
  codeStep,
  currentCheckInCode,
  normalizeCode,
  verifyCheckInCode,
} from '../../src/modules/activities/check-in-codes.ts';

const SECRET = 'test-app-secret-岳阳-0123456789abcdef';
const ORG = '0b7e1c52-6a3e-4d21-9a57-3f1c2d4e5f60';
const ACTIVITY = '6f2d0c1a-9b8e-4f7d-8c6b-5a4e3d2c1b0a';
/** Saturday 5 December 2026, 09:00 in 岳阳 (01:00 UTC): a step boundary. */
const NOW = new Date('2026-12-05T01:00:00Z');
const STEP = NOW.getTime() / 30_000;

/** The derivation written out independently: the first 40 bits of the MAC, as 8 symbols. */
function expectedCode(secret: string, orgId: string, activityId: string, step: number): string {
  const key = createHmac('sha256', secret).update('qicai:check-in-code:v1').digest();
  const mac = createHmac('sha256', key).update(`${orgId}:${activityId}:${step}`).digest();
  const bits = [...mac.subarray(0, 5)].map((byte) => byte.toString(2).padStart(8, '0')).join('');
  return Array.from({ length: 8 }, (_, index) =>
    '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.charAt(parseInt(bits.slice(index * 5, index * 5 + 5), 2)),
  ).join('');
}

describe('code steps', () => {
  it('changes every 30 seconds', () => {
    expect(CODE_STEP_SECONDS).toBe(30);
    expect(CODE_VALID_STEPS).toBe(3);
    expect(Number.isInteger(STEP)).toBe(true);
    expect(codeStep(NOW)).toBe(STEP);
    expect(codeStep(new Date(NOW.getTime() + 29_999))).toBe(STEP);
    expect(codeStep(new Date(NOW.getTime() + 30_000))).toBe(STEP + 1);
    expect(codeStep(new Date(NOW.getTime() - 1))).toBe(STEP - 1);
  });
});

describe('checkInCodeFor', () => {
  it('is the first 40 bits of the HMAC in Crockford base32', () => {
    for (const step of [STEP, STEP + 1, STEP - 1, 0, 1]) {
      expect(checkInCodeFor(SECRET, ORG, ACTIVITY, step)).toBe(expectedCode(SECRET, ORG, ACTIVITY, step));
    }
    expect(checkInCodeFor('another secret', ORG, ACTIVITY, STEP)).toBe(
      expectedCode('another secret', ORG, ACTIVITY, STEP),
    );
  });

  it('is eight typeable characters, bound to the secret, organization, activity and step', () => {
    const code = checkInCodeFor(SECRET, ORG, ACTIVITY, STEP);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(checkInCodeFor(SECRET, ORG, ACTIVITY, STEP)).toBe(code);
    expect(checkInCodeFor('another secret', ORG, ACTIVITY, STEP)).not.toBe(code);
    expect(checkInCodeFor(SECRET, ACTIVITY, ACTIVITY, STEP)).not.toBe(code);
    expect(checkInCodeFor(SECRET, ORG, ORG, STEP)).not.toBe(code);
    expect(checkInCodeFor(SECRET, ORG, ACTIVITY, STEP + 1)).not.toBe(code);
  });

  it('spreads over the whole alphabet', () => {
    const symbols = new Set(
      Array.from({ length: 64 }, (_, index) => checkInCodeFor(SECRET, ORG, ACTIVITY, STEP + index)).join(''),
    );
    expect(symbols.size).toBe(32);
  });
});

describe('normalizeCode', () => {
  it('upper-cases, drops spaces and dashes, and reads O as 0 and I, L as 1', () => {
    expect(normalizeCode(' 7kq2-m9xd ')).toBe('7KQ2M9XD');
    expect(normalizeCode('7KQ2\u3000M9XD')).toBe('7KQ2M9XD');
    expect(normalizeCode('oOiIlL-01')).toBe('00111101');
  });
});

describe('verifyCheckInCode', () => {
  const codeAt = (step: number) => checkInCodeFor(SECRET, ORG, ACTIVITY, step);
  const verify = (typed: string, now = NOW) => verifyCheckInCode(SECRET, ORG, ACTIVITY, typed, now);

  it('accepts the current code and the two before it, telling which step', () => {
    expect(verify(codeAt(STEP))).toEqual({ ok: true, step: STEP });
    expect(verify(codeAt(STEP - 1))).toEqual({ ok: true, step: STEP - 1 });
    expect(verify(codeAt(STEP - 2))).toEqual({ ok: true, step: STEP - 2 });
  });

  it('reads a code typed in lower case with a dash', () => {
    const code = codeAt(STEP);
    expect(verify(`${code.slice(0, 4).toLowerCase()}-${code.slice(4).toLowerCase()}`)).toEqual({
      ok: true,
      step: STEP,
    });
  });

  it('calls an older code of this activity expired, for two hours, then invalid', () => {
    expect(verify(codeAt(STEP - 3))).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(verify(codeAt(STEP - 239))).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(verify(codeAt(STEP - 240))).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('refuses a code from the future, another activity, or another secret', () => {
    expect(verify(codeAt(STEP + 1))).toEqual({ ok: false, reason: 'INVALID' });
    expect(verifyCheckInCode(SECRET, ORG, 'another-activity', codeAt(STEP), NOW)).toEqual({
      ok: false,
      reason: 'INVALID',
    });
    expect(verifyCheckInCode('another secret', ORG, ACTIVITY, codeAt(STEP), NOW)).toEqual({
      ok: false,
      reason: 'INVALID',
    });
  });

  it('refuses what is not eight symbols of the alphabet', () => {
    const code = codeAt(STEP);
    expect(verify(code.slice(0, 7))).toEqual({ ok: false, reason: 'INVALID' });
    expect(verify(`${code}A`)).toEqual({ ok: false, reason: 'INVALID' });
    expect(verify(`x${code}`)).toEqual({ ok: false, reason: 'INVALID' });
    expect(verify('UUUUUUUU')).toEqual({ ok: false, reason: 'INVALID' });
    expect(verify('')).toEqual({ ok: false, reason: 'INVALID' });
    expect(verify('00000000')).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('lives from 60 to 90 seconds after it is first shown', () => {
    const shownAt = new Date(NOW.getTime() + 10_000);
    const code = currentCheckInCode(SECRET, ORG, ACTIVITY, shownAt).code;
    expect(verify(code, new Date(NOW.getTime() + 89_999))).toEqual({ ok: true, step: STEP });
    expect(verify(code, new Date(NOW.getTime() + 90_000))).toEqual({ ok: false, reason: 'EXPIRED' });
  });
});

describe('currentCheckInCode', () => {
  it('shows the code of the current step, when the next replaces it and when it expires', () => {
    expect(currentCheckInCode(SECRET, ORG, ACTIVITY, new Date(NOW.getTime() + 12_345))).toEqual({
      code: checkInCodeFor(SECRET, ORG, ACTIVITY, STEP),
      refreshAt: new Date('2026-12-05T01:00:30Z'),
      expiresAt: new Date('2026-12-05T01:01:30Z'),
    });
  });
});
