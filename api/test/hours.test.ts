import { auditLog, withTenant } from '@qicai/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatLocalDate, formatWallTime, instantOf, wallTimeAt } from '../src/kernel/time.ts';
import { workingDaysBetween } from '../src/modules/hours/rules.ts';
import { isWorkingDay } from '../src/kernel/working-days.ts';
import {
  activityOrganization,
  CHECK_IN,
  CHECK_OUT,
  createActivity,
  errorOf,
  localIn,
  SIGN_UP,
  SITE,
  TIME_ZONE,
  type ActivityOrganization,
} from './activities-seed.ts';
import { minutesFromNow, testClock } from './clock.ts';
import { errorCode, expectNoErrors, TestApp } from './helper.ts';
import {
  ACCEPT_CORRECTION,
  APPROVE,
  compareRollups,
  dataOf,
  DECLINE,
  ENTER,
  memberHours,
  MY_RECORDS,
  outsideService,
  pastActivity,
  QUEUE,
  REFUSE_CORRECTION,
  report,
  REPORT,
  REQUEST_CORRECTION,
  seededRandom,
  setActivityTimes,
  setCheckedInAt,
  UPDATE_RECORD,
  type RecordData,
} from './hours-seed.ts';

let testApp: TestApp;
let org: ActivityOrganization;

beforeAll(async () => {
  testApp = await TestApp.start();
  org = await activityOrganization(testApp, 4);
}, 120_000);

afterAll(async () => {
  await testApp.close();
});

const red = () => org.teams['RED'] ?? '';
const member = (index: number) => {
  const found = org.members[index];
  if (!found) throw new Error('no such member');
  return found;
};

describe('records from check-in and check-out', () => {
  it('computes the hours, capped at the activity window, pending the lead', async () => {
    const { client, memberId } = member(0);
    // Starts in 5 minutes so check-in is open; then moved so the member arrived early and it is under way.
    const activity = await createActivity(org.lead, { teamId: red(), startsAt: localIn(5), endsAt: localIn(65) });
    expectNoErrors(await client.gql(SIGN_UP, { id: activity.id }));
    expectNoErrors(await client.gql(CHECK_IN, { input: { activityId: activity.id, position: SITE } }));
    const startsAt = minutesFromNow(-90);
    await setActivityTimes(testApp, org.orgId, activity.id, startsAt, minutesFromNow(30));
    // Checked in 30 minutes before the start: travel and waiting are not service time.
    await setCheckedInAt(testApp, org.orgId, activity.id, memberId, new Date(startsAt.getTime() - 30 * 60_000));
    expectNoErrors(await client.gql(CHECK_OUT, { input: { activityId: activity.id, position: SITE } }));

    const records = dataOf(await client.gql<{ myServiceRecords: RecordData[] }>(MY_RECORDS)).myServiceRecords;
    const record = records.find((row) => row.activity?.id === activity.id);
    expect(record).toMatchObject({
      source: 'CHECK_IN',
      status: 'PENDING',
      activityName: '河道清理',
      place: '新墙河大桥',
    });
    expect(record?.minutes).toBeGreaterThanOrEqual(89);
    expect(record?.minutes).toBeLessThanOrEqual(90);
    expect(record?.activityLead).toBe('成员 ' + (org.lead.accountId ?? '').slice(0, 4));

    const queue = dataOf(await org.lead.gql<{ serviceRecordQueue: RecordData[] }>(QUEUE)).serviceRecordQueue;
    expect(queue.find((row) => row.id === record?.id)?.viewerCanDecide).toBe(true);
  });

  it('flags a check-in without a check-out for the lead, who enters the hours', async () => {
    const { client, memberId } = member(1);
    const activity = await createActivity(org.lead, { teamId: red(), startsAt: localIn(5), endsAt: localIn(65) });
    expectNoErrors(await client.gql(SIGN_UP, { id: activity.id }));
    expectNoErrors(await client.gql(CHECK_IN, { input: { activityId: activity.id, position: SITE } }));
    const startsAt = minutesFromNow(-5 * 60);
    await setActivityTimes(testApp, org.orgId, activity.id, startsAt, new Date(startsAt.getTime() + 2 * 60 * 60_000));

    const missing = dataOf(
      await org.lead.gql<{ missingCheckOuts: { member: { id: string }; activity: { id: string } }[] }>(
        `{ missingCheckOuts { member { id } activity { id } } }`,
      ),
    ).missingCheckOuts;
    expect(missing).toContainEqual({ member: { id: memberId }, activity: { id: activity.id } });
    // Nothing was guessed: no record until someone enters one.
    const own = dataOf(await client.gql<{ myServiceRecords: RecordData[] }>(MY_RECORDS)).myServiceRecords;
    expect(own.some((row) => row.activity?.id === activity.id)).toBe(false);

    const entered = dataOf(
      await org.lead.gql<{ enterServiceHours: RecordData }>(ENTER, {
        memberId,
        input: { activityId: activity.id },
      }),
    ).enterServiceHours;
    expect(entered).toMatchObject({ source: 'LEAD_ENTERED', checkOutMissing: true, minutes: 120, status: 'PENDING' });
    const after = dataOf(
      await org.lead.gql<{ missingCheckOuts: { member: { id: string } }[] }>(`{ missingCheckOuts { member { id } } }`),
    ).missingCheckOuts;
    expect(after.some((row) => row.member.id === memberId)).toBe(false);
  });
});

describe('self-reported hours', () => {
  it('are at most the activity length, for an activity the member attended', async () => {
    const { client } = member(2);
    const activity = await pastActivity(testApp, org, {
      startedMinutesAgo: 3 * 24 * 60,
      durationMinutes: 120,
      attendees: [client],
    });
    const start = -3 * 24 * 60;
    const tooLong = await client.gql(REPORT, {
      input: { activityId: activity.id, startsAt: localIn(start), endsAt: localIn(start + 150) },
    });
    expect(errorCode(tooLong)).toBe('VALIDATION');
    expect(errorOf(tooLong)?.['fields']).toMatchObject({ endsAt: 'LONGER_THAN_ACTIVITY' });

    const record = await report(client, {
      activityId: activity.id,
      startsAt: localIn(start + 10),
      endsAt: localIn(start + 100),
    });
    expect(record).toMatchObject({ source: 'SELF_REPORTED', status: 'PENDING', minutes: 90, late: false });
    expect(record.team?.id).toBe(red());

    // Someone who did not attend cannot report hours for it.
    const other = member(3).client;
    const absent = await other.gql(REPORT, { input: { activityId: activity.id } });
    expect(errorCode(absent)).toBe('NOT_ATTENDED');
  });

  it('are offered for ended activities the member attended and has no record for', async () => {
    const { client } = member(1);
    const REPORTABLE = '{ reportableActivities { id title } }';
    const reportable = async (who: typeof client) =>
      dataOf(await who.gql<{ reportableActivities: { id: string }[] }>(REPORTABLE)).reportableActivities.map(
        (activity) => activity.id,
      );
    const attended = await pastActivity(testApp, org, {
      startedMinutesAgo: 2 * 24 * 60,
      durationMinutes: 90,
      attendees: [client],
    });
    // Signed up for one that has not happened yet: not offered.
    const upcoming = await createActivity(org.lead, { teamId: red() });
    expectNoErrors(await client.gql(SIGN_UP, { id: upcoming.id }));
    const mine = await reportable(client);
    expect(mine).toContain(attended.id);
    expect(mine).not.toContain(upcoming.id);
    // Someone else did not attend it.
    expect(await reportable(member(3).client)).not.toContain(attended.id);

    const record = await report(client, { activityId: attended.id });
    expect(await reportable(client)).not.toContain(attended.id);
    // A declined record does not count: it may be reported again.
    expectNoErrors(await org.lead.gql(DECLINE, { ids: [record.id], reason: '时间不对' }));
    expect(await reportable(client)).toContain(attended.id);
  });

  it('for outside service need every field the Measures require', async () => {
    const { client } = member(3);
    const result = await client.gql(REPORT, { input: { startsAt: localIn(-200), endsAt: localIn(-100) } });
    expect(errorCode(result)).toBe('VALIDATION');
    expect(errorOf(result)?.['fields']).toEqual({
      activityName: 'REQUIRED',
      place: 'REQUIRED',
      content: 'REQUIRED',
      organizingUnit: 'REQUIRED',
      activityLead: 'REQUIRED',
    });
  });

  it('may not overlap another record of the same member', async () => {
    const { client } = member(3);
    const first = await report(client, outsideService({ endedMinutesAgo: 24 * 60, minutes: 120, teamId: red() }));
    expect(first.minutes).toBe(120);
    const overlapping = await client.gql(REPORT, {
      input: outsideService({ endedMinutesAgo: 24 * 60 + 60, minutes: 120 }),
    });
    expect(errorCode(overlapping)).toBe('OVERLAPPING_RECORD');
    expect(errorOf(overlapping)?.['recordIds']).toEqual([first.id]);
    // Touching end to start is not overlapping.
    const next = await report(client, outsideService({ endedMinutesAgo: 24 * 60 - 30, minutes: 30 }));
    expect(next.minutes).toBe(30);
    // A declined record no longer blocks the time.
    dataOf(await org.lead.gql(DECLINE, { ids: [first.id], reason: '时间有误' }));
    const again = await report(client, outsideService({ endedMinutesAgo: 24 * 60 + 60, minutes: 60, teamId: red() }));
    expect(again.status).toBe('PENDING');
  });

  it('are flagged late after 10 working days', async () => {
    const { client } = member(0);
    const late = await report(client, outsideService({ endedMinutesAgo: 30 * 24 * 60, minutes: 60 }));
    expect(late.late).toBe(true);
    const recent = await report(client, outsideService({ endedMinutesAgo: 2 * 24 * 60, minutes: 60 }));
    expect(recent.late).toBe(false);
  });

  it("are flagged late by the official calendar with the association's own days off and working days on top", async () => {
    const fresh = await activityOrganization(testApp, 1);
    const person = fresh.members[0];
    if (!person) throw new Error('member');
    const now = testClock.now();
    // The latest day whose 18:00 lies eleven working days before today (one too many), whatever today is.
    let day = addDays({ ...wallTimeAt(now, TIME_ZONE), hour: 18, minute: 0 }, -1);
    while (workingDaysBetween(instantOf(day, TIME_ZONE), now, TIME_ZONE, {}) < 11) day = addDays(day, -1);
    const slot = (endHour: number) => ({
      ...outsideService({ endedMinutesAgo: 0, minutes: 60 }),
      startsAt: formatWallTime({ ...day, hour: endHour - 1 }),
      endsAt: formatWallTime({ ...day, hour: endHour }),
    });
    expect((await report(person.client, slot(18))).late).toBe(true);

    // The first of those working days becomes the association's own day off: ten, on time.
    let ownDayOff = addDays(day, 1);
    while (!isWorkingDay(formatLocalDate(ownDayOff))) ownDayOff = addDays(ownDayOff, 1);
    // A day off in between (a weekend, a holiday) becomes one of its own working days: eleven again.
    let ownWorkingDay = addDays(day, 1);
    while (isWorkingDay(formatLocalDate(ownWorkingDay))) ownWorkingDay = addDays(ownWorkingDay, 1);
    const setOwnDays = (holidays: string[], workingDays: string[]) =>
      fresh.admin.gql<{ updateHoursSettings: { holidays: string[]; workingDays: string[] } }>(
        `mutation ($input: HoursSettingsInput!) { updateHoursSettings(input: $input) { holidays workingDays } }`,
        { input: { starThresholdsHours: [100, 300], excludeTravelTime: true, holidays, workingDays } },
      );
    expect(dataOf(await setOwnDays([formatLocalDate(ownDayOff)], [])).updateHoursSettings).toEqual({
      holidays: [formatLocalDate(ownDayOff)],
      workingDays: [],
    });
    expect((await report(person.client, slot(16))).late).toBe(false);
    expectNoErrors(await setOwnDays([formatLocalDate(ownDayOff)], [formatLocalDate(ownWorkingDay)]));
    expect((await report(person.client, slot(14))).late).toBe(true);

    // A day cannot be both, and dates must be real ones.
    const both = await setOwnDays(['2026-10-09'], ['2026-10-09']);
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', fields: { workingDays: 'CONFLICT' } });
    const unreal = await setOwnDays([], ['2026-02-30']);
    expect(unreal.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', fields: { workingDays: 'INVALID' } });
  });

  it("shows the State Council's holidays of a year with their make-up working days", async () => {
    const settings = dataOf(
      await org.admin.gql<{
        organization: {
          hoursSettings: {
            officialCalendarYears: number[];
            officialHolidays: { nameZh: string; firstDay: string; lastDay: string; workingDays: string[] }[];
          };
        };
      }>(
        `{ organization { hoursSettings { officialCalendarYears officialHolidays(year: 2026) { nameZh firstDay lastDay workingDays } } } }`,
      ),
    ).organization.hoursSettings;
    expect(settings.officialCalendarYears).toContain(2026);
    expect(settings.officialHolidays.find((holiday) => holiday.nameZh === '国庆节')).toEqual({
      nameZh: '国庆节',
      firstDay: '2026-10-01',
      lastDay: '2026-10-07',
      workingDays: ['2026-09-20', '2026-10-10'],
    });
  });
});

describe('approval', () => {
  it('is refused for one’s own hours, even to an admin', async () => {
    const own = await report(org.lead, outsideService({ endedMinutesAgo: 5 * 24 * 60, minutes: 45, teamId: red() }));
    expect(own.viewerCanDecide).toBe(false);
    const result = await org.lead.gql(APPROVE, { ids: [own.id] });
    expect(errorCode(result)).toBe('FORBIDDEN');
    expect(errorOf(result)?.['reason']).toBe('OWN_RECORD');
    // An admin approves the lead's hours; a member approves nobody's.
    expect(errorCode(await member(0).client.gql(APPROVE, { ids: [own.id] }))).toBe('FORBIDDEN');
    const approved = dataOf(await org.admin.gql<{ approveServiceRecords: RecordData[] }>(APPROVE, { ids: [own.id] }));
    expect(approved.approveServiceRecords[0]?.status).toBe('APPROVED');
  });

  it('locks the record: no edit, no decline', async () => {
    const { client } = member(1);
    const record = await report(client, outsideService({ endedMinutesAgo: 6 * 24 * 60, minutes: 60, teamId: red() }));
    // Pending: the member may still change it.
    const edited = dataOf(
      await client.gql<{ updateServiceRecord: RecordData }>(UPDATE_RECORD, {
        id: record.id,
        input: outsideService({ endedMinutesAgo: 6 * 24 * 60, minutes: 50, teamId: red() }),
      }),
    ).updateServiceRecord;
    expect(edited.minutes).toBe(50);
    dataOf(await org.lead.gql(APPROVE, { ids: [record.id] }));

    const change = await client.gql(UPDATE_RECORD, {
      id: record.id,
      input: outsideService({ endedMinutesAgo: 6 * 24 * 60, minutes: 40, teamId: red() }),
    });
    expect(errorCode(change)).toBe('RECORD_LOCKED');
    expect(errorCode(await org.lead.gql(DECLINE, { ids: [record.id], reason: '不对' }))).toBe('RECORD_LOCKED');
    const again = dataOf(await org.lead.gql<{ approveServiceRecords: RecordData[] }>(APPROVE, { ids: [record.id] }));
    expect(again.approveServiceRecords[0]).toMatchObject({ status: 'APPROVED', minutes: 50 });
  });

  it('in bulk, from a queue that shows leads their teams and admins everything', async () => {
    const blue = org.teams['BLUE'] ?? '';
    const { client, memberId } = member(2);
    const a = await report(client, outsideService({ endedMinutesAgo: 8 * 24 * 60, minutes: 30, teamId: red() }));
    const b = await report(client, outsideService({ endedMinutesAgo: 9 * 24 * 60, minutes: 40, teamId: red() }));
    const elsewhere = await report(
      client,
      outsideService({ endedMinutesAgo: 10 * 24 * 60, minutes: 50, teamId: blue }),
    );

    const leadQueue = dataOf(await org.lead.gql<{ serviceRecordQueue: RecordData[] }>(QUEUE)).serviceRecordQueue;
    expect(leadQueue.map((row) => row.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(leadQueue.map((row) => row.id)).not.toContain(elsewhere.id);
    const adminQueue = dataOf(await org.admin.gql<{ serviceRecordQueue: RecordData[] }>(QUEUE)).serviceRecordQueue;
    expect(adminQueue.map((row) => row.id)).toEqual(expect.arrayContaining([a.id, b.id, elsewhere.id]));
    expect(errorCode(await client.gql(QUEUE))).toBe('FORBIDDEN');
    // Another team's record is not the red lead's to decide.
    expect(errorCode(await org.lead.gql(APPROVE, { ids: [elsewhere.id] }))).toBe('FORBIDDEN');

    const before = await memberHours(client);
    const approved = dataOf(
      await org.lead.gql<{ approveServiceRecords: RecordData[] }>(APPROVE, { ids: [a.id, b.id] }),
    ).approveServiceRecords;
    expect(approved.map((row) => row.status)).toEqual(['APPROVED', 'APPROVED']);
    const declined = dataOf(
      await org.admin.gql<{ declineServiceRecords: RecordData[] }>(DECLINE, {
        ids: [elsewhere.id],
        reason: '非本队活动',
      }),
    ).declineServiceRecords;
    expect(declined[0]).toMatchObject({ status: 'DECLINED', declineReason: '非本队活动' });

    const after = await memberHours(org.lead, memberId);
    expect(after.allTimeMinutes - before.allTimeMinutes).toBe(70);
  });

  it('counts the hours once under 20 concurrent approvals', async () => {
    const { client, memberId } = member(3);
    const record = await report(client, outsideService({ endedMinutesAgo: 4 * 24 * 60, minutes: 75, teamId: red() }));
    const before = await memberHours(org.admin, memberId);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        (index % 2 === 0 ? org.lead : org.admin).gql(APPROVE, { ids: [record.id] }),
      ),
    );
    for (const result of results) expectNoErrors(result);
    const after = await memberHours(org.admin, memberId);
    expect(after.allTimeMinutes - before.allTimeMinutes).toBe(75);
    // "This year" is the service date's year in the association's zone (on 1 January, 4 days ago was last year).
    const thisYear = String(wallTimeAt(testClock.now(), TIME_ZONE).year);
    expect(after.thisYearMinutes - before.thisYearMinutes).toBe(record.serviceDate.startsWith(thisYear) ? 75 : 0);
    const approvals = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.subjectId, record.id), eq(auditLog.action, 'service_record.approved'))),
    );
    expect(approvals).toHaveLength(1);
    for (const comparison of await compareRollups(testApp, org.orgId)) {
      expect(comparison.fromRollup, comparison.table).toEqual(comparison.fromRecords);
    }
  });
});

describe('corrections', () => {
  it('change an approved record and keep its old values as history, audited', async () => {
    const { client, memberId } = member(0);
    const record = await report(
      client,
      outsideService({ endedMinutesAgo: 12 * 24 * 60, minutes: 60, teamId: red(), place: '旧地点' }),
    );
    dataOf(await org.lead.gql(APPROVE, { ids: [record.id] }));
    const before = await memberHours(client);

    const asked = dataOf(
      await client.gql<{ requestServiceCorrection: { id: string; status: string } }>(REQUEST_CORRECTION, {
        recordId: record.id,
        input: { reason: '实际服务到 11 点', place: '新地点', endsAt: localIn(-12 * 24 * 60 + 30) },
      }),
    ).requestServiceCorrection;
    expect(asked.status).toBe('PENDING');
    // One open correction at a time.
    const second = await client.gql(REQUEST_CORRECTION, { recordId: record.id, input: { reason: '再改' } });
    expect(errorCode(second)).toBe('CORRECTION_PENDING');
    // Nobody accepts a correction of their own hours; others' corrections are not a member's to ask.
    expect(errorCode(await client.gql(ACCEPT_CORRECTION, { id: asked.id }))).toBe('FORBIDDEN');
    expect(
      errorCode(await member(1).client.gql(REQUEST_CORRECTION, { recordId: record.id, input: { reason: 'x' } })),
    ).toBe('NOT_FOUND');

    const accepted = dataOf(
      await org.lead.gql<{
        acceptServiceCorrection: { status: string; previous: { minutes: number; place: string }; record: RecordData };
      }>(ACCEPT_CORRECTION, { id: asked.id }),
    ).acceptServiceCorrection;
    expect(accepted.status).toBe('ACCEPTED');
    expect(accepted.previous).toEqual({ minutes: 60, place: '旧地点' });
    expect(accepted.record).toMatchObject({ minutes: 90, place: '新地点', status: 'APPROVED' });
    expect(accepted.record.corrections).toHaveLength(1);
    expect(accepted.record.corrections[0]).toMatchObject({
      status: 'ACCEPTED',
      proposed: { minutes: 90, place: '新地点' },
      previous: { minutes: 60, place: '旧地点' },
    });
    const after = await memberHours(client);
    expect(after.allTimeMinutes - before.allTimeMinutes).toBe(30);
    expect(errorCode(await org.lead.gql(ACCEPT_CORRECTION, { id: asked.id }))).toBe('ALREADY_DECIDED');

    const audit = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.subjectId, record.id)),
    );
    expect(audit.map((entry) => entry.action)).toEqual(
      expect.arrayContaining([
        'service_record.created',
        'service_record.approved',
        'service_record.correction_requested',
        'service_record.corrected',
      ]),
    );
    expect(audit.find((entry) => entry.action === 'service_record.corrected')?.detail).toMatchObject({
      before: { minutes: 60, place: '旧地点' },
      after: { minutes: 90, place: '新地点' },
    });

    // A refused correction changes nothing.
    const refused = dataOf(
      await client.gql<{ requestServiceCorrection: { id: string } }>(REQUEST_CORRECTION, {
        recordId: record.id,
        input: { reason: '再多一点', endsAt: localIn(-12 * 24 * 60 + 60) },
      }),
    ).requestServiceCorrection;
    const refusal = dataOf(
      await org.lead.gql<{ refuseServiceCorrection: { status: string; refusalReason: string } }>(REFUSE_CORRECTION, {
        id: refused.id,
        reason: '与签到记录不符',
      }),
    ).refuseServiceCorrection;
    expect(refusal).toMatchObject({ status: 'REFUSED', refusalReason: '与签到记录不符' });
    expect((await memberHours(org.lead, memberId)).allTimeMinutes).toBe(after.allTimeMinutes);
  });
});

describe('totals', () => {
  it('equal the sum of the approved records after a random mix of approvals, declines and corrections', async () => {
    const random = seededRandom(20_260_521);
    const teams = [red(), org.teams['GREEN'] ?? '', null];
    const records: { id: string; client: (typeof org.members)[number]['client']; ends: number }[] = [];
    // Spread over about 15 months so several years and months are touched; one member at a time, no overlaps.
    for (let i = 0; i < 24; i++) {
      const who = member(i % 4);
      const ends = 30 * 24 * 60 + i * 20 * 24 * 60 + Math.floor(random() * 600);
      const minutes = 15 + Math.floor(random() * 300);
      const teamId = teams[Math.floor(random() * teams.length)];
      const created = await report(
        who.client,
        outsideService({ endedMinutesAgo: ends, minutes, ...(teamId ? { teamId } : {}) }),
      );
      records.push({ id: created.id, client: who.client, ends });
    }
    for (const record of records) {
      const roll = random();
      if (roll < 0.2) {
        dataOf(await org.admin.gql(DECLINE, { ids: [record.id], reason: '不符' }));
        continue;
      }
      if (roll < 0.3) continue;
      dataOf(await org.admin.gql(APPROVE, { ids: [record.id] }));
      if (random() < 0.5) {
        const newMinutes = 10 + Math.floor(random() * 400);
        const asked = dataOf(
          await record.client.gql<{ requestServiceCorrection: { id: string } }>(REQUEST_CORRECTION, {
            recordId: record.id,
            input: {
              reason: '更正时长',
              startsAt: localIn(-record.ends - newMinutes),
              endsAt: localIn(-record.ends),
            },
          }),
        ).requestServiceCorrection;
        const decision =
          random() < 0.7
            ? org.admin.gql(ACCEPT_CORRECTION, { id: asked.id })
            : org.admin.gql(REFUSE_CORRECTION, { id: asked.id, reason: '不予更正' });
        expectNoErrors(await decision);
      }
    }
    const comparisons = await compareRollups(testApp, org.orgId);
    for (const comparison of comparisons) {
      expect(Object.keys(comparison.fromRecords).length, comparison.table).toBeGreaterThan(0);
      expect(comparison.fromRollup, comparison.table).toEqual(comparison.fromRecords);
    }
    // The API's figures read the same rollups.
    const { client, memberId } = member(1);
    const mine = await memberHours(client);
    const total = comparisons.find((c) => c.table === 'member_total')?.fromRecords[memberId] ?? 0;
    expect(mine.allTimeMinutes).toBe(total);
    const organizationHours = dataOf(
      await client.gql<{ organizationHours: { allTimeMinutes: number; lastTwelveMonths: unknown[] } }>(
        `{ organizationHours { allTimeMinutes lastTwelveMonths { year month minutes } } }`,
      ),
    ).organizationHours;
    const orgTotal = Object.values(comparisons.find((c) => c.table === 'org_month')?.fromRecords ?? {}).reduce(
      (sum, minutes) => sum + minutes,
      0,
    );
    expect(organizationHours.allTimeMinutes).toBe(orgTotal);
    expect(organizationHours.lastTwelveMonths).toHaveLength(12);
  }, 120_000);

  it('give leaderboards and star levels, a total exactly on a threshold reaching it and one minute under not', async () => {
    // An association of its own, so the board holds exactly these four members.
    const fresh = await activityOrganization(testApp, 4);
    const settings = dataOf(
      await fresh.admin.gql<{ updateHoursSettings: { starThresholdsHours: number[] } }>(
        `mutation ($input: HoursSettingsInput!) { updateHoursSettings(input: $input) { starThresholdsHours holidays excludeTravelTime } }`,
        { input: { starThresholdsHours: [1, 2], holidays: [], excludeTravelTime: true } },
      ),
    ).updateHoursSettings;
    expect(settings.starThresholdsHours).toEqual([1, 2]);
    // One record each, on the morning two days ago (one day, one month, whatever today is).
    const day = addDays(wallTimeAt(testClock.now(), TIME_ZONE), -2);
    const totals = [120, 119, 60, 59];
    const recordIds: string[] = [];
    for (const [index, minutes] of totals.entries()) {
      const person = fresh.members[index];
      if (!person) throw new Error('member');
      const record = await report(person.client, {
        ...outsideService({ endedMinutesAgo: 0, minutes }),
        startsAt: formatWallTime({ ...day, hour: 8, minute: 0 }),
        endsAt: formatWallTime(addDays({ ...day, hour: 8, minute: 0 }, minutes / 1440)),
      });
      expect(record.minutes).toBe(minutes);
      recordIds.push(record.id);
    }
    expectNoErrors(await fresh.admin.gql(APPROVE, { ids: recordIds }));

    const levels = await Promise.all(fresh.members.map(({ memberId }) => memberHours(fresh.admin, memberId)));
    expect(levels.map((hours) => [hours.allTimeMinutes, hours.star.level, hours.star.nextLevelMinutes])).toEqual([
      [120, 2, null], // exactly on the second threshold: the top level
      [119, 1, 120], // one minute under it
      [60, 1, 120], // exactly on the first
      [59, 0, 60], // one minute under it
    ]);
    expect(levels.map((hours) => hours.star.progress)).toEqual([1, 59 / 60, 0, 59 / 60]);

    const memberIds = fresh.members.map((person) => person.memberId);
    const viewer = fresh.members[3]?.client ?? fresh.lead;
    const allTime = dataOf(
      await viewer.gql<{
        hoursLeaderboard: { rank: number; member: { id: string }; minutes: number; starLevel: number }[];
      }>(`{ hoursLeaderboard(period: ALL_TIME, first: 10) { rank member { id } minutes starLevel } }`),
    ).hoursLeaderboard;
    expect(allTime.map((entry) => [entry.rank, entry.member.id, entry.minutes, entry.starLevel])).toEqual([
      [1, memberIds[0], 120, 2],
      [2, memberIds[1], 119, 1],
      [3, memberIds[2], 60, 1],
      [4, memberIds[3], 59, 0],
    ]);
    // The month the records fall in, named, and the board shows each member's star level (by all-time hours).
    const month = dataOf(
      await viewer.gql<{ hoursLeaderboard: { member: { id: string }; minutes: number }[] }>(
        `query ($year: Int!, $month: Int!) { hoursLeaderboard(period: MONTH, year: $year, month: $month, first: 2) { member { id } minutes } }`,
        { year: day.year, month: day.month },
      ),
    ).hoursLeaderboard;
    expect(month).toEqual([
      { member: { id: memberIds[0] }, minutes: 120 },
      { member: { id: memberIds[1] }, minutes: 119 },
    ]);
    const refused = await fresh.lead.gql(
      `mutation ($input: HoursSettingsInput!) { updateHoursSettings(input: $input) { holidays } }`,
      { input: { starThresholdsHours: [300, 100], holidays: [], excludeTravelTime: true } },
    );
    expect(errorCode(refused)).toBe('FORBIDDEN');
  });
});

describe('tenant isolation', () => {
  it('keeps one organization’s records from another', async () => {
    const other = await activityOrganization(testApp, 1);
    const theirs = await report(
      other.members[0]?.client ?? other.lead,
      outsideService({ endedMinutesAgo: 3000, minutes: 30 }),
    );
    // Our admin, naming our organization, neither sees nor decides their record.
    const seen = await org.admin.gql<{ serviceRecord: RecordData | null }>(
      `query ($id: ID!) { serviceRecord(id: $id) { id } }`,
      {
        id: theirs.id,
      },
    );
    expect(dataOf(seen).serviceRecord).toBeNull();
    expect(errorCode(await org.admin.gql(APPROVE, { ids: [theirs.id] }))).toBe('NOT_FOUND');
    const queue = dataOf(await org.admin.gql<{ serviceRecordQueue: RecordData[] }>(QUEUE)).serviceRecordQueue;
    expect(queue.some((row) => row.id === theirs.id)).toBe(false);
    // Naming their organization, where it is not a member, it is told nothing.
    expect(errorCode(await org.admin.in(other.slug).gql(QUEUE))).toBe('NOT_FOUND');
    const board = dataOf(
      await other.admin.gql<{ hoursLeaderboard: { member: { id: string } }[] }>(
        `{ hoursLeaderboard(period: ALL_TIME) { member { id } } }`,
      ),
    ).hoursLeaderboard;
    expect(board).toEqual([]);
  });
});
