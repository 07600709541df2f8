/**
 * What a client sends wrong is answered with a code, never with the
 * database's own words: a malformed id names nothing (NOT_FOUND), a number
 * out of its column's range or a NUL byte is VALIDATION, a body over the
 * limit is 413 PAYLOAD_TOO_LARGE, too many requests 429 RATE_LIMITED, an
 * unknown route 404 NOT_FOUND. No answer carries SQL, parameters, a stack or
 * a driver message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityOrganization, type ActivityOrganization } from './activities-seed.ts';
import { errorCode, TestApp, type GraphQLResponse } from './helper.ts';
import { expectNoLeak } from './leaks.ts';
import { publicClient, requestInput, SUBMIT } from './requests-seed.ts';

describe('malformed input', () => {
  let testApp: TestApp;
  let org: ActivityOrganization;

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await activityOrganization(testApp, 1);
  });
  afterAll(async () => {
    await testApp.close();
  });

  const raw = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', 'x-qicai-org': org.slug, cookie: org.admin.cookieHeader() },
      payload: { query, variables },
    });
    expectNoLeak(response.body);
    return response.json<GraphQLResponse>();
  };

  it('answers NOT_FOUND for a malformed id, in queries and in mutations', async () => {
    for (const id of ['not-a-uuid', "'; drop table members; --", '00000000-0000-0000-0000-00000000000g']) {
      expect(errorCode(await raw(`query ($id: ID!) { helpRequest(id: $id) { id } }`, { id }))).toBe('NOT_FOUND');
      expect(errorCode(await raw(`query ($id: ID!) { serviceRecord(id: $id) { id } }`, { id }))).toBe('NOT_FOUND');
      expect(errorCode(await raw(`mutation ($id: ID!) { signUp(activityId: $id) { id } }`, { id }))).toBe('NOT_FOUND');
      expect(
        errorCode(await raw(`mutation ($ids: [ID!]!) { approveServiceRecords(ids: $ids) { id } }`, { ids: [id] })),
      ).toMatch(/^(NOT_FOUND|VALIDATION)$/);
    }
  });

  it('answers VALIDATION for a month out of its column’s range', async () => {
    for (const month of [40_000, -40_000]) {
      const result = await raw(`query ($month: Int) { teamHours(year: 2026, month: $month) { minutes } }`, { month });
      expect(errorCode(result)).toBe('VALIDATION');
    }
    const leaderboard = await raw(`query ($year: Int) { hoursLeaderboard(period: YEAR, year: $year) { minutes } }`, {
      year: 1_000_000,
    });
    expect(errorCode(leaderboard)).toBe('VALIDATION');
  });

  it('answers VALIDATION (or NOT_FOUND for an id) for a NUL byte', async () => {
    const form = publicClient(testApp, org.slug);
    const submitted = await form.gql(SUBMIT, { input: requestInput({ description: '独居老人\u0000需要帮助' }) });
    expect(errorCode(submitted)).toBe('VALIDATION');
    expectNoLeak(JSON.stringify(submitted));
    const byId = await raw(`query ($id: ID!) { helpRequest(id: $id) { id } }`, { id: '\u0000' });
    expect(errorCode(byId)).toMatch(/^(NOT_FOUND|VALIDATION)$/);
    const byCode = await raw(`query ($code: String!) { requestStatus(code: $code) { status } }`, { code: 'A\u0000B' });
    expect(byCode.errors?.[0]?.extensions?.code ?? 'no error').toMatch(/^(NOT_FOUND|VALIDATION|no error)$/);
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a body over the limit', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(2_000_000) } }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      data: null,
      errors: [{ message: expect.any(String) as string, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
  });

  it('answers malformed JSON and unknown routes with a code, not Fastify’s own body', async () => {
    const malformed = await testApp.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: '{"query": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect(malformed.body).not.toMatch(/"statusCode"|FST_ERR/);
    const unknown = await testApp.app.inject({ method: 'GET', url: '/no/such/route' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    expect(unknown.body).not.toMatch(/"statusCode"|FST_ERR/);
  });
});

describe('the rate limit', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await TestApp.start({ RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('answers 429 RATE_LIMITED past the limit', async () => {
    const send = () =>
      testApp.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: { query: '{ __typename }' },
      });
    for (let i = 0; i < 3; i++) expect((await send()).statusCode).toBe(200);
    const limited = await send();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json()).toEqual({
      data: null,
      errors: [{ message: expect.any(String) as string, extensions: { code: 'RATE_LIMITED' } }],
    });
  });
});
