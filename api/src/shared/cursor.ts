/**
 * Opaque pagination cursors: the sort key of the last row shown, as
 * base64url JSON. A cursor that does not decode to the expected shape is a
 * VALIDATION error, never a database error.
 */
import { AppError } from './errors.ts';

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Decodes a cursor whose parts have the given types; the last part is always a row id (uuid). */
export function decodeCursor<const Kinds extends readonly ('string' | 'number')[]>(
  text: string,
  kinds: Kinds,
): { [Index in keyof Kinds]: Kinds[Index] extends 'number' ? number : string } {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  const valid =
    Array.isArray(parts) &&
    parts.length === kinds.length &&
    parts.every((part, index) => typeof part === kinds[index]) &&
    UUID.test(String(parts.at(-1)));
  if (!valid) throw new AppError('VALIDATION', 'The cursor is not valid.', { fields: { after: 'INVALID_CURSOR' } });
  return parts as { [Index in keyof Kinds]: Kinds[Index] extends 'number' ? number : string };
}

export const MAX_PAGE_SIZE = 100;

export function clampPageSize(first: number): number {
  return Math.min(Math.max(first, 1), MAX_PAGE_SIZE);
}
