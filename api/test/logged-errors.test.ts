/**
 * The API's log lines stay small when a statement with a huge parameter list
 * fails: drizzle's error holds the whole statement and every parameter (the
 * reports page at county scale failed with 31,000 member ids, and logging
 * those errors under load ran the server out of memory).
 */
import { members, withTenant } from '@qicai/db';
import { createTestDatabase } from '@qicai/db/testing';
import { and, eq, inArray } from 'drizzle-orm';
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../src/build.ts';
import { loadConfig } from '../src/config.ts';

describe('logged errors', () => {
  it('writes a failed statement with 31,172 parameters in a line of a few kilobytes, saying what was left out', async () => {
    const testDatabase = await createTestDatabase();
    const database = await testDatabase.open();
    const ids = Array.from({ length: 31_172 }, () => randomUUID());
    let failure: unknown;
    try {
      await withTenant(database.db, { orgId: randomUUID(), accountId: null }, (tx) =>
        // `in ($2 … $31174)` with one id that is not one: every id is a parameter of the failed statement.
        tx
          .select()
          .from(members)
          .where(and(eq(members.displayName, '王芳'), inArray(members.id, [...ids, '不是编号']))),
      ).then(() => {
        throw new Error('the statement did not fail');
      });
    } catch (error) {
      failure = error;
    } finally {
      await database.close();
      await testDatabase.drop();
    }
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message.length).toBeGreaterThan(1_000_000);

    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = Fastify({ logger: { ...loggerOptions(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' })), stream } });
    app.log.error({ err: failure }, 'error while resolving');
    await app.close();
    const line = lines.find((text) => text.includes('error while resolving')) ?? '';
    const logged = JSON.parse(line) as { err: { type: string; message: string; params?: unknown[] } };
    expect(line.length).toBeLessThan(20_000);
    expect(logged.err.message).toMatch(/^Failed query: select/);
    expect(logged.err.message).toMatch(/more characters\)$/);
    expect(logged.err.params?.at(-1)).toMatch(/^… \(\d+ more\)$/);
  });
});
