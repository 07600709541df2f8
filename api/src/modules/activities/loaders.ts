import type { Activity, ActivitySeries, Notification, SignUp, Team } from '@qicai/db';
import { requireOrganization } from '../../shared/access.ts';
import { forbidden } from '../../shared/errors.ts';
import { groupInOrder, oncePerRequest, type Loader } from '../../shared/loaders.ts';

import { activityAccess, canManageTeam, canSeeActivity } from './access.ts';
import { checkOutMinutes, mayUndoCheckOut } from './check-in.ts';
import { teamsOfOrganization } from '../teams/service.ts';
import * as repository from './repository.ts';
import { requiredMemberById } from '../members/loaders.ts';

const team: Loader<Activity, Team> = async (queries, ctx) => {
  const byId = new Map((await teamsOfOrganization(ctx)).map((row) => [row.id, row]));
  return queries.map(({ obj }) => {
    const found = byId.get(obj.teamId);
    if (!found) throw new Error('activity without team');
    return found;
  });
};

const series: Loader<Activity, ActivitySeries | null> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = [...new Set(queries.flatMap(({ obj }) => (obj.seriesId ? [obj.seriesId] : [])))];
  const rows = ids.length > 0 ? await ctx.tenant((tx) => repository.findSeriesByIds(tx, orgId, ids)) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return queries.map(({ obj }) => (obj.seriesId ? (byId.get(obj.seriesId) ?? null) : null));
};

type SignUpCounts = { confirmed: number; waitlisted: number };
/**
 * Sign-up counts already asked for in this HTTP request, by activity: a list
 * showing both counts then reads them in one statement, not one per field.
 */
const countsOfRequest = new WeakMap<object, Map<string, Promise<SignUpCounts | undefined>>>();

const counts = async (activities: Activity[], ctx: Parameters<Loader<Activity, number>>[1]) => {
  const orgId = requireOrganization(ctx).id;
  const known = oncePerRequest(countsOfRequest, ctx, () => new Map<string, Promise<SignUpCounts | undefined>>());
  const missing = [...new Set(activities.map((activity) => activity.id).filter((id) => !known.has(id)))];
  if (missing.length > 0) {
    const read = ctx.tenant((tx) => repository.countSignUpsOfActivities(tx, orgId, missing));
    for (const id of missing)
      known.set(
        id,
        read.then((byActivity) => byActivity.get(id)),
      );
  }
  const byActivity = new Map<string, SignUpCounts | undefined>();
  await Promise.all(activities.map(async (activity) => byActivity.set(activity.id, await known.get(activity.id))));
  return byActivity;
};

const confirmedCount: Loader<Activity, number> = async (queries, ctx) => {
  const byActivity = await counts(
    queries.map(({ obj }) => obj),
    ctx,
  );
  return queries.map(({ obj }) => byActivity.get(obj.id)?.confirmed ?? 0);
};

const waitlistCount: Loader<Activity, number> = async (queries, ctx) => {
  const byActivity = await counts(
    queries.map(({ obj }) => obj),
    ctx,
  );
  return queries.map(({ obj }) => byActivity.get(obj.id)?.waitlisted ?? 0);
};

const viewerSignUp: Loader<Activity, SignUp | null> = async (queries, ctx) => {
  const member = ctx.organization && (await ctx.viewerMember());
  if (!member?.active || member.orgId !== ctx.organization?.id) return queries.map(() => null);
  const ids = queries.map(({ obj }) => obj.id);
  const rows = await ctx.tenant((tx) => repository.findSignUpsOfMember(tx, member.orgId, member.id, ids));
  const byActivity = new Map(rows.map((row) => [row.activityId, row]));
  return queries.map(({ obj }) => byActivity.get(obj.id) ?? null);
};

const viewerCanManage: Loader<Activity, boolean> = async (queries, ctx) => {
  const access = await activityAccess(ctx);
  return queries.map(({ obj }) => canManageTeam(access, obj.teamId));
};

/** Everyone signed up, for the team's leads and admins. */
const signUps: Loader<Activity, SignUp[]> = async (queries, ctx) => {
  const access = await activityAccess(ctx);
  for (const { obj } of queries) {
    if (!canManageTeam(access, obj.teamId)) throw forbidden('Only a lead of this team or an admin sees its sign-ups.');
  }
  const ids = queries.map(({ obj }) => obj.id);
  const rows = await ctx.tenant((tx) => repository.findSignUpsOfActivities(tx, access.orgId, ids));
  return groupInOrder(ids, rows, (row) => row.activityId);
};

const signUpActivity: Loader<SignUp, Activity> = async (queries, ctx) => {
  const access = await activityAccess(ctx);
  const ids = [...new Set(queries.map(({ obj }) => obj.activityId))];
  const rows = await ctx.tenant((tx) => repository.findActivitiesByIds(tx, access.orgId, ids));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return queries.map(({ obj }) => {
    const found = byId.get(obj.activityId);
    // A sign-up is shown to its member or to the activity's managers, who may see the activity.
    if (!found || (!canSeeActivity(access, found) && access.member?.id !== obj.memberId)) throw forbidden();
    return found;
  });
};

/** The activities of sign-ups, by id (one statement for a page of sign-ups). */
async function activitiesOfSignUps(signUps: SignUp[], ctx: Parameters<Loader<SignUp, unknown>>[1]) {
  const orgId = requireOrganization(ctx).id;
  const ids = [...new Set(signUps.map((signUp) => signUp.activityId))];
  const rows = await ctx.tenant((tx) => repository.findActivitiesByIds(tx, orgId, ids));
  return new Map(rows.map((row) => [row.id, row]));
}

const signUpCheckOutMinutes: Loader<SignUp, number | null> = async (queries, ctx) => {
  const organization = requireOrganization(ctx);
  const checkedOut = queries.map(({ obj }) => obj).filter((signUp) => signUp.checkedInAt && signUp.checkedOutAt);
  const byId = checkedOut.length > 0 ? await activitiesOfSignUps(checkedOut, ctx) : new Map<string, Activity>();
  return queries.map(({ obj }) => {
    const activity = byId.get(obj.activityId);
    if (!activity || !obj.checkedInAt || !obj.checkedOutAt) return null;
    return checkOutMinutes(organization, activity, obj.checkedInAt, obj.checkedOutAt);
  });
};

const viewerCanUndoCheckOut: Loader<SignUp, boolean> = async (queries, ctx) => {
  const checkedOut = queries.map(({ obj }) => obj).filter((signUp) => signUp.checkedOutAt);
  if (checkedOut.length === 0) return queries.map(() => false);
  const access = await activityAccess(ctx);
  const byId = await activitiesOfSignUps(checkedOut, ctx);
  const now = ctx.clock.now();
  return queries.map(({ obj }) => {
    const activity = byId.get(obj.activityId);
    return activity !== undefined && mayUndoCheckOut(access, activity, obj, now);
  });
};

const waitlistPosition: Loader<SignUp, number | null> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const waiting = queries.filter(({ obj }) => obj.status === 'WAITLISTED').map(({ obj }) => obj.id);
  const positions =
    waiting.length > 0
      ? await ctx.tenant((tx) => repository.findWaitlistPositions(tx, orgId, waiting))
      : new Map<string, number>();
  return queries.map(({ obj }) => positions.get(obj.id) ?? null);
};

const occurrences: Loader<ActivitySeries, Activity[]> = async (queries, ctx) => {
  const access = await activityAccess(ctx);
  const ids = queries.map(({ obj }) => obj.id);
  const rows = await ctx.tenant((tx) => repository.findOccurrencesOfSeries(tx, access.orgId, ids));
  return groupInOrder(
    ids,
    rows.filter((row) => canSeeActivity(access, row)),
    (row) => row.seriesId,
  );
};

const notificationActivity: Loader<Notification, Activity | null> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = [...new Set(queries.flatMap(({ obj }) => (obj.activityId ? [obj.activityId] : [])))];
  const rows = ids.length > 0 ? await ctx.tenant((tx) => repository.findActivitiesByIds(tx, orgId, ids)) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  // A notification is the viewer's own, about an activity they signed up for: they may see it.
  return queries.map(({ obj }) => (obj.activityId ? (byId.get(obj.activityId) ?? null) : null));
};

export const loaders = {
  Activity: { team, series, confirmedCount, waitlistCount, viewerSignUp, viewerCanManage, signUps },
  // Read fresh for every event a subscription sends.
  SignUp: {
    activity: signUpActivity,
    member: requiredMemberById<SignUp>((signUp) => signUp.memberId),
    waitlistPosition: { loader: waitlistPosition, opts: { cache: false } },
    checkOutMinutes: { loader: signUpCheckOutMinutes, opts: { cache: false } },
    viewerCanUndoCheckOut: { loader: viewerCanUndoCheckOut, opts: { cache: false } },
  },
  ActivitySeries: { occurrences },
  Notification: { activity: notificationActivity },
};
