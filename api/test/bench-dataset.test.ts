/**
 * The benchmark's dataset at a small scale (scripts/bench/dataset.ts, what
 * `pnpm bench:seed --scale 0.002` loads): it keeps the domain's rules, and the
 * benchmark's queries answer on it as a direct SQL computation does, in a
 * number of statements that does not grow with the page.
 */
import { postgresReachable } from '@qicai/db/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BENCH_PASSWORD,
  benchPhone,
  LARGEST_SLUG,
  seedBenchDataset,
  type BenchDatasetSummary,
} from '../../scripts/bench/dataset.ts';
import { expectNoErrors, TestApp, type Client } from './helper.ts';
import { formatLocalDate, wallTimeAt } from '../src/kernel/time.ts';
import { minutesFromNow, testClock } from './clock.ts';
import {
  ActivityListDocument,
  BoardDocument,
  HoursReportsDocument,
  MyHoursDocument,
  PublicActivitiesDocument,
  RosterDocument,
} from '../../web/src/lib/graphql/__generated__/operations.ts';

const ACTIVITY_LIST = `query ($filter: ActivityFilter, $first: Int) {
  organization { timeZone teams { id colour leads { id } } viewerIsAdmin viewerMember { id } }
  activities(filter: $filter, first: $first) {
    nodes { id title startsAt capacity confirmedCount waitlistCount team { id colour name { zh } } viewerSignUp { id status } }
    pageInfo { hasNextPage }
  }
}`;

interface ActivityList {
  activities: {
    nodes: {
      id: string;
      startsAt: string;
      capacity: number;
      confirmedCount: number;
      waitlistCount: number;
      team: { id: string };
      viewerSignUp: { status: string } | null;
    }[];
  };
}

describe.runIf(await postgresReachable())('benchmark dataset (small scale)', () => {
  let testApp: TestApp;
  let owner: postgres.Sql;
  let summary: BenchDatasetSummary;
  let member: Client;
  /** The member whose list is read: one with sign-ups among the upcoming activities. */
  let memberLogin = '';

  beforeAll(async () => {
    testApp = await TestApp.start(
      {},
      {
        prepare: async (url) => {
          summary = await seedBenchDataset({ url: url ?? '', scale: 0.002, now: testClock.now() });
        },
      },
    );
    owner = postgres(testApp.databaseUrl ?? '', { max: 1, onnotice: () => {} });
    const [busiest] = await owner<{ phone: string }[]>`
      select m.phone from sign_ups s join members m on m.org_id = s.org_id and m.id = s.member_id
      join activities a on a.org_id = s.org_id and a.id = s.activity_id
      where s.org_id = ${summary.largest.orgId} and a.starts_at > ${testClock.now().toISOString()}::timestamptz and m.role = 'MEMBER'
      group by m.phone order by count(*) desc, m.phone limit 1`;
    memberLogin = busiest?.phone ?? benchPhone(8);
    member = testApp.anonymous(LARGEST_SLUG);
    expectNoErrors(
      await member.gql(`mutation ($input: SignInInput!) { signIn(input: $input) { account { id } } }`, {
        input: { login: memberLogin, password: BENCH_PASSWORD },
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await owner.end();
    await testApp.close();
  });

  it('is deterministic in size and keeps capacity and one sign-up per member and activity', async () => {
    expect(summary.rows['members']).toBe(100);
    expect(summary.rows['activities']).toBe(400);
    expect(summary.rows['sign_ups']).toBeGreaterThan(3_900);
    const [largest] = await owner<{ members: number }[]>`
      select count(*)::int as members from members where org_id = ${summary.largest.orgId}`;
    expect(largest?.members).toBe(Math.round(31_172 * 0.002));
    const [problems] = await owner<{ overCapacity: number; duplicates: number; draftsWithSignUps: number }[]>`
      select
        (select count(*)::int from activities a where a.capacity <
          (select count(*) from sign_ups s where s.org_id = a.org_id and s.activity_id = a.id and s.status = 'CONFIRMED')) as "overCapacity",
        (select count(*)::int from (select 1 from sign_ups group by org_id, activity_id, member_id having count(*) > 1) d) as duplicates,
        (select count(*)::int from sign_ups s join activities a on a.org_id = s.org_id and a.id = s.activity_id
          where a.status = 'DRAFT') as "draftsWithSignUps"`;
    expect(problems).toEqual({ overCapacity: 0, duplicates: 0, draftsWithSignUps: 0 });
    // The constraints dropped for the load are back, under their own names.
    const constraints = await owner<{ name: string }[]>`
      select conname as name from pg_constraint where conrelid = 'sign_ups'::regclass order by conname`;
    expect(constraints.map((row) => row.name)).toEqual(
      expect.arrayContaining([
        'sign_ups_activity_member_unique',
        'sign_ups_org_id_activity_id_activities_org_id_id_fk',
      ]),
    );
  });

  it('Q1: the activity list answers as SQL does, in the same number of statements for 10 or 50', async () => {
    // From two months back: at this scale the coming five weeks hold fewer than fifty activities.
    const from = new Date(testClock.now().getTime() - 60 * 86_400_000).toISOString();
    const read = async (first: number) => {
      const before = testApp.statements;
      const result = await member.gql<ActivityList>(ACTIVITY_LIST, { filter: { from }, first });
      expectNoErrors(result);
      return { nodes: result.data?.activities.nodes ?? [], statements: testApp.statements - before };
    };
    const ten = await read(10);
    const fifty = await read(50);
    expect(ten.nodes).toHaveLength(10);
    expect(fifty.nodes).toHaveLength(50);
    expect(fifty.statements).toBe(ten.statements);

    const expected = await owner<
      { id: string; capacity: number; confirmed: number; waitlisted: number; teamId: string; own: string | null }[]
    >`
      select a.id, a.capacity, a.team_id as "teamId",
        (select count(*)::int from sign_ups s where s.org_id = a.org_id and s.activity_id = a.id and s.status = 'CONFIRMED') as confirmed,
        (select count(*)::int from sign_ups s where s.org_id = a.org_id and s.activity_id = a.id and s.status = 'WAITLISTED') as waitlisted,
        (select s.status::text from sign_ups s join members m on m.org_id = s.org_id and m.id = s.member_id
          where s.org_id = a.org_id and s.activity_id = a.id and m.phone = ${memberLogin}) as own
      from activities a
      where a.org_id = ${summary.largest.orgId} and a.status <> 'DRAFT' and a.ends_at > ${from}
      order by a.starts_at, a.id limit 50`;
    expect(
      fifty.nodes.map((node) => ({
        id: node.id,
        capacity: node.capacity,
        teamId: node.team.id,
        confirmed: node.confirmedCount,
        waitlisted: node.waitlistCount,
        own: node.viewerSignUp?.status ?? null,
      })),
    ).toEqual(expected);
    // The member chosen has sign-ups on the page, so the viewer's state is really compared.
    expect(fifty.nodes.some((node) => node.viewerSignUp)).toBe(true);
  });

  it('the pages’ queries (activity list, roster) answer as SQL does, in the same number of statements for 10 or 50', async () => {
    const admin = testApp.anonymous(LARGEST_SLUG);
    expectNoErrors(
      await admin.gql(`mutation ($input: SignInInput!) { signIn(input: $input) { account { id } } }`, {
        input: { login: summary.largest.adminLogin, password: BENCH_PASSWORD },
      }),
    );
    const statementsOf = async (client: Client, query: string, variables: Record<string, unknown>) => {
      const before = testApp.statements;
      const result = await client.gql(query, variables);
      expectNoErrors(result);
      return { data: result.data, statements: testApp.statements - before };
    };
    const roster = (first: number) =>
      statementsOf(admin, RosterDocument.toString(), {
        first,
        isAdmin: true,
        filter: { status: 'ACTIVE' },
        sort: 'NAME',
      });
    const rosterTen = await roster(10);
    const rosterFifty = await roster(50);
    expect(rosterFifty.statements).toBe(rosterTen.statements);
    const page = rosterFifty.data as { organization: { members: { nodes: { id: string }[]; totalCount: number } } };
    const expected = await owner<{ id: string }[]>`
      select id from members where org_id = ${summary.largest.orgId} and active order by display_name, id limit 50`;
    expect(page.organization.members.nodes.map((node) => node.id)).toEqual(expected.map((row) => row.id));
    const [active] = await owner<{ count: number }[]>`
      select count(*)::int as count from members where org_id = ${summary.largest.orgId} and active`;
    expect(page.organization.members.totalCount).toBe(active?.count);

    // The activity list page's query: from two months back (fewer than fifty activities lie ahead at this scale).
    const then = wallTimeAt(minutesFromNow(-60 * 24 * 60), 'Asia/Shanghai');
    const fromDate = `${String(then.year)}-${String(then.month).padStart(2, '0')}-${String(then.day).padStart(2, '0')}`;
    const list = (first: number) =>
      statementsOf(member, ActivityListDocument.toString(), { filter: { fromDate, mine: false }, first });
    const listTen = await list(10);
    const listFifty = await list(50);
    // The viewer's waitlist positions take one statement when the page holds a waitlisted sign-up of theirs.
    const waitlisted = (answer: { data: Record<string, unknown> | null }) => {
      const nodes = (answer.data?.['activities'] as ActivityList['activities'] | undefined)?.nodes ?? [];
      return nodes.some((node) => node.viewerSignUp?.status === 'WAITLISTED') ? 1 : 0;
    };
    expect(listFifty.statements - waitlisted(listFifty)).toBe(listTen.statements - waitlisted(listTen));
    expect((listFifty.data?.['activities'] as ActivityList['activities'] | undefined)?.nodes).toHaveLength(50);
  });

  it('Q5: the roster search finds by a name fragment what a LIKE over every member finds', async () => {
    const admin = testApp.anonymous(LARGEST_SLUG);
    expectNoErrors(
      await admin.gql(`mutation ($input: SignInInput!) { signIn(input: $input) { account { id } } }`, {
        input: { login: summary.largest.adminLogin, password: BENCH_PASSWORD },
      }),
    );
    const [someone] = await owner<{ displayName: string }[]>`
      select display_name as "displayName" from members where org_id = ${summary.largest.orgId} and role = 'MEMBER'
      order by id limit 1 offset 5`;
    const name = Array.from(someone?.displayName ?? '');
    // Two characters of a name, one character, a phone number's digits, a skill, and a mix of Latin and Chinese.
    for (const fragment of [name.slice(0, 2).join(''), name[0] ?? '', '1370000', '急救', 'x王']) {
      const result = await admin.gql<{ organization: { members: { nodes: { id: string }[]; totalCount: number } } }>(
        `query ($search: String) { organization { members(first: 100, search: $search) { nodes { id } totalCount } } }`,
        { search: fragment },
      );
      expectNoErrors(result);
      const expected = await owner<{ id: string }[]>`
        select id from members where org_id = ${summary.largest.orgId} and active
          and search_text like ${`%${fragment.toLowerCase()}%`} order by display_name, id limit 100`;
      expect(
        result.data?.organization.members.nodes.map((node) => node.id),
        fragment,
      ).toEqual(expected.map((row) => row.id));
      expect(result.data?.organization.members.totalCount).toBeGreaterThanOrEqual(expected.length);
    }
  });

  it('Q2: the year leaderboard equals the approved records summed by SQL', async () => {
    // The year 60 days ago: the dataset's records reach 345 days back, so it has some on any date.
    const year = wallTimeAt(minutesFromNow(-60 * 24 * 60), 'Asia/Shanghai').year;
    const result = await member.gql<{ hoursLeaderboard: { rank: number; minutes: number; member: { id: string } }[] }>(
      `query ($year: Int!) { hoursLeaderboard(period: YEAR, year: $year, first: 20) { rank minutes member { id } } }`,
      { year },
    );
    expectNoErrors(result);
    const board = result.data?.hoursLeaderboard ?? [];
    const expected = await owner<{ memberId: string; minutes: number }[]>`
      select r.member_id as "memberId", sum(r.minutes)::int as minutes
      from service_records r join organizations o on o.id = r.org_id
      where r.org_id = ${summary.largest.orgId} and r.status = 'APPROVED'
        and extract(year from r.service_date) = ${year}
      group by r.member_id order by minutes desc limit 20`;
    expect(expected.length).toBeGreaterThan(0);
    // Ties may be ordered either way: the figures in order, and each member's own figure.
    expect(board.map((entry) => entry.minutes)).toEqual(expected.map((row) => row.minutes));
    const all = await owner<{ memberId: string; minutes: number }[]>`
      select r.member_id as "memberId", sum(r.minutes)::int as minutes
      from service_records r join organizations o on o.id = r.org_id
      where r.org_id = ${summary.largest.orgId} and r.status = 'APPROVED'
        and extract(year from r.service_date) = ${year}
      group by r.member_id`;
    const byMember = new Map(all.map((row) => [row.memberId, row.minutes]));
    for (const entry of board) expect(entry.minutes).toBe(byMember.get(entry.member.id));
  });

  it('Q3: the big screen’s figures equal SQL over the records, memberships and sponsorships', async () => {
    const result = await member.gql<{
      board: {
        hours: { thisYearMinutes: number };
        childrenSponsored: number;
        teams: { colour: string; members: number; hoursThisYearMinutes: number }[];
      };
    }>(`{ board { hours { thisYearMinutes } childrenSponsored teams { colour members hoursThisYearMinutes } } }`);
    expectNoErrors(result);
    const board = result.data?.board;
    const [year] = await owner<{ minutes: number }[]>`
      select coalesce(sum(r.minutes), 0)::int as minutes
      from service_records r join organizations o on o.id = r.org_id
      where r.org_id = ${summary.largest.orgId} and r.status = 'APPROVED'
        and extract(year from r.service_date) = extract(year from ${testClock.now().toISOString()}::timestamptz at time zone o.time_zone)`;
    const [sponsored] = await owner<{ count: number }[]>`
      select count(*)::int as count from sponsorships where org_id = ${summary.largest.orgId} and status = 'ACTIVE'`;
    const teams = await owner<{ colour: string; members: number }[]>`
      select t.colour, (select count(*)::int from team_memberships tm
        join members m on m.org_id = tm.org_id and m.id = tm.member_id
        where tm.org_id = t.org_id and tm.team_id = t.id and m.active) as members
      from teams t where t.org_id = ${summary.largest.orgId} order by t.colour`;
    expect(year?.minutes).toBeGreaterThan(0);
    expect(board?.hours.thisYearMinutes).toBe(year?.minutes);
    expect(board?.childrenSponsored).toBe(sponsored?.count);
    expect(board?.teams.map((team) => ({ colour: team.colour, members: team.members }))).toEqual(teams);
    expect(board?.teams.reduce((sum, team) => sum + team.hoursThisYearMinutes, 0)).toBeLessThanOrEqual(
      year?.minutes ?? 0,
    );
  });
  it('the other pages’ queries (roster search, my hours, reports, big screen, public page) answer as SQL does, in statements that do not grow', async () => {
    const admin = testApp.anonymous(LARGEST_SLUG);
    expectNoErrors(
      await admin.gql(`mutation ($input: SignInInput!) { signIn(input: $input) { account { id } } }`, {
        input: { login: summary.largest.adminLogin, password: BENCH_PASSWORD },
      }),
    );
    const orgId = summary.largest.orgId;
    const statementsOf = async <Data>(client: Client, query: string, variables: Record<string, unknown>) => {
      const before = testApp.statements;
      const result = await client.gql<Data>(query, variables);
      expectNoErrors(result);
      if (!result.data) throw new Error('no data');
      return { data: result.data, statements: testApp.statements - before };
    };

    // P3q: the roster searched by the commonest first character of a name (a family name).
    const [common] = await owner<{ fragment: string }[]>`
      select left(display_name, 1) as fragment from members where org_id = ${orgId} and active
      group by 1 order by count(*) desc, 1 limit 1`;
    const fragment = common?.fragment ?? '';
    type RosterPage = { organization: { members: { nodes: { id: string }[]; totalCount: number } } };
    const search = (first: number) =>
      statementsOf<RosterPage>(admin, RosterDocument.toString(), {
        first,
        isAdmin: true,
        search: fragment,
        filter: { status: 'ACTIVE' },
        sort: 'NAME',
      });
    const [searchTen, searchFifty] = [await search(10), await search(50)];
    expect(searchFifty.statements).toBe(searchTen.statements);
    const found = await owner<{ id: string }[]>`
      select id from members where org_id = ${orgId} and active and lower(display_name) like ${`%${fragment}%`}
      order by display_name, id`;
    expect(found.length).toBeGreaterThan(1);
    expect(searchFifty.data.organization.members.nodes.map((node) => node.id)).toEqual(
      found.slice(0, 50).map((row) => row.id),
    );
    expect(searchFifty.data.organization.members.totalCount).toBe(found.length);

    // P5q: the reports of the last twelve months, members a page at a time.
    const today = wallTimeAt(testClock.now(), 'Asia/Shanghai');
    const period = {
      from: formatLocalDate(wallTimeAt(minutesFromNow(-360 * 24 * 60), 'Asia/Shanghai')),
      to: formatLocalDate(today),
    };
    type Table = {
      rowCount: number;
      totalMinutes: number;
      totalRecords: number;
      rows: { key: string; minutes: number; records: number; politicalStatus: string | null }[];
    };
    type Reports = { byTeam: Table; byMonth: Table; byMember: Table; byPoliticalStatus: Table };
    const reports = (memberFirst: number) =>
      statementsOf<Reports>(admin, HoursReportsDocument.toString(), { ...period, memberFirst, memberOffset: 0 });
    const [reportsTen, reportsFifty] = [await reports(10), await reports(50)];
    expect(reportsFifty.statements).toBe(reportsTen.statements);
    expect(reportsTen.data.byMember.rows).toHaveLength(10);
    const approved = owner`from service_records r join members m on m.org_id = r.org_id and m.id = r.member_id
      where r.org_id = ${orgId} and r.status = 'APPROVED' and r.service_date between ${period.from}::date and ${period.to}::date`;
    const sums = async (key: string) =>
      owner<{ key: string; minutes: number; records: number }[]>`
        select ${owner.unsafe(key)} as key, sum(r.minutes)::int as minutes, count(*)::int as records ${approved}
        group by 1 order by minutes desc, 1`;
    const byMember = await owner<{ key: string; minutes: number; records: number }[]>`
      select 'member:' || r.member_id as key, sum(r.minutes)::int as minutes, count(*)::int as records ${approved}
      group by r.member_id, m.display_name order by minutes desc, m.display_name, r.member_id`;
    const { byTeam, byMonth, byPoliticalStatus, byMember: memberPage } = reportsFifty.data;
    const figures = (table: Table) => table.rows.map(({ key, minutes, records }) => ({ key, minutes, records }));
    expect(figures(memberPage)).toEqual(byMember.slice(0, 50));
    expect(memberPage.rowCount).toBe(byMember.length);
    expect(new Set(figures(byTeam))).toEqual(new Set(await sums(`'team:' || coalesce(r.team_id::text, 'none')`)));
    expect(figures(byMonth)).toEqual(
      (await sums(`'month:' || to_char(r.service_date, 'YYYY-MM')`)).sort((a, b) => a.key.localeCompare(b.key)),
    );
    expect(new Set(figures(byPoliticalStatus))).toEqual(
      new Set(await sums(`'political:' || m.political_status::text`)),
    );
    const [total] = await owner<{ minutes: number; records: number }[]>`
      select sum(r.minutes)::int as minutes, count(*)::int as records ${approved}`;
    for (const table of [byTeam, byMonth, memberPage, byPoliticalStatus])
      expect({ minutes: table.totalMinutes, records: table.totalRecords }).toEqual(total);

    // P7q: the public page's coming activities, 12 or 50 of them.
    const coming = (first: number) =>
      statementsOf<{ activities: { nodes: { id: string }[] } }>(member, PublicActivitiesDocument.toString(), {
        filter: { fromDate: formatLocalDate(wallTimeAt(minutesFromNow(-60 * 24 * 60), 'Asia/Shanghai')) },
        first,
      });
    const [comingTwelve, comingFifty] = [await coming(12), await coming(50)];
    expect(comingFifty.statements).toBe(comingTwelve.statements);
    expect(comingFifty.data.activities.nodes).toHaveLength(50);

    // P4q: my hours, for the member with the most records and one with few: the same statements.
    const [most, fewest] = await owner<{ phone: string; records: number }[]>`
      (select m.phone, count(*)::int as records from service_records r join members m on m.org_id = r.org_id and m.id = r.member_id
        where r.org_id = ${orgId} and m.role = 'MEMBER' and m.phone is not null group by m.phone order by 2 desc, 1 limit 1)
      union all
      (select m.phone, count(*)::int from service_records r join members m on m.org_id = r.org_id and m.id = r.member_id
        where r.org_id = ${orgId} and m.role = 'MEMBER' and m.phone is not null group by m.phone order by 2, 1 limit 1)`;
    const myHours = async (phone: string) => {
      const client = testApp.anonymous(LARGEST_SLUG);
      expectNoErrors(
        await client.gql(`mutation ($input: SignInInput!) { signIn(input: $input) { account { id } } }`, {
          input: { login: phone, password: BENCH_PASSWORD },
        }),
      );
      return statementsOf<{ memberHours: { allTimeMinutes: number }; myServiceRecords: { id: string }[] }>(
        client,
        MyHoursDocument.toString(),
        {},
      );
    };
    const [busiest, quietest] = [await myHours(most?.phone ?? ''), await myHours(fewest?.phone ?? '')];
    expect(most?.records).toBeGreaterThan(fewest?.records ?? 0);
    expect(busiest.data.myServiceRecords.length).toBeGreaterThan(quietest.data.myServiceRecords.length);
    expect(busiest.statements).toBe(quietest.statements);
    const [allTime] = await owner<{ minutes: number }[]>`
      select coalesce(sum(r.minutes), 0)::int as minutes from service_records r join members m on m.org_id = r.org_id and m.id = r.member_id
      where r.org_id = ${orgId} and m.phone = ${most?.phone ?? ''} and r.status = 'APPROVED'`;
    expect(busiest.data.memberHours.allTimeMinutes).toBe(allTime?.minutes);

    // P6q: the big screen page's query, as the Q3 row's figures.
    const board = await statementsOf<{ board: { hours: { thisYearMinutes: number }; childrenSponsored: number } }>(
      admin,
      BoardDocument.toString(),
      {},
    );
    const [sponsored] = await owner<{ count: number }[]>`
      select count(*)::int as count from sponsorships where org_id = ${orgId} and status = 'ACTIVE'`;
    expect(board.data.board.childrenSponsored).toBe(sponsored?.count);
  });
});
