/**
 * A time budget per request (issue 17): even an allowed operation cannot run
 * for minutes. Each statement of a request's transaction runs under the
 * statement timeout; the request as a whole under its deadline, past which it
 * is answered UNAVAILABLE and its running statement is cancelled, so its
 * transaction rolls back instead of working on unseen. An operation is made
 * slow the way a real one is: its row is locked by another transaction.
 */
import { queryRows, withTenant, type Tx } from '@qicai/db';
import { sql as statement } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, TestApp, type Client } from './helper.ts';
import { LEAKS } from './leaks.ts';

const RENAME = `mutation ($input: UpdateTeamInput!) { updateTeam(input: $input) { id name { zh } } }`;
const TEAM_NAME = `select name_zh from teams where id = $1`;

interface Setup {
  testApp: TestApp;
  admin: Client;
  teamId: string;
  /** The test database as its owner: holds the lock, and looks at pg_stat_activity. */
  owner: postgres.Sql;
}

async function setUp(settings: Record<string, string>): Promise<Setup> {
  const testApp = await TestApp.start(settings);
  if (!testApp.databaseUrl) throw new Error('these tests need PostgreSQL (statement cancellation)');
  const admin = await testApp.signUp();
  await admin.createOrganization();
  const teamId = (await admin.teams())['RED'] ?? '';
  const owner = postgres(testApp.databaseUrl, { max: 2, onnotice: () => {} });
  return { testApp, admin, teamId, owner };
}

/**
 * Runs `rename` while another transaction holds the team's row, then lets
 * the row go: the rename waits on the lock meanwhile, as a statement stuck
 * behind a long write does.
 */
async function whileLocked<T>(setup: Setup, during: () => Promise<T>): Promise<T> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = setup.owner.begin(async (tx) => {
    await tx`select id from teams where id = ${setup.teamId} for update`;
    locked();
    await released;
  });
  await isLocked;
  try {
    return await during();
  } finally {
    release();
    await holder;
  }
}

/** Backends of the test database waiting on a lock (the app's rename, while it is not cancelled). */
async function waitingOnLocks(owner: postgres.Sql): Promise<number> {
  const [row] = await owner<{ waiting: number }[]>`
    select count(*)::int as waiting from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock'`;
  return row?.waiting ?? 0;
}

function rename(setup: Setup, zh: string) {
  return setup.admin.gql(RENAME, { input: { teamId: setup.teamId, name: { zh, en: 'Red Banner' } } });
}

async function teamName(setup: Setup): Promise<string | undefined> {
  const [row] = await setup.owner.unsafe<{ name_zh: string }[]>(TEAM_NAME, [setup.teamId]);
  return row?.name_zh;
}

describe('the statement timeout of a request', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp({ DATABASE_STATEMENT_TIMEOUT_SECONDS: '0.5' });
  });
  afterAll(async () => {
    await setup.owner.end();
    await setup.testApp.close();
  });

  it('ends a statement stuck past it with UNAVAILABLE, says nothing of SQL, and leaves nothing written', async () => {
    const before = await teamName(setup);
    const started = performance.now();
    const answer = await whileLocked(setup, () => rename(setup, '红色旗帜（改名未成）'));
    const ms = performance.now() - started;
    expect(errorCode(answer)).toBe('UNAVAILABLE');
    expect(JSON.stringify(answer)).not.toMatch(LEAKS);
    expect(ms).toBeGreaterThanOrEqual(500);
    expect(ms).toBeLessThan(10_000);
    expect(await teamName(setup)).toBe(before);
    // Without the lock the same operation goes through: it was the time, not the operation.
    expect(errorCode(await rename(setup, '红色旗帜'))).toBeUndefined();
    expect(await teamName(setup)).toBe('红色旗帜');
  });
});

describe('the deadline of a request', () => {
  let setup: Setup;
  beforeAll(async () => {
    // A statement may run 30 s, the request 1.5 s: the deadline is what ends it.
    setup = await setUp({ DATABASE_STATEMENT_TIMEOUT_SECONDS: '30', REQUEST_DEADLINE_SECONDS: '1.5' });
  });
  afterAll(async () => {
    await setup.owner.end();
    await setup.testApp.close();
  });

  it('answers UNAVAILABLE (503) at the deadline and cancels the statement still running, so nothing is written', async () => {
    const before = await teamName(setup);
    await whileLocked(setup, async () => {
      const started = performance.now();
      const response = await setup.testApp.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: {
          'content-type': 'application/json',
          cookie: setup.admin.cookieHeader(),
          'x-qicai-org': setup.admin.org ?? '',
        },
        payload: {
          query: RENAME,
          variables: { input: { teamId: setup.teamId, name: { zh: '迟到的名字', en: 'Late' } } },
        },
      });
      const ms = performance.now() - started;
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAVAILABLE' } }] });
      expect(response.body).not.toMatch(LEAKS);
      expect(ms).toBeGreaterThanOrEqual(1_500);
      expect(ms).toBeLessThan(10_000);
      // While the lock is still held, the rename no longer waits for it: its statement was cancelled,
      // long before its own 30 s timeout.
      await expect.poll(() => waitingOnLocks(setup.owner), { timeout: 5_000, interval: 50 }).toBe(0);
    });
    // The lock let go, nothing of the late rename is written.
    expect(await teamName(setup)).toBe(before);
    expect(errorCode(await rename(setup, '红色旗帜'))).toBeUndefined();
  });

  it('gives each transaction a statement timeout no longer than what is left of the deadline', async () => {
    const budget = { signal: new AbortController().signal, remainingMs: () => 1_234.9 };
    const read = (tx: Tx) => queryRows<{ statement_timeout: string }>(tx, statement`show statement_timeout`);
    const db = setup.testApp.database.db;
    expect(await withTenant(db, { orgId: null, accountId: null }, read, budget)).toEqual([
      { statement_timeout: '1234ms' },
    ]);
    // With more time left than a statement may take, the statement timeout.
    const plenty = { ...budget, remainingMs: () => 120_000 };
    expect(await withTenant(db, { orgId: null, accountId: null }, read, plenty)).toEqual([
      { statement_timeout: '30s' },
    ]);
  });

  it('cancels the statement a transaction is running when the deadline passes, whatever time it had left', async () => {
    // Begun with a minute left (its statement timeout 30 s), its deadline brought forward while it sleeps.
    const controller = new AbortController();
    const budget = { signal: controller.signal, remainingMs: () => 60_000 };
    const started = performance.now();
    const sleeping = withTenant(
      setup.testApp.database.db,
      { orgId: null, accountId: null },
      (tx) => tx.execute(statement`select pg_sleep(20)`),
      budget,
    );
    setTimeout(() => {
      controller.abort(new Error('out of time'));
    }, 300);
    await expect(sleeping).rejects.toThrow('out of time');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('begins no transaction once the deadline has passed', async () => {
    const controller = new AbortController();
    controller.abort(new Error('out of time'));
    let ran = false;
    const work = () => {
      ran = true;
      return Promise.resolve();
    };
    const budget = { signal: controller.signal, remainingMs: () => -1 };
    await expect(withTenant(setup.testApp.database.db, { orgId: null, accountId: null }, work, budget)).rejects.toThrow(
      'out of time',
    );
    expect(ran).toBe(false);
  });
});
