/**
 * The worker pool (plugins/workers.ts): CPU-heavy work runs off the event
 * loop, so a slow certificate render does not hold up other requests; its
 * threads start however the API runs (vitest here, the tsx CLI below), end
 * when idle, and can be cancelled; a roster file's refusal comes back coded.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerPool } from '../src/plugins/workers.ts';
import { RosterFileError } from '../src/modules/members/roster-file.ts';
import { AppError } from '../src/shared/errors.ts';
import { activityOrganization, type ActivityOrganization } from './activities-seed.ts';
import { CERTIFICATE_FILE, ISSUE_CERTIFICATE, serviceRecord } from './certificates-seed.ts';
import { expectNoErrors, TestApp } from './helper.ts';
import { testClock } from './clock.ts';

const year = testClock.now().getUTCFullYear() - 1;

describe('a certificate rendering in a worker thread', () => {
  let testApp: TestApp;
  let org: ActivityOrganization;

  beforeAll(async () => {
    // One thread: the render has it to itself, the event loop stays free.
    testApp = await TestApp.start({ WORKER_THREADS: '1' });
    org = await activityOrganization(testApp, 1);
    const member = org.members[0];
    if (!member) throw new Error('no member');
    for (let month = 1; month <= 12; month++) {
      await serviceRecord(testApp, org.orgId, {
        memberId: member.memberId,
        teamId: org.teams['RED'],
        date: `${year}-${String(month).padStart(2, '0')}-15`,
        minutes: 120 + month,
        activityName: `关爱留守儿童（第${month}期）`,
      });
    }
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('does not stall a simple query sent while it renders', async () => {
    const member = org.members[0]?.client;
    if (!member) throw new Error('no member');
    const issued = await member.gql<{ issueCertificate: { number: string } }>(ISSUE_CERTIFICATE, {
      input: { from: `${year}-01-01`, to: `${year}-12-31` },
    });
    expectNoErrors(issued);
    const events: string[] = [];
    // The thread's first render also reads and parses the CJK fonts (16 MB): the slowest there is.
    const pdf = member
      .gql<{ certificateFile: { base64: string } }>(CERTIFICATE_FILE, { number: issued.data?.issueCertificate.number })
      .then((result) => {
        events.push('pdf');
        return result;
      });
    const { workers } = testApp.app;
    while (workers.pending === 0 && events.length === 0) await new Promise((resolve) => setImmediate(resolve));
    // From here the render is in the worker: queries sent now are answered while it runs.
    let answeredDuringRender = 0;
    while (!events.includes('pdf')) {
      const simple = await member.gql<{ organization: { name: string } }>(`{ organization { name } }`);
      expectNoErrors(simple);
      if (!events.includes('pdf')) {
        events.push('query');
        answeredDuringRender++;
      }
    }
    const file = Buffer.from((await pdf).data?.certificateFile.base64 ?? '', 'base64');
    expect(file.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(events.indexOf('query')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('query')).toBeLessThan(events.indexOf('pdf'));
    expect(answeredDuringRender).toBeGreaterThan(0);
  });
});

describe('the worker pool', () => {
  it('ends idle threads, and cancels a task whose request was abandoned', async () => {
    const { pool, close } = createWorkerPool({ threads: 2, idleMs: 50 });
    try {
      expect(await pool.run('spin', { milliseconds: 5 })).toBeGreaterThan(0);
      expect(pool.threads).toBeGreaterThan(0);
      // Idle, the thread ends, and its memory with it.
      while (pool.threads > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(pool.threads).toBe(0);

      const abandoned = new AbortController();
      const running = pool.run('spin', { milliseconds: 600_000 }, abandoned.signal);
      while (pool.threads === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      abandoned.abort();
      const error = await running.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('UNAVAILABLE');
      // The pool goes on.
      expect(await pool.run('spin', { milliseconds: 1 })).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });

  it('gives a roster file’s refusal back as the coded error it is', async () => {
    const { pool, close } = createWorkerPool({ threads: 1, idleMs: 600_000 });
    try {
      const header = Buffer.from('序号,单位\r\n1,县委组织部\r\n', 'utf8');
      const error = await pool.run('readRoster', { bytes: header, maxRows: 10 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RosterFileError);
      expect(error).toMatchObject({ code: 'MISSING_COLUMNS', missing: ['name', 'phone'] });
      // A roster file's thread ends as soon as it is done: the memory of a county parse goes before the apply.
      while (pool.threads > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(pool.threads).toBe(0);
    } finally {
      await close();
    }
  });

  it('starts its threads under the tsx CLI, as pnpm start and serve run the API', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const { stdout } = await promisify(execFile)(
      `${root}node_modules/.bin/tsx`,
      [fileURLToPath(new URL('fixtures/worker-under-tsx.ts', import.meta.url))],
      { cwd: root },
    );
    expect(JSON.parse(stdout.trim()) as unknown).toEqual({ buffer: true, zip: 'PK' });
  });
});
