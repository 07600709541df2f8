/**
 * Recording service hours: computed at check-out (rule 2, `minutesFromCheckInOut`)
 * and withdrawn when it is undone, entered by hand (rule 1's required fields
 * and rule 3's limits in `buildValues`, rule 4's late mark), changed while
 * pending; and reading records and the leads' queues.
 */
import type {
  Activity,
  Member,
  Organization,
  ServiceRecord,
  ServiceRecordCorrection,
  ServiceRecordValues,
  SignUp,
  Tx,
} from '@qicai/db';
import { requireMember, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, FieldChecker, forbidden, notFound, ValidationError } from '../../shared/errors.ts';
import { activityAccess, type ActivityAccess } from '../activities/access.ts';
import * as activityRepository from '../activities/repository.ts';

import { instantOf, localDateAt, parseWallTime } from '../../kernel/time.ts';
import * as repository from './repository.ts';
import { excludesTravelTime, isLateEntry, MAX_RECORD_MINUTES } from './rules.ts';
import { clampLimit, QUEUE_LIMIT, requireLeadOrAdmin } from './shared.ts';
import * as teamRepository from '../teams/repository.ts';
import { findMembersByIds } from '../members/repository.ts';

const MINUTE = 60_000;

/** The text fields of a record and their limits (the table's checks say the same). */
const TEXT_LIMITS = {
  activityName: 120,
  place: 200,
  content: 2000,
  organizingUnit: 120,
  activityLead: 60,
} as const;

export interface ServiceHoursInput {
  activityId?: string | null | undefined;
  teamId?: string | null | undefined;
  activityName?: string | null | undefined;
  place?: string | null | undefined;
  content?: string | null | undefined;
  organizingUnit?: string | null | undefined;
  activityLead?: string | null | undefined;
  /** Wall times in the organization's time zone, `YYYY-MM-DDTHH:mm`. */
  startsAt?: string | null | undefined;
  endsAt?: string | null | undefined;
}

type RecordValues = Pick<
  ServiceRecord,
  | 'activityId'
  | 'teamId'
  | 'activityName'
  | 'serviceDate'
  | 'place'
  | 'content'
  | 'minutes'
  | 'organizingUnit'
  | 'activityLead'
  | 'startsAt'
  | 'endsAt'
>;

function spanMinutes(startsAt: Date, endsAt: Date): number {
  return Math.floor((endsAt.getTime() - startsAt.getTime()) / MINUTE);
}

function activityMinutes(activity: Activity): number {
  return spanMinutes(activity.startsAt, activity.endsAt);
}

function clip(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit) : text;
}

/** What the record says of an activity: its name, place, content, organizing unit and lead (rule 1). */
async function activityFields(tx: Tx, organization: Organization, activity: Activity) {
  const team = (await teamRepository.findTeamsByIds(tx, organization.id, [activity.teamId]))[0];
  const lead = await repository.findTeamLeadName(tx, organization.id, activity.teamId);
  return {
    activityName: clip(activity.title, TEXT_LIMITS.activityName),
    place: clip(activity.placeName, TEXT_LIMITS.place),
    content: clip(activity.description.trim() || activity.title, TEXT_LIMITS.content),
    organizingUnit: clip(team ? `${organization.name} ${team.nameZh}` : organization.name, TEXT_LIMITS.organizingUnit),
    activityLead: clip(lead ?? organization.name, TEXT_LIMITS.activityLead),
  };
}

/**
 * Rules 2 and 3: hours from check-in and check-out are computed, never typed.
 * With travel not counted (the default), only the time inside the activity's
 * window counts; otherwise the time between check-in and check-out, capped at
 * the activity's length.
 */
export function minutesFromCheckInOut(
  organization: Organization,
  activity: Activity,
  checkedInAt: Date,
  checkedOutAt: Date,
): { startsAt: Date; endsAt: Date; minutes: number } {
  if (excludesTravelTime(organization.settings)) {
    const startsAt = new Date(Math.max(checkedInAt.getTime(), activity.startsAt.getTime()));
    const endsAt = new Date(Math.min(checkedOutAt.getTime(), activity.endsAt.getTime()));
    return { startsAt, endsAt, minutes: Math.min(spanMinutes(startsAt, endsAt), MAX_RECORD_MINUTES) };
  }
  const minutes = Math.min(spanMinutes(checkedInAt, checkedOutAt), activityMinutes(activity), MAX_RECORD_MINUTES);
  return { startsAt: checkedInAt, endsAt: checkedOutAt, minutes };
}

/**
 * Called by check-out, in its transaction: the member's record of the
 * activity, pending the lead's approval. Nothing is made if the member
 * already has a live record of it, or if no time fell inside the window.
 * No overlap check here: these hours come from presence at the site, and a
 * hand-reported record that collides with them is the one refused.
 */
export async function recordCheckOutHours(
  ctx: RequestContext,
  tx: Tx,
  organization: Organization,
  activity: Activity,
  signUp: SignUp,
): Promise<ServiceRecord | undefined> {
  if (!signUp.checkedInAt || !signUp.checkedOutAt) return undefined;
  const computed = minutesFromCheckInOut(organization, activity, signUp.checkedInAt, signUp.checkedOutAt);
  if (computed.minutes < 1) return undefined;
  const record = await repository.insertRecord(tx, {
    orgId: organization.id,
    memberId: signUp.memberId,
    activityId: activity.id,
    teamId: activity.teamId,
    ...(await activityFields(tx, organization, activity)),
    serviceDate: localDateAt(computed.startsAt, organization.timeZone),
    minutes: computed.minutes,
    startsAt: computed.startsAt,
    endsAt: computed.endsAt,
    source: 'CHECK_IN',
    enteredByMemberId: signUp.memberId,
  });
  if (record) {
    await recordAudit(tx, ctx, organization.id, {
      action: 'service_record.created',
      subjectType: 'service_record',
      subjectId: record.id,
      detail: { source: 'CHECK_IN', minutes: record.minutes, activityId: activity.id },
    });
  }
  return record;
}

/**
 * Called when a check-out is undone, in its transaction (the activity's and the
 * sign-up's locks held): the record the check-out made is withdrawn — kept, as
 * every record is, counted nowhere. An approved record is locked (rule 3): the
 * undo is refused and the hours go through a correction. A concurrent approval
 * waits for the record's lock and then finds it no longer pending.
 */
export async function withdrawCheckOutRecord(
  ctx: RequestContext,
  tx: Tx,
  organization: Organization,
  signUp: SignUp,
  withdrawnBy: Member,
): Promise<ServiceRecord | undefined> {
  const live = await repository.findLiveRecordOfActivity(tx, organization.id, signUp.activityId, signUp.memberId);
  if (!live || live.source !== 'CHECK_IN') return undefined;
  const record = await repository.lockRecord(tx, organization.id, live.id);
  if (record?.status === 'APPROVED') {
    throw new AppError('RECORD_LOCKED', 'The hours of this check-out are approved: ask for a correction.', {
      recordIds: [record.id],
    });
  }
  const [withdrawn] = await repository.decidePendingRecords(tx, {
    orgId: organization.id,
    ids: [live.id],
    status: 'WITHDRAWN',
    decidedByMemberId: withdrawnBy.id,
    declineReason: null,
  });
  if (withdrawn) {
    await recordAudit(tx, ctx, organization.id, {
      action: 'service_record.withdrawn',
      subjectType: 'service_record',
      subjectId: withdrawn.id,
      detail: { reason: 'CHECK_OUT_UNDONE', minutes: withdrawn.minutes, memberId: withdrawn.memberId },
    });
  }
  return withdrawn;
}

function readWallTime(text: string | null | undefined, organization: Organization): Date | undefined {
  const wall = text ? parseWallTime(text) : undefined;
  return wall ? instantOf(wall, organization.timeZone) : undefined;
}

function text(value: string | null | undefined): string {
  return (value ?? '').trim();
}

/**
 * Rule 1 and rule 3 for hours entered by hand: every required field, times
 * that make sense, and — for an activity — no more than its length. Returns
 * the values of the record; field errors all at once.
 */
export async function buildValues(
  tx: Tx,
  organization: Organization,
  input: ServiceHoursInput,
  now: Date,
): Promise<{ values: RecordValues; activity: Activity | undefined }> {
  const fields = new FieldChecker();
  let activity: Activity | undefined;
  if (input.activityId) {
    activity = await activityRepository.findActivityById(tx, organization.id, input.activityId);
    if (!activity || activity.status === 'DRAFT' || activity.status === 'CANCELLED') throw notFound('Activity');
  }
  const startsAt = input.startsAt ? readWallTime(input.startsAt, organization) : activity?.startsAt;
  const endsAt = input.endsAt ? readWallTime(input.endsAt, organization) : activity?.endsAt;
  fields.check(Boolean(input.startsAt) || activity !== undefined, 'startsAt', 'REQUIRED');
  fields.check(Boolean(input.endsAt) || activity !== undefined, 'endsAt', 'REQUIRED');
  fields.check(!input.startsAt || startsAt !== undefined, 'startsAt', 'INVALID');
  fields.check(!input.endsAt || endsAt !== undefined, 'endsAt', 'INVALID');
  if (startsAt && endsAt) {
    const minutes = spanMinutes(startsAt, endsAt);
    fields.check(minutes >= 1, 'endsAt', 'BEFORE_START');
    fields.check(minutes <= MAX_RECORD_MINUTES, 'endsAt', 'TOO_LONG');
    fields.check(endsAt.getTime() <= now.getTime(), 'endsAt', 'NOT_ENDED');
    // Rule 3: reported hours never exceed the activity's length.
    if (activity) fields.check(minutes <= activityMinutes(activity), 'endsAt', 'LONGER_THAN_ACTIVITY');
  }

  const fromActivity = activity ? await activityFields(tx, organization, activity) : undefined;
  const values = {
    activityName: text(input.activityName) || fromActivity?.activityName || '',
    place: text(input.place) || fromActivity?.place || '',
    content: text(input.content) || fromActivity?.content || '',
    organizingUnit: text(input.organizingUnit) || fromActivity?.organizingUnit || '',
    activityLead: text(input.activityLead) || fromActivity?.activityLead || '',
  };
  for (const [field, limit] of Object.entries(TEXT_LIMITS) as [keyof typeof TEXT_LIMITS, number][]) {
    fields.check(values[field].length > 0, field, 'REQUIRED');
    fields.check(values[field].length <= limit, field, 'TOO_LONG');
  }

  let teamId = activity?.teamId ?? null;
  if (!activity && input.teamId) {
    const team = (await teamRepository.findTeamsByIds(tx, organization.id, [input.teamId]))[0];
    fields.check(team !== undefined, 'teamId', 'NOT_FOUND');
    teamId = team?.id ?? null;
  }
  fields.throwIfAny();
  if (!startsAt || !endsAt) throw new ValidationError({ startsAt: 'REQUIRED' });
  return {
    activity,
    values: {
      ...values,
      activityId: activity?.id ?? null,
      teamId,
      serviceDate: localDateAt(startsAt, organization.timeZone),
      minutes: spanMinutes(startsAt, endsAt),
      startsAt,
      endsAt,
    },
  };
}

/** A record of one member may not overlap another of theirs; checked under the member's lock. */
export async function refuseOverlap(
  tx: Tx,
  orgId: string,
  memberId: string,
  span: { startsAt: Date; endsAt: Date },
  exceptId?: string,
): Promise<void> {
  await repository.lockMemberForRecords(tx, orgId, memberId);
  const overlapping = await repository.findOverlappingRecords(tx, {
    orgId,
    memberId,
    startsAt: span.startsAt,
    endsAt: span.endsAt,
    ...(exceptId ? { exceptId } : {}),
  });
  if (overlapping.length > 0) {
    throw new AppError('OVERLAPPING_RECORD', 'These hours overlap another record of yours.', {
      recordIds: overlapping.map((record) => record.id),
    });
  }
}

async function createRecord(
  ctx: RequestContext,
  params: { memberId: string; enteredBy: Member; source: 'SELF_REPORTED' | 'LEAD_ENTERED'; input: ServiceHoursInput },
  checkAccess: (tx: Tx, activity: Activity | undefined, values: RecordValues) => Promise<{ checkOutMissing: boolean }>,
): Promise<ServiceRecord> {
  const organization = requireOrganization(ctx);
  const now = ctx.clock.now();
  return ctx.tenant(async (tx) => {
    const { values, activity } = await buildValues(tx, organization, params.input, now);
    const { checkOutMissing } = await checkAccess(tx, activity, values);
    await refuseOverlap(tx, organization.id, params.memberId, values);
    if (activity && (await repository.findLiveRecordOfActivity(tx, organization.id, activity.id, params.memberId))) {
      throw new AppError('OVERLAPPING_RECORD', 'There is a record of this activity already.');
    }
    const record = await repository.insertRecord(tx, {
      orgId: organization.id,
      memberId: params.memberId,
      ...values,
      source: params.source,
      // Rule 4: entered more than 10 working days after the service ended.
      late: isLateEntry(values.endsAt, now, organization.timeZone, organization.settings),
      checkOutMissing,
      enteredByMemberId: params.enteredBy.id,
    });
    if (!record) throw new AppError('OVERLAPPING_RECORD', 'There is a record of this activity already.');
    await recordAudit(tx, ctx, organization.id, {
      action: 'service_record.created',
      subjectType: 'service_record',
      subjectId: record.id,
      detail: { source: record.source, minutes: record.minutes, late: record.late, memberId: record.memberId },
    });
    return record;
  });
}

/** A member reports their own hours: for an activity they attended, or for service outside the platform. */
export async function reportServiceHours(ctx: RequestContext, input: ServiceHoursInput): Promise<ServiceRecord> {
  const viewer = await requireMember(ctx);
  return createRecord(
    ctx,
    { memberId: viewer.id, enteredBy: viewer, source: 'SELF_REPORTED', input },
    async (tx, activity) => {
      if (activity) {
        const signUp = await activityRepository.findSignUp(tx, viewer.orgId, activity.id, viewer.id);
        const attended =
          signUp?.status === 'CONFIRMED' && (signUp.attendance === 'ATTENDED' || signUp.checkedInAt !== null);
        if (!attended) throw new AppError('NOT_ATTENDED', 'Report hours for activities you attended.');
      }
      return { checkOutMissing: false };
    },
  );
}

/**
 * A lead (or admin) enters a member's hours, typically for one who checked in
 * and never checked out (the missing check-out is then marked on the record).
 */
export async function enterServiceHours(
  ctx: RequestContext,
  memberId: string,
  input: ServiceHoursInput,
): Promise<ServiceRecord> {
  const viewer = await requireMember(ctx);
  const access = await activityAccess(ctx);
  return createRecord(
    ctx,
    { memberId, enteredBy: viewer, source: 'LEAD_ENTERED', input },
    async (tx, activity, values) => {
      const member = (await findMembersByIds(tx, viewer.orgId, [memberId]))[0];
      if (!member) throw notFound('Member');
      const canEnter = access.isAdmin || (values.teamId !== null && access.ledTeamIds.has(values.teamId));
      if (!canEnter) throw forbidden('Only a lead of the team or an admin enters hours for a member.');
      if (!activity) return { checkOutMissing: false };
      const signUp = await activityRepository.findSignUp(tx, viewer.orgId, activity.id, memberId);
      return {
        checkOutMissing: signUp?.checkedInAt !== null && signUp?.checkedInAt !== undefined && !signUp.checkedOutAt,
      };
    },
  );
}

/** Rule 3: a record is changed by its member while it is pending; once approved it is locked. */
export async function updateServiceRecord(
  ctx: RequestContext,
  id: string,
  input: ServiceHoursInput,
): Promise<ServiceRecord> {
  const viewer = await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const now = ctx.clock.now();
  return ctx.tenant(async (tx) => {
    const record = await repository.lockRecord(tx, viewer.orgId, id);
    if (!record || record.memberId !== viewer.id) throw notFound('Service record');
    if (record.status === 'APPROVED') {
      throw new AppError('RECORD_LOCKED', 'An approved record is locked: ask for a correction.');
    }
    if (record.status !== 'PENDING' || record.source === 'CHECK_IN') {
      throw new AppError('ALREADY_DECIDED', 'Only a pending, hand-entered record can be changed.', {
        status: record.status,
      });
    }
    const { values } = await buildValues(
      tx,
      organization,
      { ...input, activityId: record.activityId, teamId: input.teamId ?? record.teamId },
      now,
    );
    await refuseOverlap(tx, viewer.orgId, viewer.id, values, record.id);
    const updated = await repository.updateRecordValues(tx, viewer.orgId, record.id, values);
    await recordAudit(tx, ctx, viewer.orgId, {
      action: 'service_record.updated',
      subjectType: 'service_record',
      subjectId: record.id,
      detail: { before: valuesOf(record), after: valuesOf(updated) },
    });
    return updated;
  });
}

export function valuesOf(record: ServiceRecord): ServiceRecordValues {
  return {
    activityName: record.activityName,
    serviceDate: record.serviceDate,
    place: record.place,
    content: record.content,
    minutes: record.minutes,
    startsAt: record.startsAt.toISOString(),
    endsAt: record.endsAt.toISOString(),
  };
}

// Reading

export async function myServiceRecords(ctx: RequestContext, limit: number): Promise<ServiceRecord[]> {
  const viewer = await requireMember(ctx);
  return ctx.tenant((tx) =>
    repository.listRecordsOfMember(tx, { orgId: viewer.orgId, memberId: viewer.id, limit: clampLimit(limit) }),
  );
}

/** Ended activities the viewer attended and has no record for yet (what "report hours" offers). */
export async function reportableActivities(ctx: RequestContext): Promise<Activity[]> {
  const viewer = await requireMember(ctx);
  return ctx.tenant((tx) =>
    repository.findReportableActivities(tx, {
      orgId: viewer.orgId,
      memberId: viewer.id,
      endedBefore: ctx.clock.now(),
      limit: QUEUE_LIMIT,
    }),
  );
}

/** A member's own records, a lead's team's, an admin's any. */
export function canSeeRecord(access: ActivityAccess, record: ServiceRecord): boolean {
  if (!access.member || record.orgId !== access.orgId) return false;
  if (record.memberId === access.member.id || access.isAdmin) return true;
  return record.teamId !== null && access.ledTeamIds.has(record.teamId);
}

export async function getServiceRecord(ctx: RequestContext, id: string): Promise<ServiceRecord | null> {
  await requireMember(ctx);
  const access = await activityAccess(ctx);
  const record = await ctx.tenant((tx) => repository.findRecordById(tx, access.orgId, id));
  return record && canSeeRecord(access, record) ? record : null;
}

/** The approval queue: a lead's teams' pending records, or all of them for an admin. */
export async function approvalQueue(ctx: RequestContext, teamId: string | null | undefined): Promise<ServiceRecord[]> {
  const access = await requireLeadOrAdmin(ctx);
  let teamIds: string[] | null = access.isAdmin ? null : [...access.ledTeamIds];
  if (teamId) teamIds = teamIds === null || teamIds.includes(teamId) ? [teamId] : [];
  return ctx.tenant((tx) => repository.listPendingRecords(tx, { orgId: access.orgId, teamIds, limit: QUEUE_LIMIT }));
}

export async function pendingCorrections(ctx: RequestContext): Promise<ServiceRecordCorrection[]> {
  const access = await requireLeadOrAdmin(ctx);
  const teamIds = access.isAdmin ? null : [...access.ledTeamIds];
  return ctx.tenant((tx) =>
    repository.listPendingCorrections(tx, { orgId: access.orgId, teamIds, limit: QUEUE_LIMIT }),
  );
}

/** Check-ins without a check-out, of activities ended (and closed for check-out) — flagged, not guessed. */
export async function missingCheckOuts(ctx: RequestContext): Promise<SignUp[]> {
  const access = await requireLeadOrAdmin(ctx);
  const teamIds = access.isAdmin ? null : [...access.ledTeamIds];
  // Check-out stays open an hour after the end (CHECK_OUT_GRACE_MINUTES).
  const endedBefore = new Date(ctx.clock.now().getTime() - 60 * MINUTE);
  return ctx.tenant((tx) =>
    repository.findMissingCheckOuts(tx, { orgId: access.orgId, teamIds, endedBefore, limit: QUEUE_LIMIT }),
  );
}
