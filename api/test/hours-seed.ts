/**
 * Seed builders for the service-hours tests: activities that have already
 * happened (moved into the past after they were made through the API, which
 * only schedules the future), attendance, and the GraphQL operations.
 */
import { activities, queryRows, signUps, withTenant } from '@qicai/db';
import { and, eq, sql } from 'drizzle-orm';
import { createActivity, localIn, SIGN_UP, type ActivityOrganization } from './activities-seed.ts';
import { minutesFromNow } from './clock.ts';
import { expectNoErrors, type Client, type GraphQLResponse, type TestApp } from './helper.ts';

export const RECORD_FIELDS = `id activityName serviceDate place content minutes organizingUnit activityLead
  source status late checkOutMissing declineReason startsAt endsAt viewerCanDecide viewerCanRequestCorrection
  member { id } team { id } activity { id }
  corrections { id status reason proposed { minutes place } previous { minutes place } refusalReason }`;

export interface RecordData {
  id: string;
  activityName: string;
  serviceDate: string;
  place: string;
  content: string;
  minutes: number;
  organizingUnit: string;
  activityLead: string;
  source: string;
  status: string;
  late: boolean;
  checkOutMissing: boolean;
  declineReason: string | null;
  startsAt: string;
  endsAt: string;
  viewerCanDecide: boolean;
  viewerCanRequestCorrection: boolean;
  member: { id: string };
  team: { id: string } | null;
  activity: { id: string } | null;
  corrections: {
    id: string;
    status: string;
    reason: string;
    proposed: { minutes: number; place: string };
    previous: { minutes: number; place: string } | null;
    refusalReason: string | null;
  }[];
}

export const REPORT = `mutation ($input: ServiceHoursInput!) { reportServiceHours(input: $input) { ${RECORD_FIELDS} } }`;
export const ENTER = `mutation ($memberId: ID!, $input: ServiceHoursInput!) {
  enterServiceHours(memberId: $memberId, input: $input) { ${RECORD_FIELDS} } }`;
export const UPDATE_RECORD = `mutation ($id: ID!, $input: ServiceHoursInput!) {
  updateServiceRecord(id: $id, input: $input) { ${RECORD_FIELDS} } }`;
export const APPROVE = `mutation ($ids: [ID!]!) { approveServiceRecords(ids: $ids) { ${RECORD_FIELDS} } }`;
export const DECLINE = `mutation ($ids: [ID!]!, $reason: String!) {
  declineServiceRecords(ids: $ids, reason: $reason) { ${RECORD_FIELDS} } }`;
export const REQUEST_CORRECTION = `mutation ($recordId: ID!, $input: ServiceCorrectionInput!) {
  requestServiceCorrection(recordId: $recordId, input: $input) { id status record { id } } }`;
export const ACCEPT_CORRECTION = `mutation ($id: ID!) { acceptServiceCorrection(id: $id) {
  id status previous { minutes place } record { ${RECORD_FIELDS} } } }`;
export const REFUSE_CORRECTION = `mutation ($id: ID!, $reason: String!) {
  refuseServiceCorrection(id: $id, reason: $reason) { id status refusalReason } }`;
export const QUEUE = `query ($teamId: ID) { serviceRecordQueue(teamId: $teamId) { ${RECORD_FIELDS} } }`;
export const MY_RECORDS = `{ myServiceRecords { ${RECORD_FIELDS} } }`;
export const MEMBER_HOURS = `query ($memberId: ID) { memberHours(memberId: $memberId) {
  member { id } thisYearMinutes allTimeMinutes star { level minutes nextLevelMinutes progress thresholdsHours } } }`;

export interface MemberHoursData {
  member: { id: string };
  thisYearMinutes: number;
  allTimeMinutes: number;
  star: {
    level: number;
    minutes: number;
    nextLevelMinutes: number | null;
    progress: number;
    thresholdsHours: number[];
  };
}

export function dataOf<Data>(result: GraphQLResponse<Data>): Data {
  expectNoErrors(result);
  if (!result.data) throw new Error('no data');
  return result.data;
}

/** Outside service (no activity) of `minutes`, ending `endedMinutesAgo` ago, with every required field. */
export function outsideService(fields: { endedMinutesAgo: number; minutes: number; teamId?: string; place?: string }) {
  return {
    activityName: '社区义诊',
    place: fields.place ?? '荣家湾社区卫生服务站',
    content: '为社区老人测量血压、讲解慢病用药',
    organizingUnit: '岳阳县卫健局',
    activityLead: '王医生',
    startsAt: localIn(-fields.endedMinutesAgo - fields.minutes),
    endsAt: localIn(-fields.endedMinutesAgo),
    ...(fields.teamId ? { teamId: fields.teamId } : {}),
  };
}

export async function report(client: Client, input: Record<string, unknown>): Promise<RecordData> {
  return dataOf(await client.gql<{ reportServiceHours: RecordData }>(REPORT, { input })).reportServiceHours;
}

export async function memberHours(client: Client, memberId?: string): Promise<MemberHoursData> {
  return dataOf(await client.gql<{ memberHours: MemberHoursData }>(MEMBER_HOURS, { memberId })).memberHours;
}

/**
 * A red-team activity that took place from `startedMinutesAgo` for
 * `durationMinutes`, with the given members signed up and marked attended.
 */
export async function pastActivity(
  testApp: TestApp,
  org: ActivityOrganization,
  fields: { startedMinutesAgo: number; durationMinutes: number; attendees: Client[]; teamId?: string },
): Promise<{ id: string; startsAt: Date; endsAt: Date }> {
  const activity = await createActivity(org.lead, { teamId: fields.teamId ?? org.teams['RED'] ?? '' });
  for (const attendee of fields.attendees) {
    expectNoErrors(await attendee.gql(SIGN_UP, { id: activity.id }));
  }
  const startsAt = minutesFromNow(-fields.startedMinutesAgo);
  const endsAt = new Date(startsAt.getTime() + fields.durationMinutes * 60_000);
  await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, async (tx) => {
    await tx
      .update(activities)
      .set({ startsAt, endsAt })
      .where(and(eq(activities.orgId, org.orgId), eq(activities.id, activity.id)));
    await tx
      .update(signUps)
      .set({ attendance: 'ATTENDED' })
      .where(and(eq(signUps.orgId, org.orgId), eq(signUps.activityId, activity.id)));
  });
  return { id: activity.id, startsAt, endsAt };
}

/** Moves a sign-up's check-in time (the API stamps "now"). */
export async function setCheckedInAt(
  testApp: TestApp,
  orgId: string,
  activityId: string,
  memberId: string,
  at: Date,
): Promise<void> {
  await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
    tx
      .update(signUps)
      .set({ checkedInAt: at, attendance: 'ATTENDED' })
      .where(and(eq(signUps.orgId, orgId), eq(signUps.activityId, activityId), eq(signUps.memberId, memberId))),
  );
}

/** Moves an activity's times. */
export async function setActivityTimes(
  testApp: TestApp,
  orgId: string,
  activityId: string,
  startsAt: Date,
  endsAt: Date,
): Promise<void> {
  await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
    tx
      .update(activities)
      .set({ startsAt, endsAt })
      .where(and(eq(activities.orgId, orgId), eq(activities.id, activityId))),
  );
}

export interface RollupComparison {
  table: string;
  fromRollup: Record<string, number>;
  fromRecords: Record<string, number>;
}

/**
 * Every rollup beside the sum of the approved records it stands for, read
 * with direct SQL (keys → minutes; zero rows left out).
 */
export async function compareRollups(testApp: TestApp, orgId: string): Promise<RollupComparison[]> {
  const pairs: [string, string, string][] = [
    [
      'member_year',
      `select member_id || '|' || year as key, minutes from service_hours_member_year`,
      `select member_id || '|' || extract(year from service_date)::int as key, sum(minutes) as minutes
         from service_records where status = 'APPROVED' group by 1`,
    ],
    [
      'member_month',
      `select member_id || '|' || year || '|' || month as key, minutes from service_hours_member_month`,
      `select member_id || '|' || extract(year from service_date)::int || '|' || extract(month from service_date)::int as key,
         sum(minutes) as minutes from service_records where status = 'APPROVED' group by 1`,
    ],
    [
      'member_total',
      `select member_id::text as key, minutes from service_hours_member_total`,
      `select member_id::text as key, sum(minutes) as minutes from service_records where status = 'APPROVED' group by 1`,
    ],
    [
      'team_month',
      `select team_id || '|' || year || '|' || month as key, minutes from service_hours_team_month`,
      `select team_id || '|' || extract(year from service_date)::int || '|' || extract(month from service_date)::int as key,
         sum(minutes) as minutes from service_records where status = 'APPROVED' and team_id is not null group by 1`,
    ],
    [
      'org_month',
      `select year || '|' || month as key, minutes from service_hours_org_month`,
      `select extract(year from service_date)::int || '|' || extract(month from service_date)::int as key,
         sum(minutes) as minutes from service_records where status = 'APPROVED' group by 1`,
    ],
  ];
  return withTenant(testApp.database.db, { orgId, accountId: null }, async (tx) => {
    const result: RollupComparison[] = [];
    for (const [table, rollup, records] of pairs) {
      const read = async (query: string) =>
        Object.fromEntries(
          (await queryRows<{ key: string; minutes: string | number }>(tx, sql.raw(query)))
            .filter((row) => Number(row.minutes) !== 0)
            .map((row) => [row.key, Number(row.minutes)]),
        );
      result.push({ table, fromRollup: await read(rollup), fromRecords: await read(records) });
    }
    return result;
  });
}

/** A small seeded random generator (mulberry32): the property test is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
