/**
 * Notifications: the outbox is delivered once, failures retried with backoff
 * without holding up the change that caused them; reminders go out once,
 * also with several workers at once.
 */
import { notificationDeliveries, notifications, withTenant } from '@qicai/db';
import { eq } from 'drizzle-orm';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { testClock } from './clock.ts';
import { sendDueReminders } from '../src/modules/activities/reminders.ts';
import {
  deliverDueNotifications,
  deliveryIdempotencyKey,
  MAX_DELIVERY_ATTEMPTS,
} from '../src/modules/notifications/outbox.ts';
import {
  activityOrganization,
  createActivity,
  localIn,
  SIGN_UP,
  type ActivityOrganization,
} from './activities-seed.ts';
import { expectNoErrors, TestApp } from './helper.ts';
import type { DeliveryAdapter, OutgoingMessage } from '../src/shared/delivery.ts';

function recordingAdapter(fail: (message: OutgoingMessage) => boolean = () => false) {
  const sent: OutgoingMessage[] = [];
  const attempted: OutgoingMessage[] = [];
  const adapter: DeliveryAdapter = {
    async send(message) {
      attempted.push(message);
      // Slow enough that concurrent workers would overlap if they could.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail(message)) throw new Error('gateway unavailable');
      sent.push(message);
    },
  };
  return { adapter, sent, attempted };
}

describe('notification outbox', () => {
  let testApp: TestApp;
  let org: ActivityOrganization;

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await activityOrganization(testApp, 3);
  });
  afterAll(async () => {
    await testApp.close();
  });

  const deliveries = () =>
    withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx.select().from(notificationDeliveries).orderBy(notificationDeliveries.id),
    );

  it('queues an SMS per member told; a failing gateway does not hold the change up and is retried with backoff', async () => {
    const activity = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '' });
    for (const { client } of org.members) expectNoErrors(await client.gql(SIGN_UP, { id: activity.id }));
    const cancelled = await org.lead.gql<{ cancelActivity: { status: string } }>(
      `mutation ($id: ID!) { cancelActivity(id: $id, reason: "天气原因") { status } }`,
      { id: activity.id },
    );
    expect(cancelled.data?.cancelActivity.status).toBe('CANCELLED');
    const queued = await deliveries();
    expect(queued).toHaveLength(3);
    expect(queued.every((row) => row.channel === 'SMS' && /^139\d{8}$/.test(row.recipient))).toBe(true);

    const now = testClock.now();
    const down = recordingAdapter(() => true);
    expect(await deliverDueNotifications(testApp.database.db, down.adapter, { log: testApp.app.log, now })).toEqual({
      sent: 0,
      retrying: 3,
      gaveUp: 0,
    });
    const afterFailure = await deliveries();
    expect(afterFailure.map((row) => [row.attempts, row.lastError, row.sentAt])).toEqual(
      Array.from({ length: 3 }, () => [1, 'gateway unavailable', null]),
    );
    expect(afterFailure.every((row) => row.nextAttemptAt.getTime() === now.getTime() + 30_000)).toBe(true);

    // Not yet due: nothing happens.
    const up = recordingAdapter();
    expect((await deliverDueNotifications(testApp.database.db, up.adapter, { log: testApp.app.log, now })).sent).toBe(
      0,
    );
    const later = new Date(now.getTime() + 31_000);
    expect(
      await deliverDueNotifications(testApp.database.db, up.adapter, { log: testApp.app.log, now: later }),
    ).toEqual({
      sent: 3,
      retrying: 0,
      gaveUp: 0,
    });
    expect(up.sent.map((message) => message.text)).toEqual(
      Array.from({ length: 3 }, () => expect.stringMatching(/“河道清理”.*已取消。原因：天气原因$/) as unknown),
    );
    expect((await deliveries()).every((row) => row.sentAt !== null && row.attempts === 2)).toBe(true);
    // Each delivery carries one idempotency key, the same on the failed attempt and on the resend.
    const keys = (messages: OutgoingMessage[]) => messages.map((message) => message.idempotencyKey).sort();
    expect(keys(up.sent)).toEqual(queued.map((row) => deliveryIdempotencyKey(row.id)).sort());
    expect(keys(down.attempted)).toEqual(keys(up.sent));
    expect(new Set(keys(up.sent)).size).toBe(3);
  });

  it('gives up after the last attempt', async () => {
    const activity = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      startsAt: localIn(4 * 24 * 60),
      endsAt: localIn(4 * 24 * 60 + 60),
    });
    const [one] = org.members;
    if (!one) throw new Error('member');
    expectNoErrors(await one.client.gql(SIGN_UP, { id: activity.id }));
    expectNoErrors(await org.lead.gql(`mutation ($id: ID!) { cancelActivity(id: $id) { id } }`, { id: activity.id }));
    const down = recordingAdapter(() => true);
    let now = testClock.now();
    const runs = [];
    for (let attempt = 0; attempt < MAX_DELIVERY_ATTEMPTS; attempt++) {
      runs.push(await deliverDueNotifications(testApp.database.db, down.adapter, { log: testApp.app.log, now }));
      now = new Date(now.getTime() + 2 * 3600_000);
    }
    expect(runs.at(-1)).toEqual({ sent: 0, retrying: 0, gaveUp: 1 });
    const last = (await deliveries()).at(-1);
    expect(last?.failedAt).not.toBeNull();
    expect(last?.attempts).toBe(MAX_DELIVERY_ATTEMPTS);
  });

  it('sends each delivery exactly once with several workers at once', async () => {
    const activity = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      startsAt: localIn(6 * 24 * 60),
      endsAt: localIn(6 * 24 * 60 + 60),
    });
    for (const { client } of org.members) expectNoErrors(await client.gql(SIGN_UP, { id: activity.id }));
    expectNoErrors(await org.lead.gql(`mutation ($id: ID!) { cancelActivity(id: $id) { id } }`, { id: activity.id }));
    const shared = recordingAdapter();
    const workers = await Promise.all(
      [0, 1, 2, 3].map(() =>
        deliverDueNotifications(testApp.database.db, shared.adapter, {
          log: testApp.app.log,
          batchSize: 1,
          now: testClock.now(),
        }),
      ),
    );
    // Each worker took one per organization and round; together, every due one exactly once.
    const sentNow = shared.sent.length;
    expect(workers.reduce((total, run) => total + run.sent, 0)).toBe(sentNow);
    expect(new Set(shared.sent.map((message) => message.recipient)).size).toBe(sentNow);
    while (
      (
        await deliverDueNotifications(testApp.database.db, shared.adapter, {
          log: testApp.app.log,
          now: testClock.now(),
        })
      ).sent > 0
    );
    expect(shared.sent).toHaveLength(3);
    expect(new Set(shared.sent.map((message) => message.recipient)).size).toBe(3);
  });

  it('reminds members with a place once before the start, also with several schedulers at once', async () => {
    const activity = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      title: '献血活动',
      startsAt: localIn(8 * 60),
      endsAt: localIn(10 * 60),
      capacity: 2,
    });
    for (const { client } of org.members) expectNoErrors(await client.gql(SIGN_UP, { id: activity.id }));
    const counts = await Promise.all(
      [0, 1, 2].map(() => sendDueReminders(testApp.database.db, { now: testClock.now() })),
    );
    expect(counts.reduce((total, count) => total + count, 0)).toBe(1);
    expect(await sendDueReminders(testApp.database.db, { now: testClock.now() })).toBe(0);
    const reminders = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx.select().from(notifications).where(eq(notifications.kind, 'ACTIVITY_REMINDER')),
    );
    // Two places; the third member is waiting and is not reminded.
    expect(reminders).toHaveLength(2);
    expect(reminders.every((row) => row.activityId === activity.id && row.detail.title === '献血活动')).toBe(true);
  });
});

describe('APP_SECRET', () => {
  it('is required in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/APP_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', APP_SECRET: 'too short' })).toThrow(/APP_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: 's'.repeat(32) }).appSecret).toBe('s'.repeat(32));
  });

  it('in development, is made once and kept in the data folder, so it survives a restart', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qicai-secret-'));
    const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }).appSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }).appSecret).toBe(first);
    expect(readFileSync(join(dataDir, 'app-secret'), 'utf8')).toBe(first);
  });
});
