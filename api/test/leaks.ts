/** Whether an answer to a client leaks what only the log may hold. */
import { expect } from 'vitest';

/** What must never reach a client: SQL, drizzle's wrapper, PostgreSQL's and the driver's messages, stacks, paths. */
export const LEAKS =
  /Failed query|params:|\bselect\b.*\bfrom\b|\binsert into\b|\bupdate\b.*\bset\b|invalid input syntax|out of range for type|invalid byte sequence|0x00|\bat .+:\d+:\d+|node_modules|\/work\/|\.ts\b|CONNECTION_|ECONN/i;

export function expectNoLeak(body: string): void {
  expect(body).not.toMatch(LEAKS);
}
