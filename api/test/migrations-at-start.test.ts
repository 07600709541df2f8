/**
 * Several instances starting at once on a fresh database (a deployment
 * rolling out two replicas): one applies the migrations while the other
 * waits on the migration lock, then finds nothing left to do, and both serve.
 */
import { newestMigrationMillis } from '@qicai/db';
import { createTestDatabase, postgresReachable, type TestDatabase } from '@qicai/db/testing';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/build.ts';
import { loadConfig } from '../src/config.ts';
import { testClock } from './clock.ts';

const journal = JSON.parse(
  readFileSync(new URL('../../db/migrations/meta/_journal.json', import.meta.url), 'utf8'),
) as { entries: { tag: string; when: number }[] };

describe.skipIf(!(await postgresReachable()))('migrations when instances start at once', () => {
  let database: TestDatabase | undefined;
  let apps: FastifyInstance[] = [];
  afterEach(async () => {
    for (const app of apps) await app.close();
    apps = [];
    await database?.drop();
  });

  it('applies every migration once, and both instances come up ready', async () => {
    database = await createTestDatabase('postgres');
    const url = database.url ?? '';
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: url,
      DATABASE_MIGRATION_URL: url,
      DATABASE_POOL_SIZE: '3',
    });
    const started = await Promise.allSettled([0, 1, 2].map(() => buildApp({ config, clock: testClock })));
    apps = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(started.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []))).toEqual([]);

    for (const app of apps) {
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.json()).toMatchObject({ ok: true, checks: { migrations: 'ok' } });
    }
    const owner = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const applied = await owner<{ created_at: string }[]>`
        select created_at::text from drizzle.__drizzle_migrations order by id`;
      expect(applied.map((row) => Number(row.created_at))).toEqual(journal.entries.map((entry) => entry.when));
      expect(Math.max(...applied.map((row) => Number(row.created_at)))).toBe(newestMigrationMillis());
    } finally {
      await owner.end();
    }
  }, 120_000);
});
