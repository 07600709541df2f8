/**
 * drizzle wraps driver errors as "Failed query: <sql> params: <values>" with
 * the PostgreSQL error on `cause`. These read the SQLSTATE without ever
 * exposing that message.
 */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';
export const PG_SERIALIZATION_FAILURE = '40001';
export const PG_INSUFFICIENT_PRIVILEGE = '42501';

export interface PgErrorInfo {
  code: string;
  constraint: string | undefined;
}

function readPgError(value: unknown): PgErrorInfo | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code = 'code' in value ? value.code : undefined;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const constraint =
    'constraint_name' in value && typeof value.constraint_name === 'string'
      ? value.constraint_name
      : 'constraint' in value && typeof value.constraint === 'string'
        ? value.constraint
        : undefined;
  return { code, constraint };
}

/** The PostgreSQL error behind an error, if any (looks through drizzle's wrapper). */
export function pgError(error: unknown): PgErrorInfo | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const info = readPgError(current);
    if (info) return info;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

/**
 * What an error says about the input or the server, as a client may be told:
 * `invalid-id` — a value of the wrong form for its column (a malformed uuid:
 * whatever it names does not exist); `invalid-value` — out of range, a NUL
 * byte, too long, not a date; `unavailable` — the server cannot be reached
 * or a statement ran out of time. Undefined: none of these (a bug; log it).
 */
export type DatabaseFailure = 'invalid-id' | 'invalid-value' | 'unavailable';

/** SQLSTATEs of values a client sent that the column cannot take. */
const INVALID_VALUE_STATES = new Set([
  '22003', // numeric_value_out_of_range (e.g. a month of 13000 for a smallint)
  '22021', // character_not_in_repertoire (a NUL byte, 0x00, in text)
  '22001', // string_data_right_truncation
  '22007', // invalid_datetime_format
  '22008', // datetime_field_overflow
  '22023', // invalid_parameter_value
  '22P05', // untranslatable_character
]);

/** postgres.js's own codes (and the sockets') for a connection that failed or went away. */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('code' in value)) return undefined;
  return typeof value.code === 'string' ? value.code : undefined;
}

/** How a database error should reach a client; looks through drizzle's wrapper. Undefined: not one of those. */
export function databaseFailure(error: unknown): DatabaseFailure | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = codeOf(current);
    if (code !== undefined) {
      if (code === '22P02') return 'invalid-id'; // invalid_text_representation: `invalid input syntax for type uuid`
      if (INVALID_VALUE_STATES.has(code)) return 'invalid-value';
      if (CONNECTION_CODES.has(code)) return 'unavailable';
      // Class 08: connection exception; 57P0x: the server is shutting down or starting; 57014: statement
      // timeout (or cancelled); 53300: too many connections; 25P03: idle in transaction timeout.
      if (/^08/.test(code) || /^57P0/.test(code) || ['57014', '53300', '25P03'].includes(code)) return 'unavailable';
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}
