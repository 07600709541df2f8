/**
 * Sign-ups: capacity under concurrency, the waitlist in arrival order,
 * promotion, one sign-up per member, required skills, overlaps.
 */
import { notifications, signUps, withTenant } from '@qicai/db';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activityOrganization,
  CANCEL_SIGN_UP,
  createActivity,
  errorOf,
  localIn,
  setSkills,
  SIGN_UP,
  type ActivityOrganization,
} from './activities-seed.ts';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';

const SIGN_UPS = `query ($id: ID!) { activity(id: $id) { confirmedCount waitlistCount
  signUps { id status waitlistPosition member { id } } } }`;

interface SignUpRow {
  id: string;
  status: string;
  waitlistPosition: number | null;
  member: { id: string };
}

describe('200 concurrent sign-ups for 10 places', () => {
  let testApp: TestApp;
  let org: ActivityOrganization;
  let volunteers: { client: Client; memberId: string }[];

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await activityOrganization(testApp, 0);
    volunteers = [];
    for (let i = 0; i < 200; i++) {
      const client = (await testApp.signUp()).in(org.slug);
      volunteers.push({ client, memberId: await testApp.addMember(org.orgId, client) });
    }
  }, 240_000);
  afterAll(async () => {
    await testApp.close();
  });

  it('gives exactly 10 places and waitlists 190 in arrival order; one cancellation promotes exactly the first waiting', async () => {
    const activity = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '', capacity: 10 });
    const results = await Promise.all(
      volunteers.map(({ client }) =>
        client.gql<{ signUp: { id: string; status: string; waitlistPosition: number | null } }>(SIGN_UP, {
          id: activity.id,
        }),
      ),
    );
    for (const result of results) expectNoErrors(result);
    const statuses = results.map((result) => result.data?.signUp.status);
    expect(statuses.filter((status) => status === 'CONFIRMED')).toHaveLength(10);
    expect(statuses.filter((status) => status === 'WAITLISTED')).toHaveLength(190);

    // Arrival order is the order places were handed out: every place before every waitlisted one,
    // and the waitlist numbered 1…190 in that order.
    const stored = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx
        .select({ id: signUps.id, status: signUps.status, memberId: signUps.memberId })
        .from(signUps)
        .where(eq(signUps.activityId, activity.id))
        .orderBy(asc(signUps.arrival)),
    );
    expect(stored.map((row) => row.status)).toEqual([
      ...Array.from({ length: 10 }, () => 'CONFIRMED'),
      ...Array.from({ length: 190 }, () => 'WAITLISTED'),
    ]);
    const answeredPosition = new Map(
      results.map((result) => [result.data?.signUp.id, result.data?.signUp.waitlistPosition]),
    );
    expect(stored.slice(10).map((row) => answeredPosition.get(row.id))).toEqual(
      Array.from({ length: 190 }, (_, index) => index + 1),
    );

    const view = await org.lead.gql<{
      activity: { confirmedCount: number; waitlistCount: number; signUps: SignUpRow[] };
    }>(SIGN_UPS, { id: activity.id });
    expect(view.data?.activity).toMatchObject({ confirmedCount: 10, waitlistCount: 190 });
    expect(view.data?.activity.signUps.map((row) => row.id)).toEqual(stored.map((row) => row.id));

    // One with a place cancels: the first waiting, and only they, get it and are told.
    const leaving = volunteers.find(({ memberId }) => memberId === stored[3]?.memberId);
    const first = stored[10];
    if (!leaving || !first) throw new Error('seed');
    expectNoErrors(await leaving.client.gql(CANCEL_SIGN_UP, { id: activity.id }));
    const after = await org.lead.gql<{
      activity: { confirmedCount: number; waitlistCount: number; signUps: SignUpRow[] };
    }>(SIGN_UPS, { id: activity.id });
    expect(after.data?.activity).toMatchObject({ confirmedCount: 10, waitlistCount: 189 });
    const rows = after.data?.activity.signUps ?? [];
    expect(rows.find((row) => row.id === first.id)?.status).toBe('CONFIRMED');
    expect(rows.filter((row) => row.status === 'WAITLISTED').map((row) => row.waitlistPosition)).toEqual(
      Array.from({ length: 189 }, (_, index) => index + 1),
    );
    expect(rows.filter((row) => row.status === 'WAITLISTED').map((row) => row.id)).toEqual(
      stored.slice(11).map((row) => row.id),
    );
    const told = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx.select({ memberId: notifications.memberId, kind: notifications.kind }).from(notifications),
    );
    expect(told).toEqual([{ memberId: first.memberId, kind: 'WAITLIST_PROMOTED' }]);
  });
});

describe('signing up', () => {
  let testApp: TestApp;
  let org: ActivityOrganization;
  let member: { client: Client; memberId: string };

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await activityOrganization(testApp, 3);
    const [first] = org.members;
    if (!first) throw new Error('member');
    member = first;
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('allows one sign-up per member, also when they press twice at once', async () => {
    const activity = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '' });
    const twice = await Promise.all([0, 1, 2].map(() => member.client.gql(SIGN_UP, { id: activity.id })));
    expect(twice.filter((result) => !result.errors)).toHaveLength(1);
    expect(twice.filter((result) => errorCode(result) === 'ALREADY_SIGNED_UP')).toHaveLength(2);
    // Cancelled, they may sign up again, at the back.
    expectNoErrors(await member.client.gql(CANCEL_SIGN_UP, { id: activity.id }));
    expect(errorCode(await member.client.gql(CANCEL_SIGN_UP, { id: activity.id }))).toBe('NOT_SIGNED_UP');
    const again = await member.client.gql<{ signUp: { status: string } }>(SIGN_UP, { id: activity.id });
    expect(again.data?.signUp.status).toBe('CONFIRMED');
  });

  it('confirms exactly up to the capacity: the last place taken, the next person waitlisted', async () => {
    const activity = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      capacity: 2,
      startsAt: localIn(11 * 24 * 60),
      endsAt: localIn(11 * 24 * 60 + 90),
    });
    const statuses = [];
    for (const { client } of org.members) {
      const result = await client.gql<{ signUp: { status: string; waitlistPosition: number | null } }>(SIGN_UP, {
        id: activity.id,
      });
      expectNoErrors(result);
      statuses.push(result.data?.signUp);
    }
    expect(statuses.map((signUp) => signUp?.status)).toEqual(['CONFIRMED', 'CONFIRMED', 'WAITLISTED']);
    expect(statuses[2]?.waitlistPosition).toBe(1);
  });

  it('checks required skills, regardless of case', async () => {
    const clinic = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      title: '义诊',
      requiredSkills: ['急救', 'Blood pressure'],
      startsAt: localIn(5 * 24 * 60),
      endsAt: localIn(5 * 24 * 60 + 120),
    });
    const refused = await member.client.gql(SIGN_UP, { id: clinic.id });
    expect(errorOf(refused)).toEqual({ code: 'MISSING_SKILLS', missing: ['急救', 'Blood pressure'] });
    await setSkills(testApp, org.orgId, member.memberId, ['急救', 'blood pressure ', '驾驶']);
    expectNoErrors(await member.client.gql(SIGN_UP, { id: clinic.id }));
  });

  it('refuses overlapping sign-ups with a clear coded message', async () => {
    const morning = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      title: '上午走访',
      startsAt: localIn(3 * 24 * 60),
      endsAt: localIn(3 * 24 * 60 + 180),
    });
    const overlapping = await createActivity(org.admin, {
      teamId: org.teams['PURPLE'] ?? '',
      title: '慰问老兵',
      startsAt: localIn(3 * 24 * 60 + 120),
      endsAt: localIn(3 * 24 * 60 + 240),
    });
    const after = await createActivity(org.admin, {
      teamId: org.teams['PURPLE'] ?? '',
      title: '下午课堂',
      startsAt: localIn(3 * 24 * 60 + 180),
      endsAt: localIn(3 * 24 * 60 + 300),
    });
    const other = org.members[1]?.client;
    if (!other) throw new Error('member');
    expectNoErrors(await other.gql(SIGN_UP, { id: morning.id }));
    const refused = await other.gql(SIGN_UP, { id: overlapping.id });
    expect(errorOf(refused)).toMatchObject({ code: 'OVERLAPPING_SIGN_UP', activityId: morning.id, title: '上午走访' });
    // Back to back is not an overlap.
    expectNoErrors(await other.gql(SIGN_UP, { id: after.id }));
    expectNoErrors(await other.gql(CANCEL_SIGN_UP, { id: morning.id }));
    expect(errorCode(await other.gql(SIGN_UP, { id: overlapping.id }))).toBe('OVERLAPPING_SIGN_UP');
    expectNoErrors(await other.gql(CANCEL_SIGN_UP, { id: after.id }));
    expectNoErrors(await other.gql(SIGN_UP, { id: overlapping.id }));
  });

  it('opens sign-up only for published activities that have not started', async () => {
    const draft = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '', publish: false });
    expect(errorCode(await member.client.gql(SIGN_UP, { id: draft.id }))).toBe('NOT_FOUND');
    // The lead sees their draft, but it is not open.
    expect(errorCode(await org.lead.gql(SIGN_UP, { id: draft.id }))).toBe('SIGN_UP_CLOSED');
    const started = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      startsAt: localIn(-10),
      endsAt: localIn(60),
    });
    expect(errorCode(await member.client.gql(SIGN_UP, { id: started.id }))).toBe('SIGN_UP_CLOSED');
  });

  it('gives places to the waitlist when the lead raises the capacity, and refuses one below the places given', async () => {
    const activity = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      capacity: 1,
      startsAt: localIn(9 * 24 * 60),
      endsAt: localIn(9 * 24 * 60 + 60),
    });
    const [a, b, c] = org.members;
    if (!a || !b || !c) throw new Error('members');
    for (const { client } of [a, b, c]) expectNoErrors(await client.gql(SIGN_UP, { id: activity.id }));
    const input = {
      teamId: org.teams['RED'],
      title: activity.title,
      category: 'ENVIRONMENT',
      placeName: '新墙河大桥',
      latitude: 29.1446,
      longitude: 113.1287,
      startsAt: activity.startsAtLocal,
      endsAt: activity.endsAtLocal,
      isPublic: false,
    };
    const UPDATE = `mutation ($id: ID!, $input: ActivityInput!) { updateActivity(id: $id, input: $input) { confirmedCount waitlistCount } }`;
    const raised = await org.lead.gql<{ updateActivity: { confirmedCount: number; waitlistCount: number } }>(UPDATE, {
      id: activity.id,
      input: { ...input, capacity: 2 },
    });
    expect(raised.data?.updateActivity).toEqual({ confirmedCount: 2, waitlistCount: 1 });
    const lowered = await org.lead.gql(UPDATE, { id: activity.id, input: { ...input, capacity: 1 } });
    expect(errorOf(lowered)).toEqual({ code: 'VALIDATION', fields: { capacity: 'BELOW_CONFIRMED' } });
  });
});
