import { notFound } from '../../shared/errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** An id from a client: one that cannot exist is NOT_FOUND, like one of another organization (never a database error). */
export function requireId(value: string, what: string): string {
  if (!isUuid(value)) throw notFound(what);
  return value;
}
