/**
 * Reports' SQL: sums of approved service records, and of the people activities
 * served, filtered by organization and, for a lead, by team.
 */
import { members, queryRows, serviceRecords, type Db } from '@qicai/db';
import { and, asc, between, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';

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

function approvedIn(scope: ReportScope): SQL | undefined {
  return and(
    eq(serviceRecords.orgId, scope.orgId),
    eq(serviceRecords.status, 'APPROVED'),
    between(serviceRecords.serviceDate, scope.period.from, scope.period.to),
    scope.teamIds ? inArray(serviceRecords.teamId, scope.teamIds) : undefined,
  );
}

const minutes = sql<number>`coalesce(sum(${serviceRecords.minutes}), 0)::int`;
const records = sql<number>`count(*)::int`;

export async function sumByMember(db: Db, scope: ReportScope): Promise<ReportSum[]> {
  return db
    .select({ groupKey: serviceRecords.memberId, name: members.displayName, minutes, records })
    .from(serviceRecords)
    .innerJoin(members, and(eq(members.orgId, serviceRecords.orgId), eq(members.id, serviceRecords.memberId)))
    .where(approvedIn(scope))
    .groupBy(serviceRecords.memberId, members.displayName)
    .orderBy(desc(minutes), asc(members.displayName));
}

export async function sumByTeam(db: Db, scope: ReportScope): Promise<ReportSum[]> {
  return db
    .select({ groupKey: serviceRecords.teamId, name: sql<string | null>`null`, minutes, records })
    .from(serviceRecords)
    .where(approvedIn(scope))
    .groupBy(serviceRecords.teamId)
    .orderBy(desc(minutes));
}

/** By the members' 政治面貌, most hours first. */
export async function sumByPoliticalStatus(db: Db, scope: ReportScope): Promise<ReportSum[]> {
  return db
    .select({ groupKey: members.politicalStatus, name: sql<string | null>`null`, minutes, records })
    .from(serviceRecords)
    .innerJoin(members, and(eq(members.orgId, serviceRecords.orgId), eq(members.id, serviceRecords.memberId)))
    .where(approvedIn(scope))
    .groupBy(members.politicalStatus)
    .orderBy(desc(minutes), asc(members.politicalStatus));
}

export async function sumByMonth(db: Db, scope: ReportScope): Promise<ReportSum[]> {
  const month = sql<string>`to_char(${serviceRecords.serviceDate}, 'YYYY-MM')`;
  return db
    .select({ groupKey: month, name: sql<string | null>`null`, minutes, records })
    .from(serviceRecords)
    .where(approvedIn(scope))
    .groupBy(month)
    .orderBy(asc(month));
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
