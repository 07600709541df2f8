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
