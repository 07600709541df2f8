/**
 * Check-in and check-out (打卡) at the site, on the member's phone: the
 * browser's position is accepted within the organization's radius of the
 * site, and the lead's code where GPS is poor; both only within the window
 * (from before the start to the end). Times, positions and distances are
 * kept on the sign-up: service hours are computed from them.
 */
import type { Activity, Organization, SignUp } from '@qicai/db';
import { requireMember, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import { publishBoardEvent } from '../../shared/board-events.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, forbidden, notFound, ValidationError } from '../../shared/errors.ts';
import { checkOutHours } from './check-out-hours.ts';
import { activityAccess, canManageTeam, canSeeActivity, type ActivityAccess } from './access.ts';
import { currentCheckInCode, verifyCheckInCode } from './check-in-codes.ts';
import { publishAttendance } from './events.ts';
import { distanceMetres, isPosition, isWithinRadius, type Position } from './geo.ts';
import * as repository from './repository.ts';
import { checkInRules, checkInWindow } from './service.ts';

/** Check-out stays open this long after the end, for those who leave last. */
export const CHECK_OUT_GRACE_MINUTES = 60;

/** A member may undo their own check-out for this long after it (a lead or an admin, any time). */
export const CHECK_OUT_UNDO_MINUTES = 5;

/**
 * A check-in or check-out taken with no network (queued on the phone, 离线打卡) is accepted at the
 * time it was taken only if it reaches the server within this long: the window, the radius and the
 * lead's rotating code are checked at that time, and the bound keeps a phone's clock from
 * reopening an activity long past.
 */
export const QUEUED_CHECK_IN_MAX_AGE_HOURS = 12;

/** A phone's clock a little ahead of the server's is taken as the server's time, not refused. */
const QUEUED_CLOCK_SKEW_MS = 5 * 60_000;

export interface CheckInInput {
  activityId: string;
  position?: (Position & { accuracyMetres?: number | null | undefined }) | null | undefined;
  code?: string | null | undefined;
  /** Check out although no service time would count. */
  confirmNoHours?: boolean | null | undefined;
  /** When the phone took it, for one queued with no network and sent later; absent: now. */
  takenAt?: Date | null | undefined;
}

type Direction = 'in' | 'out';

/**
 * The time a check-in counts at: the server's now, or for one queued offline the time it was
 * taken, if it arrives within QUEUED_CHECK_IN_MAX_AGE_HOURS (else QUEUED_CHECK_IN_STALE).
 */
function takenAt(input: CheckInInput, now: Date): { at: Date; queued: boolean } {
  if (!input.takenAt) return { at: now, queued: false };
  const taken = input.takenAt.getTime();
  if (taken > now.getTime() + QUEUED_CLOCK_SKEW_MS) throw new ValidationError({ takenAt: 'OUT_OF_RANGE' });
  const maxAgeMs = QUEUED_CHECK_IN_MAX_AGE_HOURS * 3_600_000;
  if (now.getTime() - taken > maxAgeMs) {
    throw new AppError('QUEUED_CHECK_IN_STALE', 'This check-in was taken too long ago to be accepted now.', {
      takenAt: input.takenAt.toISOString(),
      maxAgeHours: QUEUED_CHECK_IN_MAX_AGE_HOURS,
    });
  }
  return { at: new Date(Math.min(taken, now.getTime())), queued: true };
}

function checkInput(input: CheckInInput): void {
  const code = input.code?.trim();
  if (!input.position && !code) throw new ValidationError({ position: 'REQUIRED' });
  if (input.position && !isPosition(input.position)) throw new ValidationError({ position: 'OUT_OF_RANGE' });
  const accuracy = input.position?.accuracyMetres;
  if (accuracy !== undefined && accuracy !== null && !(Number.isFinite(accuracy) && accuracy >= 0))
    throw new ValidationError({ position: 'OUT_OF_RANGE' });
}

async function record(ctx: RequestContext, input: CheckInInput, direction: Direction): Promise<SignUp> {
  const viewer = await requireMember(ctx);
  const organization = requireOrganization(ctx);
  checkInput(input);
  const rules = checkInRules(organization);
  const receivedAt = ctx.clock.now();
  // Every rule below holds at the time it was taken: for a check-in queued offline, then.
  const { at: now, queued } = takenAt(input, receivedAt);

  const { updated, teamId } = await ctx.tenant(async (tx) => {
    const access = await activityAccess(ctx, tx);
    // The activity's lock before the sign-up's, the order a cancellation takes them in: checking
    // in changes the activity's checked-in counter (the sign_ups_count trigger, migration 0021).
    const activity = await repository.lockActivity(tx, viewer.orgId, input.activityId);
    if (!activity || !canSeeActivity(access, activity)) throw notFound('Activity');
    if (activity.status !== 'PUBLISHED') {
      throw new AppError('INVALID_STATE', 'Check-in is for published activities.', { status: activity.status });
    }
    const found = await repository.findSignUp(tx, viewer.orgId, activity.id, viewer.id);
    const signUp = found && (await repository.lockSignUp(tx, viewer.orgId, found.id));
    if (!signUp || signUp.status === 'CANCELLED') throw new AppError('NOT_SIGNED_UP', 'Sign up first.');
    if (signUp.status !== 'CONFIRMED') {
      throw new AppError('NOT_CONFIRMED', 'You are on the waitlist, without a place yet.', { status: signUp.status });
    }
    if (direction === 'in' && signUp.checkedInAt) {
      throw new AppError('ALREADY_CHECKED_IN', 'You have checked in already.', {
        checkedInAt: signUp.checkedInAt.toISOString(),
      });
    }
    if (direction === 'out' && !signUp.checkedInAt) throw new AppError('NOT_CHECKED_IN', 'Check in first.');
    if (direction === 'out' && signUp.checkedOutAt) {
      throw new AppError('ALREADY_CHECKED_OUT', 'You have checked out already.', {
        checkedOutAt: signUp.checkedOutAt.toISOString(),
      });
    }
    // A queued check-out cannot be earlier than the check-in it ends.
    if (direction === 'out' && signUp.checkedInAt && now < signUp.checkedInAt) {
      throw new ValidationError({ takenAt: 'OUT_OF_RANGE' });
    }

    const window = checkInWindow(organization, activity);
    const closesAt =
      direction === 'in' ? window.closesAt : new Date(activity.endsAt.getTime() + CHECK_OUT_GRACE_MINUTES * 60_000);
    if (now < window.opensAt || now > closesAt) {
      throw new AppError('OUTSIDE_WINDOW', 'Check-in is not open now.', {
        opensAt: window.opensAt.toISOString(),
        closesAt: closesAt.toISOString(),
      });
    }

    const position = input.position ?? null;
    const distance = position ? distanceMetres(position, activity) : null;
    const code = input.code?.trim();
    let method: 'GPS' | 'QR';
    if (code) {
      const check = verifyCheckInCode(ctx.config.appSecret, viewer.orgId, activity.id, code, now);
      if (!check.ok && check.reason === 'EXPIRED') {
        throw new AppError('CHECK_IN_CODE_EXPIRED', 'This code has expired: scan the current one.');
      }
      if (!check.ok) throw new AppError('INVALID_CHECK_IN_CODE', 'This is not the code of this activity.');
      const firstUse = await repository.recordCodeUse(tx, {
        orgId: viewer.orgId,
        activityId: activity.id,
        memberId: viewer.id,
        nonce: `${activity.id}:${check.step}`,
      });
      if (!firstUse) throw new AppError('CHECK_IN_CODE_USED', 'You have used this code already: scan the current one.');
      method = 'QR';
    } else {
      if (!isWithinRadius(distance, rules.radiusMetres)) {
        throw new AppError('OUTSIDE_RADIUS', 'You are too far from the site.', {
          distanceMetres: distance === null ? null : Math.round(distance),
          radiusMetres: rules.radiusMetres,
        });
      }
      method = 'GPS';
    }

    // Leaving before the start (with travel not counted) counts no time: only on purpose.
    if (
      direction === 'out' &&
      signUp.checkedInAt &&
      !input.confirmNoHours &&
      checkOutMinutes(organization, activity, signUp.checkedInAt, now) === 0
    ) {
      throw new AppError('CHECK_OUT_WITHOUT_HOURS', 'Checking out now counts no service time.', {
        startsAt: activity.startsAt.toISOString(),
      });
    }

    const at = {
      latitude: position?.latitude ?? null,
      longitude: position?.longitude ?? null,
      accuracy: position?.accuracyMetres ?? null,
      distance,
    };
    if (direction === 'in') {
      const checkedIn = await repository.updateSignUp(tx, viewer.orgId, signUp.id, {
        checkedInAt: now,
        checkInMethod: method,
        checkInLatitude: at.latitude,
        checkInLongitude: at.longitude,
        checkInAccuracyMetres: at.accuracy,
        checkInDistanceMetres: at.distance,
        checkInReceivedAt: queued ? receivedAt : null,
        attendance: 'ATTENDED',
      });
      return { updated: checkedIn, teamId: activity.teamId };
    }
    const checkedOut = await repository.updateSignUp(tx, viewer.orgId, signUp.id, {
      checkedOutAt: now,
      checkOutMethod: method,
      checkOutLatitude: at.latitude,
      checkOutLongitude: at.longitude,
      checkOutAccuracyMetres: at.accuracy,
      checkOutDistanceMetres: at.distance,
      checkOutReceivedAt: queued ? receivedAt : null,
    });
    // Rule 3: the service record's hours are computed from check-in and check-out, in this transaction.
    await checkOutHours().record(ctx, tx, organization, activity, checkedOut);
    return { updated: checkedOut, teamId: activity.teamId };
  });
  publishAttendance(ctx, updated);
  publishBoardEvent(ctx, updated.orgId, {
    kind: direction === 'in' ? 'CHECK_IN' : 'CHECK_OUT',
    memberId: updated.memberId,
    teamId,
    subjectId: updated.activityId,
    occurredAt: now.toISOString(),
  });
  return updated;
}

export function checkIn(ctx: RequestContext, input: CheckInInput): Promise<SignUp> {
  return record(ctx, input, 'in');
}

export function checkOut(ctx: RequestContext, input: CheckInInput): Promise<SignUp> {
  return record(ctx, input, 'out');
}

/** The minutes a check-out at `checkedOutAt` counts: the service record's (0 when it makes none). */
export function checkOutMinutes(
  organization: Organization,
  activity: Activity,
  checkedInAt: Date,
  checkedOutAt: Date,
): number {
  return Math.max(0, checkOutHours().minutesOf(organization, activity, checkedInAt, checkedOutAt));
}

/** Until when the member may undo the check-out; null before one. */
export function checkOutUndoableUntil(signUp: Pick<SignUp, 'checkedOutAt' | 'checkOutReceivedAt'>): Date | null {
  // A check-out sent later (queued offline) is undoable for the same few minutes after it arrived.
  const from = signUp.checkOutReceivedAt ?? signUp.checkedOutAt;
  return from ? new Date(from.getTime() + CHECK_OUT_UNDO_MINUTES * 60_000) : null;
}

/** Who may undo a check-out now: its member within the window; the team's leads and admins any time. */
export function mayUndoCheckOut(
  access: ActivityAccess,
  activity: Pick<Activity, 'teamId'>,
  signUp: Pick<SignUp, 'memberId' | 'checkedOutAt' | 'checkOutReceivedAt' | 'status'>,
  now: Date,
): boolean {
  const until = checkOutUndoableUntil(signUp);
  if (!until || signUp.status !== 'CONFIRMED') return false;
  if (canManageTeam(access, activity.teamId)) return true;
  return access.member?.id === signUp.memberId && now.getTime() <= until.getTime();
}

/**
 * Undoes a check-out made by mistake: the check-in stands again (check-out is
 * possible again while it is open) and the record the check-out made is
 * withdrawn. Takes the activity's lock, then the sign-up's, as check-out does:
 * an undo and a second check-out (or another undo) of one sign-up run one
 * after the other, and the later one sees what the earlier one did.
 */
export async function undoCheckOut(ctx: RequestContext, signUpId: string): Promise<SignUp> {
  await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const now = ctx.clock.now();
  const updated = await ctx.tenant(async (tx) => {
    const access = await activityAccess(ctx, tx);
    const viewer = access.member;
    const found = await repository.findSignUpById(tx, access.orgId, signUpId);
    const activity = found && (await repository.lockActivity(tx, access.orgId, found.activityId));
    const mayTouch = found && activity && (found.memberId === viewer?.id || canManageTeam(access, activity.teamId));
    if (!viewer || !found || !activity || !mayTouch) throw notFound('Sign-up');
    const signUp = await repository.lockSignUp(tx, access.orgId, found.id);
    if (!signUp?.checkedOutAt) throw new AppError('NOT_CHECKED_OUT', 'There is no check-out to undo.');
    if (!mayUndoCheckOut(access, activity, signUp, now)) {
      if (signUp.status !== 'CONFIRMED') {
        throw new AppError('NOT_CONFIRMED', 'The sign-up has no place.', { status: signUp.status });
      }
      throw new AppError('UNDO_WINDOW_CLOSED', 'A check-out can be undone only for a few minutes: ask your lead.', {
        undoableUntil: checkOutUndoableUntil(signUp)?.toISOString(),
      });
    }
    const withdrawn = await checkOutHours().withdraw(ctx, tx, organization, signUp, viewer);
    const restored = await repository.updateSignUp(tx, access.orgId, signUp.id, {
      checkedOutAt: null,
      checkOutMethod: null,
      checkOutLatitude: null,
      checkOutLongitude: null,
      checkOutAccuracyMetres: null,
      checkOutDistanceMetres: null,
      checkOutReceivedAt: null,
    });
    await recordAudit(tx, ctx, access.orgId, {
      action: 'sign_up.check_out_undone',
      subjectType: 'sign_up',
      subjectId: signUp.id,
      detail: {
        activityId: activity.id,
        memberId: signUp.memberId,
        checkedOutAt: signUp.checkedOutAt.toISOString(),
        withdrawnRecordId: withdrawn?.id ?? null,
      },
    });
    return restored;
  });
  publishAttendance(ctx, updated);
  return updated;
}

/** The code a lead shows for the QR fallback, with the check-in page it opens. */
export async function checkInCode(ctx: RequestContext, activity: Activity) {
  await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const access = await activityAccess(ctx);
  if (!canManageTeam(access, activity.teamId)) throw forbidden('Only a lead of this team or an admin shows the code.');
  const current = currentCheckInCode(ctx.config.appSecret, organization.id, activity.id, ctx.clock.now());
  const url = new URL(
    `/o/${organization.slug}/activities/${activity.id}/check-in?code=${current.code}`,
    ctx.config.publicUrl,
  );
  return { ...current, url: url.toString() };
}
