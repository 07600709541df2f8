/**
 * Requests from the public (群众需求): the public form and status page, the
 * admins' triage, and the assigned team's work on them. Every state change is
 * made on the locked row, kept in the request's history, audited, and told
 * to the big screen after it commits.
 */
import {
  pgError,
  PG_UNIQUE_VIOLATION,
  type HelpRequest,
  type Member,
  type Organization,
  type RequestCategory,
  type RequestStatus,
  type Tx,
} from '@qicai/db';
import { createHash, randomUUID } from 'node:crypto';
import type { ResolversTypes } from '../../__generated__/resolvers.ts';
import {
  isAdmin,
  requireAdmin,
  requireMember,
  requireNamedOrganization,
  requireOrganization,
} from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import { publishBoardEvent } from '../../shared/board-events.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, FieldChecker, forbidden, notFound, rateLimited } from '../../shared/errors.ts';
import { createActivity, type ActivityInput } from '../activities/service.ts';

import { notifyMembers } from '../notifications/service.ts';

import { MAINLAND_MOBILE, normalizePhone } from '../people/validation.ts';

import * as repository from './repository.ts';
import { formatTrackingCode, newTrackingCode, normalizeTrackingCode } from './tracking-codes.ts';
import { isLocalDate, localDateAt } from '../../kernel/time.ts';
import { findLeadsOfTeams, findLedTeamIds } from '../members/team-memberships-repository.ts';
import { findTeamsByIds } from '../teams/repository.ts';

export const PLACE_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const REASON_MAX = 500;
export const FEEDBACK_MAX = 2000;
export const NOTE_MAX = 500;
/** The triage queue and a team's list show this many, newest first. */
export const LIST_LIMIT = 200;
/** PUBLIC_REQUEST_LIMIT counts submissions over this window. */
const SUBMISSION_WINDOW_MS = 60 * 60 * 1000;

export const isOpen = (status: RequestStatus) => repository.OPEN_STATUSES.includes(status);

/** Past its due date and not closed, by the calendar of the organization's time zone. */
export function isOverdue(request: Pick<HelpRequest, 'dueOn' | 'status'>, timeZone: string, now: Date): boolean {
  return request.dueOn !== null && isOpen(request.status) && request.dueOn < localDateAt(now, timeZone);
}

/* The public side: no sign-in */

export interface SubmitRequestInput {
  category: RequestCategory;
  place: string;
  description: string;
  contactPhone: string;
  consentToContact: boolean;
}

/**
 * The public form. At most PUBLIC_REQUEST_LIMIT submissions per client
 * address an hour, counted in the database under a per-address lock so
 * every API instance (and concurrent submissions) agree; a refused
 * submission stores nothing, and neither does an invalid one (nor does it
 * count).
 */
export async function submitRequest(
  ctx: RequestContext,
  input: SubmitRequestInput,
): Promise<ResolversTypes['SubmittedRequest']> {
  const organization = requireOrganization(ctx);
  const place = input.place.trim();
  const description = input.description.trim();
  const contactPhone = normalizePhone(input.contactPhone.trim());
  new FieldChecker()
    .check(place.length > 0, 'place', 'REQUIRED')
    .check(place.length <= PLACE_MAX, 'place', 'TOO_LONG')
    .check(description.length > 0, 'description', 'REQUIRED')
    .check(description.length <= DESCRIPTION_MAX, 'description', 'TOO_LONG')
    .check(contactPhone.length > 0, 'contactPhone', 'REQUIRED')
    .check(MAINLAND_MOBILE.test(contactPhone), 'contactPhone', 'INVALID_PHONE')
    .check(input.consentToContact, 'consentToContact', 'REQUIRED')
    .throwIfAny();

  const key = createHash('sha256').update(ctx.clientIp).digest('hex');
  // A clash of 50 random bits within one organization is all but impossible; one more try covers it.
  for (let attempt = 1; ; attempt++) {
    const id = randomUUID();
    const trackingCode = newTrackingCode();
    try {
      await ctx.tenant(async (tx) => {
        await repository.lockSubmissionKey(tx, key);
        const now = ctx.clock.now().getTime();
        const windowStart = new Date(now - SUBMISSION_WINDOW_MS);
        const { submissions, oldest } = await repository.countSubmissions(tx, key, windowStart);
        if (submissions >= ctx.config.publicRequestLimit) {
          const freesAt = (oldest?.getTime() ?? now) + SUBMISSION_WINDOW_MS;
          throw rateLimited(Math.max(1, Math.ceil((freesAt - now) / 1000)));
        }
        await repository.recordSubmission(tx, key, new Date(now), windowStart);
        await repository.insertSubmittedRequest(tx, {
          orgId: organization.id,
          id,
          trackingCode,
          category: input.category,
          place,
          description,
          contactPhone,
        });
        await recordAudit(tx, ctx, organization.id, {
          action: 'request.submitted',
          subjectType: 'request',
          subjectId: id,
          detail: { category: input.category },
        });
      });
    } catch (error) {
      const pg = pgError(error);
      if (attempt < 3 && pg?.code === PG_UNIQUE_VIOLATION && pg.constraint === 'requests_org_tracking_code_unique')
        continue;
      throw error;
    }
    publishBoardEvent(ctx, organization.id, {
      kind: 'REQUEST_CHANGED',
      subjectId: id,
      occurredAt: ctx.clock.now().toISOString(),
    });
    return { trackingCode: formatTrackingCode(trackingCode), status: 'RECEIVED' };
  }
}

/** The status page: the request with this code in the named organization, its public fields only; null if none. */
export async function requestStatus(
  ctx: RequestContext,
  typedCode: string,
): Promise<ResolversTypes['RequestPublicStatus'] | null> {
  requireOrganization(ctx);
  const code = normalizeTrackingCode(typedCode);
  if (!code) return null;
  return ctx.tenant(async (tx) => {
    const found = await repository.findPublicStatus(tx, code);
    if (!found) return null;
    const history = await repository.findPublicHistory(tx, code);
    const { id: _id, ...status } = found;
    return { ...status, trackingCode: formatTrackingCode(code), history };
  });
}

/* Members: who may see and do what */

interface RequestAccess {
  member: Member;
  isAdmin: boolean;
  /** The teams the viewer leads. */
  ledTeamIds: ReadonlySet<string>;
}

async function requestAccess(ctx: RequestContext, tx: Tx): Promise<RequestAccess> {
  const member = await requireMember(ctx);
  const admin = isAdmin(member);
  const ledTeamIds = new Set(admin ? [] : await findLedTeamIds(tx, member.orgId, member.id));
  return { member, isAdmin: admin, ledTeamIds };
}

/** Admins see every request; a lead sees those assigned to a team they lead. */
function canWork(access: RequestAccess, request: HelpRequest): boolean {
  return access.isAdmin || (request.teamId !== null && access.ledTeamIds.has(request.teamId));
}

/** For the resolvers' viewerCan* fields. */
export async function viewerCanWorkOn(ctx: RequestContext, requests: HelpRequest[]): Promise<boolean[]> {
  const member = await ctx.viewerMember();
  if (!member?.active) return requests.map(() => false);
  if (isAdmin(member)) return requests.map(() => true);
  const led = new Set(await ctx.tenant((tx) => findLedTeamIds(tx, member.orgId, member.id)));
  return requests.map((request) => request.teamId !== null && led.has(request.teamId));
}

export async function getRequest(ctx: RequestContext, id: string): Promise<HelpRequest> {
  return ctx.tenant(async (tx) => {
    const access = await requestAccess(ctx, tx);
    const request = await repository.findRequest(tx, access.member.orgId, id);
    if (!request || !canWork(access, request)) throw notFound('Request');
    return request;
  });
}

export interface RequestFilterInput {
  statuses?: RequestStatus[] | null | undefined;
  teamId?: string | null | undefined;
  overdueOnly?: boolean | null | undefined;
}

/** The admins' triage queue (every request), or a lead's: the requests of the teams they lead. */
export async function listRequests(
  ctx: RequestContext,
  filter: RequestFilterInput | null | undefined,
): Promise<HelpRequest[]> {
  const organization = requireOrganization(ctx);
  return ctx.tenant(async (tx) => {
    const access = await requestAccess(ctx, tx);
    if (!access.isAdmin && access.ledTeamIds.size === 0) {
      throw forbidden('Only admins and team leads see requests from the public.');
    }
    let teamIds: string[] | undefined = access.isAdmin ? undefined : [...access.ledTeamIds];
    if (filter?.teamId) teamIds = teamIds ? teamIds.filter((teamId) => teamId === filter.teamId) : [filter.teamId];
    return repository.listRequests(tx, organization.id, {
      statuses: filter?.statuses ?? undefined,
      teamIds,
      overdueBefore: filter?.overdueOnly ? localDateAt(ctx.clock.now(), organization.timeZone) : undefined,
      limit: LIST_LIMIT,
    });
  });
}

/**
 * The counts for an organization (its home page; the big screen reads them
 * with `countRequestsOf` under its display token). One statement.
 */
export async function requestCounts(
  ctx: RequestContext,
  organization: Organization,
): Promise<ResolversTypes['RequestCounts']> {
  requireNamedOrganization(ctx, [organization.id]);
  await requireMember(ctx);
  return ctx.tenant((tx) => countRequestsOf(tx, organization, ctx.clock.now()));
}

/** Numbers only, for any caller scoped to the organization (the big screen's display token too). */
export function countRequestsOf(tx: Tx, organization: Organization, now: Date): Promise<repository.RequestCountsRow> {
  return repository.countRequests(tx, localDateAt(now, organization.timeZone));
}

/* State changes */

interface Change {
  values: Parameters<typeof repository.updateRequest>[3];
  /** The new state; a history entry is kept unless `history` is false. */
  toStatus: RequestStatus;
  history?: boolean;
  note: string | null;
  action: string;
  detail?: Record<string, unknown>;
}

function invalidState(request: HelpRequest, message: string): AppError {
  return new AppError('INVALID_STATE', message, { status: request.status });
}

/**
 * Locks the request, lets `decide` check and describe the change, applies
 * it with its history entry and audit in the same transaction, then tells
 * the big screen. Concurrent changes of one request queue on the lock, and
 * each decides on what the one before committed.
 */
async function changeRequest(
  ctx: RequestContext,
  id: string,
  decide: (request: HelpRequest, access: RequestAccess, tx: Tx) => Change | Promise<Change>,
): Promise<HelpRequest> {
  await requireMember(ctx);
  const updated = await ctx.tenant(async (tx) => {
    const access = await requestAccess(ctx, tx);
    const orgId = access.member.orgId;
    const request = await repository.lockRequest(tx, orgId, id);
    if (!request) throw notFound('Request');
    const change = await decide(request, access, tx);
    const row = await repository.updateRequest(tx, orgId, id, change.values);
    if (change.history !== false) {
      await repository.insertHistory(tx, {
        orgId,
        requestId: id,
        fromStatus: request.status,
        toStatus: change.toStatus,
        actorMemberId: access.member.id,
        note: change.note,
      });
    }
    await recordAudit(tx, ctx, orgId, {
      action: change.action,
      subjectType: 'request',
      subjectId: id,
      detail: { from: request.status, to: change.toStatus, ...change.detail },
    });
    return row;
  });
  publishBoardEvent(ctx, updated.orgId, {
    kind: 'REQUEST_CHANGED',
    subjectId: updated.id,
    ...(updated.teamId ? { teamId: updated.teamId } : {}),
    occurredAt: ctx.clock.now().toISOString(),
  });
  return updated;
}

function optionalNote(note: string | null | undefined): string | null {
  const trimmed = note?.trim() ?? '';
  new FieldChecker().check(trimmed.length <= NOTE_MAX, 'note', 'TOO_LONG').throwIfAny();
  return trimmed === '' ? null : trimmed;
}

/** A due date is a calendar date, not before today in the organization's time zone. */
function checkDueOn(dueOn: string | null | undefined, today: string): string | null {
  if (dueOn === null || dueOn === undefined || dueOn === '') return null;
  new FieldChecker()
    .check(isLocalDate(dueOn), 'dueOn', 'INVALID_DATE')
    .check(!isLocalDate(dueOn) || dueOn >= today, 'dueOn', 'IN_PAST')
    .throwIfAny();
  return dueOn;
}

export async function assignRequest(
  ctx: RequestContext,
  input: { id: string; teamId: string; dueOn?: string | null | undefined; note?: string | null | undefined },
): Promise<HelpRequest> {
  await requireAdmin(ctx);
  const organization = requireOrganization(ctx);
  const dueOn = checkDueOn(input.dueOn, localDateAt(ctx.clock.now(), organization.timeZone));
  const note = optionalNote(input.note);
  return changeRequest(ctx, input.id, async (request, _access, tx) => {
    if (request.status !== 'RECEIVED' && request.status !== 'ASSIGNED') {
      throw invalidState(request, 'Only a received or assigned request can be assigned to a team.');
    }
    const [team] = await findTeamsByIds(tx, organization.id, [input.teamId]);
    if (!team) throw notFound('Team');
    if (team.id !== request.teamId) {
      // The team's leads (队长) work on it: tell them, in the transaction that assigns it.
      const leads = await findLeadsOfTeams(tx, organization.id, [team.id]);
      await notifyMembers(tx, organization.id, {
        at: ctx.clock.now(),
        memberIds: leads.map((lead) => lead.id),
        kind: 'REQUEST_ASSIGNED',
        activityId: null,
        detail: { title: request.place },
      });
    }
    return {
      values: { status: 'ASSIGNED', teamId: team.id, ...(dueOn ? { dueOn } : {}) },
      toStatus: 'ASSIGNED',
      note,
      action: request.status === 'RECEIVED' ? 'request.assigned' : 'request.reassigned',
      detail: { teamId: team.id, colour: team.colour, fromTeamId: request.teamId, dueOn },
    };
  });
}

export async function setRequestDueDate(
  ctx: RequestContext,
  id: string,
  dueOn: string | null | undefined,
): Promise<HelpRequest> {
  await requireAdmin(ctx);
  const organization = requireOrganization(ctx);
  const checked = checkDueOn(dueOn, localDateAt(ctx.clock.now(), organization.timeZone));
  return changeRequest(ctx, id, (request) => {
    if (!isOpen(request.status)) throw invalidState(request, 'A closed request has no due date.');
    // Not a change of state: audited, but not in the history the requester sees.
    return {
      values: { dueOn: checked },
      toStatus: request.status,
      history: false,
      note: null,
      action: 'request.due_date_set',
      detail: { dueOn: checked, previous: request.dueOn },
    };
  });
}

export async function declineRequest(ctx: RequestContext, id: string, reasonText: string): Promise<HelpRequest> {
  await requireAdmin(ctx);
  const reason = reasonText.trim();
  new FieldChecker()
    .check(reason.length > 0, 'reason', 'REQUIRED')
    .check(reason.length <= REASON_MAX, 'reason', 'TOO_LONG')
    .throwIfAny();
  return changeRequest(ctx, id, (request) => {
    if (request.status !== 'RECEIVED' && request.status !== 'ASSIGNED') {
      throw invalidState(request, 'Only a received or assigned request can be declined.');
    }
    return {
      values: { status: 'DECLINED', declineReason: reason, closedAt: ctx.clock.now() },
      toStatus: 'DECLINED',
      note: reason,
      action: 'request.declined',
    };
  });
}

function requireWorker(access: RequestAccess, request: HelpRequest): void {
  if (!canWork(access, request)) throw forbidden('Only a lead of the assigned team or an admin may do this.');
}

export async function resolveRequest(ctx: RequestContext, id: string, feedbackText: string): Promise<HelpRequest> {
  await requireMember(ctx);
  const feedback = feedbackText.trim();
  new FieldChecker()
    .check(feedback.length > 0, 'feedback', 'REQUIRED')
    .check(feedback.length <= FEEDBACK_MAX, 'feedback', 'TOO_LONG')
    .throwIfAny();
  return changeRequest(ctx, id, (request, access) => {
    requireWorker(access, request);
    if (request.status !== 'ASSIGNED' && request.status !== 'IN_PROGRESS') {
      throw invalidState(request, 'Only an assigned request or one in progress can be resolved.');
    }
    return {
      values: { status: 'RESOLVED', feedback, closedAt: ctx.clock.now() },
      toStatus: 'RESOLVED',
      note: feedback,
      action: 'request.resolved',
    };
  });
}

/**
 * Schedules an activity of the request's team through the activities
 * service — in this same transaction, so the activity exists exactly when
 * the request is linked to it — and moves the request to IN_PROGRESS.
 */
export async function turnRequestIntoActivity(
  ctx: RequestContext,
  id: string,
  input: ActivityInput,
): Promise<HelpRequest> {
  await requireMember(ctx);
  return changeRequest(ctx, id, async (request, access, tx) => {
    requireWorker(access, request);
    if (request.status !== 'ASSIGNED' || !request.teamId) {
      throw invalidState(request, 'Only an assigned request can be turned into an activity.');
    }
    const inThisTransaction: RequestContext = { ...ctx, tenant: (work) => work(tx) };
    // Its field errors keep the activity form's names, so the same form shows them.
    const activity = await createActivity(inThisTransaction, { ...input, teamId: request.teamId, recurrence: null });
    return {
      values: { status: 'IN_PROGRESS', activityId: activity.id },
      toStatus: 'IN_PROGRESS',
      note: activity.title,
      action: 'request.activity_created',
      detail: { activityId: activity.id },
    };
  });
}
