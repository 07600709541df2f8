/**
 * RATE_LIMIT_PER_MINUTE is one limit per client address, however many API
 * instances answer it: with REDIS_URL both instances count in the same keys.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp } from './helper.ts';
import { REDIS_URL, redisReachable } from './live.ts';

const redisUp = await redisReachable(REDIS_URL);
// As the board's two-instance tests: CI must prove it; a developer without Redis is told.
if (!redisUp && !process.env['CI'])
  console.warn(`\n  SKIPPED: the shared rate limit needs Redis at ${REDIS_URL} (set TEST_REDIS_URL). CI fails here.\n`);

describe.skipIf(!redisUp && !process.env['CI'])('the rate limit across two instances sharing Redis', () => {
  let instanceA: TestApp;
  let instanceB: TestApp;

  beforeAll(async () => {
    instanceA = await TestApp.start({ REDIS_URL, RATE_LIMIT_PER_MINUTE: '3' });
    instanceB = await instanceA.sibling({ REDIS_URL, RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await instanceB.close();
    await instanceA.close();
  });

  it('counts one address once across both: the fourth request, on either instance, is 429 RATE_LIMITED', async () => {
    // An address of this run's own, so no other test's requests count against it.
    const address = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
    const send = (instance: TestApp) =>
      instance.app.inject({
        method: 'POST',
        url: '/graphql',
        remoteAddress: address,
        headers: { 'content-type': 'application/json' },
        payload: { query: '{ __typename }' },
      });
    const answers = [];
    for (const instance of [instanceA, instanceB, instanceA, instanceB]) answers.push(await send(instance));
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers[3]?.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    // Another address is not held back by this one's count.
    const other = await instanceA.app.inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: '10.255.255.254',
      headers: { 'content-type': 'application/json' },
      payload: { query: '{ __typename }' },
    });
    expect(other.statusCode).toBe(200);
  });
});
