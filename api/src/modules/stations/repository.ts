/**
 * The SQL of service stations, their logbook and spot checks. Every function
 * filters by the organization (row-level security is the second wall).
 */
import {
  activities,
  helpRequests,
  members,
  queryRows,
  spotChecks,
  stationMembers,
  stations,
  stationVisits,
  type Activity,
  type Db,
  type HelpRequest,
  type Member,
  type SpotCheck,
  type Station,
  type StationVisit,
} from '@qicai/db';
import { and, asc, count, desc, eq, getTableColumns, gte, inArray, isNotNull, lt, lte, sql } from 'drizzle-orm';

export type StationValues = Omit<typeof stations.$inferInsert, 'orgId' | 'id' | 'createdAt' | 'updatedAt'>;

export async function listStations(db: Db, orgId: string): Promise<Station[]> {
  return db
    .select()
    .from(stations)
    .where(eq(stations.orgId, orgId))
    .orderBy(asc(stations.township), asc(stations.name));
}

export async function findStationsByIds(db: Db, orgId: string, ids: string[]): Promise<Station[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(stations)
    .where(and(eq(stations.orgId, orgId), inArray(stations.id, ids)));
}

export async function findStationsByNames(db: Db, orgId: string, names: string[]): Promise<Station[]> {
  if (names.length === 0) return [];
  return db
    .select()
    .from(stations)
    .where(and(eq(stations.orgId, orgId), inArray(stations.name, names)));
}

export async function insertStation(db: Db, orgId: string, values: StationValues): Promise<Station> {
  const [row] = await db
    .insert(stations)
    .values({ ...values, orgId })
    .returning();
  if (!row) throw new Error('no station inserted');
  return row;
}

export async function updateStation(
  db: Db,
  orgId: string,
  id: string,
  values: Partial<StationValues>,
): Promise<Station | undefined> {
  const [row] = await db
    .update(stations)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(stations.orgId, orgId), eq(stations.id, id)))
    .returning();
  return row;
}

/** The station, locked until the transaction ends: changes of its people queue here. */
export async function lockStation(db: Db, orgId: string, id: string): Promise<Station | undefined> {
  const [row] = await db
    .select()
    .from(stations)
    .where(and(eq(stations.orgId, orgId), eq(stations.id, id)))
    .for('update');
  return row;
}

/** Makes exactly `memberIds` the station's people. */
export async function replaceStationMembers(db: Db, orgId: string, stationId: string, memberIds: string[]) {
  await db.delete(stationMembers).where(and(eq(stationMembers.orgId, orgId), eq(stationMembers.stationId, stationId)));
  if (memberIds.length > 0) {
    await db.insert(stationMembers).values(memberIds.map((memberId) => ({ orgId, stationId, memberId })));
  }
}

/** The members stationed at several stations, each with its station's id, by name. */
export async function findMembersOfStations(
  db: Db,
  orgId: string,
  stationIds: string[],
): Promise<(Member & { stationId: string })[]> {
  if (stationIds.length === 0) return [];
  return db
    .select({ ...getTableColumns(members), stationId: stationMembers.stationId })
    .from(stationMembers)
    .innerJoin(members, and(eq(members.orgId, stationMembers.orgId), eq(members.id, stationMembers.memberId)))
    .where(and(eq(stationMembers.orgId, orgId), inArray(stationMembers.stationId, stationIds)))
    .orderBy(asc(members.displayName), asc(members.id));
}

/** The stations several members are stationed at, each with the member's id. */
export async function findStationsOfMembers(
  db: Db,
  orgId: string,
  memberIds: string[],
): Promise<(Station & { memberId: string })[]> {
  if (memberIds.length === 0) return [];
  return db
    .select({ ...getTableColumns(stations), memberId: stationMembers.memberId })
    .from(stationMembers)
    .innerJoin(stations, and(eq(stations.orgId, stationMembers.orgId), eq(stations.id, stationMembers.stationId)))
    .where(and(eq(stationMembers.orgId, orgId), inArray(stationMembers.memberId, memberIds)))
    .orderBy(asc(stations.township), asc(stations.name));
}

export async function isStationed(db: Db, orgId: string, stationId: string, memberId: string): Promise<boolean> {
  const [row] = await db
    .select({ memberId: stationMembers.memberId })
    .from(stationMembers)
    .where(
      and(
        eq(stationMembers.orgId, orgId),
        eq(stationMembers.stationId, stationId),
        eq(stationMembers.memberId, memberId),
      ),
    );
  return row !== undefined;
}

/** Of these stations, those the member is stationed at. */
export async function findStationIdsOfMember(db: Db, orgId: string, memberId: string): Promise<Set<string>> {
  const rows = await db
    .select({ stationId: stationMembers.stationId })
    .from(stationMembers)
    .where(and(eq(stationMembers.orgId, orgId), eq(stationMembers.memberId, memberId)));
  return new Set(rows.map((row) => row.stationId));
}

/* Activities and requests at a station */

export async function findActivitiesOfStations(
  db: Db,
  orgId: string,
  stationIds: string[],
  limit: number,
): Promise<Activity[]> {
  if (stationIds.length === 0) return [];
  // At most `limit` per station: a lateral join would say it too; stations are few per page.
  const ranked = db
    .select({
      ...getTableColumns(activities),
      rank: sql<number>`row_number() over (partition by ${activities.stationId} order by ${activities.startsAt} desc)`.as(
        'rank',
      ),
    })
    .from(activities)
    .where(and(eq(activities.orgId, orgId), inArray(activities.stationId, stationIds)))
    .as('ranked');
  const rows = await db.select().from(ranked).where(lte(ranked.rank, limit)).orderBy(desc(ranked.startsAt));
  return rows.map(({ rank: _rank, ...activity }) => activity);
}

export async function findRequestsOfStations(
  db: Db,
  orgId: string,
  stationIds: string[],
  limit: number,
): Promise<HelpRequest[]> {
  if (stationIds.length === 0) return [];
  const ranked = db
    .select({
      ...getTableColumns(helpRequests),
      rank: sql<number>`row_number() over (partition by ${helpRequests.stationId} order by ${helpRequests.submittedAt} desc)`.as(
        'rank',
      ),
    })
    .from(helpRequests)
    .where(and(eq(helpRequests.orgId, orgId), inArray(helpRequests.stationId, stationIds)))
    .as('ranked');
  const rows = await db.select().from(ranked).where(lte(ranked.rank, limit)).orderBy(desc(ranked.submittedAt));
  return rows.map(({ rank: _rank, ...request }) => request);
}

export async function setActivityStation(
  db: Db,
  orgId: string,
  activityId: string,
  station: Station,
): Promise<Activity | undefined> {
  const [row] = await db
    .update(activities)
    .set({
      stationId: station.id,
      placeName: station.address ? `${station.name}（${station.address}）`.slice(0, 200) : station.name,
      latitude: station.latitude,
      longitude: station.longitude,
      updatedAt: sql`now()`,
    })
    .where(and(eq(activities.orgId, orgId), eq(activities.id, activityId)))
    .returning();
  return row;
}

export async function setRequestStation(
  db: Db,
  orgId: string,
  requestId: string,
  stationId: string | null,
): Promise<HelpRequest | undefined> {
  const [row] = await db
    .update(helpRequests)
    .set({ stationId, updatedAt: sql`now()` })
    .where(and(eq(helpRequests.orgId, orgId), eq(helpRequests.id, requestId)))
    .returning();
  return row;
}

/* The logbook */

export async function insertVisit(db: Db, values: typeof stationVisits.$inferInsert): Promise<StationVisit> {
  const [row] = await db.insert(stationVisits).values(values).returning();
  if (!row) throw new Error('no visit inserted');
  return row;
}

/** The latest `limit` visits of each station, newest first. */
export async function findVisitsOfStations(
  db: Db,
  orgId: string,
  stationIds: string[],
  limit: number,
): Promise<StationVisit[]> {
  if (stationIds.length === 0) return [];
  const ranked = db
    .select({
      ...getTableColumns(stationVisits),
      rank: sql<number>`row_number() over (partition by ${stationVisits.stationId} order by ${stationVisits.visitedAt} desc, ${stationVisits.id})`.as(
        'rank',
      ),
    })
    .from(stationVisits)
    .where(and(eq(stationVisits.orgId, orgId), inArray(stationVisits.stationId, stationIds)))
    .as('ranked');
  const rows = await db.select().from(ranked).where(lte(ranked.rank, limit)).orderBy(desc(ranked.visitedAt));
  return rows.map(({ rank: _rank, ...visit }) => visit);
}

export interface StationDayRow {
  stationId: string;
  date: string;
  visits: number;
  minutes: number;
}

/** Visits and minutes per station per day (in `timeZone`) from `from` to `to`. */
export async function countVisitsPerDay(
  db: Db,
  orgId: string,
  stationIds: string[] | null,
  timeZone: string,
  from: Date,
  to: Date,
): Promise<StationDayRow[]> {
  const day = sql<string>`to_char(${stationVisits.visitedAt} at time zone ${timeZone}, 'YYYY-MM-DD')`;
  return (
    db
      .select({
        stationId: stationVisits.stationId,
        date: day,
        visits: count(),
        minutes: sql<number>`coalesce(sum(${stationVisits.minutes}), 0)::integer`,
      })
      .from(stationVisits)
      .where(
        and(
          eq(stationVisits.orgId, orgId),
          stationIds ? inArray(stationVisits.stationId, stationIds) : undefined,
          gte(stationVisits.visitedAt, from),
          lt(stationVisits.visitedAt, to),
        ),
      )
      // By position: the day's expression carries the time zone as a parameter, and a second copy would not match.
      .groupBy(sql`1`, sql`2`)
      .orderBy(sql`2`)
  );
}

export interface StationTodayRow {
  stationId: string;
  visits: number;
  latestAt: Date | null;
  latestCategory: StationVisit['category'] | null;
}

/** Today's visits of every station of the organization: how many and the latest. One statement. */
export async function todayOfStations(db: Db, orgId: string, from: Date, to: Date): Promise<StationTodayRow[]> {
  const rows = await queryRows<{
    station_id: string;
    visits: number;
    latest_at: string | null;
    latest_category: StationVisit['category'] | null;
  }>(
    db,
    sql`select station_id, count(*)::integer as visits, max(visited_at)::text as latest_at,
          (array_agg(category order by visited_at desc))[1] as latest_category
        from station_visits
        where org_id = ${orgId} and visited_at >= ${from.toISOString()}::timestamptz and visited_at < ${to.toISOString()}::timestamptz
        group by station_id`,
  );
  return rows.map((row) => ({
    stationId: row.station_id,
    visits: row.visits,
    latestAt: row.latest_at ? new Date(row.latest_at) : null,
    latestCategory: row.latest_category,
  }));
}

/** Per station: members stationed, and of them those seen at the station today (a visit recorded, a spot check answered there). */
export async function peopleOfStations(
  db: Db,
  orgId: string,
  from: Date,
  to: Date,
): Promise<{ stationId: string; stationed: number; onSite: number }[]> {
  const rows = await queryRows<{ station_id: string; stationed: number; on_site: number }>(
    db,
    sql`select sm.station_id, count(*)::integer as stationed,
          (count(*) filter (where exists (
              select 1 from station_visits v where v.org_id = sm.org_id and v.station_id = sm.station_id
                and v.recorded_by = sm.member_id and v.visited_at >= ${from.toISOString()}::timestamptz and v.visited_at < ${to.toISOString()}::timestamptz)
            or exists (
              select 1 from spot_checks c where c.org_id = sm.org_id and c.station_id = sm.station_id
                and c.member_id = sm.member_id and c.at_station and c.answered_at >= ${from.toISOString()}::timestamptz and c.answered_at < ${to.toISOString()}::timestamptz)))::integer as on_site
        from station_members sm join members m on m.org_id = sm.org_id and m.id = sm.member_id and m.active
        where sm.org_id = ${orgId}
        group by sm.station_id`,
  );
  return rows.map((row) => ({ stationId: row.station_id, stationed: row.stationed, onSite: row.on_site }));
}

/* Spot checks */

export async function insertSpotChecks(db: Db, values: (typeof spotChecks.$inferInsert)[]): Promise<SpotCheck[]> {
  if (values.length === 0) return [];
  return db.insert(spotChecks).values(values).returning();
}

export async function findSpotCheck(db: Db, orgId: string, id: string): Promise<SpotCheck | undefined> {
  const [row] = await db
    .select()
    .from(spotChecks)
    .where(and(eq(spotChecks.orgId, orgId), eq(spotChecks.id, id)));
  return row;
}

/**
 * Records the answer if there is none yet, in one statement: of two answers at
 * once, the second finds the row answered (it waits on the first's row lock,
 * then re-reads it) and changes nothing.
 */
export async function answerSpotCheck(
  db: Db,
  orgId: string,
  id: string,
  answer: Pick<SpotCheck, 'latitude' | 'longitude' | 'accuracyMetres' | 'distanceMetres' | 'atStation'> & {
    answeredAt: Date;
  },
): Promise<SpotCheck | undefined> {
  const [row] = await db
    .update(spotChecks)
    .set({ ...answer, status: 'ANSWERED' })
    .where(and(eq(spotChecks.orgId, orgId), eq(spotChecks.id, id), sql`${spotChecks.status} <> 'ANSWERED'`))
    .returning();
  return row;
}

export async function pageSpotChecks(
  db: Db,
  orgId: string,
  by: { memberId?: string; sentBy?: string } | 'all',
  limit: number,
  offset = 0,
): Promise<SpotCheck[]> {
  const filter = by === 'all' ? undefined : spotCheckFilter(by);
  return db
    .select()
    .from(spotChecks)
    .where(and(eq(spotChecks.orgId, orgId), filter))
    .orderBy(desc(spotChecks.sentAt), asc(spotChecks.id))
    .limit(limit)
    .offset(offset);
}

/** The person asked, the sender, or both. */
function spotCheckFilter(by: { memberId?: string; sentBy?: string }) {
  return and(
    by.memberId === undefined ? undefined : eq(spotChecks.memberId, by.memberId),
    by.sentBy === undefined ? undefined : eq(spotChecks.sentBy, by.sentBy),
  );
}

export async function summarizeSpotChecks(db: Db, orgId: string, by: { memberId: string; sentBy?: string }) {
  const [row] = await db
    .select({
      sent: count(),
      answered: sql<number>`(count(*) filter (where ${spotChecks.status} = 'ANSWERED'))::integer`,
      late: sql<number>`(count(*) filter (where ${spotChecks.answeredAt} > ${spotChecks.dueAt}))::integer`,
      awayFromStation: sql<number>`(count(*) filter (where ${spotChecks.atStation} = false))::integer`,
      unanswered: sql<number>`(count(*) filter (where ${spotChecks.status} = 'UNANSWERED'))::integer`,
    })
    .from(spotChecks)
    .where(and(eq(spotChecks.orgId, orgId), spotCheckFilter(by)));
  return row ?? { sent: 0, answered: 0, late: 0, awayFromStation: 0, unanswered: 0 };
}

/** Spot checks sent since `from`, newest first, with the person's name (the board masks it). */
export async function spotChecksSince(db: Db, orgId: string, from: Date, limit: number) {
  return db
    .select({ spotCheck: spotChecks, displayName: members.displayName, stationName: stations.name })
    .from(spotChecks)
    .innerJoin(members, and(eq(members.orgId, spotChecks.orgId), eq(members.id, spotChecks.memberId)))
    .leftJoin(stations, and(eq(stations.orgId, spotChecks.orgId), eq(stations.id, spotChecks.stationId)))
    .where(and(eq(spotChecks.orgId, orgId), gte(spotChecks.sentAt, from)))
    .orderBy(desc(spotChecks.sentAt))
    .limit(limit);
}

/* The clock's work */

export async function findOrganizationsWithSpotCheckWork(db: Db, dueBy: Date, answeredBefore: Date): Promise<string[]> {
  const rows = await queryRows<{ org_id: string }>(
    db,
    sql`select org_id from organizations_with_spot_check_work(${dueBy.toISOString()}::timestamptz, ${answeredBefore.toISOString()}::timestamptz) as org_id`,
  );
  return rows.map((row) => row.org_id);
}

/** Marks pending spot checks past their time unanswered; returns them. */
export async function markUnanswered(db: Db, orgId: string, dueBy: Date): Promise<SpotCheck[]> {
  return db
    .update(spotChecks)
    .set({ status: 'UNANSWERED' })
    .where(and(eq(spotChecks.orgId, orgId), eq(spotChecks.status, 'PENDING'), lte(spotChecks.dueAt, dueBy)))
    .returning();
}

/** Erases the positions of answers older than `answeredBefore` (PIPL); returns how many. */
export async function erasePositions(db: Db, orgId: string, answeredBefore: Date, now: Date): Promise<number> {
  const rows = await db
    .update(spotChecks)
    .set({ latitude: null, longitude: null, accuracyMetres: null, distanceMetres: null, positionErasedAt: now })
    .where(and(eq(spotChecks.orgId, orgId), isNotNull(spotChecks.latitude), lt(spotChecks.answeredAt, answeredBefore)))
    .returning({ id: spotChecks.id });
  return rows.length;
}

/* Reports */

export interface StationReportScope {
  orgId: string;
  /** The stations counted; null: every station of the organization. */
  stationIds: string[] | null;
  timeZone: string;
  from: Date;
  to: Date;
}

export interface StationVisitSum {
  month: string;
  stationId: string;
  category: StationVisit['category'];
  visits: number;
  minutes: number;
  referred: number;
}

/** Visits per month (in the time zone), station and service category; they add up, so townships are summed from them. */
export async function sumVisitsByMonth(db: Db, scope: StationReportScope): Promise<StationVisitSum[]> {
  const rows = await queryRows<{
    month: string;
    station_id: string;
    category: StationVisit['category'];
    visits: number;
    minutes: number;
    referred: number;
  }>(
    db,
    sql`select month, station_id, category, count(*)::integer as visits, sum(minutes)::integer as minutes,
          (count(*) filter (where outcome = 'REFERRED'))::integer as referred
        from (select to_char(visited_at at time zone ${scope.timeZone}, 'YYYY-MM') as month, station_id, category, minutes, outcome
              from station_visits
              where org_id = ${scope.orgId}
                and visited_at >= ${scope.from.toISOString()}::timestamptz and visited_at < ${scope.to.toISOString()}::timestamptz
                ${scope.stationIds ? sql`and station_id = any(${`{${scope.stationIds.join(',')}}`}::uuid[])` : sql``}) as visit
        group by month, station_id, category`,
  );
  return rows.map((row) => ({
    month: row.month,
    stationId: row.station_id,
    category: row.category,
    visits: row.visits,
    minutes: row.minutes,
    referred: row.referred,
  }));
}

export interface SpotCheckSum {
  /** null on the period's total. */
  month: string | null;
  /** Set on a station's row; null on a township's and the total. */
  stationId: string | null;
  /** Set on a station's and a township's row. */
  township: string | null;
  sent: number;
  answered: number;
  unanswered: number;
  late: number;
  awayFromStation: number;
  /** Of the answered ones; null when none. */
  medianAnswerSeconds: number | null;
}

/**
 * Spot checks asked at the stations, by the month they were sent: per station,
 * per township (the station's township now) and for the whole period. Medians
 * do not add up, so each grouping is its own grouping set.
 */
export async function sumSpotChecksByMonth(db: Db, scope: StationReportScope): Promise<SpotCheckSum[]> {
  const rows = await queryRows<{
    month: string | null;
    station_id: string | null;
    township: string | null;
    sent: number;
    answered: number;
    unanswered: number;
    late: number;
    away: number;
    median_seconds: number | null;
  }>(
    db,
    sql`select month, station_id, township, count(*)::integer as sent,
          (count(*) filter (where status = 'ANSWERED'))::integer as answered,
          (count(*) filter (where status = 'UNANSWERED'))::integer as unanswered,
          (count(*) filter (where answered_at > due_at))::integer as late,
          (count(*) filter (where at_station = false))::integer as away,
          round(percentile_cont(0.5) within group (order by seconds))::integer as median_seconds
        from (select to_char(c.sent_at at time zone ${scope.timeZone}, 'YYYY-MM') as month, c.station_id, s.township,
                c.status, c.answered_at, c.due_at, c.at_station,
                extract(epoch from c.answered_at - c.sent_at) as seconds
              from spot_checks c
              join stations s on s.org_id = c.org_id and s.id = c.station_id
              where c.org_id = ${scope.orgId}
                and c.sent_at >= ${scope.from.toISOString()}::timestamptz and c.sent_at < ${scope.to.toISOString()}::timestamptz
                ${scope.stationIds ? sql`and c.station_id = any(${`{${scope.stationIds.join(',')}}`}::uuid[])` : sql``}) as spot_check
        group by grouping sets ((month, station_id, township), (month, township), ())`,
  );
  return rows.map((row) => ({
    month: row.month,
    stationId: row.station_id,
    township: row.township,
    sent: row.sent,
    answered: row.answered,
    unanswered: row.unanswered,
    late: row.late,
    awayFromStation: row.away,
    medianAnswerSeconds: row.median_seconds,
  }));
}

/** The stations a member leads (站长). */
export async function findStationsLedBy(db: Db, orgId: string, memberId: string): Promise<Station[]> {
  return db
    .select()
    .from(stations)
    .where(and(eq(stations.orgId, orgId), eq(stations.leadMemberId, memberId)))
    .orderBy(asc(stations.township), asc(stations.name));
}
