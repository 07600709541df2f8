/**
 * The lead's live view of an activity's attendance: who checks in, when and
 * how far from the site, pushed over the GraphQL WebSocket as it happens.
 */
import type { SignUp } from '@qicai/db';
import { requireMember } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { notFound } from '../../shared/errors.ts';
import type { MercuriusContext } from 'mercurius';
import { activityAccess, canSeeActivity, requireTeamManager } from './access.ts';
import { attendanceTopic, type AttendanceEvent } from './events.ts';
import * as repository from './repository.ts';

/** Subscribes a lead of the activity's team (or an admin) to its attendance events. */
export async function subscribeToAttendance(ctx: MercuriusContext, activityId: string) {
  await requireMember(ctx);
  const access = await activityAccess(ctx);
  const activity = await ctx.tenant((tx) => repository.findActivityById(tx, access.orgId, activityId));
  if (!activity || !canSeeActivity(access, activity)) throw notFound('Activity');
  requireTeamManager(access, activity.teamId);
  return ctx.pubsub.subscribe(attendanceTopic(access.orgId, activity.id));
}

/** The sign-up an event is about, as it is now. */
export async function attendanceSignUp(ctx: RequestContext, event: AttendanceEvent): Promise<SignUp> {
  const orgId = ctx.organization?.id;
  const signUp = orgId ? await ctx.tenant((tx) => repository.findSignUpById(tx, orgId, event.signUpId)) : undefined;
  if (!signUp) throw notFound('Sign-up');
  return signUp;
}
