/**
 * Check-in and check-out: by position within the radius and the window, by
 * the lead's code (no replay, no expired code), attendance by hand, and the
 * lead's live view over a WebSocket.
 */
import { auditLog, queryRows, withTenant } from '@qicai/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInCodeFor, codeStep } from '../src/modules/activities/check-in-codes.ts';
import { distanceMetres } from '../src/modules/activities/geo.ts';
import {
  activityOrganization,
  CANCEL_SIGN_UP,
  CHECK_IN,
  CHECK_OUT,
  createActivity,
  errorOf,
  localIn,
  northOfSite,
  SIGN_UP,
  SITE,
  type ActivityData,
  type ActivityOrganization,
} from './activities-seed.ts';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';
import { testClock } from './clock.ts';
import { subscribe as subscribeTo } from './live.ts';

const TEST_SECRET = 'qicai-test-secret-not-for-any-real-deployment';
const CODE = `query ($id: ID!) { activity(id: $id) { checkInCode { code url refreshAt expiresAt } } }`;

/** The northernmost position at most `metres` from the site, as the API measures it (found by bisection). */
function positionAtDistance(metres: number) {
  let inside = SITE.latitude;
  let outside = SITE.latitude + (2 * metres) / 111_195;
  for (let step = 0; step < 60; step++) {
    const middle = (inside + outside) / 2;
    if (distanceMetres({ latitude: middle, longitude: SITE.longitude }, SITE) <= metres) inside = middle;
    else outside = middle;
  }
  return { latitude: inside, longitude: SITE.longitude };
}

describe('check-in and check-out', () => {
  let testApp: TestApp;
  let org: ActivityOrganization;
  let member: Client;
  let memberId: string;
  /** Starts in 10 minutes: its check-in window is open. */
  let soon: ActivityData;

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await activityOrganization(testApp, 6);
    const [first] = org.members;
    if (!first) throw new Error('member');
    member = first.client;
    memberId = first.memberId;
    soon = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      startsAt: localIn(10),
      endsAt: localIn(130),
      capacity: 2,
    });
    // Three of the six: the others are free for the counters' activity, at the same time.
    for (const person of org.members.slice(0, 3)) expectNoErrors(await person.client.gql(SIGN_UP, { id: soon.id }));
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('accepts a position inside the radius and the window, and keeps the distance', async () => {
    const far = await member.gql(CHECK_IN, { input: { activityId: soon.id, position: northOfSite(800) } });
    expect(errorOf(far)).toMatchObject({ code: 'OUTSIDE_RADIUS', radiusMetres: 500 });
    expect(errorOf(far)?.['distanceMetres']).toBeCloseTo(800, -1);

    const near = await member.gql<{
      checkIn: { checkInMethod: string; checkInDistanceMetres: number; attendance: string; checkedInAt: string };
    }>(CHECK_IN, { input: { activityId: soon.id, position: { ...northOfSite(120), accuracyMetres: 15 } } });
    expectNoErrors(near);
    expect(near.data?.checkIn).toMatchObject({ checkInMethod: 'GPS', attendance: 'ATTENDED' });
    expect(near.data?.checkIn.checkInDistanceMetres).toBeCloseTo(120, 0);
    expect(errorCode(await member.gql(CHECK_IN, { input: { activityId: soon.id, position: northOfSite(0) } }))).toBe(
      'ALREADY_CHECKED_IN',
    );

    const out = await member.gql<{ checkOut: { checkOutMethod: string; checkOutDistanceMetres: number } }>(CHECK_OUT, {
      // Before the start no time counts: confirmed.
      input: { activityId: soon.id, position: northOfSite(40), confirmNoHours: true },
    });
    expect(out.data?.checkOut.checkOutDistanceMetres).toBeCloseTo(40, 0);
  });

  it('accepts a position exactly at the edge of the radius and refuses one a metre beyond', async () => {
    const edgeOrg = await activityOrganization(testApp, 2);
    const [atEdge, beyond] = edgeOrg.members;
    if (!atEdge || !beyond) throw new Error('members');
    const activity = await createActivity(edgeOrg.lead, {
      teamId: edgeOrg.teams['RED'] ?? '',
      startsAt: localIn(10),
      endsAt: localIn(70),
    });
    for (const person of [atEdge, beyond]) expectNoErrors(await person.client.gql(SIGN_UP, { id: activity.id }));
    const edge = positionAtDistance(500);
    expect(distanceMetres(edge, SITE)).toBeLessThanOrEqual(500);
    expect(distanceMetres(edge, SITE)).toBeGreaterThan(499.999);
    const accepted = await atEdge.client.gql<{ checkIn: { checkInDistanceMetres: number } }>(CHECK_IN, {
      input: { activityId: activity.id, position: edge },
    });
    expectNoErrors(accepted);
    expect(accepted.data?.checkIn.checkInDistanceMetres).toBeCloseTo(500, 2);
    const refused = await beyond.client.gql(CHECK_IN, {
      input: { activityId: activity.id, position: positionAtDistance(501) },
    });
    expect(errorOf(refused)).toMatchObject({ code: 'OUTSIDE_RADIUS', distanceMetres: 501, radiusMetres: 500 });
  });

  it('keeps each activity’s sign-up counters equal to its sign-ups, through check-in, check-out and cancellation', async () => {
    /** The counters the trigger keeps, next to a count of the sign-ups themselves. */
    const counters = () =>
      withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
        queryRows<{ kept: string; counted: string }>(
          tx,
          sql`select concat_ws('/', a.confirmed_count, a.waitlist_count, a.checked_in_count) as kept,
            concat_ws('/',
              count(s.id) filter (where s.status = 'CONFIRMED'),
              count(s.id) filter (where s.status = 'WAITLISTED'),
              count(s.id) filter (where s.status = 'CONFIRMED' and s.checked_in_at is not null and s.checked_out_at is null)
            ) as counted
          from activities a left join sign_ups s on s.org_id = a.org_id and s.activity_id = a.id
          where a.id = ${tiny.id} group by a.org_id, a.id`,
        ),
      );
    const tiny = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      startsAt: localIn(5),
      endsAt: localIn(65),
      capacity: 1,
    });
    const [first, second, third] = org.members.slice(3);
    if (!first || !second || !third) throw new Error('members');
    const steps: [Client, string, Record<string, unknown>, string][] = [
      [first.client, SIGN_UP, { id: tiny.id }, '1/0/0'],
      [second.client, SIGN_UP, { id: tiny.id }, '1/1/0'],
      [third.client, SIGN_UP, { id: tiny.id }, '1/2/0'],
      [first.client, CHECK_IN, { input: { activityId: tiny.id, position: northOfSite(10) } }, '1/2/1'],
      [
        first.client,
        CHECK_OUT,
        { input: { activityId: tiny.id, position: northOfSite(10), confirmNoHours: true } },
        '1/2/0',
      ],
      // The place is freed: the first waiting is promoted.
      [first.client, CANCEL_SIGN_UP, { id: tiny.id }, '1/1/0'],
      [second.client, CHECK_IN, { input: { activityId: tiny.id, position: northOfSite(10) } }, '1/1/1'],
      [second.client, CANCEL_SIGN_UP, { id: tiny.id }, '1/0/0'],
    ];
    for (const [client, mutation, variables, expected] of steps) {
      expectNoErrors(await client.gql(mutation, variables));
      const [row] = await counters();
      expect(row).toEqual({ kept: expected, counted: expected });
    }
  });

  it('refuses a check-in outside the window, and members without a place', async () => {
    const later = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      startsAt: localIn(200),
      endsAt: localIn(260),
    });
    const other = org.members[1]?.client;
    if (!other) throw new Error('member');
    expectNoErrors(await other.gql(SIGN_UP, { id: later.id }));
    const early = await other.gql(CHECK_IN, { input: { activityId: later.id, position: northOfSite(10) } });
    expect(errorOf(early)).toMatchObject({ code: 'OUTSIDE_WINDOW' });
    expect(new Date(String(errorOf(early)?.['opensAt'])).getTime()).toBe(
      new Date(later.startsAt).getTime() - 30 * 60_000,
    );

    const ended = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      startsAt: localIn(-120),
      endsAt: localIn(-30),
    });
    const afterEnd = await org.lead.gql(CHECK_IN, { input: { activityId: ended.id, position: northOfSite(10) } });
    expect(errorCode(afterEnd)).toBe('NOT_SIGNED_UP');

    // The third member is on the waitlist of `soon` (two places).
    const waiting = org.members[2]?.client;
    if (!waiting) throw new Error('member');
    expect(errorCode(await waiting.gql(CHECK_IN, { input: { activityId: soon.id, position: northOfSite(10) } }))).toBe(
      'NOT_CONFIRMED',
    );
    expect(errorCode(await other.gql(CHECK_OUT, { input: { activityId: soon.id, position: northOfSite(10) } }))).toBe(
      'NOT_CHECKED_IN',
    );
  });

  it('accepts the lead’s code once per member; refuses a replayed, an expired or another activity’s code', async () => {
    const other = org.members[1]?.client;
    if (!other) throw new Error('member');
    expect(errorCode(await other.gql(CODE, { id: soon.id }))).toBe('FORBIDDEN');
    const shown = await org.lead.gql<{ activity: { checkInCode: { code: string; url: string; expiresAt: string } } }>(
      CODE,
      { id: soon.id },
    );
    expectNoErrors(shown);
    const code = shown.data?.activity.checkInCode.code ?? '';
    expect(code).toMatch(/^[0-9A-Z]{8}$/);
    expect(shown.data?.activity.checkInCode.url).toBe(
      `http://localhost:3000/o/${org.slug}/activities/${soon.id}/check-in?code=${code}`,
    );

    const elsewhere = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      startsAt: localIn(5),
      endsAt: localIn(60),
    });
    const wrongActivity = await other.gql(CHECK_IN, {
      input: {
        activityId: soon.id,
        code: checkInCodeFor(TEST_SECRET, org.orgId, elsewhere.id, codeStep(testClock.now())),
      },
    });
    expect(errorCode(wrongActivity)).toBe('INVALID_CHECK_IN_CODE');
    const expired = await other.gql(CHECK_IN, {
      input: {
        activityId: soon.id,
        code: checkInCodeFor(TEST_SECRET, org.orgId, soon.id, codeStep(testClock.now()) - 4),
      },
    });
    expect(errorCode(expired)).toBe('CHECK_IN_CODE_EXPIRED');

    // Typed by hand, in lower case with a dash: still the code. No position: GPS is poor.
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`;
    const accepted = await other.gql<{ checkIn: { checkInMethod: string; checkInDistanceMetres: number | null } }>(
      CHECK_IN,
      { input: { activityId: soon.id, code: typed } },
    );
    expectNoErrors(accepted);
    expect(accepted.data?.checkIn).toEqual(
      expect.objectContaining({ checkInMethod: 'QR', checkInDistanceMetres: null }),
    );
    const replayed = await other.gql(CHECK_OUT, { input: { activityId: soon.id, code } });
    expect(errorCode(replayed)).toBe('CHECK_IN_CODE_USED');
  });

  it('lets the lead mark attendance by hand, audited; not a member', async () => {
    const signUps = await org.lead.gql<{
      activity: { signUps: { id: string; member: { id: string }; attendance: string | null }[] };
    }>(`query ($id: ID!) { activity(id: $id) { signUps { id attendance member { id } } } }`, { id: soon.id });
    const mine = signUps.data?.activity.signUps.find((row) => row.member.id === memberId);
    if (!mine) throw new Error('sign-up');
    const MARK = `mutation ($id: ID!, $attendance: Attendance!) { markAttendance(signUpId: $id, attendance: $attendance) { attendance } }`;
    expect(errorCode(await member.gql(MARK, { id: mine.id, attendance: 'NO_SHOW' }))).toBe('FORBIDDEN');
    const marked = await org.lead.gql<{ markAttendance: { attendance: string } }>(MARK, {
      id: mine.id,
      attendance: 'NO_SHOW',
    });
    expect(marked.data?.markAttendance.attendance).toBe('NO_SHOW');
    const audit = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.subjectId, mine.id)),
    );
    expect(audit.map((entry) => [entry.action, entry.detail['before'], entry.detail['after']])).toEqual([
      ['sign_up.attendance_marked', 'ATTENDED', 'NO_SHOW'],
    ]);
  });
});

describe('the lead’s live view', () => {
  let testApp: TestApp;
  let org: ActivityOrganization;
  let baseUrl: string;

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await activityOrganization(testApp, 2);
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    const address = testApp.app.server.address();
    if (!address || typeof address === 'string') throw new Error('not listening');
    baseUrl = `ws://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await testApp.close();
  });

  /** The lead's live view of an activity's check-ins, as `client`. */
  const subscribe = (client: Client, activityId: string, headers: Record<string, string> = {}) =>
    subscribeTo(
      baseUrl,
      client.org ?? '',
      {
        query: `subscription ($id: ID!) { attendanceChanged(activityId: $id) {
          checkedInAt checkInDistanceMetres checkInMethod member { displayName } } }`,
        variables: { id: activityId },
      },
      { cookie: client.cookieHeader(), ...headers },
    );

  it('pushes a check-in to the lead as it happens, and to nobody else', async () => {
    const activity = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      startsAt: localIn(5),
      endsAt: localIn(90),
    });
    const [checker, bystander] = org.members;
    if (!checker || !bystander) throw new Error('members');
    expectNoErrors(await checker.client.gql(SIGN_UP, { id: activity.id }));

    const listening = testApp.subscribed(activity.id);
    const lead = subscribe(org.lead, activity.id);
    await Promise.all([lead.opened, listening]);
    const member = subscribe(bystander.client, activity.id);
    await member.opened;
    // A member who is not the lead is refused the subscription.
    await expect
      .poll(() => member.messages.some((message) => message.type === 'error' || message.payload?.errors))
      .toBe(true);

    expectNoErrors(
      await checker.client.gql(CHECK_IN, { input: { activityId: activity.id, position: northOfSite(60) } }),
    );
    await expect
      .poll(() => lead.messages.filter((message) => message.type === 'next').map((message) => message.payload?.data))
      .toEqual([
        {
          attendanceChanged: {
            checkedInAt: expect.any(String) as unknown,
            checkInDistanceMetres: expect.closeTo(60, 0) as unknown,
            checkInMethod: 'GPS',
            member: { displayName: expect.any(String) as unknown },
          },
        },
      ]);
    lead.socket.close();
    member.socket.close();
  });

  it('refuses a WebSocket opened from another site (cross-site WebSocket hijacking)', async () => {
    const activity = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '' });
    const attempt = subscribe(org.lead, activity.id, { origin: 'https://evil.example' });
    await expect(attempt.opened).rejects.toThrow(/403|refused|Unexpected/);
  });
});
