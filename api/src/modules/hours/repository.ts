/**
 * Service hours' queries: plain functions of (db, params), every one filtered
 * by organization. The rollup tables are only changed by `adjustRollups`.
 */
import {
  activities,
  members,
  type Activity,
  organizations,
  serviceHoursMemberMonth,
  serviceHoursMemberTotal,
  serviceHoursMemberYear,
  serviceHoursOrgMonth,
  serviceHoursTeamMonth,
  serviceRecordCorrections,
  serviceRecords,
  signUps,
  teamMemberships,
  type Db,
  type Member,
  type Organization,
  type OrganizationSettings,
  type ServiceRecord,
  type ServiceRecordCorrection,
  type SignUp,
} from '@qicai/db';
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, max, ne, or, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

export type NewServiceRecord = typeof serviceRecords.$inferInsert;

/**
 * A record that counts: pending or approved. A declined or withdrawn one
 * counts for nothing and its service may be reported again (the partial
 * unique index service_records_one_per_activity says the same).
 */
const isLive = inArray(serviceRecords.status, ['PENDING', 'APPROVED']);

/** A sign-up's activity. */
const activityOfSignUp = and(eq(activities.orgId, signUps.orgId), eq(activities.id, signUps.activityId));

/** A sign-up's live record for its activity, if any (left-joined: none is what the callers look for). */
const liveRecordOfSignUp = and(
  eq(serviceRecords.orgId, signUps.orgId),
  eq(serviceRecords.activityId, signUps.activityId),
  eq(serviceRecords.memberId, signUps.memberId),
  isLive,
);

export async function findRecordById(db: Db, orgId: string, id: string): Promise<ServiceRecord | undefined> {
  const [record] = await db
    .select()
    .from(serviceRecords)
    .where(and(eq(serviceRecords.orgId, orgId), eq(serviceRecords.id, id)));
  return record;
}

export async function findRecordsByIds(db: Db, orgId: string, ids: string[]): Promise<ServiceRecord[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(serviceRecords)
    .where(and(eq(serviceRecords.orgId, orgId), inArray(serviceRecords.id, ids)));
}

export async function lockRecord(db: Db, orgId: string, id: string): Promise<ServiceRecord | undefined> {
  const [record] = await db
    .select()
    .from(serviceRecords)
    .where(and(eq(serviceRecords.orgId, orgId), eq(serviceRecords.id, id)))
    .for('update');
  return record;
}

/**
 * Takes the member's row lock (one that does not block foreign keys to it):
 * whoever writes a member's records waits here, so the overlap check that
 * follows sees every record committed before it.
 */
export async function lockMemberForRecords(db: Db, orgId: string, memberId: string): Promise<boolean> {
  const rows = await db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.id, memberId)))
    .for('no key update');
  return rows.length > 0;
}

/** The member's live (pending or approved) records whose time overlaps [startsAt, endsAt). */
export async function findOverlappingRecords(
  db: Db,
  params: { orgId: string; memberId: string; startsAt: Date; endsAt: Date; exceptId?: string },
): Promise<ServiceRecord[]> {
  return db
    .select()
    .from(serviceRecords)
    .where(
      and(
        eq(serviceRecords.orgId, params.orgId),
        eq(serviceRecords.memberId, params.memberId),
        isLive,
        lt(serviceRecords.startsAt, params.endsAt),
        gt(serviceRecords.endsAt, params.startsAt),
        params.exceptId ? ne(serviceRecords.id, params.exceptId) : undefined,
      ),
    )
    .limit(5);
}

/** Inserts the record, or nothing if the member already has a live record of that activity. */
export async function insertRecord(db: Db, values: NewServiceRecord): Promise<ServiceRecord | undefined> {
  const [record] = await db.insert(serviceRecords).values(values).onConflictDoNothing().returning();
  return record;
}

export async function findLiveRecordOfActivity(
  db: Db,
  orgId: string,
  activityId: string,
  memberId: string,
): Promise<ServiceRecord | undefined> {
  const [record] = await db
    .select()
    .from(serviceRecords)
    .where(
      and(
        eq(serviceRecords.orgId, orgId),
        eq(serviceRecords.activityId, activityId),
        eq(serviceRecords.memberId, memberId),
        isLive,
      ),
    );
  return record;
}

/**
 * Decides the pending ones among `ids`: a conditional update, so of many
 * concurrent decisions on one record exactly one changes it (the others wait
 * for its row lock, then find it no longer pending) — only the rows returned
 * here were decided by this transaction.
 */
export async function decidePendingRecords(
  db: Db,
  params: {
    orgId: string;
    ids: string[];
    status: 'APPROVED' | 'DECLINED' | 'WITHDRAWN';
    decidedByMemberId: string;
    declineReason: string | null;
  },
): Promise<ServiceRecord[]> {
  if (params.ids.length === 0) return [];
  return db
    .update(serviceRecords)
    .set({
      status: params.status,
      decidedByMemberId: params.decidedByMemberId,
      decidedAt: sql`now()`,
      declineReason: params.declineReason,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(serviceRecords.orgId, params.orgId),
        inArray(serviceRecords.id, params.ids),
        eq(serviceRecords.status, 'PENDING'),
      ),
    )
    .returning();
}

export async function updateRecordValues(
  db: Db,
  orgId: string,
  id: string,
  values: Pick<ServiceRecord, 'activityName' | 'serviceDate' | 'place' | 'content' | 'minutes' | 'startsAt' | 'endsAt'>,
): Promise<ServiceRecord> {
  const [record] = await db
    .update(serviceRecords)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(serviceRecords.orgId, orgId), eq(serviceRecords.id, id)))
    .returning();
  if (!record) throw new Error('service record vanished');
  return record;
}

export async function listRecordsOfMember(
  db: Db,
  params: { orgId: string; memberId: string; limit: number },
): Promise<ServiceRecord[]> {
  return db
    .select()
    .from(serviceRecords)
    .where(
      and(
        eq(serviceRecords.orgId, params.orgId),
        eq(serviceRecords.memberId, params.memberId),
        // Withdrawn with an undone check-out: the member's list shows the hours that stand.
        ne(serviceRecords.status, 'WITHDRAWN'),
      ),
    )
    .orderBy(desc(serviceRecords.startsAt), desc(serviceRecords.id))
    .limit(params.limit);
}

/** Pending records, oldest first: of the given teams, or all of them (`teamIds` null, an admin). */
export async function listPendingRecords(
  db: Db,
  params: { orgId: string; teamIds: string[] | null; limit: number },
): Promise<ServiceRecord[]> {
  if (params.teamIds && params.teamIds.length === 0) return [];
  return db
    .select()
    .from(serviceRecords)
    .where(
      and(
        eq(serviceRecords.orgId, params.orgId),
        eq(serviceRecords.status, 'PENDING'),
        params.teamIds ? inArray(serviceRecords.teamId, params.teamIds) : undefined,
      ),
    )
    .orderBy(asc(serviceRecords.createdAt), asc(serviceRecords.id))
    .limit(params.limit);
}

/**
 * Sign-ups of ended activities (of the given teams, or all) that checked in
 * and never checked out, with no live record: the lead enters their hours.
 */
export async function findMissingCheckOuts(
  db: Db,
  params: { orgId: string; teamIds: string[] | null; endedBefore: Date; limit: number },
): Promise<SignUp[]> {
  if (params.teamIds && params.teamIds.length === 0) return [];
  const rows = await db
    .select({ signUp: signUps })
    .from(signUps)
    .innerJoin(activities, activityOfSignUp)
    .leftJoin(serviceRecords, liveRecordOfSignUp)
    .where(
      and(
        eq(signUps.orgId, params.orgId),
        isNotNull(signUps.checkedInAt),
        isNull(signUps.checkedOutAt),
        isNull(serviceRecords.id),
        lt(activities.endsAt, params.endedBefore),
        ne(activities.status, 'CANCELLED'),
        params.teamIds ? inArray(activities.teamId, params.teamIds) : undefined,
      ),
    )
    .orderBy(desc(activities.endsAt), asc(signUps.id))
    .limit(params.limit);
  return rows.map((row) => row.signUp);
}

/**
 * Ended activities the member attended (a confirmed sign-up, marked attended
 * or checked in) with no record of theirs that counts (a declined one does
 * not): what they may still report hours for, newest first.
 */
export async function findReportableActivities(
  db: Db,
  params: { orgId: string; memberId: string; endedBefore: Date; limit: number },
): Promise<Activity[]> {
  const rows = await db
    .select({ activity: activities })
    .from(signUps)
    .innerJoin(activities, activityOfSignUp)
    .leftJoin(serviceRecords, liveRecordOfSignUp)
    .where(
      and(
        eq(signUps.orgId, params.orgId),
        eq(signUps.memberId, params.memberId),
        eq(signUps.status, 'CONFIRMED'),
        or(eq(signUps.attendance, 'ATTENDED'), isNotNull(signUps.checkedInAt)),
        isNull(serviceRecords.id),
        lt(activities.endsAt, params.endedBefore),
        ne(activities.status, 'CANCELLED'),
      ),
    )
    .orderBy(desc(activities.endsAt), asc(activities.id))
    .limit(params.limit);
  return rows.map((row) => row.activity);
}

/** The display name of one of the team's leads (队长), for the record's "activity lead". */
export async function findTeamLeadName(db: Db, orgId: string, teamId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ name: members.displayName })
    .from(teamMemberships)
    .innerJoin(members, and(eq(members.orgId, teamMemberships.orgId), eq(members.id, teamMemberships.memberId)))
    .where(and(eq(teamMemberships.orgId, orgId), eq(teamMemberships.teamId, teamId), eq(teamMemberships.isLead, true)))
    .orderBy(asc(teamMemberships.joinedAt))
    .limit(1);
  return row?.name;
}

// Corrections

export type NewCorrection = typeof serviceRecordCorrections.$inferInsert;

export async function insertCorrection(db: Db, values: NewCorrection): Promise<ServiceRecordCorrection | undefined> {
  const [correction] = await db.insert(serviceRecordCorrections).values(values).onConflictDoNothing().returning();
  return correction;
}

export async function findCorrectionById(
  db: Db,
  orgId: string,
  id: string,
): Promise<ServiceRecordCorrection | undefined> {
  const [correction] = await db
    .select()
    .from(serviceRecordCorrections)
    .where(and(eq(serviceRecordCorrections.orgId, orgId), eq(serviceRecordCorrections.id, id)));
  return correction;
}

/** Decides the correction if it is still pending (see `decidePendingRecords`). */
export async function decidePendingCorrection(
  db: Db,
  params: {
    orgId: string;
    id: string;
    status: 'ACCEPTED' | 'REFUSED';
    decidedByMemberId: string;
    previous: ServiceRecordCorrection['previous'];
    refusalReason: string | null;
  },
): Promise<ServiceRecordCorrection | undefined> {
  const [correction] = await db
    .update(serviceRecordCorrections)
    .set({
      status: params.status,
      decidedByMemberId: params.decidedByMemberId,
      decidedAt: sql`now()`,
      previous: params.previous,
      refusalReason: params.refusalReason,
    })
    .where(
      and(
        eq(serviceRecordCorrections.orgId, params.orgId),
        eq(serviceRecordCorrections.id, params.id),
        eq(serviceRecordCorrections.status, 'PENDING'),
      ),
    )
    .returning();
  return correction;
}

export async function findCorrectionsOfRecords(
  db: Db,
  orgId: string,
  recordIds: string[],
): Promise<ServiceRecordCorrection[]> {
  if (recordIds.length === 0) return [];
  return db
    .select()
    .from(serviceRecordCorrections)
    .where(and(eq(serviceRecordCorrections.orgId, orgId), inArray(serviceRecordCorrections.recordId, recordIds)))
    .orderBy(asc(serviceRecordCorrections.createdAt), asc(serviceRecordCorrections.id));
}

/** Pending corrections of records of the given teams (or all), oldest first. */
export async function listPendingCorrections(
  db: Db,
  params: { orgId: string; teamIds: string[] | null; limit: number },
): Promise<ServiceRecordCorrection[]> {
  if (params.teamIds && params.teamIds.length === 0) return [];
  const rows = await db
    .select({ correction: serviceRecordCorrections })
    .from(serviceRecordCorrections)
    .innerJoin(
      serviceRecords,
      and(
        eq(serviceRecords.orgId, serviceRecordCorrections.orgId),
        eq(serviceRecords.id, serviceRecordCorrections.recordId),
      ),
    )
    .where(
      and(
        eq(serviceRecordCorrections.orgId, params.orgId),
        eq(serviceRecordCorrections.status, 'PENDING'),
        params.teamIds ? inArray(serviceRecords.teamId, params.teamIds) : undefined,
      ),
    )
    .orderBy(asc(serviceRecordCorrections.createdAt), asc(serviceRecordCorrections.id))
    .limit(params.limit);
  return rows.map((row) => row.correction);
}

// Rollups

/** A change of approved minutes: + when a record is approved, − then + when a correction replaces its values. */
export interface RollupDelta {
  memberId: string;
  teamId: string | null;
  year: number;
  month: number;
  minutes: number;
  records: number;
}

function sumBy(deltas: RollupDelta[], keyOf: (delta: RollupDelta) => string | null) {
  const sums = new Map<string, { delta: RollupDelta; minutes: number; records: number }>();
  for (const delta of deltas) {
    const key = keyOf(delta);
    if (key === null) continue;
    const sum = sums.get(key) ?? { delta, minutes: 0, records: 0 };
    sum.minutes += delta.minutes;
    sum.records += delta.records;
    sums.set(key, sum);
  }
  // Sorted by key, so that transactions touching several rollup rows lock them in one order (no deadlock).
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, sum]) => sum)
    .filter((sum) => sum.minutes !== 0 || sum.records !== 0);
}

/**
 * Adds the deltas to every rollup, in the caller's transaction: the one place
 * the rollups change, so they stay the sum of the approved records.
 */
export async function adjustRollups(db: Db, orgId: string, deltas: RollupDelta[]): Promise<void> {
  const memberYears = sumBy(deltas, (d) => `${d.memberId}|${d.year}`);
  if (memberYears.length > 0) {
    await db
      .insert(serviceHoursMemberYear)
      .values(
        memberYears.map(({ delta, minutes, records }) => ({
          orgId,
          memberId: delta.memberId,
          year: delta.year,
          minutes,
          records,
        })),
      )
      .onConflictDoUpdate({
        target: [serviceHoursMemberYear.orgId, serviceHoursMemberYear.memberId, serviceHoursMemberYear.year],
        set: {
          minutes: sql`${serviceHoursMemberYear.minutes} + excluded.minutes`,
          records: sql`${serviceHoursMemberYear.records} + excluded.records`,
        },
      });
  }
  const memberMonths = sumBy(deltas, (d) => `${d.memberId}|${d.year}|${String(d.month).padStart(2, '0')}`);
  if (memberMonths.length > 0) {
    await db
      .insert(serviceHoursMemberMonth)
      .values(
        memberMonths.map(({ delta, minutes, records }) => ({
          orgId,
          memberId: delta.memberId,
          year: delta.year,
          month: delta.month,
          minutes,
          records,
        })),
      )
      .onConflictDoUpdate({
        target: [
          serviceHoursMemberMonth.orgId,
          serviceHoursMemberMonth.memberId,
          serviceHoursMemberMonth.year,
          serviceHoursMemberMonth.month,
        ],
        set: {
          minutes: sql`${serviceHoursMemberMonth.minutes} + excluded.minutes`,
          records: sql`${serviceHoursMemberMonth.records} + excluded.records`,
        },
      });
  }
  const memberTotals = sumBy(deltas, (d) => d.memberId);
  if (memberTotals.length > 0) {
    await db
      .insert(serviceHoursMemberTotal)
      .values(
        memberTotals.map(({ delta, minutes, records }) => ({ orgId, memberId: delta.memberId, minutes, records })),
      )
      .onConflictDoUpdate({
        target: [serviceHoursMemberTotal.orgId, serviceHoursMemberTotal.memberId],
        set: {
          minutes: sql`${serviceHoursMemberTotal.minutes} + excluded.minutes`,
          records: sql`${serviceHoursMemberTotal.records} + excluded.records`,
        },
      });
  }
  const teamMonths = sumBy(deltas, (d) =>
    d.teamId === null ? null : `${d.teamId}|${d.year}|${String(d.month).padStart(2, '0')}`,
  );
  if (teamMonths.length > 0) {
    await db
      .insert(serviceHoursTeamMonth)
      .values(
        teamMonths.map(({ delta, minutes, records }) => ({
          orgId,
          teamId: delta.teamId ?? '',
          year: delta.year,
          month: delta.month,
          minutes,
          records,
        })),
      )
      .onConflictDoUpdate({
        target: [
          serviceHoursTeamMonth.orgId,
          serviceHoursTeamMonth.teamId,
          serviceHoursTeamMonth.year,
          serviceHoursTeamMonth.month,
        ],
        set: {
          minutes: sql`${serviceHoursTeamMonth.minutes} + excluded.minutes`,
          records: sql`${serviceHoursTeamMonth.records} + excluded.records`,
        },
      });
  }
  const orgMonths = sumBy(deltas, (d) => `${d.year}|${String(d.month).padStart(2, '0')}`);
  if (orgMonths.length > 0) {
    await db
      .insert(serviceHoursOrgMonth)
      .values(
        orgMonths.map(({ delta, minutes, records }) => ({
          orgId,
          year: delta.year,
          month: delta.month,
          minutes,
          records,
        })),
      )
      .onConflictDoUpdate({
        target: [serviceHoursOrgMonth.orgId, serviceHoursOrgMonth.year, serviceHoursOrgMonth.month],
        set: {
          minutes: sql`${serviceHoursOrgMonth.minutes} + excluded.minutes`,
          records: sql`${serviceHoursOrgMonth.records} + excluded.records`,
        },
      });
  }
}

export interface MemberTotals {
  memberId: string;
  allTimeMinutes: number;
  yearMinutes: number;
}

/** A member's all-time and given year's approved minutes (two index lookups). */
export async function findMemberTotals(
  db: Db,
  orgId: string,
  memberIds: string[],
  year: number,
): Promise<MemberTotals[]> {
  if (memberIds.length === 0) return [];
  const [totals, years] = [
    await db
      .select({ memberId: serviceHoursMemberTotal.memberId, minutes: serviceHoursMemberTotal.minutes })
      .from(serviceHoursMemberTotal)
      .where(and(eq(serviceHoursMemberTotal.orgId, orgId), inArray(serviceHoursMemberTotal.memberId, memberIds))),
    await db
      .select({ memberId: serviceHoursMemberYear.memberId, minutes: serviceHoursMemberYear.minutes })
      .from(serviceHoursMemberYear)
      .where(
        and(
          eq(serviceHoursMemberYear.orgId, orgId),
          eq(serviceHoursMemberYear.year, year),
          inArray(serviceHoursMemberYear.memberId, memberIds),
        ),
      ),
  ];
  const allTime = new Map(totals.map((row) => [row.memberId, row.minutes]));
  const thisYear = new Map(years.map((row) => [row.memberId, row.minutes]));
  return memberIds.map((memberId) => ({
    memberId,
    allTimeMinutes: allTime.get(memberId) ?? 0,
    yearMinutes: thisYear.get(memberId) ?? 0,
  }));
}

export interface LeaderboardRow {
  member: Member;
  minutes: number;
}

export type LeaderboardPeriod =
  { kind: 'ALL_TIME' } | { kind: 'YEAR'; year: number } | { kind: 'MONTH'; year: number; month: number };

/**
 * The top of a period's leaderboard, with the members (one statement): an
 * index-only scan of the period's rollup in its index order, highest first,
 * stopping at the limit.
 */
export async function leaderboard(
  db: Db,
  orgId: string,
  period: LeaderboardPeriod,
  limit: number,
): Promise<LeaderboardRow[]> {
  const joinMember = (memberId: AnyPgColumn) => and(eq(members.orgId, orgId), eq(members.id, memberId));
  if (period.kind === 'ALL_TIME') {
    const t = serviceHoursMemberTotal;
    return db
      .select({ member: members, minutes: t.minutes })
      .from(t)
      .innerJoin(members, joinMember(t.memberId))
      .where(and(eq(t.orgId, orgId), gt(t.minutes, 0)))
      .orderBy(desc(t.minutes), asc(t.memberId))
      .limit(limit);
  }
  if (period.kind === 'YEAR') {
    const t = serviceHoursMemberYear;
    return db
      .select({ member: members, minutes: t.minutes })
      .from(t)
      .innerJoin(members, joinMember(t.memberId))
      .where(and(eq(t.orgId, orgId), eq(t.year, period.year), gt(t.minutes, 0)))
      .orderBy(desc(t.minutes), asc(t.memberId))
      .limit(limit);
  }
  const t = serviceHoursMemberMonth;
  return db
    .select({ member: members, minutes: t.minutes })
    .from(t)
    .innerJoin(members, joinMember(t.memberId))
    .where(and(eq(t.orgId, orgId), eq(t.year, period.year), eq(t.month, period.month), gt(t.minutes, 0)))
    .orderBy(desc(t.minutes), asc(t.memberId))
    .limit(limit);
}

export interface MonthMinutes {
  year: number;
  month: number;
  minutes: number;
}

/** The organization's approved minutes per month from `from` (year, month) on. */
export async function orgMonths(db: Db, orgId: string, from: { year: number; month: number }): Promise<MonthMinutes[]> {
  const t = serviceHoursOrgMonth;
  return db
    .select({ year: t.year, month: t.month, minutes: t.minutes })
    .from(t)
    .where(
      and(eq(t.orgId, orgId), or(gt(t.year, from.year), and(eq(t.year, from.year), sql`${t.month} >= ${from.month}`))),
    )
    .orderBy(asc(t.year), asc(t.month));
}

export async function orgAllTimeMinutes(db: Db, orgId: string): Promise<number> {
  const [row] = await db
    .select({ minutes: sql<string>`coalesce(sum(${serviceHoursOrgMonth.minutes}), 0)` })
    .from(serviceHoursOrgMonth)
    .where(eq(serviceHoursOrgMonth.orgId, orgId));
  return Number(row?.minutes ?? 0);
}

/** Approved minutes per team in a year, or in one month of it. */
export async function teamMinutes(
  db: Db,
  orgId: string,
  period: { year: number; month: number | null },
): Promise<{ teamId: string; minutes: number }[]> {
  const t = serviceHoursTeamMonth;
  const rows = await db
    .select({ teamId: t.teamId, minutes: sql<string>`sum(${t.minutes})` })
    .from(t)
    .where(
      and(eq(t.orgId, orgId), eq(t.year, period.year), period.month === null ? undefined : eq(t.month, period.month)),
    )
    .groupBy(t.teamId);
  return rows.map((row) => ({ teamId: row.teamId, minutes: Number(row.minutes) }));
}

export async function updateHoursSettings(
  db: Db,
  orgId: string,
  settings: Pick<OrganizationSettings, 'excludeTravelTime' | 'starThresholdsHours' | 'holidays' | 'workingDays'>,
): Promise<Organization> {
  const [organization] = await db
    .update(organizations)
    .set({ settings: sql`${organizations.settings} || ${JSON.stringify(settings)}::jsonb`, updatedAt: sql`now()` })
    .where(eq(organizations.id, orgId))
    .returning();
  if (!organization) throw new Error('update found no organization');
  return organization;
}

/** The date of each member's latest approved service. */ export async function findLastServiceDates(
  db: Db,
  orgId: string,
  memberIds: string[],
): Promise<{ memberId: string; servedOn: string | null }[]> {
  if (memberIds.length === 0) return [];
  return db
    .select({ memberId: serviceRecords.memberId, servedOn: max(serviceRecords.serviceDate) })
    .from(serviceRecords)
    .where(
      and(
        eq(serviceRecords.orgId, orgId),
        inArray(serviceRecords.memberId, memberIds),
        eq(serviceRecords.status, 'APPROVED'),
      ),
    )
    .groupBy(serviceRecords.memberId);
}
