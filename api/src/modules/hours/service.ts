/**
 * Service hours (志愿服务时长): DESIGN.md's rules 1–6, each in one function
 * here — the required fields (rule 1, `buildValues`), travel (rule 2,
 * `minutesFromCheckInOut`), computed vs reported hours, locking and
 * corrections (rule 3), the 10-working-day rule (rule 4, `isLateEntry`, in
 * rules.ts), no self-approval (rule 5, `requireDecider`) and star levels
 * (rule 6, `starLevelOf`, in rules.ts). Rollups change with the approvals and
 * corrections, in their transaction (`repository.adjustRollups`).
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
import { requireAdmin, requireMember, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import { publishBoardEvent } from '../../shared/board-events.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, FieldChecker, forbidden, notFound, ValidationError } from '../../shared/errors.ts';
import { activityAccess, type ActivityAccess } from '../activities/access.ts';
import * as activityRepository from '../activities/repository.ts';
import { findMembersByIds } from '../people/repository.ts';
import { notifyMembers } from '../notifications/service.ts';
import { formatLocalDate, instantOf, isLocalDate, localDateAt, parseWallTime, wallTimeAt } from '../../kernel/time.ts';
import type { LeaderboardEntryParent } from './mappers.ts';
import * as repository from './repository.ts';
import { excludesTravelTime, isLateEntry, MAX_RECORD_MINUTES, starLevelOf, type StarLevel } from './rules.ts';
import { officialCalendarYears, officialHolidaysOf, type OfficialHoliday } from '../../kernel/working-days.ts';

const MINUTE = 60_000;
export const QUEUE_LIMIT = 200;

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
  const team = (await activityRepository.findTeamsByIds(tx, organization.id, [activity.teamId]))[0];
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
async function buildValues(
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
    const team = (await activityRepository.findTeamsByIds(tx, organization.id, [input.teamId]))[0];
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
async function refuseOverlap(
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

// Approval

/** Rule 5: leads decide their teams' records, admins any; nobody decides their own. */
export function canDecide(access: ActivityAccess, record: Pick<ServiceRecord, 'memberId' | 'teamId'>): boolean {
  if (!access.member || record.memberId === access.member.id) return false;
  return access.isAdmin || (record.teamId !== null && access.ledTeamIds.has(record.teamId));
}

function requireDecider(access: ActivityAccess, record: ServiceRecord): Member {
  if (!access.member) throw notFound('Service record');
  if (record.memberId === access.member.id) {
    throw new AppError('FORBIDDEN', 'Nobody approves their own hours.', { reason: 'OWN_RECORD' });
  }
  if (!canDecide(access, record)) throw forbidden('Only a lead of the team or an admin decides these hours.');
  return access.member;
}

/** Year and month of a record's service date, for the rollups. */
function periodOf(serviceDate: string): { year: number; month: number } {
  return { year: Number(serviceDate.slice(0, 4)), month: Number(serviceDate.slice(5, 7)) };
}

function deltaOf(
  record: Pick<ServiceRecord, 'memberId' | 'teamId' | 'serviceDate' | 'minutes'>,
  sign: 1 | -1,
): repository.RollupDelta {
  return {
    memberId: record.memberId,
    teamId: record.teamId,
    ...periodOf(record.serviceDate),
    minutes: sign * record.minutes,
    records: sign,
  };
}

async function loadForDecision(ctx: RequestContext, tx: Tx, ids: string[]) {
  const access = await activityAccess(ctx, tx);
  const unique = [...new Set(ids)];
  const records = await repository.findRecordsByIds(tx, access.orgId, unique);
  if (records.length !== unique.length) throw notFound('Service record');
  const decider = records.map((record) => requireDecider(access, record))[0];
  if (!decider) throw new ValidationError({ ids: 'REQUIRED' });
  return { access, records, decider, ids: unique };
}

/**
 * Approves pending records, one or many. Idempotent: a record approved
 * already (by this call or a concurrent one) is returned as it is and its
 * hours are counted once — only the rows this transaction moved from pending
 * to approved add to the rollups. A declined record stays declined.
 */
export async function approveServiceRecords(ctx: RequestContext, ids: string[]): Promise<ServiceRecord[]> {
  await requireMember(ctx);
  const { approved, records } = await ctx.tenant(async (tx) => {
    const loaded = await loadForDecision(ctx, tx, ids);
    const declined = loaded.records.filter((record) => record.status === 'DECLINED' || record.status === 'WITHDRAWN');
    if (declined.length > 0) {
      throw new AppError('ALREADY_DECIDED', 'A declined or withdrawn record cannot be approved.', {
        recordIds: declined.map((record) => record.id),
      });
    }
    const approved = await repository.decidePendingRecords(tx, {
      orgId: loaded.access.orgId,
      ids: loaded.ids,
      status: 'APPROVED',
      decidedByMemberId: loaded.decider.id,
      declineReason: null,
    });
    await repository.adjustRollups(
      tx,
      loaded.access.orgId,
      approved.map((record) => deltaOf(record, 1)),
    );
    for (const record of approved) {
      await recordAudit(tx, ctx, loaded.access.orgId, {
        action: 'service_record.approved',
        subjectType: 'service_record',
        subjectId: record.id,
        detail: { memberId: record.memberId, minutes: record.minutes },
      });
    }
    for (const record of approved) await notifyRecordDecided(tx, ctx, record, 'HOURS_APPROVED');
    const changed = new Map(approved.map((record) => [record.id, record]));
    const after = await repository.findRecordsByIds(tx, loaded.access.orgId, loaded.ids);
    return { approved, records: after.map((record) => changed.get(record.id) ?? record) };
  });
  const occurredAt = ctx.clock.now().toISOString();
  for (const record of approved) {
    publishBoardEvent(ctx, record.orgId, {
      kind: 'HOURS_APPROVED',
      memberId: record.memberId,
      ...(record.teamId ? { teamId: record.teamId } : {}),
      subjectId: record.id,
      occurredAt,
    });
  }
  return inOrder(ids, records);
}

/** Tells a record's member that a lead decided it (approved, declined, or a correction of it). */
async function notifyRecordDecided(
  tx: Tx,
  ctx: RequestContext,
  record: ServiceRecord,
  kind: 'HOURS_APPROVED' | 'HOURS_DECLINED' | 'HOURS_CORRECTION_DECIDED',
  extra: { reason?: string; accepted?: boolean } = {},
): Promise<void> {
  await notifyMembers(tx, record.orgId, {
    at: ctx.clock.now(),
    memberIds: [record.memberId],
    kind,
    activityId: record.activityId,
    detail: {
      title: record.activityName,
      startsAt: record.startsAt.toISOString(),
      endsAt: record.endsAt.toISOString(),
      placeName: record.place,
      minutes: record.minutes,
      ...extra,
    },
  });
}

function inOrder(ids: string[], records: ServiceRecord[]): ServiceRecord[] {
  const byId = new Map(records.map((record) => [record.id, record]));
  return [...new Set(ids)].flatMap((id) => {
    const record = byId.get(id);
    return record ? [record] : [];
  });
}

/** Declines pending records with a reason; an approved record is locked (rule 3). */
export async function declineServiceRecords(
  ctx: RequestContext,
  ids: string[],
  reason: string,
): Promise<ServiceRecord[]> {
  await requireMember(ctx);
  const why = reason.trim();
  new FieldChecker()
    .check(why.length > 0, 'reason', 'REQUIRED')
    .check(why.length <= 500, 'reason', 'TOO_LONG')
    .throwIfAny();
  return ctx.tenant(async (tx) => {
    const loaded = await loadForDecision(ctx, tx, ids);
    const locked = loaded.records.filter((record) => record.status === 'APPROVED');
    if (locked.length > 0) {
      throw new AppError('RECORD_LOCKED', 'An approved record is locked.', {
        recordIds: locked.map((record) => record.id),
      });
    }
    const declined = await repository.decidePendingRecords(tx, {
      orgId: loaded.access.orgId,
      ids: loaded.ids,
      status: 'DECLINED',
      decidedByMemberId: loaded.decider.id,
      declineReason: why,
    });
    // Approved meanwhile by someone else: it stays approved, and this decline did nothing.
    const after = await repository.findRecordsByIds(tx, loaded.access.orgId, loaded.ids);
    if (after.some((record) => record.status === 'APPROVED')) {
      throw new AppError('RECORD_LOCKED', 'An approved record is locked.');
    }
    for (const record of declined) {
      await recordAudit(tx, ctx, loaded.access.orgId, {
        action: 'service_record.declined',
        subjectType: 'service_record',
        subjectId: record.id,
        detail: { memberId: record.memberId, reason: why },
      });
    }
    for (const record of declined) await notifyRecordDecided(tx, ctx, record, 'HOURS_DECLINED', { reason: why });
    return inOrder(ids, after);
  });
}

// Corrections

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

export interface CorrectionInput {
  reason: string;
  activityName?: string | null | undefined;
  place?: string | null | undefined;
  content?: string | null | undefined;
  startsAt?: string | null | undefined;
  endsAt?: string | null | undefined;
}

/** Rule 3: the member asks for a change to an approved record, with a reason. */
export async function requestServiceCorrection(
  ctx: RequestContext,
  recordId: string,
  input: CorrectionInput,
): Promise<ServiceRecordCorrection> {
  const viewer = await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const reason = input.reason.trim();
  new FieldChecker()
    .check(reason.length > 0, 'reason', 'REQUIRED')
    .check(reason.length <= 500, 'reason', 'TOO_LONG')
    .throwIfAny();
  const now = ctx.clock.now();
  return ctx.tenant(async (tx) => {
    const record = await repository.findRecordById(tx, viewer.orgId, recordId);
    if (!record || record.memberId !== viewer.id) throw notFound('Service record');
    if (record.status !== 'APPROVED') {
      throw new AppError('WRONG_STATUS', 'Corrections are for approved records; change a pending one directly.', {
        status: record.status,
      });
    }
    const { values } = await buildValues(
      tx,
      organization,
      {
        activityId: record.activityId,
        teamId: record.teamId,
        activityName: input.activityName || record.activityName,
        place: input.place || record.place,
        content: input.content || record.content,
        organizingUnit: record.organizingUnit,
        activityLead: record.activityLead,
        startsAt: input.startsAt || formatLocalWall(record.startsAt, organization),
        endsAt: input.endsAt || formatLocalWall(record.endsAt, organization),
      },
      now,
    );
    const correction = await repository.insertCorrection(tx, {
      orgId: viewer.orgId,
      recordId: record.id,
      requestedByMemberId: viewer.id,
      reason,
      proposed: {
        activityName: values.activityName,
        serviceDate: values.serviceDate,
        place: values.place,
        content: values.content,
        minutes: values.minutes,
        startsAt: values.startsAt.toISOString(),
        endsAt: values.endsAt.toISOString(),
      },
    });
    if (!correction) throw new AppError('CORRECTION_PENDING', 'A correction of this record is waiting already.');
    await recordAudit(tx, ctx, viewer.orgId, {
      action: 'service_record.correction_requested',
      subjectType: 'service_record',
      subjectId: record.id,
      detail: { correctionId: correction.id, reason },
    });
    return correction;
  });
}

function formatLocalWall(instant: Date, organization: Organization): string {
  const wall = wallTimeAt(instant, organization.timeZone);
  return `${formatLocalDate(wall)}T${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`;
}

async function loadCorrectionForDecision(ctx: RequestContext, tx: Tx, id: string) {
  const access = await activityAccess(ctx, tx);
  const correction = await repository.findCorrectionById(tx, access.orgId, id);
  if (!correction) throw notFound('Correction');
  const record = await repository.lockRecord(tx, access.orgId, correction.recordId);
  if (!record) throw notFound('Service record');
  const decider = requireDecider(access, record);
  return { access, correction, record, decider };
}

/**
 * A lead or admin accepts a correction: the record takes the proposed values,
 * the old ones are kept on the correction (the record's history), the rollups
 * move the minutes, and it is audited.
 */
export async function acceptServiceCorrection(ctx: RequestContext, id: string): Promise<ServiceRecordCorrection> {
  await requireMember(ctx);
  const { correction, record } = await ctx.tenant(async (tx) => {
    const { access, correction, record, decider } = await loadCorrectionForDecision(ctx, tx, id);
    if (correction.status !== 'PENDING') {
      throw new AppError('ALREADY_DECIDED', 'This correction has been decided.', { status: correction.status });
    }
    const proposed = correction.proposed;
    const span = { startsAt: new Date(proposed.startsAt), endsAt: new Date(proposed.endsAt) };
    await refuseOverlap(tx, access.orgId, record.memberId, span, record.id);
    const decided = await repository.decidePendingCorrection(tx, {
      orgId: access.orgId,
      id: correction.id,
      status: 'ACCEPTED',
      decidedByMemberId: decider.id,
      previous: valuesOf(record),
      refusalReason: null,
    });
    if (!decided) throw new AppError('ALREADY_DECIDED', 'This correction has been decided.');
    const updated = await repository.updateRecordValues(tx, access.orgId, record.id, {
      activityName: proposed.activityName,
      serviceDate: proposed.serviceDate,
      place: proposed.place,
      content: proposed.content,
      minutes: proposed.minutes,
      ...span,
    });
    if (record.status === 'APPROVED') {
      await repository.adjustRollups(tx, access.orgId, [deltaOf(record, -1), deltaOf(updated, 1)]);
    }
    await recordAudit(tx, ctx, access.orgId, {
      action: 'service_record.corrected',
      subjectType: 'service_record',
      subjectId: record.id,
      detail: { correctionId: correction.id, before: valuesOf(record), after: valuesOf(updated) },
    });
    await notifyRecordDecided(tx, ctx, updated, 'HOURS_CORRECTION_DECIDED', { accepted: true });
    return { correction: decided, record: updated };
  });
  publishBoardEvent(ctx, record.orgId, {
    kind: 'HOURS_APPROVED',
    memberId: record.memberId,
    ...(record.teamId ? { teamId: record.teamId } : {}),
    subjectId: record.id,
    occurredAt: ctx.clock.now().toISOString(),
  });
  return correction;
}

export async function refuseServiceCorrection(
  ctx: RequestContext,
  id: string,
  reason: string,
): Promise<ServiceRecordCorrection> {
  await requireMember(ctx);
  const why = reason.trim();
  new FieldChecker()
    .check(why.length > 0, 'reason', 'REQUIRED')
    .check(why.length <= 500, 'reason', 'TOO_LONG')
    .throwIfAny();
  return ctx.tenant(async (tx) => {
    const { access, correction, record, decider } = await loadCorrectionForDecision(ctx, tx, id);
    const decided = await repository.decidePendingCorrection(tx, {
      orgId: access.orgId,
      id: correction.id,
      status: 'REFUSED',
      decidedByMemberId: decider.id,
      previous: null,
      refusalReason: why,
    });
    if (!decided) throw new AppError('ALREADY_DECIDED', 'This correction has been decided.');
    await recordAudit(tx, ctx, access.orgId, {
      action: 'service_record.correction_refused',
      subjectType: 'service_record',
      subjectId: record.id,
      detail: { correctionId: correction.id, reason: why },
    });
    await notifyRecordDecided(tx, ctx, record, 'HOURS_CORRECTION_DECIDED', { accepted: false, reason: why });
    return decided;
  });
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

function clampLimit(limit: number, max = QUEUE_LIMIT): number {
  return Math.max(1, Math.min(max, Math.floor(limit)));
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

async function requireLeadOrAdmin(ctx: RequestContext): Promise<ActivityAccess> {
  await requireMember(ctx);
  const access = await activityAccess(ctx);
  if (!access.isAdmin && access.ledTeamIds.size === 0) throw forbidden('Only leads and admins see this.');
  return access;
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

export interface MemberHoursView {
  memberId: string;
  thisYearMinutes: number;
  allTimeMinutes: number;
  star: StarLevel;
}

function currentPeriod(ctx: RequestContext, organization: Organization): { year: number; month: number } {
  const wall = wallTimeAt(ctx.clock.now(), organization.timeZone);
  return { year: wall.year, month: wall.month };
}

/** A member's totals (this year, all time) and star level; a member sees their own, leads and admins anyone's. */
export async function memberHours(ctx: RequestContext, memberId: string | null | undefined): Promise<MemberHoursView> {
  const viewer = await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const id = memberId ?? viewer.id;
  if (id !== viewer.id) await requireLeadOrAdmin(ctx);
  const { year } = currentPeriod(ctx, organization);
  const [totals] = await ctx.tenant((tx) => repository.findMemberTotals(tx, viewer.orgId, [id], year));
  const allTimeMinutes = totals?.allTimeMinutes ?? 0;
  return {
    memberId: id,
    thisYearMinutes: totals?.yearMinutes ?? 0,
    allTimeMinutes,
    star: starLevelOf(allTimeMinutes, organization.settings),
  };
}

export type HoursPeriod = 'MONTH' | 'YEAR' | 'ALL_TIME';

export async function hoursLeaderboard(
  ctx: RequestContext,
  args: { period: HoursPeriod; year?: number | null; month?: number | null; first?: number | null },
): Promise<LeaderboardEntryParent[]> {
  const viewer = await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const now = currentPeriod(ctx, organization);
  const year = args.year ?? now.year;
  const month = args.month ?? now.month;
  new FieldChecker()
    .check(Number.isInteger(year) && year >= 2000 && year <= 2100, 'year', 'OUT_OF_RANGE')
    .check(Number.isInteger(month) && month >= 1 && month <= 12, 'month', 'OUT_OF_RANGE')
    .throwIfAny();
  const period: repository.LeaderboardPeriod =
    args.period === 'ALL_TIME'
      ? { kind: 'ALL_TIME' }
      : args.period === 'YEAR'
        ? { kind: 'YEAR', year }
        : { kind: 'MONTH', year, month };
  return ctx.tenant(async (tx) => {
    const rows = await repository.leaderboard(tx, viewer.orgId, period, clampLimit(args.first ?? 20, 100));
    // Star levels go by all-time hours: one lookup for the whole board.
    const totals = await repository.findMemberTotals(
      tx,
      viewer.orgId,
      rows.map((row) => row.member.id),
      now.year,
    );
    const allTime = new Map(totals.map((total) => [total.memberId, total.allTimeMinutes]));
    return rows.map((row, index) => ({
      rank: index + 1,
      ...row,
      starLevel: starLevelOf(allTime.get(row.member.id) ?? 0, organization.settings).level,
    }));
  });
}

export interface OrganizationHoursView {
  thisMonthMinutes: number;
  thisYearMinutes: number;
  allTimeMinutes: number;
  /** The last 12 months, oldest first, months without hours included. */
  lastTwelveMonths: { year: number; month: number; minutes: number }[];
}

/** The organization's figures (the big screen's and the reports'), from the monthly rollup. */
export async function organizationHours(ctx: RequestContext): Promise<OrganizationHoursView> {
  const viewer = await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const now = currentPeriod(ctx, organization);
  const months: { year: number; month: number }[] = [];
  for (let back = 11; back >= 0; back--) {
    const index = now.year * 12 + (now.month - 1) - back;
    months.push({ year: Math.floor(index / 12), month: (index % 12) + 1 });
  }
  const first = months[0] ?? now;
  const from = { year: Math.min(first.year, now.year), month: first.year < now.year ? first.month : 1 };
  const { rows, allTime } = await ctx.tenant(async (tx) => ({
    rows: await repository.orgMonths(tx, viewer.orgId, from),
    allTime: await repository.orgAllTimeMinutes(tx, viewer.orgId),
  }));
  const minutesOf = (year: number, month: number) =>
    rows.find((row) => row.year === year && row.month === month)?.minutes ?? 0;
  return {
    thisMonthMinutes: minutesOf(now.year, now.month),
    thisYearMinutes: rows.filter((row) => row.year === now.year).reduce((sum, row) => sum + row.minutes, 0),
    allTimeMinutes: allTime,
    lastTwelveMonths: months.map(({ year, month }) => ({ year, month, minutes: minutesOf(year, month) })),
  };
}

export async function teamHours(
  ctx: RequestContext,
  args: { year?: number | null; month?: number | null },
): Promise<{ teamId: string; minutes: number }[]> {
  const viewer = await requireMember(ctx);
  const now = currentPeriod(ctx, requireOrganization(ctx));
  return ctx.tenant((tx) =>
    repository.teamMinutes(tx, viewer.orgId, { year: args.year ?? now.year, month: args.month ?? null }),
  );
}

// Settings

export interface HoursSettings {
  excludeTravelTime: boolean;
  starThresholdsHours: number[];
  holidays: string[];
  workingDays: string[];
}

export function hoursSettings(organization: Organization): HoursSettings {
  return {
    excludeTravelTime: excludesTravelTime(organization.settings),
    starThresholdsHours: starLevelOf(0, organization.settings).thresholdsHours,
    holidays: [...(organization.settings.holidays ?? [])].sort(),
    workingDays: [...(organization.settings.workingDays ?? [])].sort(),
  };
}

/** The official holidays of a year (rules.ts), by default the current one in the organization's time zone. */
export function officialHolidays(ctx: RequestContext, year: number | null | undefined): OfficialHoliday[] {
  const organization = requireOrganization(ctx);
  return officialHolidaysOf(year ?? wallTimeAt(ctx.clock.now(), organization.timeZone).year);
}

export { officialCalendarYears };

export async function updateHoursSettings(
  ctx: RequestContext,
  input: Omit<HoursSettings, 'workingDays'> & { workingDays?: string[] | null | undefined },
): Promise<HoursSettings> {
  const admin = await requireAdmin(ctx);
  const thresholds = input.starThresholdsHours;
  const workingDays = input.workingDays ?? [];
  new FieldChecker()
    .check(
      thresholds.length >= 1 &&
        thresholds.length <= 10 &&
        thresholds.every(
          (hours, index) => Number.isInteger(hours) && hours > 0 && hours > (thresholds[index - 1] ?? 0),
        ),
      'starThresholdsHours',
      'INVALID',
    )
    .check(input.holidays.length <= 400 && input.holidays.every(isLocalDate), 'holidays', 'INVALID')
    .check(workingDays.length <= 400 && workingDays.every(isLocalDate), 'workingDays', 'INVALID')
    .check(!workingDays.some((day) => input.holidays.includes(day)), 'workingDays', 'CONFLICT')
    .throwIfAny();
  const settings = {
    excludeTravelTime: input.excludeTravelTime,
    starThresholdsHours: thresholds,
    holidays: [...new Set(input.holidays)].sort(),
    workingDays: [...new Set(workingDays)].sort(),
  };
  const organization = await ctx.tenant(async (tx) => {
    const updated = await repository.updateHoursSettings(tx, admin.orgId, settings);
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'organization.hours_settings_updated',
      subjectType: 'organization',
      subjectId: admin.orgId,
      detail: { ...settings },
    });
    return updated;
  });
  return hoursSettings(organization);
}
