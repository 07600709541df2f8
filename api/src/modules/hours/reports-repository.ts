/**
 * Reports' SQL: sums of approved service records, and of the people activities
 * served, filtered by organization and, for a lead, by team.
 */
import { queryRows, type Db } from '@qicai/db';
import { sql, type SQL } from 'drizzle-orm';
import type { ReportPlan } from './report-plan.ts';

export interface ReportScope {
  orgId: string;
  period: { from: string; to: string };
  /** A lead's teams; null: every team (an admin). */
  teamIds: string[] | null;
}

export interface ReportSum {
  /** The member's id, the team's id (null: service counted for no team), the month `YYYY-MM` or the political status. */
  groupKey: string | null;
  /** The member's name, for MEMBER. */
  name: string | null;
  minutes: number;
  records: number;
}

export interface ReportSums {
  /** The rows asked for (all of them, or the page of `page`), most minutes first; by month, in calendar order. */
  rows: ReportSum[];
  /** Every row of the report, and their sums, whatever the page. */
  rowCount: number;
  totalMinutes: number;
  totalRecords: number;
}

export type ReportGroupBy = 'MEMBER' | 'TEAM' | 'MONTH' | 'POLITICAL_STATUS';

/** Month ranges within one year: [year, first month, last month], for index range scans on (org, …, year, month). */
function monthRanges(months: ReportPlan['months']): [number, number, number][] {
  const ranges: [number, number, number][] = [];
  for (const { year, month } of [...months].sort((a, b) => a.year - b.year || a.month - b.month)) {
    const last = ranges.at(-1);
    if (last && last[0] === year && last[2] === month - 1) last[2] = month;
    else ranges.push([year, month, month]);
  }
  return ranges;
}

const inTeams = (column: SQL, scope: ReportScope) =>
  scope.teamIds ? sql`and ${column} = any(${sql.param(scope.teamIds)}::uuid[])` : sql``;

/**
 * The approved records of the plan's days, each day range its own branch (an index range scan on
 * service_records_approved_date_idx): `key` as given, minutes and records with the range's sign.
 */
function dayBranches(scope: ReportScope, plan: ReportPlan, key: SQL): SQL[] {
  return plan.days.map(
    (days) => sql`select ${key} as key, (r.minutes * ${days.sign}::int)::bigint as minutes, ${days.sign}::int as records
      from service_records r
      where r.org_id = ${scope.orgId} and r.status = 'APPROVED'
        and r.service_date between ${days.from}::date and ${days.to}::date ${inTeams(sql`r.team_id`, scope)}`,
  );
}

/** Per member: the members' year and month rollups of the plan, and its days' records. */
function memberBranches(scope: ReportScope, plan: ReportPlan): SQL[] {
  const branches: SQL[] = [];
  if (plan.years.length > 0) {
    branches.push(sql`select y.member_id as key, y.minutes::bigint as minutes, y.records
      from service_hours_member_year y
      where y.org_id = ${scope.orgId} and y.year = any(${sql.param(plan.years)}::int[])`);
  }
  for (const [year, first, last] of monthRanges(plan.months)) {
    branches.push(sql`select mm.member_id as key, mm.minutes::bigint as minutes, mm.records
      from service_hours_member_month mm
      where mm.org_id = ${scope.orgId} and mm.year = ${year}::int and mm.month between ${first}::int and ${last}::int`);
  }
  branches.push(...dayBranches(scope, plan, sql`r.member_id`));
  return branches;
}

/**
 * Per team (key: the team's id, null for service counted for no team) or per month (key: `YYYY-MM`): the
 * teams' month rollups (a lead's teams) or, for an admin, the organization's, and the plan's days' records.
 * The organization's months less its teams' are the service counted for no team.
 */
function teamBranches(scope: ReportScope, plan: ReportPlan, by: 'TEAM' | 'MONTH'): SQL[] {
  const branches: SQL[] = [];
  const monthKey = (table: string) => sql.raw(`to_char(make_date(${table}.year, ${table}.month, 1), 'YYYY-MM')`);
  for (const [year, first, last] of monthRanges(plan.months)) {
    const inRange = (table: string) =>
      sql`${sql.raw(table)}.org_id = ${scope.orgId} and ${sql.raw(table)}.year = ${year}::int
        and ${sql.raw(table)}.month between ${first}::int and ${last}::int`;
    if (by === 'TEAM' || scope.teamIds) {
      branches.push(sql`select ${by === 'TEAM' ? sql`t.team_id` : monthKey('t')} as key, t.minutes::bigint as minutes, t.records
        from service_hours_team_month t where ${inRange('t')} ${inTeams(sql`t.team_id`, scope)}`);
    }
    if (!scope.teamIds) {
      if (by === 'TEAM') {
        branches.push(sql`select null::uuid as key, o.minutes::bigint - coalesce(sum(t.minutes), 0)::bigint as minutes,
            (o.records - coalesce(sum(t.records), 0))::int as records
          from service_hours_org_month o
          left join service_hours_team_month t on t.org_id = o.org_id and t.year = o.year and t.month = o.month
          where ${inRange('o')} group by o.org_id, o.year, o.month, o.minutes, o.records`);
      } else {
        branches.push(sql`select ${monthKey('o')} as key, o.minutes::bigint as minutes, o.records
          from service_hours_org_month o where ${inRange('o')}`);
      }
    }
  }
  branches.push(...dayBranches(scope, plan, by === 'TEAM' ? sql`r.team_id` : sql`to_char(r.service_date, 'YYYY-MM')`));
  return branches;
}

/**
 * A report's sums in one statement, whatever the period: the plan's rollups and records
 * (report-plan.ts) summed by the grouping, the rows that count any record, most minutes first (by
 * month: in calendar order), with the count and sums of every row beside the page's.
 */
export async function sumReport(
  db: Db,
  scope: ReportScope,
  plan: ReportPlan,
  groupBy: ReportGroupBy,
  page: { first: number; offset: number } | null,
): Promise<ReportSums> {
  const branches =
    groupBy === 'MEMBER' || groupBy === 'POLITICAL_STATUS'
      ? memberBranches(scope, plan)
      : teamBranches(scope, plan, groupBy);
  const parts =
    branches.length > 0
      ? sql.join(branches, sql` union all `)
      : sql`select null as key, 0::bigint as minutes, 0 as records where false`;
  const grouped =
    groupBy === 'POLITICAL_STATUS'
      ? sql`select m.political_status::text as key, sum(p.minutes) as minutes, sum(p.records) as records
          from (${parts}) p join members m on m.org_id = ${scope.orgId} and m.id = p.key
          group by m.political_status having sum(p.records) > 0`
      : sql`select p.key, sum(p.minutes) as minutes, sum(p.records) as records
          from (${parts}) p group by p.key having sum(p.records) > 0`;
  // Members' names only for the rows that may be on the page: those with at least the minutes of its last
  // row (ties with it are ordered by name). A county's 31,000 members each looked up cost 360 ms.
  const lastOfPage = page
    ? sql`and s.minutes >= coalesce((select minutes from sums order by minutes desc
        offset ${page.first + page.offset - 1}::int limit 1), 0)`
    : sql``;
  const ordered =
    groupBy === 'MEMBER'
      ? sql`select s.key::text as "groupKey", m.display_name as name, s.minutes::int as minutes, s.records::int as records
          from sums s join members m on m.org_id = ${scope.orgId} and m.id = s.key
          where true ${lastOfPage}
          order by s.minutes desc, m.display_name, s.key`
      : groupBy === 'MONTH'
        ? sql`select s.key::text as "groupKey", null as name, s.minutes::int as minutes, s.records::int as records
            from sums s order by s.key`
        : sql`select s.key::text as "groupKey", null as name, s.minutes::int as minutes, s.records::int as records
            from sums s order by s.minutes desc, s.key nulls last`;
  const limited = page ? sql`${ordered} limit ${page.first}::int offset ${page.offset}::int` : ordered;
  const rows = await queryRows<{
    rowCount: number;
    totalMinutes: number;
    totalRecords: number;
    groupKey: string | null;
    name: string | null;
    minutes: number | null;
    records: number | null;
  }>(
    db,
    sql`with sums as (${grouped}),
      totals as (select count(*)::int as "rowCount", coalesce(sum(minutes), 0)::int as "totalMinutes",
        coalesce(sum(records), 0)::int as "totalRecords" from sums)
    select totals.*, page.* from totals left join lateral (${limited}) page on true`,
  );
  const totals = rows[0];
  return {
    rows: rows.flatMap((row) =>
      row.minutes === null || row.records === null
        ? []
        : [{ groupKey: row.groupKey, name: row.name, minutes: row.minutes, records: row.records }],
    ),
    rowCount: totals?.rowCount ?? 0,
    totalMinutes: totals?.totalMinutes ?? 0,
    totalRecords: totals?.totalRecords ?? 0,
  };
}

export interface BeneficiariesSum {
  grouping: 'TEAM' | 'MONTH' | 'YEAR';
  /** The team's id, the month `YYYY-MM` or the year `YYYY`. */
  groupKey: string;
  activities: number;
  beneficiaries: number;
}

/**
 * People served by the activities that started in [from, to) and recorded it
 * (not cancelled), by team, by month and by year of their start in `timeZone`,
 * in one statement (grouping sets) over activities_starts_idx.
 */
export async function sumBeneficiaries(
  db: Db,
  scope: { orgId: string; teamIds: string[] | null; from: Date; to: Date; timeZone: string },
): Promise<BeneficiariesSum[]> {
  const rows = await queryRows<{
    team_id: string | null;
    month: string | null;
    year: string | null;
    activities: number;
    beneficiaries: number;
  }>(
    db,
    // The local month and year named once, inside: grouping sets compare expressions, not values.
    sql`select team_id, month, year, count(*)::int as activities, coalesce(sum(beneficiaries), 0)::int as beneficiaries
    from (select a.team_id, a.beneficiaries,
        to_char(a.starts_at at time zone ${scope.timeZone}, 'YYYY-MM') as month,
        to_char(a.starts_at at time zone ${scope.timeZone}, 'YYYY') as year
      from activities a
      where a.org_id = ${scope.orgId}
        and a.starts_at >= ${scope.from.toISOString()}::timestamptz and a.starts_at < ${scope.to.toISOString()}::timestamptz
        and a.beneficiaries is not null and a.status <> 'CANCELLED'
        ${
          scope.teamIds
            ? sql`and a.team_id in (${sql.join(
                scope.teamIds.map((id) => sql`${id}::uuid`),
                sql`, `,
              )})`
            : sql``
        }
    ) served
    group by grouping sets ((team_id), (month), (year))`,
  );
  return rows.flatMap((row): BeneficiariesSum[] => {
    const counts = { activities: row.activities, beneficiaries: row.beneficiaries };
    if (row.team_id !== null) return [{ grouping: 'TEAM', groupKey: row.team_id, ...counts }];
    if (row.month !== null) return [{ grouping: 'MONTH', groupKey: row.month, ...counts }];
    if (row.year !== null) return [{ grouping: 'YEAR', groupKey: row.year, ...counts }];
    return [];
  });
}
