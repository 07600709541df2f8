/**
 * An operator's bad day: Redis and PostgreSQL go away and come back while
 * two API instances take writes. Each service is reached through a TCP proxy
 * the test controls (see tcp-proxy.ts), so the shared servers are never
 * touched. The process must never die, every answer during an outage must
 * be a coded error, no acknowledged write may be lost, and everything must
 * work again within seconds of the return, live events included.
 */
import { postgresReachable } from '@qicai/db/testing';
import type { FastifyInstance } from 'fastify';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/build.ts';
import { loadConfig } from '../src/config.ts';
import { normalizeTrackingCode } from '../src/modules/requests/tracking-codes.ts';
import { activityOrganization, type ActivityOrganization } from './activities-seed.ts';
import { expectNoErrors, TestApp, type GraphQLResponse } from './helper.ts';
import { LEAKS } from './leaks.ts';
import { listen, REDIS_URL, redisReachable, subscribeToBoard } from './live.ts';
import { publicClient, requestInput, SUBMIT } from './requests-seed.ts';
import { TcpProxy } from './tcp-proxy.ts';

/** What escaped to the process: must stay empty. */
const escaped: unknown[] = [];
const recordEscape = (error: unknown) => {
  escaped.push(error);
};
beforeAll(() => {
  process.on('uncaughtException', recordEscape);
  process.on('unhandledRejection', recordEscape);
});
afterAll(() => {
  process.off('uncaughtException', recordEscape);
  process.off('unhandledRejection', recordEscape);
});

/** Limits out of the way: the load comes from one address. */
const LOAD_SETTINGS = { PUBLIC_REQUEST_LIMIT: '1000000', RATE_LIMIT_PER_MINUTE: '1000000' };

const redisUp = await redisReachable(REDIS_URL);

describe.skipIf(!redisUp && !process.env['CI'])('Redis going away under two instances', () => {
  let redis: TcpProxy;
  let instanceA: TestApp;
  let instanceB: TestApp;
  let org: ActivityOrganization;

  beforeAll(async () => {
    const target = new URL(REDIS_URL);
    redis = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    const settings = { ...LOAD_SETTINGS, REDIS_URL: redis.urlFor(REDIS_URL) };
    instanceA = await TestApp.start(settings);
    instanceB = await instanceA.sibling(settings);
    org = await activityOrganization(instanceA, 0);
  });
  afterAll(async () => {
    await instanceB.close();
    await instanceA.close();
    await redis.close();
  });

  it('keeps taking writes while Redis is down; once it is back, the second instance asks its screens to reconnect (1012) and they hear events again', async () => {
    const base = await listen(instanceB);
    const openScreen = async () => {
      const listening = instanceB.subscribed(org.orgId);
      const opened = subscribeToBoard(base, org.slug, { cookie: org.admin.cookieHeader() });
      await Promise.all([opened.opened, listening]);
      return opened;
    };
    let screen = await openScreen();
    const publicForm = publicClient(instanceA, org.slug);
    const submit = async () => {
      const result = await publicForm.gql(SUBMIT, { input: requestInput() });
      expectNoErrors(result);
    };
    /** Submits through A until B's screen has heard one more event; how long that took. */
    const untilHeard = async () => {
      const started = performance.now();
      const before = screen.events().length;
      await expect
        .poll(
          async () => {
            await submit();
            return screen.events().length;
          },
          { timeout: 5000, interval: 100 },
        )
        .toBeGreaterThan(before);
      return performance.now() - started;
    };
    await untilHeard();

    for (let round = 0; round < 3; round++) {
      // Down (connections refused), then a blip (connections dropped, the server still there).
      if (round % 2 === 0) await redis.refuse();
      else redis.cut();
      // Queries and mutations go on; their live events are dropped.
      for (let i = 0; i < 5; i++) await submit();
      await redis.restore();
      // What was dropped meanwhile never reached the screen: it is told to reconnect and read afresh.
      expect(await screen.closed).toBe(1012);
      screen = await openScreen();
      expect(await untilHeard()).toBeLessThan(5000);
    }
    screen.socket.close();
    expect(escaped).toEqual([]);
  }, 60_000);
});

/** An address the proxy for `url` forwards to. */
function targetOf(url: string, defaultPort: number) {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
}

describe.skipIf(!(await postgresReachable()) || (!redisUp && !process.env['CI']))(
  'PostgreSQL and Redis going away under two instances taking writes over HTTP',
  () => {
    let seed: TestApp;
    let pg: TcpProxy;
    let redis: TcpProxy;
    const instances: FastifyInstance[] = [];
    let org: ActivityOrganization;

    beforeAll(async () => {
      // The database, migrated, and an organization made directly; the instances under test reach both through proxies.
      seed = await TestApp.start(LOAD_SETTINGS);
      org = await activityOrganization(seed, 0);
      pg = await TcpProxy.start(targetOf(seed.databaseUrl ?? '', 5432));
      redis = await TcpProxy.start(targetOf(REDIS_URL, 6379));
    });
    afterAll(async () => {
      for (const instance of instances) await instance.close();
      await redis.close();
      await pg.close();
      await seed.close();
    });

    const configFor = () =>
      loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        ...LOAD_SETTINGS,
        DATABASE_URL: pg.urlFor(seed.databaseUrl ?? ''),
        DATABASE_POOL_SIZE: '6',
        REDIS_URL: redis.urlFor(REDIS_URL),
        REQUEST_DEADLINE_SECONDS: '10',
      });

    it('waits at start-up for a PostgreSQL that is not there yet, then starts', async () => {
      pg.dropNew = true;
      const starting = buildApp({ config: configFor() });
      // Two tries refused: it is waiting with backoff, not exiting.
      await expect.poll(() => pg.dropped, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(2);
      pg.dropNew = false;
      instances.push(await starting);
      instances.push(await buildApp({ config: configFor() }));
      expect(escaped).toEqual([]);
    }, 30_000);

    it('answers coded errors during outages, loses no acknowledged write, and recovers within 5 s', async () => {
      const [instanceA, instanceB] = instances;
      if (!instanceA || !instanceB) throw new Error('instances did not start');
      const urls = [await listen(instanceA), await listen(instanceB)].map((url) => url.replace('ws:', 'http:'));
      const openScreen = () =>
        subscribeToBoard(urls[1]?.replace('http:', 'ws:') ?? '', org.slug, { cookie: org.admin.cookieHeader() });
      let screen = openScreen();
      await screen.opened;

      const acknowledged: string[] = [];
      const refusals: string[] = [];
      const badAnswers: string[] = [];
      let lastSuccessAt = 0;
      let running = true;
      const writer = async (index: number) => {
        const url = `${urls[index % 2] ?? ''}/graphql`;
        while (running) {
          let body = '';
          try {
            const response = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-qicai-org': org.slug },
              body: JSON.stringify({ query: SUBMIT, variables: { input: requestInput() } }),
            });
            body = await response.text();
            const answer = JSON.parse(body) as GraphQLResponse<{ submitRequest: { trackingCode: string } }>;
            const code = answer.data?.submitRequest.trackingCode;
            if (code && !answer.errors) {
              acknowledged.push(code);
              lastSuccessAt = performance.now();
            } else {
              const codes = (answer.errors ?? []).map((error) => error.extensions?.code ?? 'NONE');
              refusals.push(...codes);
              if (codes.length === 0 || codes.some((c) => c !== 'UNAVAILABLE') || LEAKS.test(body))
                badAnswers.push(`${String(response.status)} ${body}`);
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
          } catch (error) {
            badAnswers.push(`no answer: ${String(error)} ${body}`);
          }
        }
      };
      const writers = Array.from({ length: 6 }, (_, index) => writer(index));

      /** How long from now until a write succeeds again. */
      const untilWriting = async () => {
        const from = performance.now();
        await expect.poll(() => lastSuccessAt > from, { timeout: 10_000, interval: 10 }).toBe(true);
        return lastSuccessAt - from;
      };
      const untilSomeWrites = async (count: number) => {
        const before = acknowledged.length;
        await expect.poll(() => acknowledged.length, { timeout: 10_000, interval: 10 }).toBeGreaterThan(before + count);
      };
      const untilRefused = async (count: number) => {
        const before = refusals.length;
        await expect
          .poll(() => refusals.length, { timeout: 10_000, interval: 10 })
          .toBeGreaterThanOrEqual(before + count);
      };

      await untilSomeWrites(10);
      const readiness = async () => {
        const response = await fetch(`${urls[0] ?? ''}/readyz`);
        return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
      };
      expect(await readiness()).toEqual({
        status: 200,
        body: { ok: true, checks: { postgres: 'ok', migrations: 'ok', 'row-level security': 'ok', redis: 'ok' } },
      });
      const recoveries: number[] = [];
      for (let round = 0; round < 4; round++) {
        if (round % 2 === 0) {
          // A restart: every connection dropped in the middle of writes, the server back at once.
          pg.cut();
          if (round === 2) redis.cut();
        } else {
          // Down for a while: connections dropped and new ones refused.
          await pg.refuse();
          if (round === 3) await redis.refuse();
          await untilRefused(6);
          const notReady = await readiness();
          expect(notReady.status).toBe(503);
          expect(notReady.body.checks['postgres']).toBe('failing');
          if (round === 3) expect(notReady.body.checks['redis']).toBe('failing');
          expect((await fetch(`${urls[0] ?? ''}/healthz`)).status).toBe(200);
          await Promise.all([pg.restore(), redis.restore()]);
        }
        recoveries.push(await untilWriting());
        await untilSomeWrites(10);
      }
      running = false;
      await Promise.all(writers);
      // Ready again once both answer (Redis reconnects with its own backoff).
      await expect.poll(async () => (await readiness()).status, { timeout: 5000, interval: 100 }).toBe(200);

      // Redis came back: the second instance told its screen to reconnect, and it hears the first one's events again.
      expect(await screen.closed).toBe(1012);
      screen = openScreen();
      await screen.opened;
      const before = screen.events().length;
      await expect
        .poll(
          async () => {
            const response = await fetch(`${urls[0] ?? ''}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-qicai-org': org.slug },
              body: JSON.stringify({ query: SUBMIT, variables: { input: requestInput() } }),
            });
            const answer = (await response.json()) as GraphQLResponse<{ submitRequest: { trackingCode: string } }>;
            const code = answer.data?.submitRequest.trackingCode;
            if (code) acknowledged.push(code);
            return screen.events().length;
          },
          { timeout: 5000, interval: 100 },
        )
        .toBeGreaterThan(before);
      screen.socket.close();

      expect(badAnswers).toEqual([]);
      expect(refusals.length).toBeGreaterThan(0);
      for (const recovery of recoveries) expect(recovery).toBeLessThan(5000);
      const owner = postgres(seed.databaseUrl ?? '', { max: 1, onnotice: () => undefined });
      const stored = await owner<{ trackingCode: string }[]>`
        select tracking_code as "trackingCode" from requests where org_id = ${org.orgId}`;
      await owner.end();
      const storedCodes = new Set(stored.map((row) => row.trackingCode));
      const lost = acknowledged.filter((code) => !storedCodes.has(normalizeTrackingCode(code) ?? code));
      expect(acknowledged.length).toBeGreaterThan(40);
      expect(lost).toEqual([]);
      expect(escaped).toEqual([]);
    }, 90_000);
  },
);
