import { activities, calendarFeeds, members, signUps, type Activity, type CalendarFeed, type Db } from '@qicai/db';
import { and, asc, desc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';

export async function insertCalendarFeed(
  db: Db,
  values: { orgId: string; memberId: string; teamId: string | null; tokenHash: string },
): Promise<CalendarFeed> {
  const [feed] = await db.insert(calendarFeeds).values(values).returning();
  if (!feed) throw new Error('insert returned no calendar feed');
  return feed;
}

export async function listLiveFeedsOfMember(db: Db, orgId: string, memberId: string): Promise<CalendarFeed[]> {
  return db
    .select()
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.orgId, orgId), eq(calendarFeeds.memberId, memberId), isNull(calendarFeeds.revokedAt)))
    .orderBy(desc(calendarFeeds.createdAt), desc(calendarFeeds.id));
}

/** Revokes a member's feed; undefined if it is not theirs or was revoked already. */
export async function revokeFeedOfMember(
  db: Db,
  orgId: string,
  memberId: string,
  id: string,
  at: Date,
): Promise<CalendarFeed | undefined> {
  const [feed] = await db
    .update(calendarFeeds)
    .set({ revokedAt: at })
    .where(
      and(
        eq(calendarFeeds.orgId, orgId),
        eq(calendarFeeds.memberId, memberId),
        eq(calendarFeeds.id, id),
        isNull(calendarFeeds.revokedAt),
      ),
    )
    .returning();
  return feed;
}

export async function findFeedOfMember(
  db: Db,
  orgId: string,
  memberId: string,
  id: string,
): Promise<CalendarFeed | undefined> {
  const [feed] = await db
    .select()
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.orgId, orgId), eq(calendarFeeds.memberId, memberId), eq(calendarFeeds.id, id)));
  return feed;
}

/** The live feed with this token hash whose member is still an active member. */
export async function findLiveFeedByHash(db: Db, orgId: string, tokenHash: string): Promise<CalendarFeed | undefined> {
  const [row] = await db
    .select({ feed: calendarFeeds })
    .from(calendarFeeds)
    .innerJoin(members, and(eq(members.orgId, calendarFeeds.orgId), eq(members.id, calendarFeeds.memberId)))
    .where(
      and(
        eq(calendarFeeds.orgId, orgId),
        eq(calendarFeeds.tokenHash, tokenHash),
        isNull(calendarFeeds.revokedAt),
        eq(members.active, true),
      ),
    );
  return row?.feed;
}

/** How far back a feed goes, and how many events it holds at most (calendar apps poll it often). */
export const FEED_DAYS_BACK = 90;
export const FEED_MAX_EVENTS = 1000;

/** The activities a member signed up for (a place or waiting), not drafts, ending after `since`. */
export async function activitiesSignedUpBy(db: Db, orgId: string, memberId: string, since: Date): Promise<Activity[]> {
  const rows = await db
    .select({ activity: activities })
    .from(signUps)
    .innerJoin(activities, and(eq(activities.orgId, signUps.orgId), eq(activities.id, signUps.activityId)))
    .where(
      and(
        eq(signUps.orgId, orgId),
        eq(signUps.memberId, memberId),
        inArray(signUps.status, ['CONFIRMED', 'WAITLISTED']),
        ne(activities.status, 'DRAFT'),
        gt(activities.endsAt, since),
      ),
    )
    .orderBy(asc(activities.startsAt), asc(activities.id))
    .limit(FEED_MAX_EVENTS);
  return rows.map((row) => row.activity);
}

/** A team's activities once published (also cancelled and completed ones), ending after `since`. */
export async function activitiesOfTeam(db: Db, orgId: string, teamId: string, since: Date): Promise<Activity[]> {
  return db
    .select()
    .from(activities)
    .where(
      and(
        eq(activities.orgId, orgId),
        eq(activities.teamId, teamId),
        ne(activities.status, 'DRAFT'),
        sql`${activities.endsAt} > ${since.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(activities.startsAt), asc(activities.id))
    .limit(FEED_MAX_EVENTS);
}
