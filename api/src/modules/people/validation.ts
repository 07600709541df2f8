/** Rules for what people type to identify themselves. */

/** A mainland China mobile number: 11 digits starting 13–19. */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const DISPLAY_NAME_MAX_LENGTH = 60;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}

/**
 * A phone number as people write it: full-width digits (NFKC), spaces of every
 * kind, dashes, dots and brackets dropped, and the country code (+86, 0086, or
 * 86 before a mobile number) removed.
 */
export function normalizePhone(phone: string): string {
  return phone
    .normalize('NFKC')
    .replace(/[\s\-.()\u2010-\u2015]/g, '')
    .replace(/^(?:\+86|0086|86(?=1\d{10}$))/, '');
}

export type Login = { kind: 'email'; email: string } | { kind: 'phone'; phone: string };

/** A sign-in login is an email address if it has an @, else a phone number. */
export function parseLogin(login: string): Login {
  return login.includes('@')
    ? { kind: 'email', email: normalizeEmail(login) }
    : { kind: 'phone', phone: normalizePhone(login) };
}
