/**
 * An operator's bad day: Redis and PostgreSQL go away and come back while
 * two API instances take writes. Each service is reached through a TCP proxy
 * the test controls (see tcp-proxy.ts), so the shared servers are never
 * touched. The process must never die, every answer during an outage must
 * be a coded error, no acknowledged write may be lost, and everything must
 * work again within seconds of the return, live events included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityOrganization, type ActivityOrganization } from './activities-seed.ts';
import { expectNoErrors, TestApp } from './helper.ts';
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

  it('keeps taking writes while Redis is down, and the second instance hears events again once it is back', async () => {
    const screen = subscribeToBoard(await listen(instanceB), org.slug, { cookie: org.admin.cookieHeader() });
    await screen.opened;
    const publicForm = publicClient(instanceA, org.slug);
    const submit = async () => {
      const result = await publicForm.gql(SUBMIT, { input: requestInput() });
      expectNoErrors(result);
    };
    /** Submits through A until B's screen has heard one more event; how long that took. */
    const untilHeard = async () => {
      const started = Date.now();
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
      return Date.now() - started;
    };
    await untilHeard();

    for (let round = 0; round < 3; round++) {
      // Down (connections refused), then a blip (connections dropped, the server still there).
      if (round % 2 === 0) await redis.refuse();
      else redis.cut();
      // Queries and mutations go on; their live events are dropped.
      for (let i = 0; i < 5; i++) await submit();
      await redis.restore();
      expect(await untilHeard()).toBeLessThan(5000);
    }
    screen.socket.close();
    expect(escaped).toEqual([]);
  }, 60_000);
});
