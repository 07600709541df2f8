/**
 * Two API instances behind Debian's PgBouncer (1.18) in transaction mode, with
 * no special settings beyond DATABASE_PREPARED_STATEMENTS=0, sharing Redis,
 * over real HTTP: capacity holds under 200 concurrent sign-ups spread across
 * both, and a check-in through one reaches a big screen on the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, chmodSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activities, withTenant } from '@qicai/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activityOrganization,
  CHECK_IN,
  createActivity,
  localIn,
  northOfSite,
  SIGN_UP,
  type ActivityOrganization,
} from './activities-seed.ts';
import { minutesFromNow } from './clock.ts';
import { TestApp, type Client, type GraphQLResponse } from './helper.ts';
import { listen, REDIS_URL, redisReachable, subscribeToBoard } from './live.ts';

const PGBOUNCER = '/usr/sbin/pgbouncer';
const ready = existsSync(PGBOUNCER) && (await redisReachable(REDIS_URL));
if (!ready && !process.env['CI'])
  console.warn(
    `\n  SKIPPED: the PgBouncer tests need ${PGBOUNCER} (apt-get install pgbouncer) and Redis. CI fails here.\n`,
  );

/** Starts PgBouncer in transaction mode in front of the local server; its port. */
async function startPgBouncer(directory: string): Promise<{ port: number; process: ChildProcess }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const ini = join(directory, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      '* = host=127.0.0.1 port=5432 user=postgres',
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'auth_type = any',
      'pool_mode = transaction',
      'max_client_conn = 400',
      'default_pool_size = 20',
      `logfile = ${join(directory, 'pgbouncer.log')}`,
      `pidfile = ${join(directory, 'pgbouncer.pid')}`,
      `unix_socket_dir = ${directory}`,
    ].join('\n'),
  );
  // PgBouncer will not run as root: as the postgres user then.
  const asRoot = process.getuid?.() === 0;
  const child = asRoot
    ? spawn('runuser', ['-u', 'postgres', '--', PGBOUNCER, ini], { stdio: 'ignore' })
    : spawn(PGBOUNCER, [ini], { stdio: 'ignore' });
  for (let attempt = 0; attempt < 200; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => {
        resolve(false);
      });
    });
    if (open) return { port, process: child };
    if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${String(child.exitCode)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('pgbouncer did not start');
}

async function post<Data>(base: string, client: Client, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: client.cookieHeader(), 'x-qicai-org': client.org ?? '' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<Data>;
}

describe.skipIf(!ready && !process.env['CI'])('two instances through PgBouncer in transaction mode', () => {
  let direct: TestApp;
  let instances: TestApp[] = [];
  let bases: string[] = [];
  let pgbouncer: ChildProcess | undefined;
  let directory = '';
  let org: ActivityOrganization;
  let volunteers: Client[] = [];

  beforeAll(async () => {
    direct = await TestApp.start();
    if (!direct.databaseUrl) throw new Error('the PgBouncer tests need PostgreSQL');
    directory = mkdtempSync(join(tmpdir(), 'qicai-pgbouncer-'));
    chmodSync(directory, 0o777);
    const started = await startPgBouncer(directory);
    pgbouncer = started.process;
    const pooled = new URL(direct.databaseUrl);
    pooled.port = String(started.port);
    const settings = { REDIS_URL, DATABASE_PREPARED_STATEMENTS: '0', DATABASE_POOL_SIZE: '8' };
    instances = [
      await direct.siblingThrough(pooled.toString(), settings),
      await direct.siblingThrough(pooled.toString(), settings),
    ];
    bases = [];
    for (const instance of instances) bases.push((await listen(instance)).replace('ws:', 'http:'));
    org = await activityOrganization(direct, 1);
    volunteers = [];
    for (let i = 0; i < 200; i++) {
      const client = (await direct.signUp()).in(org.slug);
      await direct.addMember(org.orgId, client);
      volunteers.push(client);
    }
  }, 300_000);
  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await direct.close();
    pgbouncer?.kill();
    rmSync(directory, { recursive: true, force: true });
  });

  it('gives exactly 50 places to 200 concurrent sign-ups across both instances, the rest waitlisted in turn', async () => {
    const activity = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '', capacity: 50 });
    const results = await Promise.all(
      volunteers.map((client, index) =>
        post<{ signUp: { status: string; waitlistPosition: number | null } }>(bases[index % 2] ?? '', client, SIGN_UP, {
          id: activity.id,
        }),
      ),
    );
    expect(results.filter((result) => result.errors)).toEqual([]);
    const signUps = results.map((result) => result.data?.signUp);
    expect(signUps.filter((signUp) => signUp?.status === 'CONFIRMED')).toHaveLength(50);
    const positions = signUps.flatMap((signUp) => (signUp?.status === 'WAITLISTED' ? [signUp.waitlistPosition] : []));
    expect(positions.sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 150 }, (_, index) => index + 1));
    const [counted] = await withTenant(direct.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx
        .select({ confirmed: activities.confirmedCount, waitlisted: activities.waitlistCount })
        .from(activities)
        .where(and(eq(activities.orgId, org.orgId), eq(activities.id, activity.id))),
    );
    expect(counted).toEqual({ confirmed: 50, waitlisted: 150 });
  });

  it('sends a check-in made through one instance to a big screen on the other', async () => {
    const [first, second] = instances;
    const [member] = org.members;
    if (!first || !second || !member) throw new Error('setup');
    const activity = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      startsAt: localIn(5),
      endsAt: localIn(90),
    });
    expect((await post(bases[0] ?? '', member.client, SIGN_UP, { id: activity.id })).errors).toBeUndefined();
    await withTenant(direct.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx
        .update(activities)
        .set({ startsAt: minutesFromNow(-30) })
        .where(and(eq(activities.orgId, org.orgId), eq(activities.id, activity.id))),
    );
    const listening = second.subscribed(org.orgId);
    const screen = subscribeToBoard(bases[1]?.replace('http:', 'ws:') ?? '', org.slug, {
      cookie: org.admin.cookieHeader(),
    });
    await Promise.all([screen.opened, listening]);
    const checkIn = await post(bases[0] ?? '', member.client, CHECK_IN, {
      input: { activityId: activity.id, position: northOfSite(20) },
    });
    expect(checkIn.errors).toBeUndefined();
    await expect.poll(screen.events, { timeout: 10_000 }).toEqual(['CHECK_IN']);
    screen.socket.close();
  });
});
