/**
 * Known devices (issue 17): a browser that has signed in to an account keeps
 * a cookie saying so, signed with APP_SECRET. Sign-in throttling lets that
 * device through for that account with a growing delay, so that a stranger's
 * wrong passwords (which count against the login and the address) cannot lock
 * the owner out. The cookie proves nothing else: it is no password and no session.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a device stays known after its last sign-in. */
export const KNOWN_DEVICE_DAYS = 365;

export function knownDeviceCookieName(secure: boolean): string {
  return secure ? '__Host-qicai_device' : 'qicai_device';
}

function signature(secret: string, deviceId: string, accountId: string): string {
  return createHmac('sha256', `qicai-known-device:${secret}`).update(`${deviceId}.${accountId}`).digest('base64url');
}

/** The cookie's value for a device (a new one if `deviceId` is not given) known to `accountId`. */
export function knownDeviceToken(secret: string, accountId: string, deviceId = randomBytes(16).toString('base64url')) {
  return `${deviceId}.${accountId}.${signature(secret, deviceId, accountId)}`;
}

/** The device and the account a cookie's value names, if APP_SECRET signed it. */
export function readKnownDevice(
  secret: string,
  token: string | null | undefined,
): { deviceId: string; accountId: string } | null {
  const [deviceId, accountId, given, ...rest] = token?.split('.') ?? [];
  if (!deviceId || !accountId || !given || rest.length > 0) return null;
  const expected = Buffer.from(signature(secret, deviceId, accountId));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? { deviceId, accountId } : null;
}

/** The wait after a known device's `failures` wrong passwords: 1 s, 2 s, 4 s … at most 5 minutes. */
export function knownDeviceDelayMs(failures: number): number {
  return failures === 0 ? 0 : Math.min(2 ** (failures - 1), 300) * 1000;
}
