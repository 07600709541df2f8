/**
 * The code of every error a client sees (`extensions.code`). The web app has
 * a message for each in both languages (`error.<CODE>`), and the README lists
 * them; the per-field codes of VALIDATION are the fields' own.
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION',
  'RATE_LIMITED',
  'WRONG_ORGANIZATION',
  'INTERNAL',
  // The request as a whole: the database (or the request's deadline) failed it, its body is too large,
  // or it is not a request this server understands.
  'UNAVAILABLE',
  'PAYLOAD_TOO_LARGE',
  'BAD_REQUEST',
  // The operation itself: not valid against the schema, or asking for more work than one request may.
  'GRAPHQL_VALIDATION',
  'QUERY_TOO_COSTLY',
  // Accounts: a one-time code or reset link that is wrong or no longer works; a code or link that could not be sent.
  'INVALID_CODE',
  'DELIVERY_FAILED',
  'INVITATION_NOT_FOR_YOU',
  // Members and roster.
  'LAST_ADMIN',
  'ALREADY_MEMBER',
  'INVITATION_EXPIRED',
  'INVITATION_USED',
  'ALREADY_DECIDED',
  'IMPORT_NOT_READY',
  'IMPORT_STALE',
  // Activities: an activity's state forbids the change, sign-ups, check-in.
  'INVALID_STATE',
  'SIGN_UP_CLOSED',
  'ALREADY_SIGNED_UP',
  'OVERLAPPING_SIGN_UP',
  'MISSING_SKILLS',
  'NOT_SIGNED_UP',
  'NOT_CONFIRMED',
  'OUTSIDE_RADIUS',
  'OUTSIDE_WINDOW',
  'INVALID_CHECK_IN_CODE',
  'CHECK_IN_CODE_EXPIRED',
  'CHECK_IN_CODE_USED',
  'ALREADY_CHECKED_IN',
  'NOT_CHECKED_IN',
  'ALREADY_CHECKED_OUT',
  'CHECK_OUT_WITHOUT_HOURS',
  'NOT_CHECKED_OUT',
  'UNDO_WINDOW_CLOSED',
  'QUEUED_CHECK_IN_STALE',
  // Sponsorship
  'ALREADY_SPONSORED',
  'ALREADY_PROPOSED',
  'SPONSOR_FULL',
  'PREFERENCE_MISMATCH',
  'WRONG_STATUS',
  'INVITATION_INVALID',
  // Service hours
  'OVERLAPPING_RECORD',
  'NOT_ATTENDED',
  'RECORD_LOCKED',
  'CORRECTION_PENDING',
  // Stations: a spot check (随机打卡) is answered once.
  'ALREADY_ANSWERED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
