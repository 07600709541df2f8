/**
 * Check-in taken with no network (离线打卡): the phone keeps the check-in with
 * the time it was taken and sends it when the network returns. The API
 * records it at that time, holding every rule at that time (the window, the
 * radius, the lead's rotating code), marks it as sent later, and refuses one
 * that arrives past the bound (QUEUED_CHECK_IN_STALE) or claims a time from
 * the future. The app runs on a clock the test moves forward.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInCodeFor, codeStep } from '../src/modules/activities/check-in-codes.ts';
import { QUEUED_CHECK_IN_MAX_AGE_HOURS } from '../src/modules/activities/check-in.ts';
import {
  activityOrganization,
  createActivity,
  errorOf,
  northOfSite,
  SIGN_UP,
  TIME_ZONE,
  type ActivityOrganization,
} from './activities-seed.ts';
import { localTimesOn, movableClock } from './clock.ts';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';

const TEST_SECRET = 'qicai-test-secret-not-for-any-real-deployment';
const FIELDS = `id checkedInAt checkInMethod checkInReceivedAt checkedOutAt checkOutReceivedAt checkOutMinutes`;
const CHECK_IN = `mutation ($input: CheckInInput!) { checkIn(input: $input) { ${FIELDS} } }`;
const CHECK_OUT = `mutation ($input: CheckInInput!) { checkOut(input: $input) { ${FIELDS} } }`;

interface SignUpData {
  id: string;
  checkedInAt: string | null;
  checkInMethod: string | null;
  checkInReceivedAt: string | null;
  checkedOutAt: string | null;
  checkOutReceivedAt: string | null;
  checkOutMinutes: number | null;
}

/** Seconds from `start` to the instant `at` (the app's clock runs on at the real pace); NaN when absent. */
function secondsAfter(start: Date, at: string | null | undefined): number {
  const seconds = at ? (Date.parse(at) - start.getTime()) / 1000 : Number.NaN;
  return seconds >= 0 ? seconds : Number.NaN;
}

describe('check-in queued offline and sent later', () => {
  const clock = movableClock();
  let testApp: TestApp;
  let org: ActivityOrganization;
  let nextMember = 0;

  const { localTimeIn } = localTimesOn(clock, TIME_ZONE);
  const minutesFromNow = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000);

  beforeAll(async () => {
    testApp = await TestApp.start({}, { clock });
    org = await activityOrganization(testApp, 12);
  });
  afterAll(async () => {
    await testApp.close();
  });

  /** An activity from `startsIn` minutes for two hours, and `count` fresh members signed up to it. */
  async function activityWith(count: number, startsIn = 10): Promise<{ id: string; members: Client[] }> {
    const activity = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      title: '河道清理（离线打卡）',
      startsAt: localTimeIn(startsIn),
      endsAt: localTimeIn(startsIn + 120),
    });
    const members = org.members.slice(nextMember, nextMember + count).map((person) => person.client);
    nextMember += count;
    for (const member of members) expectNoErrors(await member.gql(SIGN_UP, { id: activity.id }));
    return { id: activity.id, members };
  }

  it('records a check-in and a check-out at the times they were taken, marked as sent later', async () => {
    const { id, members } = await activityWith(1);
    const [member] = members;
    if (!member) throw new Error('member');
    // Taken at the site now (the window is open), with no signal until after the activity ended.
    const checkInTaken = clock.now();
    const checkOutTaken = minutesFromNow(130);
    clock.forward(150);
    const arrived = clock.now();
    const checkedIn = await member.gql<{ checkIn: SignUpData }>(CHECK_IN, {
      input: {
        activityId: id,
        position: { ...northOfSite(60), accuracyMetres: 12 },
        takenAt: checkInTaken.toISOString(),
      },
    });
    expectNoErrors(checkedIn);
    expect(checkedIn.data?.checkIn).toMatchObject({ checkedInAt: checkInTaken.toISOString(), checkInMethod: 'GPS' });
    expect(secondsAfter(arrived, checkedIn.data?.checkIn.checkInReceivedAt)).toBeLessThan(30);
    const checkedOut = await member.gql<{ checkOut: SignUpData }>(CHECK_OUT, {
      input: { activityId: id, position: northOfSite(20), takenAt: checkOutTaken.toISOString() },
    });
    expectNoErrors(checkedOut);
    // The two hours of the activity count, as if sent at once.
    expect(checkedOut.data?.checkOut).toMatchObject({
      checkedOutAt: checkOutTaken.toISOString(),
      checkOutMinutes: 120,
    });
    expect(secondsAfter(arrived, checkedOut.data?.checkOut.checkOutReceivedAt)).toBeLessThan(30);
  });

  it('holds the window and the radius at the time taken, not at the time sent', async () => {
    const { id, members } = await activityWith(2, 60);
    const [early, far] = members;
    if (!early || !far) throw new Error('members');
    // Taken 40 minutes before the window opens (it opens 30 minutes before the start).
    const beforeWindow = minutesFromNow(-10);
    clock.forward(40);
    const refused = await early.gql(CHECK_IN, {
      input: { activityId: id, position: northOfSite(10), takenAt: beforeWindow.toISOString() },
    });
    expect(errorOf(refused)).toMatchObject({ code: 'OUTSIDE_WINDOW' });
    // The same member checking in now (the window is open) is accepted, sent at once.
    const now = await early.gql<{ checkIn: SignUpData }>(CHECK_IN, {
      input: { activityId: id, position: northOfSite(10) },
    });
    expectNoErrors(now);
    expect(now.data?.checkIn.checkInReceivedAt).toBeNull();
    const tooFar = await far.gql(CHECK_IN, {
      input: { activityId: id, position: northOfSite(900), takenAt: minutesFromNow(-5).toISOString() },
    });
    expect(errorOf(tooFar)).toMatchObject({ code: 'OUTSIDE_RADIUS', radiusMetres: 500 });
  });

  it(`accepts one arriving ${QUEUED_CHECK_IN_MAX_AGE_HOURS} hours after it was taken, refuses one a minute later`, async () => {
    const { id, members } = await activityWith(2);
    const [onTime, stale] = members;
    if (!onTime || !stale) throw new Error('members');
    const taken = clock.now();
    clock.forward(QUEUED_CHECK_IN_MAX_AGE_HOURS * 60);
    // The clock runs on between the two requests: the first is sent at the bound exactly.
    const atBound = new Date(clock.now().getTime() - QUEUED_CHECK_IN_MAX_AGE_HOURS * 3_600_000 + 1_000);
    expectNoErrors(
      await onTime.gql(CHECK_IN, {
        input: { activityId: id, position: northOfSite(30), takenAt: atBound.toISOString() },
      }),
    );
    clock.forward(1);
    const refused = await stale.gql(CHECK_IN, {
      input: { activityId: id, position: northOfSite(30), takenAt: taken.toISOString() },
    });
    expect(errorOf(refused)).toMatchObject({
      code: 'QUEUED_CHECK_IN_STALE',
      takenAt: taken.toISOString(),
      maxAgeHours: QUEUED_CHECK_IN_MAX_AGE_HOURS,
    });
  });

  it('checks the lead’s code against the time taken: a code seen later cannot date a check-in earlier', async () => {
    const { id, members } = await activityWith(2);
    const [scanned, backdated] = members;
    if (!scanned || !backdated) throw new Error('members');
    const taken = clock.now();
    const shownThen = checkInCodeFor(TEST_SECRET, org.orgId, id, codeStep(taken));
    clock.forward(45);
    const accepted = await scanned.gql<{ checkIn: SignUpData }>(CHECK_IN, {
      input: { activityId: id, code: shownThen, takenAt: taken.toISOString() },
    });
    expectNoErrors(accepted);
    expect(accepted.data?.checkIn).toMatchObject({ checkInMethod: 'QR', checkedInAt: taken.toISOString() });
    // Sent now, with the code shown now: the code was not shown at the time claimed.
    const shownNow = checkInCodeFor(TEST_SECRET, org.orgId, id, codeStep(clock.now()));
    const refused = await backdated.gql(CHECK_IN, {
      input: { activityId: id, code: shownNow, takenAt: taken.toISOString() },
    });
    expect(errorCode(refused)).toBe('INVALID_CHECK_IN_CODE');
  });

  it('refuses a time from the future and a check-out taken before its check-in', async () => {
    const { id, members } = await activityWith(1);
    const [member] = members;
    if (!member) throw new Error('member');
    const future = await member.gql(CHECK_IN, {
      input: { activityId: id, position: northOfSite(10), takenAt: minutesFromNow(30).toISOString() },
    });
    expect(errorOf(future)).toMatchObject({ code: 'VALIDATION', fields: { takenAt: 'OUT_OF_RANGE' } });
    const taken = clock.now();
    clock.forward(5);
    expectNoErrors(
      await member.gql(CHECK_IN, {
        input: { activityId: id, position: northOfSite(10), takenAt: taken.toISOString() },
      }),
    );
    const backwards = await member.gql(CHECK_OUT, {
      input: {
        activityId: id,
        position: northOfSite(10),
        confirmNoHours: true,
        takenAt: new Date(taken.getTime() - 60_000).toISOString(),
      },
    });
    expect(errorOf(backwards)).toMatchObject({ code: 'VALIDATION', fields: { takenAt: 'OUT_OF_RANGE' } });
  });
});
