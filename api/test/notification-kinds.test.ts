/**
 * The kinds of notification beyond the activity ones, written in the
 * transaction of the change that causes them; each kind a member can turn
 * off per channel (in the app, SMS, email); the outbox renders them in the
 * member's language; SMS waits out the association's quiet hours.
 */
import { accounts, notificationDeliveries, notifications, withTenant } from '@qicai/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../src/modules/activities/reminders.ts';
import { smsDueAt } from '../src/modules/notifications/quiet-hours.ts';
import { deliverDueNotifications } from '../src/modules/notifications/outbox.ts';
import { renderMessage } from '../src/modules/notifications/messages.ts';
import {
  activityOrganization,
  createActivity,
  localIn,
  SIGN_UP,
  type ActivityOrganization,
} from './activities-seed.ts';
import { testClock } from './clock.ts';
import { APPROVE, DECLINE, outsideService, REFUSE_CORRECTION, report, REQUEST_CORRECTION } from './hours-seed.ts';
import { ASSIGN, requestsOrganization, submitRequest } from './requests-seed.ts';
import { confirm, createSponsor, linkSponsorAccount, propose, registerChild } from './sponsorship-seed.ts';
import { expectNoErrors, type Client, TestApp } from './helper.ts';
import type { DeliveryAdapter, OutgoingMessage } from '../src/shared/delivery.ts';

const NOTIFICATIONS = `{ notifications(first: 50) { unreadCount nodes { kind title placeName previousPlaceName minutes reason accepted } } }`;
const PREFERENCES = `{ notificationPreferences { kind inApp sms email } }`;
const SET_PREFERENCES = `mutation ($preferences: [NotificationPreferenceInput!]!) {
  setNotificationPreferences(preferences: $preferences) { kind inApp sms email } }`;

interface NotificationData {
  kind: string;
  title: string;
  placeName: string | null;
  previousPlaceName: string | null;
  minutes: number | null;
  reason: string | null;
  accepted: boolean | null;
}

async function notificationsOf(client: Client): Promise<NotificationData[]> {
  const result = await client.gql<{ notifications: { nodes: NotificationData[] } }>(NOTIFICATIONS);
  expectNoErrors(result);
  return result.data?.notifications.nodes ?? [];
}

function recordingAdapter() {
  const sent: OutgoingMessage[] = [];
  const adapter: DeliveryAdapter = {
    send(message) {
      sent.push(message);
      return Promise.resolve();
    },
  };
  return { adapter, sent };
}

describe('notification kinds and preferences', () => {
  let testApp: TestApp;
  let org: ActivityOrganization;

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await activityOrganization(testApp, 3);
  });
  afterAll(async () => {
    await testApp.close();
  });

  const member = (index: number) => {
    const found = org.members[index];
    if (!found) throw new Error(`member ${String(index)}`);
    return found;
  };
  const asOrg = <T>(work: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, work);
  const deliveriesOf = (kind: string) =>
    asOrg((tx) =>
      tx
        .select({
          channel: notificationDeliveries.channel,
          recipient: notificationDeliveries.recipient,
          memberId: notifications.memberId,
        })
        .from(notificationDeliveries)
        .innerJoin(
          notifications,
          sql`${notifications.orgId} = ${notificationDeliveries.orgId} and ${notifications.id} = ${notificationDeliveries.notificationId}`,
        )
        .where(sql`${notifications.kind} = ${kind}`),
    );

  it('lists every kind on for every channel until the member turns one off', async () => {
    const result = await member(0).client.gql<{
      notificationPreferences: { kind: string; inApp: boolean; sms: boolean; email: boolean }[];
    }>(PREFERENCES);
    expectNoErrors(result);
    const preferences = result.data?.notificationPreferences ?? [];
    expect(preferences.map((preference) => preference.kind)).toContain('HOURS_APPROVED');
    expect(preferences.every((preference) => preference.inApp && preference.sms && preference.email)).toBe(true);
  });

  it('tells a member of approved and declined hours, unless they turned the kind off', async () => {
    const [one, two] = [member(0), member(1)];
    // The second member wants no word of approved hours, anywhere.
    const set = await two.client.gql<{ setNotificationPreferences: { kind: string; inApp: boolean }[] }>(
      SET_PREFERENCES,
      { preferences: [{ kind: 'HOURS_APPROVED', inApp: false, sms: false, email: false }] },
    );
    expectNoErrors(set);
    expect(set.data?.setNotificationPreferences.find((row) => row.kind === 'HOURS_APPROVED')?.inApp).toBe(false);

    const red = org.teams['RED'] ?? '';
    const first = await report(one.client, outsideService({ endedMinutesAgo: 600, minutes: 90, teamId: red }));
    const second = await report(two.client, outsideService({ endedMinutesAgo: 600, minutes: 120, teamId: red }));
    const declined = await report(
      one.client,
      outsideService({ endedMinutesAgo: 300, minutes: 60, teamId: red, place: '县人民医院' }),
    );
    expectNoErrors(await org.lead.gql(APPROVE, { ids: [first.id, second.id] }));
    expectNoErrors(await org.lead.gql(DECLINE, { ids: [declined.id], reason: '当天未到岗签到' }));

    expect(await notificationsOf(one.client)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'HOURS_APPROVED', title: '社区义诊', minutes: 90 }),
        expect.objectContaining({ kind: 'HOURS_DECLINED', placeName: '县人民医院', reason: '当天未到岗签到' }),
      ]),
    );
    expect((await notificationsOf(two.client)).filter((row) => row.kind === 'HOURS_APPROVED')).toEqual([]);

    // A correction of the approved record, refused with a reason: the member is told, with it.
    const asked = await one.client.gql<{ requestServiceCorrection: { id: string } }>(REQUEST_CORRECTION, {
      recordId: first.id,
      input: { reason: '实际服务到 11 点', place: '荣家湾镇敬老院' },
    });
    expectNoErrors(asked);
    expectNoErrors(
      await org.lead.gql(REFUSE_CORRECTION, { id: asked.data?.requestServiceCorrection.id, reason: '与签到记录不符' }),
    );
    expect(await notificationsOf(one.client)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'HOURS_CORRECTION_DECIDED', accepted: false, reason: '与签到记录不符' }),
      ]),
    );
    // One SMS of approved hours, to the first member's phone; none to the second's.
    const sms = await deliveriesOf('HOURS_APPROVED');
    expect(sms).toEqual([
      { channel: 'SMS', recipient: expect.stringMatching(/^139/) as unknown, memberId: one.memberId },
    ]);
  });

  it('with SMS off, keeps the in-app notification and queues no SMS', async () => {
    const three = member(2);
    expectNoErrors(
      await three.client.gql(SET_PREFERENCES, {
        preferences: [{ kind: 'ACTIVITY_MOVED', inApp: true, sms: false, email: true }],
      }),
    );
    const activity = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '', title: '敬老院慰问' });
    expectNoErrors(await three.client.gql(SIGN_UP, { id: activity.id }));
    expectNoErrors(await member(0).client.gql(SIGN_UP, { id: activity.id }));
    // Only the place changes: those signed up are told all the same.
    const moved = await org.lead.gql(
      `mutation ($id: ID!, $input: ActivityInput!) { updateActivity(id: $id, input: $input) { id placeName } }`,
      {
        id: activity.id,
        input: {
          teamId: org.teams['RED'],
          title: '敬老院慰问',
          description: '清理新墙河岸垃圾',
          category: 'ENVIRONMENT',
          placeName: '县社会福利院',
          latitude: 29.15,
          longitude: 113.13,
          startsAt: activity.startsAtLocal,
          endsAt: activity.endsAtLocal,
          capacity: 20,
          isPublic: false,
        },
      },
    );
    expectNoErrors(moved);
    const told = (await notificationsOf(three.client)).find((row) => row.kind === 'ACTIVITY_MOVED');
    expect(told).toMatchObject({ placeName: '县社会福利院', previousPlaceName: '新墙河大桥' });
    const sms = await deliveriesOf('ACTIVITY_MOVED');
    expect(sms).toHaveLength(1);
    expect(sms[0]?.memberId).toBe(member(0).memberId);
  });

  it('reminds two hours before the start as well as the day before', async () => {
    const activity = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      title: '无偿献血',
      startsAt: localIn(20 * 60),
      endsAt: localIn(22 * 60),
    });
    expectNoErrors(await member(0).client.gql(SIGN_UP, { id: activity.id }));
    expect(await sendDueReminders(testApp.database.db, { now: testClock.now() })).toBeGreaterThanOrEqual(1);
    const kinds = async () =>
      (await notificationsOf(member(0).client)).filter((row) => row.title === '无偿献血').map((row) => row.kind);
    expect(await kinds()).toEqual(['ACTIVITY_REMINDER']);
    // Two hours and a half before the start: nothing new; twenty minutes inside two hours: the second reminder.
    const later = new Date(testClock.now().getTime() + 17.5 * 3_600_000);
    await sendDueReminders(testApp.database.db, { now: later });
    expect(await kinds()).toEqual(['ACTIVITY_REMINDER']);
    await sendDueReminders(testApp.database.db, { now: new Date(later.getTime() + 40 * 60_000) });
    expect(await kinds()).toEqual(['ACTIVITY_STARTING_SOON', 'ACTIVITY_REMINDER']);
    await sendDueReminders(testApp.database.db, { now: new Date(later.getTime() + 50 * 60_000) });
    expect(await kinds()).toHaveLength(2);
  });

  it('renders each delivery in the member’s language, with the SMS template parameters', async () => {
    // The association speaks Chinese; this member chose English for their account.
    const accountId = member(0).client.accountId ?? '';
    await testApp.database.db.update(accounts).set({ locale: 'en' }).where(eq(accounts.id, accountId));
    const { adapter, sent } = recordingAdapter();
    const run = await deliverDueNotifications(testApp.database.db, adapter, {
      log: testApp.app.log,
      now: new Date(testClock.now().getTime() + 2 * 86_400_000),
    });
    expect(run.sent).toBeGreaterThan(0);
    const approved = sent.find((message) => message.kind === 'HOURS_APPROVED');
    expect(approved?.text).toMatch(/^\[七彩之光测试协会\] Your 1\.5 h of service at “社区义诊” are approved\.$/);

    const zh = renderMessage(
      'HOURS_DECLINED',
      { title: '社区义诊', minutes: 60, reason: '当天未到岗签到' },
      { locale: 'zh', timeZone: 'Asia/Shanghai', organizationName: '岳阳县七彩之光志愿者协会' },
    );
    expect(zh.text).toBe(
      '【岳阳县七彩之光志愿者协会】您在“社区义诊”的服务时长 1 小时 未通过审核。原因：当天未到岗签到',
    );
    expect(zh.subject).toBe('【岳阳县七彩之光志愿者协会】服务时长未通过：社区义诊');
    expect(zh.params).toEqual({
      org: '岳阳县七彩之光志愿者协会',
      title: '社区义诊',
      hours: '1 小时',
      reason: '当天未到岗签到',
    });
    expect(
      renderMessage(
        'ACTIVITY_CANCELLED',
        { title: '<b>河道</b>', startsAt: '2026-12-31T16:00:00Z', endsAt: '2026-12-31T18:00:00Z', placeName: '桥' },
        { locale: 'en', timeZone: 'Asia/Shanghai', organizationName: 'A&B' },
      ).html,
    ).toBe('<p><strong>A&#38;B</strong></p><p>“&#60;b&#62;河道&#60;/b&#62;” (Fri 1 Jan, 00:00) is cancelled.</p>');
  });
});

describe('requests, join requests and sponsorship tell the people concerned', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await TestApp.start();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('tells the leads of the team a request for help is assigned to', async () => {
    const org = await requestsOrganization(testApp);
    const { id } = await submitRequest(testApp, org, { place: '荣家湾镇新墙村三组' });
    expectNoErrors(await org.admin.gql(ASSIGN, { input: { id, teamId: org.teams['GREEN'] } }));
    expect(await notificationsOf(org.greenLead)).toEqual([
      expect.objectContaining({ kind: 'REQUEST_ASSIGNED', title: '荣家湾镇新墙村三组' }),
    ]);
    // The red team's lead is not told.
    expect((await notificationsOf(org.lead)).filter((row) => row.kind === 'REQUEST_ASSIGNED')).toEqual([]);
  });

  it('tells the person whose request to join was approved', async () => {
    const admin = await testApp.signUp({ displayName: '周丽华' });
    const { slug } = await admin.createOrganization('岳阳县青年志愿者协会');
    const applicant = (await testApp.signUp({ displayName: '陈晓燕', phone: '13607301234' })).in(slug);
    const asked = await applicant.gql<{ requestToJoin: { id: string } }>(
      `mutation ($input: RequestToJoinInput!) { requestToJoin(input: $input) { id } }`,
      { input: { message: '我是县医院护士，想参加义诊。' } },
    );
    expectNoErrors(asked);
    expectNoErrors(
      await admin.gql(`mutation ($input: DecideJoinRequestInput!) { decideJoinRequest(input: $input) { id } }`, {
        input: { id: asked.data?.requestToJoin.id, approve: true },
      }),
    );
    expect(await notificationsOf(applicant)).toEqual([
      expect.objectContaining({ kind: 'JOIN_REQUEST_DECIDED', title: '岳阳县青年志愿者协会', accepted: true }),
    ]);
  });

  it('tells a sponsor who is a member, without naming the child', async () => {
    const admin = await testApp.signUp({ displayName: '管理员' });
    const { id: orgId } = await admin.createOrganization('岳阳县关爱协会');
    const sponsorPerson = (await testApp.signUp({ displayName: '刘爱华' })).in(admin.org);
    await testApp.addMember(orgId, sponsorPerson);
    const sponsorId = await createSponsor(admin, { kind: 'INDIVIDUAL', name: '刘爱华' });
    await linkSponsorAccount(admin, sponsorId, sponsorPerson);
    const childId = await registerChild(admin, { givenName: '小明' });
    const sponsorshipId = await propose(admin, childId, sponsorId);
    await confirm(admin, sponsorshipId);
    expectNoErrors(
      await admin.gql(`mutation ($input: EndSponsorshipInput!) { endSponsorship(input: $input) { id } }`, {
        input: { id: sponsorshipId, reason: 'SPONSOR_WITHDREW', note: '小明随父母迁往长沙' },
      }),
    );
    const told = await notificationsOf(sponsorPerson);
    expect(told.map((row) => [row.kind, row.title])).toEqual([
      ['SPONSORSHIP_ENDED', '刘爱华'],
      ['SPONSORSHIP_CONFIRMED', '刘爱华'],
      ['SPONSORSHIP_PROPOSED', '刘爱华'],
    ]);
    // Neither the child's name nor the admin's note about the child.
    expect(JSON.stringify(told)).not.toContain('小明');
  });
});

describe('quiet hours', () => {
  const zone = 'Asia/Shanghai';
  const night = { start: '22:00', end: '07:00' };

  it('defers an SMS due in the night to the end of it, across midnight in Asia/Shanghai', () => {
    // 23:30 on New Year's Eve, local: waits until 07:00 on 1 January.
    expect(smsDueAt(new Date('2026-12-31T23:30:00+08:00'), night, zone).toISOString()).toBe('2026-12-31T23:00:00.000Z');
    // 00:10 and 06:59 the next day: the same morning.
    expect(smsDueAt(new Date('2027-01-01T00:10:00+08:00'), night, zone).toISOString()).toBe('2026-12-31T23:00:00.000Z');
    expect(smsDueAt(new Date('2027-01-01T06:59:00+08:00'), night, zone).toISOString()).toBe('2026-12-31T23:00:00.000Z');
    // 22:00 sharp is quiet; 07:00 sharp and 21:59 are not.
    expect(smsDueAt(new Date('2026-12-31T22:00:00+08:00'), night, zone).toISOString()).toBe('2026-12-31T23:00:00.000Z');
    for (const instant of ['2027-01-01T07:00:00+08:00', '2026-12-31T21:59:00+08:00']) {
      expect(smsDueAt(new Date(instant), night, zone)).toEqual(new Date(instant));
    }
    // No quiet hours: at once.
    expect(smsDueAt(new Date('2026-12-31T23:30:00+08:00'), undefined, zone)).toEqual(
      new Date('2026-12-31T23:30:00+08:00'),
    );
  });

  it('holds an SMS written at night in the outbox until the morning, unless the activity starts before; the in-app notification is there at once', async () => {
    // The app's explicit clock: 23:30 on New Year's Eve in Yueyang.
    const lateAtNight = new Date('2026-12-31T23:30:00+08:00');
    const testApp = await TestApp.start({}, { clock: { now: () => lateAtNight } });
    try {
      const org = await activityOrganization(testApp, 1);
      const deliveriesNow = () =>
        withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
          tx.select().from(notificationDeliveries).orderBy(notificationDeliveries.id),
        );
      const set = await org.admin.gql<{ setQuietHours: { quietHours: { start: string; end: string } | null } }>(
        `mutation ($input: QuietHoursInput) { setQuietHours(input: $input) { quietHours { start end } } }`,
        { input: night },
      );
      expectNoErrors(set);
      expect(set.data?.setQuietHours.quietHours).toEqual(night);
      const activity = await createActivity(org.lead, {
        teamId: org.teams['RED'] ?? '',
        startsAt: '2027-01-02T09:00',
        endsAt: '2027-01-02T11:00',
      });
      const [one] = org.members;
      if (!one) throw new Error('member');
      expectNoErrors(await one.client.gql(SIGN_UP, { id: activity.id }));
      expectNoErrors(
        await org.lead.gql(`mutation ($id: ID!) { cancelActivity(id: $id, reason: "暴雨预警") { id } }`, {
          id: activity.id,
        }),
      );
      const [queued] = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
        tx.select().from(notificationDeliveries),
      );
      expect(queued).toMatchObject({ channel: 'SMS', nextAttemptAt: new Date('2027-01-01T07:00:00+08:00') });
      expect((await notificationsOf(one.client)).map((row) => row.kind)).toEqual(['ACTIVITY_CANCELLED']);
      // Not sent at midnight; sent at seven.
      const { adapter, sent } = recordingAdapter();
      const log = testApp.app.log;
      await deliverDueNotifications(testApp.database.db, adapter, { log, now: new Date('2027-01-01T00:05:00+08:00') });
      expect(sent).toEqual([]);
      await deliverDueNotifications(testApp.database.db, adapter, { log, now: new Date('2027-01-01T07:00:00+08:00') });
      expect(sent.map((message) => message.text)).toEqual([expect.stringContaining('暴雨预警') as unknown]);

      // A retry that would fall in the next night waits for the morning after it.
      const second = await createActivity(org.lead, {
        teamId: org.teams['RED'] ?? '',
        startsAt: '2027-01-03T09:00',
        endsAt: '2027-01-03T11:00',
      });
      expectNoErrors(await one.client.gql(SIGN_UP, { id: second.id }));
      expectNoErrors(
        await org.lead.gql(`mutation ($id: ID!) { cancelActivity(id: $id, reason: "场地维修") { id } }`, {
          id: second.id,
        }),
      );
      const failing: DeliveryAdapter = { send: () => Promise.reject(new Error('gateway unavailable')) };
      // Failed at 21:59:45: the backoff's 30 s end at 22:00:15, in quiet hours.
      await deliverDueNotifications(testApp.database.db, failing, { log, now: new Date('2027-01-01T21:59:45+08:00') });
      const retried = await deliveriesNow();
      expect(retried.at(-1)).toMatchObject({ attempts: 1, nextAttemptAt: new Date('2027-01-02T07:00:00+08:00') });

      // An activity starting before quiet hours end: an SMS held until then would come after its start.
      // Not queued at all; the in-app notification is there, and email would not be held.
      const early = await createActivity(org.lead, {
        teamId: org.teams['RED'] ?? '',
        title: '清晨巡河',
        startsAt: '2027-01-01T06:30',
        endsAt: '2027-01-01T08:00',
      });
      expectNoErrors(await one.client.gql(SIGN_UP, { id: early.id }));
      const before = (await deliveriesNow()).length;
      expectNoErrors(
        await org.lead.gql(`mutation ($id: ID!) { cancelActivity(id: $id, reason: "大雾") { id } }`, {
          id: early.id,
        }),
      );
      expect((await deliveriesNow()).length).toBe(before);
      expect((await notificationsOf(one.client)).find((row) => row.title === '清晨巡河')).toMatchObject({
        kind: 'ACTIVITY_CANCELLED',
        reason: '大雾',
      });

      const invalid = await org.admin.gql(
        `mutation ($input: QuietHoursInput) { setQuietHours(input: $input) { id } }`,
        { input: { start: '24:00', end: '07:00' } },
      );
      expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', fields: { start: 'INVALID_TIME' } });
      const off = await org.admin.gql<{ setQuietHours: { quietHours: null } }>(
        `mutation { setQuietHours(input: null) { quietHours { start } } }`,
      );
      expect(off.data?.setQuietHours.quietHours).toBeNull();
    } finally {
      await testApp.close();
    }
  });
});
