/**
 * People served (受益人数, issue 19): the reports' totals per team, month and
 * year and the big screen's this month and this year equal a direct SQL sum
 * over the activities' recorded counts, across the association's time zone's
 * month and year boundaries (Asia/Shanghai, UTC+8: 00:30 on the 1st is still
 * the month before in UTC), with cancelled and unrecorded activities left out.
 */
import { activities, queryRows, withTenant } from '@qicai/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysInMonth, formatWallTime, wallTimeAt, type WallTime } from '../src/kernel/time.ts';
import { activityOrganization, SITE, TIME_ZONE, type ActivityOrganization } from './activities-seed.ts';
import { testClock } from './clock.ts';
import { errorCode, expectNoErrors, TestApp } from './helper.ts';

let testApp: TestApp;
let org: ActivityOrganization;

interface Seeded {
  id: string;
  teamId: string;
  /** The start as the wall clock in Shanghai shows it, `YYYY-MM-DDTHH:MM`. */
  local: string;
  status: 'COMPLETED' | 'PUBLISHED' | 'CANCELLED';
  beneficiaries: number | null;
}
const seeded: Seeded[] = [];

/** A small deterministic generator: the same activities every run. */
function generator(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * below);
  };
}

const TITLES = [
  '先锋课堂：党的二十大精神宣讲',
  '新墙河河道清理',
  '荣家湾镇义诊',
  '关爱留守儿童读书会',
  '走访慰问抗战老兵',
];

async function insertActivity(fields: Omit<Seeded, 'id'>): Promise<Seeded> {
  const startsAt = new Date(`${fields.local}:00+08:00`);
  const [row] = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
    tx
      .insert(activities)
      .values({
        orgId: org.orgId,
        teamId: fields.teamId,
        title: TITLES[seeded.length % TITLES.length] ?? '志愿服务',
        category: 'LECTURE',
        placeName: '荣家湾镇新时代文明实践站',
        latitude: SITE.latitude,
        longitude: SITE.longitude,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 90 * 60_000),
        capacity: 30,
        status: fields.status,
        beneficiaries: fields.beneficiaries,
      })
      .returning({ id: activities.id }),
  );
  if (!row) throw new Error('no activity inserted');
  const activity = { ...fields, id: row.id };
  seeded.push(activity);
  return activity;
}

const counted = (activity: Seeded) => activity.beneficiaries !== null && activity.status !== 'CANCELLED';

/** What the data set says, summed by hand: people served and activities by a key of the start's local time. */
function sumBy(rows: Seeded[], key: (activity: Seeded) => string) {
  const sums = new Map<string, { activities: number; beneficiaries: number }>();
  for (const activity of rows.filter(counted)) {
    const sum = sums.get(key(activity)) ?? { activities: 0, beneficiaries: 0 };
    sum.activities += 1;
    sum.beneficiaries += activity.beneficiaries ?? 0;
    sums.set(key(activity), sum);
  }
  return sums;
}

/** The same sums in SQL, straight from the activities table (as the association's own transaction sees it). */
async function sqlSums(grouping: 'team' | 'month' | 'year', period: { from: string; to: string }) {
  const key =
    grouping === 'team'
      ? sql`team_id::text`
      : grouping === 'month'
        ? sql`to_char(starts_at at time zone 'Asia/Shanghai', 'YYYY-MM')`
        : sql`to_char(starts_at at time zone 'Asia/Shanghai', 'YYYY')`;
  const rows = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
    queryRows<{ key: string; activities: number; beneficiaries: number }>(
      tx,
      sql`select ${key} as key, count(*)::int as activities, sum(beneficiaries)::int as beneficiaries
      from activities
      where org_id = ${org.orgId} and beneficiaries is not null and status <> 'CANCELLED'
        and (starts_at at time zone 'Asia/Shanghai')::date between ${period.from}::date and ${period.to}::date
      group by 1 order by 1`,
    ),
  );
  return new Map(rows.map((row) => [row.key, { activities: row.activities, beneficiaries: row.beneficiaries }]));
}

const REPORT = `query ($input: BeneficiariesReportInput!) {
  beneficiariesReport(input: $input) {
    from to totalActivities totalBeneficiaries
    byTeam { key label activities beneficiaries team { id colour } }
    byMonth { key label activities beneficiaries }
    byYear { key label activities beneficiaries }
  }
}`;

interface Row {
  key: string;
  label: string;
  activities: number;
  beneficiaries: number;
  team?: { id: string; colour: string } | null;
}
interface ReportData {
  totalActivities: number;
  totalBeneficiaries: number;
  byTeam: Row[];
  byMonth: Row[];
  byYear: Row[];
}

async function report(client: ActivityOrganization['admin'], period: { from: string; to: string }) {
  const result = await client.gql<{ beneficiariesReport: ReportData }>(REPORT, { input: period });
  expectNoErrors(result);
  if (!result.data) throw new Error('no report');
  return result.data.beneficiariesReport;
}

const asMap = (rows: Row[], key: (row: Row) => string) =>
  new Map(rows.map((row) => [key(row), { activities: row.activities, beneficiaries: row.beneficiaries }]));

beforeAll(async () => {
  testApp = await TestApp.start();
  org = await activityOrganization(testApp, 1);
  const teams = ['RED', 'GREEN', 'WHITE', 'GOLD'].map((colour) => org.teams[colour] ?? '');
  const random = generator(19);
  // Two years of lectures, clinics and visits at ordinary hours.
  for (let index = 0; index < 90; index++) {
    const month = String(1 + random(12)).padStart(2, '0');
    const day = String(1 + random(28)).padStart(2, '0');
    const hour = String(8 + random(11)).padStart(2, '0');
    const roll = random(10);
    await insertActivity({
      teamId: teams[random(teams.length)] ?? '',
      local: `${String(2025 + random(2))}-${month}-${day}T${hour}:${random(2) === 0 ? '00' : '30'}`,
      status: roll < 7 ? 'COMPLETED' : roll < 9 ? 'PUBLISHED' : 'CANCELLED',
      beneficiaries: roll < 7 ? random(220) : roll === 9 ? 50 + random(100) : null,
    });
  }
  // The boundaries: late on the last day and just after midnight on the first, in Shanghai.
  const edges: [string, string, number][] = [
    ['RED', '2025-10-31T23:30', 120], // October here, October in UTC
    ['RED', '2025-11-01T00:30', 85], // November here, still 31 October in UTC
    ['GREEN', '2025-12-31T23:00', 60], // 2025
    ['GREEN', '2026-01-01T00:15', 45], // 2026 here, 2025 in UTC
    ['WHITE', '2026-02-28T23:59', 33],
    ['WHITE', '2026-03-01T07:59', 27], // 1 March here, 28 February 23:59 in UTC
    ['GOLD', '2026-09-30T23:45', 0], // recorded, nobody came: an activity, no people
  ];
  for (const [colour, local, beneficiaries] of edges)
    await insertActivity({ teamId: org.teams[colour] ?? '', local, status: 'COMPLETED', beneficiaries });
}, 120_000);

afterAll(async () => {
  await testApp.close();
});

describe('the beneficiaries report', () => {
  const whole = { from: '2025-01-01', to: '2026-12-31' };

  it('totals people served by team, month and year as a direct SQL sum does, and as the data set says', async () => {
    const result = await report(org.admin, whole);
    const byTeam = asMap(result.byTeam, (row) => row.team?.id ?? '');
    const byMonth = asMap(result.byMonth, (row) => row.label);
    const byYear = asMap(result.byYear, (row) => row.label);
    expect(byTeam).toEqual(await sqlSums('team', whole));
    expect(byMonth).toEqual(await sqlSums('month', whole));
    expect(byYear).toEqual(await sqlSums('year', whole));
    expect(byTeam).toEqual(sumBy(seeded, (activity) => activity.teamId));
    expect(byMonth).toEqual(sumBy(seeded, (activity) => activity.local.slice(0, 7)));
    expect(byYear).toEqual(sumBy(seeded, (activity) => activity.local.slice(0, 4)));
    const everyone = [...sumBy(seeded, () => 'all').values()][0];
    expect({ activities: result.totalActivities, beneficiaries: result.totalBeneficiaries }).toEqual(everyone);
    // Months in calendar order, teams most served first.
    expect(result.byMonth.map((row) => row.label)).toEqual([...byMonth.keys()].sort());
    const served = result.byTeam.map((row) => row.beneficiaries);
    expect(served).toEqual([...served].sort((a, b) => b - a));
  });

  it("counts an activity in the month and year its start falls in on the association's clock", async () => {
    const november = await report(org.admin, { from: '2025-11-01', to: '2025-11-30' });
    const expected = sumBy(seeded, (activity) => activity.local.slice(0, 7)).get('2025-11');
    expect(november.byMonth).toEqual([{ key: 'month:2025-11', label: '2025-11', ...expected }]);
    expect(november.totalBeneficiaries).toBeGreaterThanOrEqual(85);
    // The 00:30 start on 1 November is November's, though its UTC date is 31 October.
    const october = await report(org.admin, { from: '2025-10-31', to: '2025-10-31' });
    expect(october.byMonth).toEqual([{ key: 'month:2025-10', label: '2025-10', activities: 1, beneficiaries: 120 }]);
    const newYear = await report(org.admin, { from: '2026-01-01', to: '2026-01-01' });
    expect(newYear.byYear).toEqual([{ key: 'year:2026', label: '2026', activities: 1, beneficiaries: 45 }]);
    for (const period of [
      { from: '2025-11-01', to: '2025-11-30' },
      { from: '2026-02-28', to: '2026-03-01' },
    ]) {
      const result = await report(org.admin, period);
      expect(asMap(result.byMonth, (row) => row.label)).toEqual(await sqlSums('month', period));
    }
  });

  it("shows a lead only their own teams' activities; a member none", async () => {
    const result = await report(org.lead, whole);
    const red = org.teams['RED'] ?? '';
    expect(result.byTeam.map((row) => row.team?.id)).toEqual([red]);
    const redOnly = sumBy(
      seeded.filter((activity) => activity.teamId === red),
      () => 'all',
    ).get('all');
    expect({ activities: result.totalActivities, beneficiaries: result.totalBeneficiaries }).toEqual(redOnly);
    const member = org.members[0]?.client;
    if (!member) throw new Error('member');
    expect(errorCode(await member.gql(REPORT, { input: whole }))).toBe('FORBIDDEN');
    const reversed = await org.admin.gql(REPORT, { input: { from: '2026-02-01', to: '2026-01-01' } });
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', fields: { to: 'ENDS_BEFORE_START' } });
  });
});

describe('the big screen', () => {
  const BOARD = `{ board { beneficiaries { thisMonth thisYear } teams { colour beneficiariesThisMonth beneficiariesThisYear } } }`;
  interface BoardData {
    board: {
      beneficiaries: { thisMonth: number; thisYear: number };
      teams: { colour: string; beneficiariesThisMonth: number; beneficiariesThisYear: number }[];
    };
  }
  const local = (wall: WallTime) => formatWallTime(wall).slice(0, 16);

  /** This month's and this year's people served per team colour, summed in SQL from the activities. */
  async function expectedBoard() {
    const now = wallTimeAt(testClock.now(), TIME_ZONE);
    const month = `${String(now.year)}-${String(now.month).padStart(2, '0')}`;
    const year = await sqlSums('team', { from: `${String(now.year)}-01-01`, to: `${String(now.year)}-12-31` });
    const lastDay = `${month}-${String(daysInMonth(now.year, now.month)).padStart(2, '0')}`;
    const thisMonth = await sqlSums('team', { from: `${month}-01`, to: lastDay });
    const colourOf = new Map(Object.entries(org.teams).map(([colour, id]) => [id, colour]));
    const perTeam = (sums: Map<string, { beneficiaries: number }>) =>
      Object.fromEntries([...sums].map(([teamId, sum]) => [colourOf.get(teamId) ?? teamId, sum.beneficiaries]));
    return { thisMonth: perTeam(thisMonth), thisYear: perTeam(year) };
  }

  async function board() {
    const result = await org.admin.gql<BoardData>(BOARD);
    expectNoErrors(result);
    if (!result.data) throw new Error('no board');
    const perTeam = (pick: (team: BoardData['board']['teams'][number]) => number) =>
      Object.fromEntries(
        result.data?.board.teams.filter((team) => pick(team) !== 0).map((team) => [team.colour, pick(team)]) ?? [],
      );
    return {
      totals: result.data.board.beneficiaries,
      thisMonth: perTeam((team) => team.beneficiariesThisMonth),
      thisYear: perTeam((team) => team.beneficiariesThisYear),
    };
  }

  const withoutZeros = (sums: Record<string, number>) =>
    Object.fromEntries(Object.entries(sums).filter(([, value]) => value !== 0));

  it('shows this month and this year per team as the SQL sum, and keeps them as activities change', async () => {
    // This month starts at 00:30 on the 1st in Shanghai (the month before in UTC); the last month ended at 23:30.
    const now = wallTimeAt(testClock.now(), TIME_ZONE);
    const firstOfMonth: WallTime = { ...now, day: 1, hour: 0, minute: 30 };
    const lastOfBefore: WallTime = { ...addDays(firstOfMonth, -1), hour: 23, minute: 30 };
    const blue = org.teams['BLUE'] ?? '';
    const purple = org.teams['PURPLE'] ?? '';
    const lecture = await insertActivity({
      teamId: blue,
      local: local(firstOfMonth),
      status: 'COMPLETED',
      beneficiaries: 140,
    });
    await insertActivity({ teamId: blue, local: local(lastOfBefore), status: 'COMPLETED', beneficiaries: 75 });
    await insertActivity({ teamId: purple, local: local(firstOfMonth), status: 'CANCELLED', beneficiaries: 500 });
    const clinic = await insertActivity({
      teamId: purple,
      local: local({ ...firstOfMonth, hour: 9 }),
      status: 'PUBLISHED',
      beneficiaries: null,
    });

    const check = async () => {
      const expected = await expectedBoard();
      const shown = await board();
      expect(shown.thisMonth).toEqual(withoutZeros(expected.thisMonth));
      expect(shown.thisYear).toEqual(withoutZeros(expected.thisYear));
      const sum = (sums: Record<string, number>) => Object.values(sums).reduce((total, value) => total + value, 0);
      expect(shown.totals).toEqual({ thisMonth: sum(expected.thisMonth), thisYear: sum(expected.thisYear) });
      return shown;
    };
    const first = await check();
    expect(first.thisMonth['BLUE']).toBe(140);

    // Completed with its count (as completeActivity records it), corrected, moved to another team, cancelled.
    const update = (id: string, values: Partial<typeof activities.$inferInsert>) =>
      withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
        tx
          .update(activities)
          .set(values)
          .where(and(eq(activities.orgId, org.orgId), eq(activities.id, id))),
      );
    await update(clinic.id, { status: 'COMPLETED', beneficiaries: 64 });
    expect((await check()).thisMonth['PURPLE']).toBe(64);
    await update(lecture.id, { beneficiaries: 150 });
    expect((await check()).thisMonth['BLUE']).toBe(150);
    await update(lecture.id, { teamId: purple });
    expect((await check()).thisMonth).toMatchObject({ PURPLE: 214 });
    await update(clinic.id, { status: 'CANCELLED' });
    expect((await check()).thisMonth['PURPLE']).toBe(150);
    // An edit that changes nothing counted (the title) leaves the figures as they are.
    await update(lecture.id, { title: '先锋课堂：法律进乡村' });
    await check();
  });
});
