/** Reports' SQL: sums of approved service records, filtered by organization and, for a lead, by team. */
import { members, serviceRecords, type Db } from '@qicai/db';
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
