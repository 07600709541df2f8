/**
 * Coded errors. Every error a client sees carries `extensions.code`; the web
 * app maps codes (and the per-field codes of VALIDATION) to messages in both
 * languages. Anything else becomes INTERNAL and is logged, never shown.
 */
import mercurius from 'mercurius';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'VALIDATION'
  | 'RATE_LIMITED'
  | 'WRONG_ORGANIZATION'
  | 'INTERNAL'
  // Members and roster.
  | 'LAST_ADMIN'
  | 'ALREADY_MEMBER'
  | 'INVITATION_EXPIRED'
  | 'INVITATION_USED'
  | 'ALREADY_DECIDED'
  | 'IMPORT_NOT_READY'
  // Activities: an activity's state forbids the change, sign-ups, check-in.
  | 'INVALID_STATE'
  | 'SIGN_UP_CLOSED'
  | 'ALREADY_SIGNED_UP'
  | 'OVERLAPPING_SIGN_UP'
  | 'MISSING_SKILLS'
  | 'NOT_SIGNED_UP'
  | 'NOT_CONFIRMED'
  | 'OUTSIDE_RADIUS'
  | 'OUTSIDE_WINDOW'
  | 'INVALID_CHECK_IN_CODE'
  | 'CHECK_IN_CODE_EXPIRED'
  | 'CHECK_IN_CODE_USED'
  | 'ALREADY_CHECKED_IN'
  | 'NOT_CHECKED_IN'
  | 'ALREADY_CHECKED_OUT'
  // Sponsorship
  | 'ALREADY_SPONSORED'
  | 'ALREADY_PROPOSED'
  | 'SPONSOR_FULL'
  | 'PREFERENCE_MISMATCH'
  | 'WRONG_STATUS'
  | 'INVITATION_INVALID'
  // Service hours
  | 'OVERLAPPING_RECORD'
  | 'NOT_ATTENDED'
  | 'RECORD_LOCKED'
  | 'CORRECTION_PENDING';

/** A field name → the code of what is wrong with it (e.g. `{ slug: 'TAKEN' }`). */
export type FieldErrors = Record<string, string>;

export class AppError extends mercurius.ErrorWithProps {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { code, ...extensions });
    this.code = code;
  }
}

export const unauthenticated = () => new AppError('UNAUTHENTICATED', 'Sign in first.');
export const forbidden = (message = 'You may not do this.') => new AppError('FORBIDDEN', message);
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found.`);
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError('RATE_LIMITED', 'Too many attempts; try again later.', { retryAfterSeconds });

export class ValidationError extends AppError {
  constructor(readonly fields: FieldErrors) {
    super('VALIDATION', 'Some fields are not valid.', { fields });
  }
}

/** Collects field errors and throws them together, so a form can show all of them at once. */
export class FieldChecker {
  private readonly errors: FieldErrors = {};

  check(condition: boolean, field: string, code: string): this {
    if (!condition && !(field in this.errors)) this.errors[field] = code;
    return this;
  }

  throwIfAny(): void {
    if (Object.keys(this.errors).length > 0) throw new ValidationError(this.errors);
  }
}
