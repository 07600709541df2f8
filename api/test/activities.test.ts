/**
 * Scheduling: who may create and change activities, who sees them,
 * recurrence in the organization's time zone, and the list's statement count.
 */
import { activities, auditLog, withTenant } from '@qicai/db';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTIVITY_FIELDS,
  activityInput,
  activityOrganization,
  createActivity,
  errorOf,
  SIGN_UP,
  TIME_ZONE,
  type ActivityData,
  type ActivityOrganization,
} from './activities-seed.ts';
import { errorCode, expectNoErrors, TestApp } from './helper.ts';
import { formatWallTime, instantOf, parseWallTime, wallTimeAt, addDays } from '../src/kernel/time.ts';
import { testClock } from './clock.ts';

const UPDATE = `mutation ($id: ID!, $input: ActivityInput!, $scope: EditScope) {
  updateActivity(id: $id, input: $input, scope: $scope) { ${ACTIVITY_FIELDS} } }`;
const ACTIVITY = `query ($id: ID!) { activity(id: $id) { ${ACTIVITY_FIELDS} } }`;
const LIST = `query ($filter: ActivityFilter, $first: Int) {
  activities(filter: $filter, first: $first) { nodes { ${ACTIVITY_FIELDS} } pageInfo { hasNextPage endCursor } } }`;
const SERIES = `query ($id: ID!) { activitySeries(id: $id) { rrule recurrence { frequency count byWeekday }
  occurrences { id startsAt startsAtLocal endsAtLocal status detached title } } }`;

describe('scheduling activities', () => {
  let testApp: TestApp;
  let org: ActivityOrganization;

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await activityOrganization(testApp, 2);
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('lets a lead schedule for their own team only, an admin for any, a member for none', async () => {
    const own = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '', publish: false });
    expect(own).toMatchObject({ status: 'DRAFT', team: { colour: 'RED' }, viewerCanManage: true });
    const audit = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.subjectId, own.id)),
    );
    expect(audit.map((entry) => entry.action)).toEqual(['activity.created']);

    const other = await org.lead.gql(`mutation ($input: ActivityInput!) { createActivity(input: $input) { id } }`, {
      input: activityInput({ teamId: org.teams['GREEN'] ?? '' }),
    });
    expect(errorCode(other)).toBe('FORBIDDEN');
    const asMember = await org.members[0]?.client.gql(
      `mutation ($input: ActivityInput!) { createActivity(input: $input) { id } }`,
      { input: activityInput({ teamId: org.teams['RED'] ?? '' }) },
    );
    expect(asMember && errorCode(asMember)).toBe('FORBIDDEN');
    const byAdmin = await createActivity(org.admin, { teamId: org.teams['GREEN'] ?? '' });
    expect(byAdmin.team.colour).toBe('GREEN');
  });

  it('keeps start and end in UTC and shows them in the organization’s time zone', async () => {
    const created = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      startsAt: '2030-03-01T07:30',
      endsAt: '2030-03-01T11:00',
    });
    expect(created).toMatchObject({
      startsAtLocal: '2030-03-01T07:30',
      endsAtLocal: '2030-03-01T11:00',
      // 07:30 in Shanghai is 23:30 UTC the day before.
      startsAt: '2030-02-28T23:30:00.000Z',
      endsAt: '2030-03-01T03:00:00.000Z',
    });
  });

  it('refuses bad input field by field', async () => {
    const result = await org.lead.gql(`mutation ($input: ActivityInput!) { createActivity(input: $input) { id } }`, {
      input: activityInput({
        teamId: org.teams['RED'] ?? '',
        title: '  ',
        startsAt: '2030-03-01T10:00',
        endsAt: '2030-03-01T09:00',
        capacity: 0,
      }),
    });
    expect(errorOf(result)).toEqual({
      code: 'VALIDATION',
      fields: { title: 'REQUIRED', endsAt: 'ENDS_BEFORE_START', capacity: 'OUT_OF_RANGE' },
    });
  });

  it('does not let a lead edit, publish or cancel another team’s activity', async () => {
    const green = await createActivity(org.admin, { teamId: org.teams['GREEN'] ?? '', publish: false });
    const edit = await org.lead.gql(UPDATE, {
      id: green.id,
      input: activityInput({ teamId: org.teams['GREEN'] ?? '', title: '改成我的' }),
    });
    // A draft of another team is not even visible to them.
    expect(errorCode(edit)).toBe('NOT_FOUND');
    await org.admin.gql(`mutation ($id: ID!) { publishActivity(id: $id) { id } }`, { id: green.id });
    const editPublished = await org.lead.gql(UPDATE, {
      id: green.id,
      input: activityInput({ teamId: org.teams['GREEN'] ?? '', title: '改成我的' }),
    });
    expect(errorCode(editPublished)).toBe('FORBIDDEN');
    const moveToOwnTeam = await org.lead.gql(UPDATE, {
      id: green.id,
      input: activityInput({ teamId: org.teams['RED'] ?? '' }),
    });
    expect(errorCode(moveToOwnTeam)).toBe('FORBIDDEN');
    for (const mutation of ['cancelActivity(id: $id) { id }', 'completeActivity(id: $id, beneficiaries: 5) { id }']) {
      expect(errorCode(await org.lead.gql(`mutation ($id: ID!) { ${mutation} }`, { id: green.id }))).toBe('FORBIDDEN');
    }
    const unchanged = await org.admin.gql<{ activity: ActivityData }>(ACTIVITY, { id: green.id });
    expect(unchanged.data?.activity).toMatchObject({ title: '河道清理', status: 'PUBLISHED' });
  });

  it('hides drafts from members and members-only activities from the public and other organizations', async () => {
    const draft = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '', publish: false });
    const membersOnly = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '', title: '内部党课' });
    const open = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '', title: '公益课堂', isPublic: true });
    const member = org.members[0]?.client;
    if (!member) throw new Error('member');

    expect(errorCode(await member.gql(ACTIVITY, { id: draft.id }))).toBe('NOT_FOUND');
    expectNoErrors(await member.gql(ACTIVITY, { id: membersOnly.id }));

    const publicView = testApp.anonymous(org.slug);
    expect(errorCode(await publicView.gql(ACTIVITY, { id: membersOnly.id }))).toBe('NOT_FOUND');
    const publicList = await publicView.gql<{ activities: { nodes: { id: string; viewerSignUp: null }[] } }>(LIST, {});
    expectNoErrors(publicList);
    expect(publicList.data?.activities.nodes.map((node) => node.id)).toEqual([open.id]);

    // A member — even an admin — of another organization, naming either organization.
    const outsider = await testApp.signUp();
    await outsider.createOrganization('另一个协会', 'another-org');
    for (const client of [outsider, outsider.in(org.slug)]) {
      expect(errorCode(await client.gql(ACTIVITY, { id: membersOnly.id }))).toBe('NOT_FOUND');
      expect(errorCode(await client.gql(SIGN_UP, { id: membersOnly.id }))).toBe('NOT_FOUND');
      const list = await client.gql<{ activities: { nodes: { id: string }[] } }>(LIST, {});
      expect(list.data?.activities.nodes.map((node) => node.id)).not.toContain(membersOnly.id);
    }
    const seenByOutsider = await outsider.in(org.slug).gql<{ activities: { nodes: { id: string }[] } }>(LIST, {});
    expect(seenByOutsider.data?.activities.nodes.map((node) => node.id)).toEqual([open.id]);
  });

  it('filters by calendar day in the organization’s time zone, team colour and category', async () => {
    // 07:30 on 1 April in Shanghai is still 31 March in UTC; 23:30 on 1 April is 15:30 UTC.
    const early = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      title: '清晨党课',
      category: 'LECTURE',
      startsAt: '2032-04-01T07:30',
      endsAt: '2032-04-01T08:30',
    });
    const late = await createActivity(org.admin, {
      teamId: org.teams['GOLD'] ?? '',
      title: '深夜陪伴',
      category: 'CARE_FOR_CHILDREN',
      startsAt: '2032-04-01T23:00',
      endsAt: '2032-04-01T23:30',
    });
    await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      startsAt: '2032-04-02T00:30',
      endsAt: '2032-04-02T01:00',
    });
    const day = async (filter: Record<string, unknown>) =>
      (
        await org.members[0]?.client.gql<{ activities: { nodes: { id: string }[] } }>(LIST, {
          filter: { fromDate: '2032-04-01', toDate: '2032-04-01', ...filter },
        })
      )?.data?.activities.nodes.map((node) => node.id);
    expect(await day({})).toEqual([early.id, late.id]);
    expect(await day({ teamColours: ['GOLD'] })).toEqual([late.id]);
    expect(await day({ categories: ['LECTURE'] })).toEqual([early.id]);
  });

  it('answers NOT_FOUND for another organization’s activities to every operation', async () => {
    const victim = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '' });
    const outsider = await testApp.signUp();
    await outsider.createOrganization('第三个协会', 'third-org');
    const operations = [
      `mutation ($id: ID!) { cancelActivity(id: $id) { id } }`,
      `mutation ($id: ID!) { publishActivity(id: $id) { id } }`,
      `mutation ($id: ID!) { completeActivity(id: $id, beneficiaries: 1) { id } }`,
      `mutation ($id: ID!) { cancelSignUp(activityId: $id) { id } }`,
      `mutation ($id: ID!) { checkIn(input: { activityId: $id, position: { latitude: 29.1, longitude: 113.1 } }) { id } }`,
      `mutation ($id: ID!) { markAttendance(signUpId: $id, attendance: NO_SHOW) { id } }`,
      `query ($id: ID!) { activity(id: $id) { signUps { id } } }`,
    ];
    for (const query of operations) {
      for (const client of [outsider, outsider.in(org.slug)]) {
        expect(errorCode(await client.gql(query, { id: victim.id })), query).toBe('NOT_FOUND');
      }
    }
  });

  it('lists with team, counts and the viewer’s sign-up in a number of statements that does not grow', async () => {
    const team = org.teams['BLUE'] ?? '';
    const from = '2031-01-01T00:00:00Z';
    for (let i = 0; i < 50; i++) {
      await createActivity(org.admin, {
        teamId: team,
        title: `统计 ${i}`,
        startsAt: `2031-01-${String((i % 28) + 1).padStart(2, '0')}T${String(8 + (i % 10)).padStart(2, '0')}:00`,
        endsAt: `2031-01-${String((i % 28) + 1).padStart(2, '0')}T${String(9 + (i % 10)).padStart(2, '0')}:00`,
      });
    }
    const member = org.members[1]?.client;
    if (!member) throw new Error('member');
    const first = await member.gql<{ activities: { nodes: ActivityData[] } }>(LIST, {
      filter: { from, teamColours: ['BLUE'] },
      first: 3,
    });
    for (const node of first.data?.activities.nodes ?? []) expectNoErrors(await member.gql(SIGN_UP, { id: node.id }));

    const statementsFor = async (size: number) => {
      const before = testApp.statements;
      const result = await member.gql<{ activities: { nodes: ActivityData[] } }>(LIST, {
        filter: { from, teamColours: ['BLUE'] },
        first: size,
      });
      expectNoErrors(result);
      expect(result.data?.activities.nodes).toHaveLength(size);
      expect(result.data?.activities.nodes.filter((node) => node.viewerSignUp?.status === 'CONFIRMED')).toHaveLength(3);
      expect(result.data?.activities.nodes[0]?.confirmedCount).toBe(1);
      return testApp.statements - before;
    };
    const forTen = await statementsFor(10);
    expect(await statementsFor(50)).toBe(forTen);
    // Request context, list, team, counts (confirmed and waitlisted), the viewer's sign-ups, what they manage.
    expect(forTen).toBeLessThanOrEqual(20);
  });
});

describe('recurring activities', () => {
  let testApp: TestApp;
  let org: ActivityOrganization;

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await activityOrganization(testApp, 1);
  });
  afterAll(async () => {
    await testApp.close();
  });

  /** The 27th of next month, at 07:30 in the organization's zone (23:30 UTC the day before). */
  function startNearMonthEnd(): string {
    const today = wallTimeAt(testClock.now(), TIME_ZONE);
    const next = today.month === 12 ? { year: today.year + 1, month: 1 } : { year: today.year, month: today.month + 1 };
    return formatWallTime({ ...next, day: 27, hour: 7, minute: 30 });
  }

  it('generates a weekly series across a month boundary in the organization’s time zone, and regenerating adds nothing', async () => {
    const start = startNearMonthEnd();
    const startWall = parseWallTime(start);
    if (!startWall) throw new Error('start');
    const created = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      title: '每周党课',
      startsAt: start,
      endsAt: formatWallTime({ ...startWall, hour: 9, minute: 0 }),
      recurrence: { frequency: 'WEEKLY', count: 4 },
    });
    expect(created.startsAtLocal).toBe(start);
    const seriesId = created.series?.id ?? '';
    const read = async () =>
      (
        await org.lead.gql<{
          activitySeries: { rrule: string; occurrences: { startsAt: string; startsAtLocal: string }[] };
        }>(SERIES, { id: seriesId })
      ).data?.activitySeries;

    const expected = [0, 7, 14, 21].map((days) => formatWallTime(addDays(startWall, days)));
    // Two of them fall in the month after: the days wrap, the time of day stays.
    expect(expected.filter((local) => local.slice(5, 7) !== start.slice(5, 7))).toHaveLength(3);
    const series = await read();
    expect(series?.rrule).toBe('FREQ=WEEKLY;COUNT=4');
    expect(series?.occurrences.map((occurrence) => occurrence.startsAtLocal)).toEqual(expected);
    expect(series?.occurrences.map((occurrence) => occurrence.startsAt)).toEqual(
      expected.map((local) => {
        const wall = parseWallTime(local);
        if (!wall) throw new Error(local);
        return instantOf(wall, TIME_ZONE).toISOString();
      }),
    );

    const regenerate = () => org.lead.gql(`mutation ($id: ID!) { regenerateSeries(id: $id) { id } }`, { id: seriesId });
    expectNoErrors(await regenerate());
    // And several at once.
    for (const result of await Promise.all([regenerate(), regenerate(), regenerate()])) expectNoErrors(result);
    expect((await read())?.occurrences.map((occurrence) => occurrence.startsAtLocal)).toEqual(expected);
    const [stored] = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx.select({ occurrences: count() }).from(activities).where(eq(activities.seriesId, seriesId)),
    );
    expect(stored?.occurrences).toBe(4);
  });

  it('edits one occurrence on its own, or the whole series, and tells members signed up when it moves', async () => {
    const start = startNearMonthEnd();
    const startWall = parseWallTime(start);
    if (!startWall) throw new Error('start');
    const first = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      title: '每周环保',
      startsAt: start,
      endsAt: formatWallTime({ ...startWall, hour: 10, minute: 0 }),
      recurrence: { frequency: 'WEEKLY', until: formatWallTime(addDays(startWall, 14)).slice(0, 10) },
    });
    const seriesId = first.series?.id ?? '';
    const occurrences = async () =>
      (
        await org.lead.gql<{
          activitySeries: { occurrences: { id: string; startsAtLocal: string; title: string; detached: boolean }[] };
        }>(SERIES, { id: seriesId })
      ).data?.activitySeries.occurrences ?? [];
    const [one, two, three] = await occurrences();
    if (!one || !two || !three) throw new Error('three occurrences');

    // The second alone: 30 minutes later and renamed.
    const second = formatWallTime({ ...addDays(startWall, 7), hour: 8, minute: 0 });
    expectNoErrors(
      await org.lead.gql(UPDATE, {
        id: two.id,
        input: activityInput({
          teamId: org.teams['RED'] ?? '',
          title: '环保（改期）',
          startsAt: second,
          endsAt: formatWallTime({ ...addDays(startWall, 7), hour: 10, minute: 30 }),
        }),
        scope: 'OCCURRENCE',
      }),
    );
    const member = org.members[0]?.client;
    if (!member) throw new Error('member');
    expectNoErrors(await member.gql(SIGN_UP, { id: three.id }));

    // The whole series: an hour later, a new title; the second keeps its own.
    expectNoErrors(
      await org.lead.gql(UPDATE, {
        id: one.id,
        input: activityInput({
          teamId: org.teams['RED'] ?? '',
          title: '每周环保行动',
          startsAt: formatWallTime({ ...startWall, hour: 8, minute: 30 }),
          endsAt: formatWallTime({ ...startWall, hour: 11, minute: 0 }),
        }),
        scope: 'SERIES',
      }),
    );
    const after = await occurrences();
    expect(after.map(({ title, startsAtLocal, detached }) => ({ title, startsAtLocal, detached }))).toEqual([
      { title: '每周环保行动', startsAtLocal: formatWallTime({ ...startWall, hour: 8, minute: 30 }), detached: false },
      { title: '环保（改期）', startsAtLocal: second, detached: true },
      {
        title: '每周环保行动',
        startsAtLocal: formatWallTime({ ...addDays(startWall, 14), hour: 8, minute: 30 }),
        detached: false,
      },
    ]);
    const notifications = await member.gql<{ notifications: { nodes: { kind: string; title: string }[] } }>(
      `{ notifications { nodes { kind title previousStartsAt } unreadCount } }`,
    );
    expect(notifications.data?.notifications.nodes).toMatchObject([{ kind: 'ACTIVITY_MOVED', title: '每周环保行动' }]);
    const moved = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx
        .select({ id: activities.id })
        .from(activities)
        .where(and(eq(activities.seriesId, seriesId), isNotNull(activities.cancelledAt))),
    );
    expect(moved).toEqual([]);
  });

  it('cancels one occurrence or the rest of the series, telling those signed up', async () => {
    const start = startNearMonthEnd();
    const startWall = parseWallTime(start);
    if (!startWall) throw new Error('start');
    const first = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      title: '月度义诊',
      category: 'FREE_CLINIC',
      startsAt: formatWallTime({ ...startWall, hour: 14, minute: 0 }),
      endsAt: formatWallTime({ ...startWall, hour: 17, minute: 0 }),
      recurrence: { frequency: 'MONTHLY', count: 3 },
    });
    const member = org.members[0]?.client;
    if (!member) throw new Error('member');
    expectNoErrors(await member.gql(SIGN_UP, { id: first.id }));
    const cancelled = await org.lead.gql<{ cancelActivity: { status: string } }>(
      `mutation ($id: ID!) { cancelActivity(id: $id, reason: "暴雨预警", scope: SERIES) { status } }`,
      { id: first.id },
    );
    expect(cancelled.data?.cancelActivity.status).toBe('CANCELLED');
    const series = await org.lead.gql<{ activitySeries: { occurrences: { status: string }[] } }>(SERIES, {
      id: first.series?.id,
    });
    expect(series.data?.activitySeries.occurrences.map((occurrence) => occurrence.status)).toEqual([
      'CANCELLED',
      'CANCELLED',
      'CANCELLED',
    ]);
    const notifications = await member.gql<{
      notifications: { nodes: { kind: string; reason: string; read: boolean }[]; unreadCount: number };
    }>(`{ notifications { nodes { kind reason read } unreadCount } }`);
    expect(notifications.data?.notifications.nodes[0]).toEqual({
      kind: 'ACTIVITY_CANCELLED',
      reason: '暴雨预警',
      read: false,
    });
    const read = await member.gql<{ markNotificationsRead: number }>(`mutation { markNotificationsRead }`);
    expect(read.data?.markNotificationsRead).toBe(notifications.data?.notifications.unreadCount);
    const again = await member.gql<{ notifications: { unreadCount: number } }>(`{ notifications { unreadCount } }`);
    expect(again.data?.notifications.unreadCount).toBe(0);
  });
});
