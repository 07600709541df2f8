/**
 * Check-out that cannot lose hours: a check-out that would count no time
 * (before the start) is only taken when confirmed; a check-out can be undone
 * by its member within a few minutes and by the lead at any time, restoring
 * the check-in and withdrawing the service record it made — also when the
 * undo races a second check-out, another undo or the lead's approval.
 */
import { queryRows, withTenant } from '@qicai/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activityOrganization,
  CHECK_IN,
  createActivity,
  errorOf,
  northOfSite,
  SIGN_UP,
  TIME_ZONE,
  type ActivityOrganization,
} from './activities-seed.ts';
import { localTimesOn, movableClock } from './clock.ts';
import { APPROVE, memberHours, MY_RECORDS, type RecordData } from './hours-seed.ts';
import { errorCode, expectNoErrors, TestApp, type Client, type GraphQLResponse } from './helper.ts';

const SIGN_UP_FIELDS = `id checkedInAt checkedOutAt checkOutMethod checkOutMinutes checkOutUndoableUntil viewerCanUndoCheckOut`;
const CHECK_OUT = `mutation ($input: CheckInInput!) { checkOut(input: $input) { ${SIGN_UP_FIELDS} } }`;
const UNDO = `mutation ($id: ID!) { undoCheckOut(signUpId: $id) { ${SIGN_UP_FIELDS} } }`;
const MINE = `query ($id: ID!) { activity(id: $id) { viewerSignUp { ${SIGN_UP_FIELDS} } } }`;

interface SignUpData {
  id: string;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  checkOutMethod: string | null;
  checkOutMinutes: number | null;
  checkOutUndoableUntil: string | null;
  viewerCanUndoCheckOut: boolean;
}

describe('check-out that cannot lose hours', () => {
  const clock = movableClock();
  let testApp: TestApp;
  let org: ActivityOrganization;

  /** Wall time in the organization's zone, `minutes` from the app's clock. */
  const { localTimeIn } = localTimesOn(clock, TIME_ZONE);

  beforeAll(async () => {
    testApp = await TestApp.start({}, { clock });
    org = await activityOrganization(testApp, 8);
  });
  afterAll(async () => {
    await testApp.close();
  });

  /** An activity starting in 10 minutes for two hours, with `who` signed up and checked in now. */
  async function checkedIn(who: Client[]): Promise<string> {
    const activity = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      title: '敬老院义诊',
      startsAt: localTimeIn(10),
      endsAt: localTimeIn(130),
    });
    for (const client of who) {
      expectNoErrors(await client.gql(SIGN_UP, { id: activity.id }));
      expectNoErrors(await client.gql(CHECK_IN, { input: { activityId: activity.id, position: northOfSite(60) } }));
    }
    return activity.id;
  }

  async function mine(client: Client, activityId: string): Promise<SignUpData> {
    const result = await client.gql<{ activity: { viewerSignUp: SignUpData } }>(MINE, { id: activityId });
    expectNoErrors(result);
    if (!result.data) throw new Error('no sign-up');
    return result.data.activity.viewerSignUp;
  }

  const checkOut = (client: Client, activityId: string, confirmNoHours?: boolean) =>
    client.gql<{ checkOut: SignUpData }>(CHECK_OUT, {
      input: { activityId, position: northOfSite(80), ...(confirmNoHours ? { confirmNoHours } : {}) },
    });
  const undo = (client: Client, signUpId: string) => client.gql<{ undoCheckOut: SignUpData }>(UNDO, { id: signUpId });

  /** The member's records of the activity, by status, straight from the table. */
  async function recordsOf(activityId: string, memberId: string) {
    return withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      queryRows<{ status: string; source: string; minutes: number }>(
        tx,
        sql`select status::text, source::text, minutes from service_records
          where activity_id = ${activityId} and member_id = ${memberId} order by created_at, id`,
      ),
    );
  }

  /** The sign-up's check-out, the activity's checked-in counter and the live records of the check-out. */
  async function stateOf(activityId: string, memberId: string) {
    const [row] = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      queryRows<{ checkedOut: boolean; checkedInCount: number; liveRecords: number }>(
        tx,
        sql`select s.checked_out_at is not null as "checkedOut", a.checked_in_count as "checkedInCount",
            (select count(*)::int from service_records r where r.org_id = s.org_id and r.activity_id = s.activity_id
              and r.member_id = s.member_id and r.status in ('PENDING', 'APPROVED')) as "liveRecords"
          from sign_ups s join activities a on a.org_id = s.org_id and a.id = s.activity_id
          where s.activity_id = ${activityId} and s.member_id = ${memberId}`,
      ),
    );
    if (!row) throw new Error('no sign-up');
    return row;
  }

  function person(index: number) {
    const found = org.members[index];
    if (!found) throw new Error(`member ${index}`);
    return found;
  }

  it('asks before a check-out that counts no time, and lets the member undo it', async () => {
    const { client, memberId } = person(0);
    const activityId = await checkedIn([client]);

    const refused = await checkOut(client, activityId);
    expect(errorOf(refused)).toMatchObject({ code: 'CHECK_OUT_WITHOUT_HOURS' });
    expect((await mine(client, activityId)).checkedOutAt).toBeNull();

    const confirmed = await checkOut(client, activityId, true);
    expectNoErrors(confirmed);
    const out = confirmed.data?.checkOut;
    expect(out?.checkOutMinutes).toBe(0);
    expect(out?.viewerCanUndoCheckOut).toBe(true);
    expect(new Date(out?.checkOutUndoableUntil ?? 0).getTime() - new Date(out?.checkedOutAt ?? 0).getTime()).toBe(
      5 * 60_000,
    );
    expect(await recordsOf(activityId, memberId)).toEqual([]);

    const undone = await undo(client, out?.id ?? '');
    expectNoErrors(undone);
    expect(undone.data?.undoCheckOut).toMatchObject({
      checkedOutAt: null,
      checkOutMethod: null,
      checkOutMinutes: null,
      viewerCanUndoCheckOut: false,
    });
    expect(undone.data?.undoCheckOut.checkedInAt).toBe(out?.checkedInAt);
    expect(await stateOf(activityId, memberId)).toMatchObject({ checkedOut: false, checkedInCount: 1 });
    expect(errorCode(await undo(client, out?.id ?? ''))).toBe('NOT_CHECKED_OUT');
  });

  it('withdraws the record a check-out made; the member may undo for five minutes, the lead any time', async () => {
    const { client, memberId } = person(1);
    const activityId = await checkedIn([client]);
    // 40 minutes into the activity.
    clock.forward(50);
    const first = await checkOut(client, activityId);
    expectNoErrors(first);
    expect(first.data?.checkOut.checkOutMinutes).toBe(40);
    expect(await recordsOf(activityId, memberId)).toEqual([{ status: 'PENDING', source: 'CHECK_IN', minutes: 40 }]);

    clock.forward(4);
    expectNoErrors(await undo(client, first.data?.checkOut.id ?? ''));
    expect(await recordsOf(activityId, memberId)).toEqual([{ status: 'WITHDRAWN', source: 'CHECK_IN', minutes: 40 }]);
    const listed = await client.gql<{ myServiceRecords: RecordData[] }>(MY_RECORDS);
    expect(listed.data?.myServiceRecords.filter((record) => record.activity?.id === activityId)).toEqual([]);

    // Checked in still: the member checks out again, later, and the hours are counted again.
    clock.forward(30);
    const second = await checkOut(client, activityId);
    expectNoErrors(second);
    expect(second.data?.checkOut.checkOutMinutes).toBe(74);
    expect((await recordsOf(activityId, memberId)).map((record) => record.status)).toEqual(['WITHDRAWN', 'PENDING']);

    // Past the member's five minutes: only the lead undoes it.
    clock.forward(6);
    const signUpId = second.data?.checkOut.id ?? '';
    expect((await mine(client, activityId)).viewerCanUndoCheckOut).toBe(false);
    const late = await undo(client, signUpId);
    expect(errorOf(late)).toMatchObject({ code: 'UNDO_WINDOW_CLOSED' });
    expect(errorOf(late)?.['undoableUntil']).toBe(second.data?.checkOut.checkOutUndoableUntil);
    // Another member may not touch it at all.
    expect(errorCode(await undo(person(2).client, signUpId))).toBe('NOT_FOUND');
    const byLead = await undo(org.lead, signUpId);
    expectNoErrors(byLead);
    expect(byLead.data?.undoCheckOut.checkedOutAt).toBeNull();
    expect((await recordsOf(activityId, memberId)).map((record) => record.status)).toEqual(['WITHDRAWN', 'WITHDRAWN']);
    expect(await stateOf(activityId, memberId)).toEqual({ checkedOut: false, checkedInCount: 1, liveRecords: 0 });
  });

  it('refuses to undo a check-out whose hours are approved', async () => {
    const { client, memberId } = person(2);
    const activityId = await checkedIn([client]);
    clock.forward(40);
    const out = await checkOut(client, activityId);
    expectNoErrors(out);
    const [record] = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      queryRows<{ id: string }>(
        tx,
        sql`select id from service_records where activity_id = ${activityId} and member_id = ${memberId}`,
      ),
    );
    expectNoErrors(await org.lead.gql(APPROVE, { ids: [record?.id] }));
    expect(errorCode(await undo(client, out.data?.checkOut.id ?? ''))).toBe('RECORD_LOCKED');
    expect(errorCode(await undo(org.lead, out.data?.checkOut.id ?? ''))).toBe('RECORD_LOCKED');
    expect(await stateOf(activityId, memberId)).toMatchObject({ checkedOut: true, liveRecords: 1 });
    expect((await memberHours(client)).allTimeMinutes).toBe(30);
  });

  it('stays consistent when an undo races a second check-out, another undo, or the lead’s approval', async () => {
    const racers = [person(3), person(4), person(5), person(6)];
    const activityId = await checkedIn(racers.map((racer) => racer.client));
    clock.forward(30);
    const outcomes: string[] = [];
    for (const { client, memberId } of racers) {
      const out = await checkOut(client, activityId);
      expectNoErrors(out);
      const signUpId = out.data?.checkOut.id ?? '';
      const [record] = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
        queryRows<{ id: string }>(
          tx,
          sql`select id from service_records where activity_id = ${activityId} and member_id = ${memberId}
            and status = 'PENDING'`,
        ),
      );

      // The member's undo and a second check-out (a double tap): one after the other, whichever first.
      const [undone, again] = await Promise.all([undo(client, signUpId), checkOut(client, activityId)]);
      expectNoErrors(undone);
      const afterTap = await stateOf(activityId, memberId);
      if (again.errors) {
        expect(errorCode(again)).toBe('ALREADY_CHECKED_OUT');
        expect(afterTap).toMatchObject({ checkedOut: false, liveRecords: 0 });
      } else {
        expect(afterTap).toMatchObject({ checkedOut: true, liveRecords: 1 });
        expectNoErrors(await undo(client, signUpId));
      }
      outcomes.push(again.errors ? 'undo first' : 'check-out first');

      // Checked in again: out once more, then the member and the lead undo it at once — one of them does.
      expectNoErrors(await checkOut(client, activityId));
      const both = await Promise.all([undo(client, signUpId), undo(org.lead, signUpId)]);
      expect(both.filter((result) => !result.errors)).toHaveLength(1);
      expect(both.map(errorCode).filter(Boolean)).toEqual(['NOT_CHECKED_OUT']);
      expect(await stateOf(activityId, memberId)).toMatchObject({ checkedOut: false, liveRecords: 0 });

      // Out again; the member undoes while the lead approves: either the hours are approved and the undo
      // refused, or they are withdrawn and the approval changes nothing; the totals agree with the records.
      expectNoErrors(await checkOut(client, activityId));
      const [pending] = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
        queryRows<{ id: string }>(
          tx,
          sql`select id from service_records where activity_id = ${activityId} and member_id = ${memberId}
            and status = 'PENDING'`,
        ),
      );
      expect(pending?.id).not.toBe(record?.id);
      const [undoResult, approveResult]: [GraphQLResponse<unknown>, GraphQLResponse<unknown>] = await Promise.all([
        undo(client, signUpId),
        org.lead.gql(APPROVE, { ids: [pending?.id] }),
      ]);
      expectNoErrors(approveResult);
      const final = await stateOf(activityId, memberId);
      const hours = await memberHours(client);
      if (undoResult.errors) {
        expect(errorCode(undoResult)).toBe('RECORD_LOCKED');
        expect(final).toMatchObject({ checkedOut: true, liveRecords: 1 });
        expect(hours.allTimeMinutes).toBe(20);
      } else {
        expect(final).toMatchObject({ checkedOut: false, liveRecords: 0 });
        expect(hours.allTimeMinutes).toBe(0);
      }
    }
    // Recorded for the reader: which way the races went (both ways are correct).
    expect(outcomes).toHaveLength(racers.length);
  });
});
