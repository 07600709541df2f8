/**
 * Deciding service hours: approval and decline (no self-approval, rule 5,
 * `requireDecider`) and corrections of approved records (rule 3). Rollups
 * change with each decision, in its transaction (`repository.adjustRollups`).
 */
import type { Member, Organization, ServiceRecord, ServiceRecordCorrection, Tx } from '@qicai/db';
import { requireMember, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import { publishBoardEvent } from '../../shared/board-events.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, FieldChecker, forbidden, notFound, ValidationError } from '../../shared/errors.ts';
import { activityAccess, type ActivityAccess } from '../activities/access.ts';
import { notifyMembers } from '../notifications/service.ts';
import { formatLocalDate, wallTimeAt } from '../../kernel/time.ts';
import { buildValues, refuseOverlap, valuesOf } from './records.ts';
import * as repository from './repository.ts';

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
