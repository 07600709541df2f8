/**
 * The board's figures that belong to other domains, one function per domain,
 * each a fixed number of statements over that domain's rollups or indexes.
 */
import { queryRows, type Organization, type TeamColour, type Tx } from '@qicai/db';
import { sql } from 'drizzle-orm';
import type { RequestCountsRow } from '../requests/repository.ts';
import { countRequestsOf } from '../requests/service.ts';

export interface Period {
  from: Date;
  to: Date;
}

export interface HoursFigures {
  thisMonthMinutes: number;
  thisYearMinutes: number;
  /** This year's minutes per team id. */
  teamYearMinutes: Map<string, number>;
  /** Minutes per month, keyed YYYY-MM in the organization's time zone. */
  monthMinutes: Map<string, number>;
  /** The latest approvals, newest first. */
  latestApprovals: ApprovalFeedRow[];
}

export interface ApprovalFeedRow {
  displayName: string;
  colour: TeamColour | null;
  title: string;
  at: Date;
  minutes: number;
}

export interface HoursQuery {
  orgId: string;
  month: Period;
  year: Period;
  /** The first day of each of the last twelve months (YYYY-MM-01), oldest first. */
  trendMonths: string[];
  feedLimit: number;
}

/**
 * Approved service hours (服务时长), from the hours domain's rollups (kept in
 * the approving transaction): the organization's months, its teams' months of
 * this year, and the latest approvals through service_records_approved_idx.
 */
export async function hoursFigures(tx: Tx, query: HoursQuery): Promise<HoursFigures> {
  const [first] = query.trendMonths;
  const last = query.trendMonths.at(-1);
  if (!first || !last) throw new Error('a trend needs months');
  const [thisYear, thisMonth] = last.split('-').map(Number);
  const [firstYear, firstMonth] = first.split('-').map(Number);
  if (!thisYear || !thisMonth || !firstYear || !firstMonth) throw new Error(`not a month: ${last}`);

  const monthsRead = queryRows<{ year: number; month: number; minutes: number }>(
    tx,
    sql`select year, month, minutes::int as minutes from service_hours_org_month
    where org_id = ${query.orgId}
      and (year * 12 + month >= ${firstYear * 12 + firstMonth} or year = ${thisYear})`,
  );
  const teamYearRead = queryRows<{ team_id: string; minutes: number }>(
    tx,
    sql`select team_id, sum(minutes)::int as minutes from service_hours_team_month
    where org_id = ${query.orgId} and year = ${thisYear}
    group by team_id`,
  );
  const approvalsRead = queryRows<{
    display_name: string;
    colour: TeamColour | null;
    activity_name: string;
    decided_at: string | Date;
    minutes: number;
  }>(
    tx,
    // The limit inside, as for the check-in feed (repository.latestCheckIns).
    sql`select m.display_name, t.colour, r.activity_name, r.decided_at, r.minutes
    from (select org_id, member_id, team_id, activity_name, decided_at, minutes from service_records
      where org_id = ${query.orgId} and status = 'APPROVED'
      order by decided_at desc
      limit ${query.feedLimit}) r
    join members m on m.org_id = r.org_id and m.id = r.member_id
    left join teams t on t.org_id = r.org_id and t.id = r.team_id
    order by r.decided_at desc`,
  );

  // Sent together, pipelined on the transaction's connection.
  const [months, teamYear, approvals] = await Promise.all([monthsRead, teamYearRead, approvalsRead]);
  const monthMinutes = new Map<string, number>();
  let thisYearMinutes = 0;
  for (const row of months) {
    const key = `${row.year}-${String(row.month).padStart(2, '0')}`;
    monthMinutes.set(key, row.minutes);
    if (row.year === thisYear) thisYearMinutes += row.minutes;
  }
  return {
    thisMonthMinutes: monthMinutes.get(last.slice(0, 7)) ?? 0,
    thisYearMinutes,
    teamYearMinutes: new Map(teamYear.map((row) => [row.team_id, row.minutes])),
    monthMinutes,
    latestApprovals: approvals.map((row) => ({
      displayName: row.display_name,
      colour: row.colour,
      title: row.activity_name,
      at: new Date(row.decided_at),
      minutes: row.minutes,
    })),
  };
}

/** Requests from the public (群众需求) by state, through the requests domain's one counting statement. */
export function requestFigures(tx: Tx, organization: Organization, now: Date): Promise<RequestCountsRow> {
  return countRequestsOf(tx, organization, now);
}
