/**
 * Sign-ups (报名): one per member per activity; a place while there is one,
 * else the waitlist in arrival order; a freed place goes to the first
 * waiting, who is told. Places are given while the activity's row is locked,
 * so capacity holds under any number of concurrent sign-ups.
 */
import type { Activity, Attendance, SignUp, Tx } from '@qicai/db';
import { requireMember, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { notifyMembers } from '../notifications/service.ts';
import { activityAccess, canSeeActivity, requireTeamManager } from './access.ts';
import { publishAttendance } from './events.ts';
import * as repository from './repository.ts';

/** Skills compare without regard to case or surrounding spaces. */
export function normalizeSkill(skill: string): string {
  return skill.trim().toLowerCase();
}

/** Gives the places free on an activity to the first waiting, in arrival order, and tells them. */
export async function fillFreedPlaces(tx: Tx, ctx: RequestContext, activity: Activity): Promise<SignUp[]> {
  if (activity.status !== 'PUBLISHED') return [];
  const confirmed = await repository.countConfirmed(tx, activity.orgId, activity.id);
  const promoted = await repository.promoteWaitlisted(tx, activity.orgId, activity.id, activity.capacity - confirmed);
  if (promoted.length === 0) return [];
  await notifyMembers(tx, activity.orgId, {
    at: ctx.clock.now(),
    memberIds: promoted.map((signUp) => signUp.memberId),
    kind: 'WAITLIST_PROMOTED',
    activityId: activity.id,
    detail: {
      title: activity.title,
      startsAt: activity.startsAt.toISOString(),
      endsAt: activity.endsAt.toISOString(),
      placeName: activity.placeName,
    },
  });
  for (const signUp of promoted) {
    await recordAudit(tx, ctx, activity.orgId, {
      action: 'sign_up.promoted',
      subjectType: 'sign_up',
      subjectId: signUp.id,
      detail: { activityId: activity.id, memberId: signUp.memberId },
    });
  }
  return promoted;
}

export async function signUp(ctx: RequestContext, activityId: string): Promise<SignUp> {
  const viewer = await requireMember(ctx);
  requireOrganization(ctx);
  return ctx.tenant(async (tx) => {
    // Member first, then activity: every sign-up takes the two locks in this order.
    const member = await repository.lockMember(tx, viewer.orgId, viewer.id);
    if (!member?.active) throw notFound('Organization');
    const access = await activityAccess(ctx, tx);
    const activity = await repository.lockActivity(tx, viewer.orgId, activityId);
    if (!activity || !canSeeActivity(access, activity)) throw notFound('Activity');
    if (activity.status !== 'PUBLISHED' || activity.startsAt.getTime() <= ctx.clock.now().getTime()) {
      throw new AppError('SIGN_UP_CLOSED', 'Sign-up is open for published activities until they start.', {
        status: activity.status,
      });
    }

    const skills = new Set(member.skills.map(normalizeSkill));
    const missing = activity.requiredSkills.filter((skill) => !skills.has(normalizeSkill(skill)));
    if (missing.length > 0) {
      throw new AppError('MISSING_SKILLS', `This activity needs: ${missing.join(', ')}.`, { missing });
    }

    const existing = await repository.findSignUp(tx, viewer.orgId, activity.id, member.id);
    if (existing && existing.status !== 'CANCELLED') {
      throw new AppError('ALREADY_SIGNED_UP', 'You have already signed up for this activity.', {
        status: existing.status,
      });
    }

    const overlapping = await repository.findOverlappingSignUp(tx, viewer.orgId, member.id, activity);
    if (overlapping) {
      throw new AppError('OVERLAPPING_SIGN_UP', `You are signed up for “${overlapping.title}” at the same time.`, {
        activityId: overlapping.id,
        title: overlapping.title,
        startsAt: overlapping.startsAt.toISOString(),
        endsAt: overlapping.endsAt.toISOString(),
      });
    }

    const confirmed = await repository.countConfirmed(tx, viewer.orgId, activity.id);
    const status = confirmed < activity.capacity ? 'CONFIRMED' : 'WAITLISTED';
    const created = existing
      ? await repository.renewSignUp(tx, viewer.orgId, existing.id, status)
      : await repository.insertSignUp(tx, {
          orgId: viewer.orgId,
          activityId: activity.id,
          memberId: member.id,
          status,
        });
    return created;
  });
}

export async function cancelSignUp(ctx: RequestContext, activityId: string): Promise<SignUp> {
  const viewer = await requireMember(ctx);
  const { cancelled, promoted } = await ctx.tenant(async (tx) => {
    const access = await activityAccess(ctx, tx);
    const activity = await repository.lockActivity(tx, viewer.orgId, activityId);
    if (!activity || !canSeeActivity(access, activity)) throw notFound('Activity');
    const existing = await repository.findSignUp(tx, viewer.orgId, activity.id, viewer.id);
    if (!existing || existing.status === 'CANCELLED') {
      throw new AppError('NOT_SIGNED_UP', 'You have not signed up for this activity.');
    }
    if (activity.startsAt.getTime() <= ctx.clock.now().getTime() && activity.status === 'PUBLISHED') {
      throw new AppError('SIGN_UP_CLOSED', 'A sign-up cannot be cancelled once the activity has started.');
    }
    const result = await repository.updateSignUp(tx, viewer.orgId, existing.id, {
      status: 'CANCELLED',
      cancelledAt: ctx.clock.now(),
    });
    const freed = existing.status === 'CONFIRMED' ? await fillFreedPlaces(tx, ctx, activity) : [];
    return { cancelled: result, promoted: freed };
  });
  publishAttendance(ctx, cancelled);
  for (const signUp of promoted) publishAttendance(ctx, signUp);
  return cancelled;
}

/** The lead marks attendance by hand (e.g. a member without a phone); every change is audited. */
export async function markAttendance(ctx: RequestContext, signUpId: string, attendance: Attendance): Promise<SignUp> {
  await requireMember(ctx);
  const updated = await ctx.tenant(async (tx) => {
    const access = await activityAccess(ctx, tx);
    const existing = await repository.lockSignUp(tx, access.orgId, signUpId);
    if (!existing) throw notFound('Sign-up');
    const activity = await repository.findActivityById(tx, access.orgId, existing.activityId);
    if (!activity || !canSeeActivity(access, activity)) throw notFound('Sign-up');
    requireTeamManager(access, activity.teamId);
    if (existing.status !== 'CONFIRMED') {
      throw new AppError('NOT_CONFIRMED', 'Attendance is kept for members with a place.', { status: existing.status });
    }
    if (
      activity.startsAt.getTime() - ctx.clock.now().getTime() > 24 * 60 * 60 * 1000 ||
      activity.status === 'CANCELLED'
    ) {
      throw new AppError('INVALID_STATE', 'Attendance is marked on the day or after.', { status: activity.status });
    }
    if (existing.attendance === attendance) return existing;
    const result = await repository.updateSignUp(tx, access.orgId, existing.id, { attendance });
    await recordAudit(tx, ctx, access.orgId, {
      action: 'sign_up.attendance_marked',
      subjectType: 'sign_up',
      subjectId: existing.id,
      detail: { activityId: activity.id, memberId: existing.memberId, before: existing.attendance, after: attendance },
    });
    return result;
  });
  publishAttendance(ctx, updated);
  return updated;
}
