/**
 * Spot-check check-ins (随机打卡): an admin, or a station's lead for its
 * people, asks one person or a station's people to check in; the person
 * answers from their phone, and the position, its accuracy and the distance
 * from their station reach the sender live (a subscription). The clock marks
 * the unanswered ones after SPOT_CHECK_ANSWER_MINUTES and erases positions
 * SPOT_CHECK_POSITION_RETENTION_DAYS after the answer (PIPL: location is
 * sensitive personal information). The person asked, the sender and admins
 * see a spot check; only the sender and admins see where it was answered.
 */
import { withTenant, type Db, type Member, type SpotCheck, type Station } from '@qicai/db';
import type { MercuriusContext } from 'mercurius';
import { liveTopic, type LiveEvent } from '../../shared/live.ts';
import { isAdmin, requireMember } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import { boardTopic, type BoardEvent } from '../../shared/board-events.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, FieldChecker, forbidden, notFound } from '../../shared/errors.ts';
import { distanceMetres, isPosition, isWithinRadius } from '../activities/geo.ts';
import { notifyMembers } from '../notifications/service.ts';

import * as repository from './repository.ts';
import { findMembersByIds } from '../members/repository.ts';

/** The most spot checks one list shows. */
export const SPOT_CHECK_LIST_MAX = 200;
/** A phone's reported accuracy above this is not a position worth keeping. */
const ACCURACY_MAX_METRES = 100_000;

/** What subscribers are sent: which spot check changed (they read it fresh, with their own rights). */
export interface SpotCheckEvent {
  spotCheckId: string;
}

/** The sender's topic (their member id), or the admins' ('all'). */
export function spotCheckTopic(orgId: string, senderMemberId: string): string {
  return liveTopic(orgId, 'spot-checks', senderMemberId);
}

/** The live events a change of spot checks makes: the sender's, the admins', and the big screen's. */
function spotCheckEvents(spotChecks: SpotCheck[], at: Date): LiveEvent[] {
  const events: LiveEvent[] = spotChecks.flatMap((spotCheck) => {
    const payload: SpotCheckEvent = { spotCheckId: spotCheck.id };
    return [
      { topic: spotCheckTopic(spotCheck.orgId, spotCheck.sentBy), payload },
      { topic: spotCheckTopic(spotCheck.orgId, 'all'), payload },
    ];
  });
  for (const orgId of new Set(spotChecks.map((spotCheck) => spotCheck.orgId))) {
    const payload: BoardEvent = { kind: 'SPOT_CHECK', occurredAt: at.toISOString() };
    events.push({ topic: boardTopic(orgId), payload });
  }
  return events;
}

/** The person asked, the sender and admins. */
export function canSeeSpotCheck(viewer: Member | null, spotCheck: SpotCheck): boolean {
  if (!viewer?.active) return false;
  return isAdmin(viewer) || viewer.id === spotCheck.memberId || viewer.id === spotCheck.sentBy;
}

/** Where it was answered: the sender and admins only. */
export function canSeePosition(viewer: Member | null, spotCheck: SpotCheck): boolean {
  if (!viewer?.active) return false;
  return isAdmin(viewer) || viewer.id === spotCheck.sentBy;
}

/** Answered after its time. */
export function isLate(spotCheck: SpotCheck): boolean {
  return spotCheck.answeredAt !== null && spotCheck.answeredAt.getTime() > spotCheck.dueAt.getTime();
}

export function answerSeconds(spotCheck: SpotCheck): number | null {
  if (!spotCheck.answeredAt) return null;
  return Math.max(0, Math.round((spotCheck.answeredAt.getTime() - spotCheck.sentAt.getTime()) / 1000));
}

/**
 * Sends spot checks: to one member (measured from the first station they are
 * stationed at, if any), or to every active member stationed at a station but
 * the sender. Admins send to anyone; a station's lead to its people.
 */
export async function sendSpotCheck(
  ctx: RequestContext,
  input: { memberId?: string | null | undefined; stationId?: string | null | undefined },
): Promise<SpotCheck[]> {
  const sender = await requireMember(ctx);
  const memberId = input.memberId ?? null;
  const stationId = input.stationId ?? null;
  new FieldChecker()
    .check((memberId === null) !== (stationId === null), 'memberId', 'ONE_OF_MEMBER_OR_STATION')
    .throwIfAny();
  const now = ctx.clock.now();
  const dueAt = new Date(now.getTime() + ctx.config.spotCheckAnswerMinutes * 60_000);
  const orgId = sender.orgId;

  const sent = await ctx.tenant(async (tx) => {
    let station: Station | undefined;
    let targets: Member[];
    if (stationId !== null) {
      [station] = await repository.findStationsByIds(tx, orgId, [stationId]);
      if (!station) throw notFound('Station');
      if (!isAdmin(sender) && station.leadMemberId !== sender.id) {
        throw forbidden('Only admins and the station’s lead send its people spot checks.');
      }
      const stationed = await repository.findMembersOfStations(tx, orgId, [station.id]);
      targets = stationed.filter((member) => member.active && member.id !== sender.id);
      new FieldChecker().check(targets.length > 0, 'stationId', 'NO_MEMBERS').throwIfAny();
    } else {
      const [member] = await findMembersByIds(tx, orgId, [memberId ?? '']);
      if (!member?.active) throw notFound('Member');
      const theirs = await repository.findStationsOfMembers(tx, orgId, [member.id]);
      // A lead asks about the station they lead; an admin measures from the member's first station.
      station = isAdmin(sender) ? theirs[0] : theirs.find((candidate) => candidate.leadMemberId === sender.id);
      if (!isAdmin(sender) && !station) {
        throw forbidden('Only admins and the lead of a station the member serves send them spot checks.');
      }
      targets = [member];
    }
    const rows = await repository.insertSpotChecks(
      tx,
      targets.map((member) => ({
        orgId,
        memberId: member.id,
        stationId: station?.id ?? null,
        sentBy: sender.id,
        sentAt: now,
        dueAt,
      })),
    );
    await notifyMembers(tx, orgId, {
      at: now,
      memberIds: rows.map((row) => row.memberId),
      kind: 'SPOT_CHECK_REQUESTED',
      activityId: null,
      detail: {
        title: station?.name ?? '',
        startsAt: now.toISOString(),
        endsAt: dueAt.toISOString(),
        placeName: station?.name ?? '',
      },
    });
    await recordAudit(tx, ctx, orgId, {
      action: 'spot_check.sent',
      subjectType: station ? 'station' : 'member',
      subjectId: station?.id ?? targets[0]?.id ?? '',
      detail: { spotChecks: rows.map((row) => row.id), members: rows.length },
    });
    return rows;
  });
  for (const event of spotCheckEvents(sent, now)) ctx.publish(event);
  return sent;
}

export interface SpotCheckAnswer {
  id: string;
  latitude: number;
  longitude: number;
  accuracyMetres?: number | null | undefined;
}

/**
 * The person asked answers with their phone's position, once: of two answers
 * (a double tap, two devices) one counts and the other is ALREADY_ANSWERED.
 * An answer after its time counts too, as late.
 */
export async function answerSpotCheck(ctx: RequestContext, input: SpotCheckAnswer): Promise<SpotCheck> {
  const member = await requireMember(ctx);
  const accuracy = input.accuracyMetres ?? null;
  new FieldChecker()
    .check(isPosition(input), 'latitude', 'INVALID_POSITION')
    .check(
      accuracy === null || (Number.isFinite(accuracy) && accuracy >= 0 && accuracy <= ACCURACY_MAX_METRES),
      'accuracyMetres',
      'OUT_OF_RANGE',
    )
    .throwIfAny();
  const now = ctx.clock.now();
  const answered = await ctx.tenant(async (tx) => {
    const spotCheck = await repository.findSpotCheck(tx, member.orgId, input.id);
    // Only the person asked answers; to anyone else it does not exist.
    if (!spotCheck || spotCheck.memberId !== member.id) throw notFound('Spot check');
    if (spotCheck.status === 'ANSWERED') throw alreadyAnswered();
    const [station] = spotCheck.stationId
      ? await repository.findStationsByIds(tx, member.orgId, [spotCheck.stationId])
      : [];
    const distance = station ? distanceMetres(input, station) : null;
    const row = await repository.answerSpotCheck(tx, member.orgId, spotCheck.id, {
      answeredAt: now,
      latitude: input.latitude,
      longitude: input.longitude,
      accuracyMetres: accuracy,
      distanceMetres: distance,
      atStation: station ? isWithinRadius(distance, station.radiusMetres) : null,
    });
    if (!row) throw alreadyAnswered();
    // The audit log keeps that it was answered, never where.
    await recordAudit(tx, ctx, member.orgId, {
      action: 'spot_check.answered',
      subjectType: 'spot_check',
      subjectId: row.id,
      detail: { late: isLate(row), atStation: row.atStation },
    });
    return row;
  });
  for (const event of spotCheckEvents([answered], now)) ctx.publish(event);
  return answered;
}

const alreadyAnswered = () => new AppError('ALREADY_ANSWERED', 'This spot check has been answered already.');

export async function getSpotCheck(ctx: RequestContext, id: string): Promise<SpotCheck> {
  const viewer = await requireMember(ctx);
  const spotCheck = await ctx.tenant((tx) => repository.findSpotCheck(tx, viewer.orgId, id));
  if (!spotCheck || !canSeeSpotCheck(viewer, spotCheck)) throw notFound('Spot check');
  return spotCheck;
}

const listSize = (first: number) => Math.min(Math.max(1, first), SPOT_CHECK_LIST_MAX);

/** Every spot check the viewer was sent (the person sees every request). */
export async function mySpotChecks(ctx: RequestContext, first: number): Promise<SpotCheck[]> {
  const viewer = await requireMember(ctx);
  return ctx.tenant((tx) => repository.pageSpotChecks(tx, viewer.orgId, { memberId: viewer.id }, listSize(first)));
}

/** Spot checks the viewer sent; admins: every one of the organization. */
export async function sentSpotChecks(ctx: RequestContext, first: number): Promise<SpotCheck[]> {
  const viewer = await requireMember(ctx);
  const by = isAdmin(viewer) ? 'all' : { sentBy: viewer.id };
  return ctx.tenant((tx) => repository.pageSpotChecks(tx, viewer.orgId, by, listSize(first)));
}

/**
 * Whose spot checks of a member's history (answered, late, away from the
 * station, unanswered) the viewer reads: admins and the member themselves
 * every one; the lead (站长) of a station the member is stationed at, the ones
 * they sent (a spot check is its sender's, not its station's). Anyone else,
 * and anyone for a member of another association, reads none.
 */
async function historyScope(
  ctx: RequestContext,
  memberId: string,
): Promise<{ orgId: string; by: { memberId: string; sentBy?: string } }> {
  const viewer = await requireMember(ctx);
  if (isAdmin(viewer) || viewer.id === memberId) return { orgId: viewer.orgId, by: { memberId } };
  const leads = await ctx.tenant(async (tx) =>
    (await repository.findStationsOfMembers(tx, viewer.orgId, [memberId])).some(
      (station) => station.leadMemberId === viewer.id,
    ),
  );
  if (!leads) throw forbidden('Only admins, the member’s station lead and the member see the history.');
  return { orgId: viewer.orgId, by: { memberId, sentBy: viewer.id } };
}

export async function spotChecksOf(
  ctx: RequestContext,
  memberId: string,
  first: number,
  offset = 0,
): Promise<SpotCheck[]> {
  new FieldChecker().check(Number.isInteger(offset) && offset >= 0, 'offset', 'OUT_OF_RANGE').throwIfAny();
  const { orgId, by } = await historyScope(ctx, memberId);
  return ctx.tenant((tx) => repository.pageSpotChecks(tx, orgId, by, listSize(first), offset));
}

export async function spotCheckSummaryOf(ctx: RequestContext, memberId: string) {
  const { orgId, by } = await historyScope(ctx, memberId);
  return ctx.tenant((tx) => repository.summarizeSpotChecks(tx, orgId, by));
}

/** The sender's spot checks as they change (admins: the organization's). */
export async function subscribeToSpotChecks(ctx: MercuriusContext) {
  const viewer = await requireMember(ctx);
  return ctx.pubsub.subscribe(spotCheckTopic(viewer.orgId, isAdmin(viewer) ? 'all' : viewer.id));
}

/** The spot check an event is about, as it is now, if the subscriber may see it. */
export async function spotCheckOfEvent(ctx: RequestContext, event: SpotCheckEvent): Promise<SpotCheck> {
  return getSpotCheck(ctx, event.spotCheckId);
}

export interface SpotCheckClockRun {
  markedUnanswered: number;
  positionsErased: number;
}

/**
 * The clock's work (plugins/jobs.ts): spot checks past their time are marked
 * unanswered (and their senders told), positions past retention erased. Each
 * organization in a transaction of its own; safe to run on several instances
 * at once (an update re-checks its condition on the rows it changes).
 */
export async function runSpotCheckClock(
  db: Db,
  options: { now: Date; retentionDays: number; publish: (event: LiveEvent) => void },
): Promise<SpotCheckClockRun> {
  const { now } = options;
  const answeredBefore = new Date(now.getTime() - options.retentionDays * 86_400_000);
  const run: SpotCheckClockRun = { markedUnanswered: 0, positionsErased: 0 };
  for (const orgId of await repository.findOrganizationsWithSpotCheckWork(db, now, answeredBefore)) {
    const unanswered = await withTenant(db, { orgId, accountId: null }, async (tx) => {
      const marked = await repository.markUnanswered(tx, orgId, now);
      run.positionsErased += await repository.erasePositions(tx, orgId, answeredBefore, now);
      return marked;
    });
    run.markedUnanswered += unanswered.length;
    for (const event of spotCheckEvents(unanswered, now)) options.publish(event);
  }
  return run;
}
