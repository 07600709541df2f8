/**
 * Operators' metrics over real HTTP, on their own port (METRICS_PORT): the
 * Prometheus text format, GraphQL requests by operation name, errors by
 * code, the pool, the outbox backlog, live WebSockets, the process's own;
 * never on the public port; two instances in one process keep their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityOrganization, createActivity, SIGN_UP, type ActivityOrganization } from './activities-seed.ts';
import { expectNoErrors, TestApp, type Client, type GraphQLResponse } from './helper.ts';
import { listen, subscribeToBoard } from './live.ts';

/** The value of one sample of a metric with exactly these labels, from Prometheus' text format; undefined: none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      found[pair[1] ?? ''] = pair[2] ?? '';
    if (JSON.stringify(Object.entries(found).sort()) === JSON.stringify(Object.entries(labels).sort()))
      return Number(match[3]);
  }
  return undefined;
}

describe('metrics for operators', () => {
  let testApp: TestApp;
  let sibling: TestApp;
  let base = '';
  let metricsUrl = '';
  let siblingMetricsUrl = '';
  let org: ActivityOrganization;

  const scrape = async (url = metricsUrl) => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    return { type: response.headers.get('content-type'), text: await response.text() };
  };
  const post = async (client: Client | null, body: Record<string, unknown>) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-qicai-org': org.slug,
        ...(client ? { cookie: client.cookieHeader() } : {}),
      },
      body: JSON.stringify(body),
    });
    return (await response.json()) as GraphQLResponse;
  };

  beforeAll(async () => {
    testApp = await TestApp.start({ METRICS_PORT: '0' });
    sibling = await testApp.sibling({ METRICS_PORT: '0' });
    base = (await listen(testApp)).replace('ws:', 'http:');
    await listen(sibling);
    const address = testApp.app.metrics?.address();
    const siblingAddress = sibling.app.metrics?.address();
    if (!address || !siblingAddress) throw new Error('metrics are not served');
    metricsUrl = `http://127.0.0.1:${String(address.port)}/metrics`;
    siblingMetricsUrl = `http://127.0.0.1:${String(siblingAddress.port)}/metrics`;
    org = await activityOrganization(testApp, 2);
  });
  afterAll(async () => {
    await sibling.close();
    await testApp.close();
  });

  it('answers in Prometheus text format with the process’s memory and event-loop delay', async () => {
    const { type, text } = await scrape();
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toMatch(/^# HELP qicai_graphql_requests_total /m);
    expect(text).toMatch(/^# TYPE qicai_graphql_request_duration_seconds histogram$/m);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'qicai_db_pool_size')).toBe(testApp.database.connections);
  });

  it('counts a GraphQL request by its operation name, with its latency, and its error by code', async () => {
    const labels = { operation: 'MyCertificates', type: 'query' };
    const before = await scrape();
    const requestsBefore = sample(before.text, 'qicai_graphql_requests_total', labels) ?? 0;
    const unauthenticatedBefore = sample(before.text, 'qicai_errors_total', { code: 'UNAUTHENTICATED' }) ?? 0;
    const waitsBefore = sample(before.text, 'qicai_db_pool_wait_seconds_count') ?? 0;

    const query = `query MyCertificates { myCertificates { number } }`;
    const [member] = org.members;
    if (!member) throw new Error('setup');
    expectNoErrors(await post(member.client, { query, operationName: 'MyCertificates' }));
    const refused = await post(null, { query });
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const after = await scrape();
    expect(sample(after.text, 'qicai_graphql_requests_total', labels)).toBe(requestsBefore + 2);
    expect(sample(after.text, 'qicai_graphql_request_duration_seconds_count', labels)).toBe(requestsBefore + 2);
    expect(sample(after.text, 'qicai_graphql_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(
      requestsBefore + 2,
    );
    expect(sample(after.text, 'qicai_errors_total', { code: 'UNAUTHENTICATED' })).toBe(unauthenticatedBefore + 1);
    expect(sample(after.text, 'qicai_db_pool_wait_seconds_count')).toBeGreaterThan(waitsBefore);
    expect(sample(after.text, 'qicai_db_pool_in_use')).toBeGreaterThanOrEqual(0);
    expect(sample(after.text, 'qicai_db_pool_waiting')).toBeGreaterThanOrEqual(0);

    // The other instance, in the same process, counted none of it.
    const other = await scrape(siblingMetricsUrl);
    expect(sample(other.text, 'qicai_graphql_requests_total', labels)).toBeUndefined();
  });

  it('collapses anonymous and endless operation names, and names refusals before parsing', async () => {
    const before = (await scrape()).text;
    const count = (text: string, operation: string, type: string) =>
      sample(text, 'qicai_graphql_requests_total', { operation, type }) ?? 0;
    await post(null, { query: `{ myCertificates { number } }` });
    await post(null, { query: `query { myCertificates { number } }` });
    for (let i = 0; i < 110; i++) await post(null, { query: `query Made${String(i)} { myCertificates { number } }` });
    await post(null, { query: `query 报名 {` });
    const { text } = await scrape();
    expect(count(text, 'anonymous', 'query') - count(before, 'anonymous', 'query')).toBe(2);
    expect(count(text, 'other', 'query')).toBeGreaterThan(0);
    expect(count(text, 'unparsed', 'unknown') - count(before, 'unparsed', 'unknown')).toBe(1);
    expect(sample(text, 'qicai_errors_total', { code: 'GRAPHQL_VALIDATION' })).toBeGreaterThanOrEqual(1);
    const names = new Set(
      [...text.matchAll(/^qicai_graphql_requests_total\{[^}]*operation="([^"]*)"/gm)].map((match) => match[1]),
    );
    expect(names.size).toBeLessThanOrEqual(100 + 4);
  });

  it('shows the outbox backlog growing by a queued notification', async () => {
    const before = await scrape();
    const pendingBefore = sample(before.text, 'qicai_outbox_pending');
    expect(pendingBefore).toBe(0);
    const activity = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '' });
    for (const { client } of org.members) expectNoErrors(await client.gql(SIGN_UP, { id: activity.id }));
    expectNoErrors(
      await org.lead.gql(`mutation ($id: ID!) { cancelActivity(id: $id, reason: "暴雨预警，活动取消") { status } }`, {
        id: activity.id,
      }),
    );
    // Read at most once a second: poll until a fresh reading shows both members' messages.
    await expect
      .poll(async () => sample((await scrape()).text, 'qicai_outbox_pending'), { timeout: 10_000, interval: 300 })
      .toBe(org.members.length);
    const { text } = await scrape();
    expect(sample(text, 'qicai_outbox_due')).toBeLessThanOrEqual(org.members.length);
    expect(sample(text, 'qicai_outbox_oldest_due_age_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('counts live WebSockets', async () => {
    const screen = subscribeToBoard(base.replace('http:', 'ws:'), org.slug, { cookie: org.admin.cookieHeader() });
    await screen.opened;
    expect(sample((await scrape()).text, 'qicai_live_connections')).toBe(1);
    screen.socket.close();
    await screen.closed;
    await expect.poll(async () => sample((await scrape()).text, 'qicai_live_connections')).toBe(0);
  });

  it('is not served on the public port', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toMatch(/qicai_|process_/);
  });
});
