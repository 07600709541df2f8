/**
 * Coded errors. Every error a client sees carries `extensions.code`; the web
 * app maps codes (and the per-field codes of VALIDATION) to messages in both
 * languages. Anything else becomes INTERNAL and is logged, never shown.
 */
import { databaseFailure } from '@qicai/db';
import mercurius from 'mercurius';
import type { ErrorCode } from '../kernel/error-codes.ts';

export type { ErrorCode };

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

export const unavailable = () =>
  new AppError('UNAVAILABLE', 'The service is unavailable for a moment; try again shortly.');

/** What a client is told of an error: never SQL, parameters, stack traces, file paths or driver messages. */
export interface ClientError {
  /** The HTTP status for a response that is only this error (routes beside GraphQL, failed requests). */
  statusCode: number;
  message: string;
  extensions: Record<string, unknown> & { code: ErrorCode };
  /** True for a fault of the server (log it as an error); false for the client's (log it quietly). */
  serverFault: boolean;
}

const STATUS_OF_CODE: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  WRONG_ORGANIZATION: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

function fromAppError(error: AppError): ClientError {
  const statusCode = STATUS_OF_CODE[error.code] ?? (error.code === 'VALIDATION' ? 400 : 409);
  return {
    statusCode,
    message: error.message,
    extensions: { ...(error.extensions as Record<string, unknown>), code: error.code },
    serverFault: statusCode >= 500,
  };
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  return typeof error.statusCode === 'number' ? error.statusCode : undefined;
}

/**
 * The one classification of errors for clients, used by the GraphQL error
 * formatter and Fastify's error handler alike: coded errors as they are;
 * database errors that are the input's fault as NOT_FOUND (a malformed id
 * names nothing) or VALIDATION; an unreachable database as UNAVAILABLE; HTTP
 * errors (oversized body, rate limit, malformed body) by their status; the
 * rest INTERNAL.
 */
export function toClientError(error: unknown): ClientError {
  if (error instanceof AppError) return fromAppError(error);
  switch (databaseFailure(error)) {
    case 'invalid-id':
      return fromAppError(new AppError('NOT_FOUND', 'Not found.'));
    case 'invalid-value':
      return fromAppError(new AppError('VALIDATION', 'A value is out of range or not allowed.', { fields: {} }));
    case 'unavailable':
      return fromAppError(unavailable());
    case undefined:
      break;
  }
  const status = httpStatusOf(error);
  if (status === 413) return fromAppError(new AppError('PAYLOAD_TOO_LARGE', 'The request is too large.'));
  if (status === 429) return fromAppError(new AppError('RATE_LIMITED', 'Too many requests; try again later.'));
  if (status === 404) return fromAppError(new AppError('NOT_FOUND', 'Not found.'));
  if (status === 408 || status === 503) return fromAppError(unavailable());
  if (status !== undefined && status >= 400 && status < 500) {
    return { ...fromAppError(new AppError('BAD_REQUEST', 'The request is malformed.')), statusCode: status };
  }
  return fromAppError(new AppError('INTERNAL', 'Internal server error.'));
}
