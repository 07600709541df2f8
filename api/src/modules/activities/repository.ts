import {
  ACTIVITY_MAX_SPAN_MINUTES,
  activities,
  activitySeries,
  checkInCodeUses,
  members,
  organizations,
  queryRows,
  signUps,
  teams,
  type Activity,
  type ActivityCategory,
  type ActivitySeries,
  type ActivityStatus,
  type Db,
  type Member,
  type Organization,
  type OrganizationSettings,
  type SignUp,
  type SignUpStatus,
  type TeamColour,
} from '@qicai/db';
import { and, asc, count, eq, gt, inArray, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import { isAnyOf } from '../../shared/sql.ts';
import { alias } from 'drizzle-orm/pg-core';

export async function findActivityById(db: Db, orgId: string, id: string): Promise<Activity | undefined> {
  const [activity] = await db
    .select()
    .from(activities)
    .where(and(eq(activities.orgId, orgId), eq(activities.id, id)));
  return activity;
}

export async function findActivitiesByIds(db: Db, orgId: string, ids: string[]): Promise<Activity[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(activities)
    .where(and(eq(activities.orgId, orgId), isAnyOf(activities.id, ids)));
}

/**
 * Locks the activity's row until the transaction ends: sign-ups of one activity take their places one at a time.
 * FOR NO KEY UPDATE, not FOR UPDATE: it still queues every other locker of the activity, but not a row
 * whose foreign key names it (a notification written while approving hours). With FOR UPDATE, an undone
 * check-out (activity, then its record) and that approval (record, then the notification) deadlocked.
 */
export async function lockActivity(db: Db, orgId: string, id: string): Promise<Activity | undefined> {
  const [activity] = await db
    .select()
    .from(activities)
    .where(and(eq(activities.orgId, orgId), eq(activities.id, id)))
    .for('no key update');
  return activity;
}

export type NewActivity = typeof activities.$inferInsert;

export async function insertActivity(db: Db, values: NewActivity): Promise<Activity> {
  const [activity] = await db.insert(activities).values(values).returning();
  if (!activity) throw new Error('insert returned no activity');
  return activity;
}

/** Inserts a series' occurrences; one that exists already (same occurrence key) is left as it is. */
export async function insertOccurrences(db: Db, values: NewActivity[]): Promise<Activity[]> {
  if (values.length === 0) return [];
  return db
    .insert(activities)
    .values(values)
    .onConflictDoNothing({ target: [activities.orgId, activities.seriesId, activities.occurrenceKey] })
    .returning();
}

export async function updateActivity(
  db: Db,
  orgId: string,
  id: string,
  changes: Partial<Omit<NewActivity, 'orgId' | 'id'>>,
): Promise<Activity> {
  const [activity] = await db
    .update(activities)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(activities.orgId, orgId), eq(activities.id, id)))
    .returning();
  if (!activity) throw new Error('update found no activity');
  return activity;
}

/** The occurrences of a series, in order, locked (a series is changed by one request at a time). */
export async function lockOccurrences(db: Db, orgId: string, seriesId: string): Promise<Activity[]> {
  return db
    .select()
    .from(activities)
    .where(and(eq(activities.orgId, orgId), eq(activities.seriesId, seriesId)))
    .orderBy(asc(activities.startsAt), asc(activities.id))
    .for('update');
}

export async function findOccurrencesOfSeries(db: Db, orgId: string, seriesIds: string[]): Promise<Activity[]> {
  if (seriesIds.length === 0) return [];
  return db
    .select()
    .from(activities)
    .where(and(eq(activities.orgId, orgId), inArray(activities.seriesId, seriesIds)))
    .orderBy(asc(activities.startsAt), asc(activities.id));
}

export async function findSeriesById(db: Db, orgId: string, id: string): Promise<ActivitySeries | undefined> {
  const [series] = await db
    .select()
    .from(activitySeries)
    .where(and(eq(activitySeries.orgId, orgId), eq(activitySeries.id, id)));
  return series;
}

export async function findSeriesByIds(db: Db, orgId: string, ids: string[]): Promise<ActivitySeries[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(activitySeries)
    .where(and(eq(activitySeries.orgId, orgId), inArray(activitySeries.id, ids)));
}

export async function lockSeries(db: Db, orgId: string, id: string): Promise<ActivitySeries | undefined> {
  const [series] = await db
    .select()
    .from(activitySeries)
    .where(and(eq(activitySeries.orgId, orgId), eq(activitySeries.id, id)))
    .for('update');
  return series;
}

export async function insertSeries(db: Db, values: typeof activitySeries.$inferInsert): Promise<ActivitySeries> {
  const [series] = await db.insert(activitySeries).values(values).returning();
  if (!series) throw new Error('insert returned no series');
  return series;
}

export async function updateSeries(
  db: Db,
  orgId: string,
  id: string,
  changes: Partial<Pick<ActivitySeries, 'rrule' | 'startsLocal' | 'durationMinutes' | 'template' | 'teamId'>>,
): Promise<ActivitySeries> {
  const [series] = await db
    .update(activitySeries)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(activitySeries.orgId, orgId), eq(activitySeries.id, id)))
    .returning();
  if (!series) throw new Error('update found no series');
  return series;
}

/** Who may see what: the public sees published public activities; members all but other teams' drafts. */
export type ActivityVisibility =
  { kind: 'public' } | { kind: 'member'; memberId: string; allDrafts: boolean; draftTeamIds: string[] };

function visibleTo(visibility: ActivityVisibility) {
  if (visibility.kind === 'public') return and(eq(activities.status, 'PUBLISHED'), eq(activities.isPublic, true));
  if (visibility.allDrafts) return undefined;
  return or(
    ne(activities.status, 'DRAFT'),
    visibility.draftTeamIds.length > 0 ? inArray(activities.teamId, visibility.draftTeamIds) : sql`false`,
  );
}

export interface ActivityListFilter {
  from?: Date | undefined;
  to?: Date | undefined;
  teamColours?: TeamColour[] | undefined;
  categories?: ActivityCategory[] | undefined;
  statuses?: ActivityStatus[] | undefined;
  /** Only activities this member has a live (not cancelled) sign-up for. */
  signedUpMemberId?: string | undefined;
}

/** A page of activities by start time, after the cursor (startsAt, id). */
export async function pageActivities(
  db: Db,
  orgId: string,
  options: {
    visibility: ActivityVisibility;
    filter: ActivityListFilter;
    limit: number;
    after: { startsAt: string; id: string } | undefined;
  },
): Promise<Activity[]> {
  const { visibility, filter, limit, after } = options;
  return db
    .select()
    .from(activities)
    .where(
      and(
        eq(activities.orgId, orgId),
        visibleTo(visibility),
        filter.from ? gt(activities.endsAt, filter.from) : undefined,
        // Implied by the one above and the longest span an activity may have; lets the index stop at the bound.
        filter.from
          ? gt(activities.startsAt, new Date(filter.from.getTime() - ACTIVITY_MAX_SPAN_MINUTES * 60_000))
          : undefined,
        filter.to ? lt(activities.startsAt, filter.to) : undefined,
        filter.categories?.length ? inArray(activities.category, filter.categories) : undefined,
        filter.statuses?.length ? inArray(activities.status, filter.statuses) : undefined,
        filter.teamColours?.length
          ? inArray(
              activities.teamId,
              db
                .select({ id: teams.id })
                .from(teams)
                .where(and(eq(teams.orgId, orgId), inArray(teams.colour, filter.teamColours))),
            )
          : undefined,
        filter.signedUpMemberId
          ? inArray(
              activities.id,
              db
                .select({ id: signUps.activityId })
                .from(signUps)
                .where(
                  and(
                    eq(signUps.orgId, orgId),
                    eq(signUps.memberId, filter.signedUpMemberId),
                    ne(signUps.status, 'CANCELLED'),
                  ),
                ),
            )
          : undefined,
        after
          ? sql`(${activities.startsAt}, ${activities.id}) > (${after.startsAt}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(activities.startsAt), asc(activities.id))
    .limit(limit);
}

/* Sign-ups */

/** Locks a member's row: one member's sign-ups are made one at a time, so the overlap check holds. */
export async function lockMember(db: Db, orgId: string, memberId: string): Promise<Member | undefined> {
  const [member] = await db
    .select()
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.id, memberId)))
    .for('update');
  return member;
}

export async function findSignUp(
  db: Db,
  orgId: string,
  activityId: string,
  memberId: string,
): Promise<SignUp | undefined> {
  const [signUp] = await db
    .select()
    .from(signUps)
    .where(and(eq(signUps.orgId, orgId), eq(signUps.activityId, activityId), eq(signUps.memberId, memberId)));
  return signUp;
}

export async function findSignUpById(db: Db, orgId: string, id: string): Promise<SignUp | undefined> {
  const [signUp] = await db
    .select()
    .from(signUps)
    .where(and(eq(signUps.orgId, orgId), eq(signUps.id, id)));
  return signUp;
}

export async function lockSignUp(db: Db, orgId: string, id: string): Promise<SignUp | undefined> {
  const [signUp] = await db
    .select()
    .from(signUps)
    .where(and(eq(signUps.orgId, orgId), eq(signUps.id, id)))
    .for('update');
  return signUp;
}

export async function countConfirmed(db: Db, orgId: string, activityId: string): Promise<number> {
  const [row] = await db
    .select({ confirmed: count() })
    .from(signUps)
    .where(and(eq(signUps.orgId, orgId), eq(signUps.activityId, activityId), eq(signUps.status, 'CONFIRMED')));
  return row?.confirmed ?? 0;
}

/** A live sign-up of the member for another activity overlapping [startsAt, endsAt), if any. */
export async function findOverlappingSignUp(
  db: Db,
  orgId: string,
  memberId: string,
  activity: Pick<Activity, 'id' | 'startsAt' | 'endsAt'>,
): Promise<Pick<Activity, 'id' | 'title' | 'startsAt' | 'endsAt'> | undefined> {
  const [row] = await db
    .select({ id: activities.id, title: activities.title, startsAt: activities.startsAt, endsAt: activities.endsAt })
    .from(signUps)
    .innerJoin(activities, and(eq(activities.orgId, signUps.orgId), eq(activities.id, signUps.activityId)))
    .where(
      and(
        eq(signUps.orgId, orgId),
        eq(signUps.memberId, memberId),
        ne(signUps.status, 'CANCELLED'),
        ne(activities.id, activity.id),
        inArray(activities.status, ['DRAFT', 'PUBLISHED']),
        lt(activities.startsAt, activity.endsAt),
        gt(activities.endsAt, activity.startsAt),
      ),
    )
    .orderBy(asc(activities.startsAt))
    .limit(1);
  return row;
}

export async function insertSignUp(
  db: Db,
  values: { orgId: string; activityId: string; memberId: string; status: SignUpStatus },
): Promise<SignUp> {
  const [signUp] = await db.insert(signUps).values(values).returning();
  if (!signUp) throw new Error('insert returned no sign-up');
  return signUp;
}

/** A cancelled sign-up made again: it joins at the back, as a new arrival. */
export async function renewSignUp(db: Db, orgId: string, id: string, status: SignUpStatus): Promise<SignUp> {
  const [signUp] = await db
    .update(signUps)
    .set({
      status,
      arrival: sql`nextval('sign_up_arrival')`,
      signedUpAt: sql`now()`,
      cancelledAt: null,
      promotedAt: null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(signUps.orgId, orgId), eq(signUps.id, id)))
    .returning();
  if (!signUp) throw new Error('update found no sign-up');
  return signUp;
}

export async function updateSignUp(
  db: Db,
  orgId: string,
  id: string,
  changes: Partial<Omit<typeof signUps.$inferInsert, 'orgId' | 'id' | 'activityId' | 'memberId'>>,
): Promise<SignUp> {
  const [signUp] = await db
    .update(signUps)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(signUps.orgId, orgId), eq(signUps.id, id)))
    .returning();
  if (!signUp) throw new Error('update found no sign-up');
  return signUp;
}

/** Moves the first `places` waitlisted sign-ups, in arrival order, to a place; returns them. */
export async function promoteWaitlisted(db: Db, orgId: string, activityId: string, places: number): Promise<SignUp[]> {
  if (places <= 0) return [];
  const first = db
    .select({ id: signUps.id })
    .from(signUps)
    .where(and(eq(signUps.orgId, orgId), eq(signUps.activityId, activityId), eq(signUps.status, 'WAITLISTED')))
    .orderBy(asc(signUps.arrival))
    .limit(places);
  return db
    .update(signUps)
    .set({ status: 'CONFIRMED', promotedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(signUps.orgId, orgId), inArray(signUps.id, first)))
    .returning();
}

/** The members with a live sign-up (these statuses) for an activity. */
export async function findMemberIdsSignedUp(
  db: Db,
  orgId: string,
  activityIds: string[],
  statuses: SignUpStatus[],
): Promise<{ activityId: string; memberId: string }[]> {
  if (activityIds.length === 0) return [];
  return db
    .select({ activityId: signUps.activityId, memberId: signUps.memberId })
    .from(signUps)
    .where(and(eq(signUps.orgId, orgId), isAnyOf(signUps.activityId, activityIds), inArray(signUps.status, statuses)));
}

/**
 * Confirmed and waitlisted counts of several activities, in one statement: the
 * counters the sign_ups_count trigger keeps on each activity (migration 0021),
 * read fresh rather than taken from an activity object read earlier.
 */
export async function countSignUpsOfActivities(
  db: Db,
  orgId: string,
  activityIds: string[],
): Promise<Map<string, { confirmed: number; waitlisted: number }>> {
  const rows = await db
    .select({ id: activities.id, confirmed: activities.confirmedCount, waitlisted: activities.waitlistCount })
    .from(activities)
    .where(and(eq(activities.orgId, orgId), isAnyOf(activities.id, activityIds)));
  return new Map(rows.map((row) => [row.id, { confirmed: row.confirmed, waitlisted: row.waitlisted }]));
}

export async function findSignUpsOfMember(
  db: Db,
  orgId: string,
  memberId: string,
  activityIds: string[],
): Promise<SignUp[]> {
  return db
    .select()
    .from(signUps)
    .where(and(eq(signUps.orgId, orgId), eq(signUps.memberId, memberId), isAnyOf(signUps.activityId, activityIds)));
}

/** Everyone signed up for these activities: places by arrival, then the waitlist, then cancellations. */
export async function findSignUpsOfActivities(db: Db, orgId: string, activityIds: string[]): Promise<SignUp[]> {
  return db
    .select()
    .from(signUps)
    .where(and(eq(signUps.orgId, orgId), isAnyOf(signUps.activityId, activityIds)))
    .orderBy(
      sql`case ${signUps.status} when 'CONFIRMED' then 0 when 'WAITLISTED' then 1 else 2 end`,
      asc(signUps.arrival),
    );
}

/** Each waitlisted sign-up's place in its activity's queue (1 = next to be promoted). */
export async function findWaitlistPositions(db: Db, orgId: string, signUpIds: string[]): Promise<Map<string, number>> {
  const queue = alias(signUps, 'queue');
  const ahead = db
    .select({ ahead: count() })
    .from(queue)
    .where(
      and(
        eq(queue.orgId, signUps.orgId),
        eq(queue.activityId, signUps.activityId),
        eq(queue.status, 'WAITLISTED'),
        lte(queue.arrival, signUps.arrival),
      ),
    );
  const rows = await db
    .select({ id: signUps.id, position: sql<number>`(${ahead})::int` })
    .from(signUps)
    .where(and(eq(signUps.orgId, orgId), inArray(signUps.id, signUpIds), eq(signUps.status, 'WAITLISTED')));
  return new Map(rows.map((row) => [row.id, row.position]));
}

/** Records that a member used a check-in code; false if they had used it already (a replay). */
export async function recordCodeUse(
  db: Db,
  values: { orgId: string; activityId: string; memberId: string; nonce: string },
): Promise<boolean> {
  const rows = await db
    .insert(checkInCodeUses)
    .values(values)
    .onConflictDoNothing()
    .returning({ nonce: checkInCodeUses.nonce });
  return rows.length > 0;
}

/** Which reminder: the day before (`reminderSentAt`) or two hours before (`soonReminderSentAt`). */
export type ReminderColumn = 'reminderSentAt' | 'soonReminderSentAt';

/** Activities due a reminder in an organization, locked; another worker skips them. */
export async function claimActivitiesDueReminder(
  db: Db,
  orgId: string,
  reminder: ReminderColumn,
  now: Date,
  startingBy: Date,
  limit: number,
): Promise<Activity[]> {
  return db
    .select()
    .from(activities)
    .where(
      and(
        eq(activities.orgId, orgId),
        eq(activities.status, 'PUBLISHED'),
        isNull(activities[reminder]),
        gt(activities.startsAt, now),
        sql`${activities.startsAt} <= ${startingBy.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(activities.startsAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

export async function findOrganizationsWithDueReminders(
  db: Db,
  reminder: ReminderColumn,
  now: Date,
  startingBy: Date,
): Promise<string[]> {
  // Two functions (migrations 0022 and 0029), one per reminder's partial index.
  const within =
    reminder === 'reminderSentAt' ? sql`organizations_with_due_reminders` : sql`organizations_with_due_soon_reminders`;
  const rows = await queryRows<{ org_id: string }>(
    db,
    sql`select org_id from ${within}(${now.toISOString()}::timestamptz, ${startingBy.toISOString()}::timestamptz) as org_id`,
  );
  return rows.map((row) => row.org_id);
}

/** Merges check-in settings into the organization's settings. */
export async function updateCheckInSettings(
  db: Db,
  orgId: string,
  settings: Pick<OrganizationSettings, 'checkInRadiusMetres' | 'checkInOpensMinutesBefore'>,
): Promise<Organization> {
  const [organization] = await db
    .update(organizations)
    .set({ settings: sql`${organizations.settings} || ${JSON.stringify(settings)}::jsonb`, updatedAt: sql`now()` })
    .where(eq(organizations.id, orgId))
    .returning();
  if (!organization) throw new Error('update found no organization');
  return organization;
}
