/**
 * The SQL of the big screen and of display tokens. Every function takes the
 * organization and filters by it; row-level security is the second wall.
 * The board's figures come from a fixed number of statements, each served by
 * an index (see the comments), whatever the organization's history.
 */
import {
  ACTIVITY_MAX_SPAN_MINUTES,
  displayTokens,
  queryRows,
  type DisplayToken,
  type TeamColour,
  type Tx,
} from '@qicai/db';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';

// Display tokens

export async function insertDisplayToken(
  tx: Tx,
  values: { orgId: string; name: string; tokenHash: string; createdBy: string },
): Promise<DisplayToken> {
  const [row] = await tx.insert(displayTokens).values(values).returning();
  if (!row) throw new Error('display token not inserted');
  return row;
}

export function listDisplayTokens(tx: Tx, orgId: string): Promise<DisplayToken[]> {
  return tx
    .select()
    .from(displayTokens)
    .where(eq(displayTokens.orgId, orgId))
    .orderBy(desc(displayTokens.createdAt), desc(displayTokens.id));
}

export async function findDisplayToken(tx: Tx, orgId: string, id: string): Promise<DisplayToken | undefined> {
  const [row] = await tx
    .select()
    .from(displayTokens)
    .where(and(eq(displayTokens.orgId, orgId), eq(displayTokens.id, id)));
  return row;
}

/** The token with this hash, if it has not been revoked. */
export async function findLiveDisplayTokenByHash(
  tx: Tx,
  orgId: string,
  tokenHash: string,
): Promise<DisplayToken | undefined> {
  const [row] = await tx
    .select()
    .from(displayTokens)
    .where(
      and(eq(displayTokens.orgId, orgId), eq(displayTokens.tokenHash, tokenHash), isNull(displayTokens.revokedAt)),
    );
  return row;
}

export async function revokeDisplayToken(
  tx: Tx,
  orgId: string,
  id: string,
  revokedBy: string,
): Promise<DisplayToken | undefined> {
  const [row] = await tx
    .update(displayTokens)
    .set({ revokedAt: sql`now()`, revokedBy })
    .where(and(eq(displayTokens.orgId, orgId), eq(displayTokens.id, id), isNull(displayTokens.revokedAt)))
    .returning();
  return row;
}

// The board's figures

export interface TeamFigureRow {
  id: string;
  colour: TeamColour;
  nameZh: string;
  nameEn: string;
  members: number;
  activitiesThisMonth: number;
  beneficiariesThisMonth: number;
  beneficiariesThisYear: number;
}

/**
 * The seven teams with their active members (the team_member_counts rollup:
 * counting a county roster on every refresh would read it seven times),
 * this month's activities (activities_team_starts_idx), the people they served
 * this month and year (the activity_beneficiaries_team_month rollup, by local
 * month), and the children sponsored now (the partial unique index on active
 * sponsorships).
 */
export async function teamFigures(
  tx: Tx,
  orgId: string,
  month: { from: Date; to: Date; year: number; month: number },
): Promise<{ teams: TeamFigureRow[]; childrenSponsored: number }> {
  const rows = await queryRows<{
    id: string;
    colour: TeamColour;
    name_zh: string;
    name_en: string;
    members: number;
    activities_this_month: number;
    beneficiaries_this_month: number;
    beneficiaries_this_year: number;
    children_sponsored: number;
  }>(
    tx,
    sql`select t.id, t.colour, t.name_zh, t.name_en,
      coalesce((select c.active_members from team_member_counts c
        where c.org_id = t.org_id and c.team_id = t.id), 0) as members,
      (select count(*)::int from activities a
        where a.org_id = t.org_id and a.team_id = t.id
          and a.starts_at >= ${month.from.toISOString()}::timestamptz and a.starts_at < ${month.to.toISOString()}::timestamptz
          and a.status in ('PUBLISHED', 'COMPLETED')) as activities_this_month,
      coalesce((select b.beneficiaries::int from activity_beneficiaries_team_month b
        where b.org_id = t.org_id and b.team_id = t.id and b.year = ${month.year} and b.month = ${month.month}), 0)
        as beneficiaries_this_month,
      coalesce((select sum(b.beneficiaries)::int from activity_beneficiaries_team_month b
        where b.org_id = t.org_id and b.team_id = t.id and b.year = ${month.year}), 0) as beneficiaries_this_year,
      -- Not correlated with the team: counted once for the seven rows.
      (select count(*)::int from sponsorships s where s.org_id = ${orgId} and s.status = 'ACTIVE') as children_sponsored
    from teams t
    where t.org_id = ${orgId}
    order by t.colour`,
  );
  return {
    teams: rows.map((row) => ({
      id: row.id,
      colour: row.colour,
      nameZh: row.name_zh,
      nameEn: row.name_en,
      members: row.members,
      activitiesThisMonth: row.activities_this_month,
      beneficiariesThisMonth: row.beneficiaries_this_month,
      beneficiariesThisYear: row.beneficiaries_this_year,
    })),
    childrenSponsored: rows[0]?.children_sponsored ?? 0,
  };
}

export interface DayActivityRow {
  id: string;
  title: string;
  teamId: string;
  colour: TeamColour;
  placeName: string;
  startsAt: Date;
  endsAt: Date;
  confirmed: number;
  /** Checked in and not yet checked out. */
  checkedIn: number;
}

/**
 * Activities that overlap today (or are still running), read between today's
 * end and the longest span before its start, so neither the past nor the future
 * costs anything; with the sign-up counters each activity keeps (migration 0021).
 */
export async function activitiesOfDay(tx: Tx, orgId: string, day: { from: Date; to: Date }): Promise<DayActivityRow[]> {
  const rows = await queryRows<{
    id: string;
    title: string;
    team_id: string;
    colour: TeamColour;
    place_name: string;
    starts_at: string | Date;
    ends_at: string | Date;
    confirmed: number;
    checked_in: number;
  }>(
    tx,
    sql`select a.id, a.title, a.team_id, t.colour, a.place_name, a.starts_at, a.ends_at,
      a.confirmed_count as confirmed, a.checked_in_count as checked_in
    from activities a
    join teams t on t.org_id = a.org_id and t.id = a.team_id
    where a.org_id = ${orgId}
      and a.ends_at > ${day.from.toISOString()}::timestamptz
      and a.starts_at < ${day.to.toISOString()}::timestamptz
      -- Implied by the line above and the longest span an activity may have: lets the
      -- (org, starts_at) index stop there instead of reading every future activity.
      and a.starts_at > ${new Date(day.from.getTime() - ACTIVITY_MAX_SPAN_MINUTES * 60_000).toISOString()}::timestamptz
      and a.status in ('PUBLISHED', 'COMPLETED')
    order by a.starts_at, a.id`,
  );
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    teamId: row.team_id,
    colour: row.colour,
    placeName: row.place_name,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    confirmed: row.confirmed,
    checkedIn: row.checked_in,
  }));
}

export interface CheckInFeedRow {
  displayName: string;
  colour: TeamColour;
  title: string;
  at: Date;
}

/** The latest check-ins, newest first (sign_ups_checked_in_idx, read backwards). */
export async function latestCheckIns(tx: Tx, orgId: string, limit: number): Promise<CheckInFeedRow[]> {
  const rows = await queryRows<{
    display_name: string;
    colour: TeamColour;
    title: string;
    checked_in_at: string | Date;
  }>(
    tx,
    // The limit inside: joined first, the planner expects thousands of rows and sizes a
    // Memoize cache for them, which alone costs ~10 ms; ten rows need ten key lookups.
    sql`select m.display_name, t.colour, a.title, s.checked_in_at
    from (select org_id, member_id, activity_id, checked_in_at from sign_ups
      where org_id = ${orgId} and checked_in_at is not null
      order by checked_in_at desc
      limit ${limit}) s
    join members m on m.org_id = s.org_id and m.id = s.member_id
    join activities a on a.org_id = s.org_id and a.id = s.activity_id
    join teams t on t.org_id = a.org_id and t.id = a.team_id
    order by s.checked_in_at desc`,
  );
  return rows.map((row) => ({
    displayName: row.display_name,
    colour: row.colour,
    title: row.title,
    at: new Date(row.checked_in_at),
  }));
}
