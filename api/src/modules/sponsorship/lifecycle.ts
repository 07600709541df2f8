/**
 * The life of a sponsorship (rule 14): proposed → active (confirmed) → ended
 * with a reason, or proposed → lapsed; and the support, visits and updates
 * recorded against an active one.
 *
 * Concurrency: every change takes the child's row lock first and then the
 * sponsor's, always in that order (so two of them never wait on each other).
 * Two admins confirming different sponsors for one child queue on the child:
 * the second finds the child sponsored and gets ALREADY_SPONSORED.
 * Confirmations for one sponsor queue on the sponsor: the last finds no place
 * and gets SPONSOR_FULL. Behind both, the database holds the same rules (the
 * partial unique index and the capacity trigger of migrations 0008–0009).
 */
import {
  pgError,
  PG_CHECK_VIOLATION,
  PG_UNIQUE_VIOLATION,
  type Child,
  type Member,
  type Sponsor,
  type Sponsorship,
  type SponsorshipEndReason,
  type SponsorshipUpdate,
  type SupportKind,
  type SupportRecord,
  type Tx,
} from '@qicai/db';
import { requireAdmin } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import { publishBoardEvent } from '../../shared/board-events.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, FieldChecker, notFound } from '../../shared/errors.ts';
import { notifyMembers } from '../notifications/service.ts';

import { ageOn, daysSince } from './dates.ts';
import { hasPersonalFields, type PersonalChild, type VisitRecord } from './mappers.ts';
import { preferenceConflicts, type MatchChild, type MatchSponsor } from './matching.ts';
import * as repository from './repository.ts';
import { organizationToday } from './service.ts';
import { LIMITS, optionalText } from './validation.ts';
import { isLocalDate } from '../../kernel/time.ts';
import { findMemberOfAccount, findMembersByIds } from '../members/repository.ts';

export const alreadySponsored = () =>
  new AppError('ALREADY_SPONSORED', 'The child already has an active sponsorship (one-to-one).');
export const sponsorFull = () =>
  new AppError('SPONSOR_FULL', 'The sponsor already sponsors as many children as they offered.');
const wrongStatus = (message: string) => new AppError('WRONG_STATUS', message);

/** Reasons for which the child leaves the programme; after the others the child waits for a new sponsor. */
const CHILD_LEAVES: readonly SponsorshipEndReason[] = ['CHILD_GREW_UP', 'CHILD_MOVED', 'FAMILY_WITHDREW'];

export function matchChildOf(child: PersonalChild, today: string, now: Date): MatchChild {
  return {
    id: child.id,
    gender: child.gender,
    age: ageOn(child.dateOfBirth, today),
    township: child.township,
    circumstances: child.circumstances,
    waitingDays: daysSince(child.waitingSince, now),
  };
}

export function matchSponsorOf(sponsor: Sponsor, counts: repository.SponsorCounts | undefined): MatchSponsor {
  return {
    id: sponsor.id,
    township: sponsor.township,
    preferredTownships: sponsor.preferredTownships,
    preferredAgeMin: sponsor.preferredAgeMin,
    preferredAgeMax: sponsor.preferredAgeMax,
    preferredGender: sponsor.preferredGender,
    prefersGreatestNeed: sponsor.prefersGreatestNeed,
    childrenOffered: sponsor.childrenOffered,
    activeCount: counts?.active ?? 0,
    proposedCount: counts?.proposed ?? 0,
  };
}

/**
 * The child and sponsor of a pairing, locked in the one order, checked
 * against the sponsor's hard preferences and capacity. Shared by proposing and
 * confirming, so both hold the same rules.
 */
async function lockPair(
  tx: Tx,
  orgId: string,
  childId: string,
  sponsorId: string,
  today: string,
  now: Date,
): Promise<{ child: PersonalChild; sponsor: Sponsor }> {
  const child = await repository.lockChild(tx, orgId, childId);
  if (!child) throw notFound('Child');
  const sponsor = await repository.lockSponsor(tx, orgId, sponsorId);
  if (!sponsor) throw notFound('Sponsor');
  if (child.status === 'SPONSORED') throw alreadySponsored();
  if (!hasPersonalFields(child) || child.status === 'ENDED') throw wrongStatus('The child has left the programme.');
  if (!sponsor.active) throw wrongStatus('The sponsor is inactive.');
  const counts = (await repository.countSponsorshipsOfSponsors(tx, orgId, [sponsor.id])).get(sponsor.id);
  const conflicts = preferenceConflicts(matchSponsorOf(sponsor, counts), matchChildOf(child, today, now));
  if (conflicts.length > 0) {
    throw new AppError('PREFERENCE_MISMATCH', 'The child does not meet the sponsor’s preferences.', { conflicts });
  }
  if ((counts?.active ?? 0) >= sponsor.childrenOffered) throw sponsorFull();
  return { child, sponsor };
}

/**
 * Tells the sponsor, when they are a member here (a sponsor who is not has no in-app list to be
 * told in). The text names no child: a child's personal fields are read only through the audited
 * paths (personal-reads.ts).
 */
async function notifySponsor(
  tx: Tx,
  ctx: RequestContext,
  sponsorship: Sponsorship,
  kind: 'SPONSORSHIP_PROPOSED' | 'SPONSORSHIP_CONFIRMED' | 'SPONSORSHIP_ENDED',
): Promise<void> {
  const sponsor = await repository.findSponsor(tx, sponsorship.orgId, sponsorship.sponsorId);
  if (!sponsor?.accountId) return;
  const member = await findMemberOfAccount(tx, sponsorship.orgId, sponsor.accountId);
  if (!member) return;
  await notifyMembers(tx, sponsorship.orgId, {
    at: ctx.clock.now(),
    memberIds: [member.id],
    kind,
    activityId: null,
    detail: { title: sponsor.name },
  });
}

/** Sets the child's status from its sponsorships: sponsored, proposed, or waiting (an ended child stays ended). */
async function refreshChildStatus(tx: Tx, orgId: string, child: Child, now: Date, leaves = false): Promise<void> {
  const counts = await repository.countSponsorshipsOfChild(tx, orgId, child.id);
  const status =
    counts.active > 0
      ? 'SPONSORED'
      : counts.proposed > 0
        ? 'PROPOSED'
        : leaves || child.status === 'ENDED'
          ? 'ENDED'
          : 'WAITING';
  if (status === child.status) return;
  await repository.updateChild(tx, orgId, child.id, {
    status,
    // Waiting again after a sponsorship ended: the wait starts now.
    ...(child.status === 'SPONSORED' && status === 'WAITING' && { waitingSince: now }),
  });
}

/** The database's own refusals, should the locks above ever be bypassed, as the same coded errors. */
function pairingConstraintError(error: unknown): never {
  const pg = pgError(error);
  if (pg?.code === PG_UNIQUE_VIOLATION && pg.constraint === 'sponsorships_one_active_per_child') {
    throw alreadySponsored();
  }
  if (pg?.code === PG_UNIQUE_VIOLATION && pg.constraint === 'sponsorships_one_open_proposal_per_pair') {
    throw new AppError('ALREADY_PROPOSED', 'This sponsor is already proposed for this child.');
  }
  if (pg?.code === PG_CHECK_VIOLATION && pg.constraint === 'sponsorships_within_capacity') throw sponsorFull();
  throw error;
}

export async function getSponsorship(ctx: RequestContext, id: string): Promise<Sponsorship> {
  const admin = await requireAdmin(ctx);
  const sponsorship = await ctx.tenant((tx) => repository.findSponsorship(tx, admin.orgId, id));
  if (!sponsorship) throw notFound('Sponsorship');
  return sponsorship;
}

export async function listOpenProposals(ctx: RequestContext): Promise<Sponsorship[]> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant((tx) => repository.findOpenProposals(tx, admin.orgId));
}

export async function proposeSponsorship(
  ctx: RequestContext,
  childId: string,
  sponsorId: string,
): Promise<Sponsorship> {
  const admin = await requireAdmin(ctx);
  const today = organizationToday(ctx);
  try {
    return await ctx.tenant(async (tx) => {
      const { child, sponsor } = await lockPair(tx, admin.orgId, childId, sponsorId, today, ctx.clock.now());
      const sponsorship = await repository.insertSponsorship(tx, {
        orgId: admin.orgId,
        childId: child.id,
        sponsorId: sponsor.id,
        proposedBy: admin.id,
      });
      await refreshChildStatus(tx, admin.orgId, child, ctx.clock.now());
      await recordAudit(tx, ctx, admin.orgId, {
        action: 'sponsorship.proposed',
        subjectType: 'sponsorship',
        subjectId: sponsorship.id,
        detail: { childId: child.id, sponsorId: sponsor.id },
      });
      await notifySponsor(tx, ctx, sponsorship, 'SPONSORSHIP_PROPOSED');
      return sponsorship;
    });
  } catch (error) {
    return pairingConstraintError(error);
  }
}

/** Locks the sponsorship's child and reads the sponsorship again, as it is once the lock is held. */
async function lockSponsorship(tx: Tx, orgId: string, id: string): Promise<{ sponsorship: Sponsorship; child: Child }> {
  const found = await repository.findSponsorship(tx, orgId, id);
  if (!found) throw notFound('Sponsorship');
  const child = await repository.lockChild(tx, orgId, found.childId);
  const sponsorship = await repository.findSponsorship(tx, orgId, id);
  if (!child || !sponsorship) throw notFound('Sponsorship');
  return { sponsorship, child };
}

/** The big screen counts children sponsored: tell it, after the change has committed. */
function publishSponsorshipChange(ctx: RequestContext, sponsorship: Sponsorship): void {
  publishBoardEvent(ctx, sponsorship.orgId, {
    kind: 'SPONSORSHIP_CHANGED',
    subjectId: sponsorship.id,
    occurredAt: ctx.clock.now().toISOString(),
  });
}

/** Confirms a proposal (proposed → active); the child's other proposals lapse. */
export async function confirmSponsorship(ctx: RequestContext, id: string): Promise<Sponsorship> {
  const admin = await requireAdmin(ctx);
  const today = organizationToday(ctx);
  try {
    const confirmed = await ctx.tenant(async (tx) => {
      const { sponsorship, child: lockedChild } = await lockSponsorship(tx, admin.orgId, id);
      if (sponsorship.status !== 'PROPOSED') {
        // Lapsed because another sponsor was confirmed for the child a moment ago.
        if (lockedChild.status === 'SPONSORED') throw alreadySponsored();
        throw wrongStatus('Only a proposal can be confirmed.');
      }
      const { child } = await lockPair(
        tx,
        admin.orgId,
        sponsorship.childId,
        sponsorship.sponsorId,
        today,
        ctx.clock.now(),
      );
      const confirmed = await repository.updateSponsorship(tx, admin.orgId, sponsorship.id, {
        status: 'ACTIVE',
        confirmedAt: ctx.clock.now(),
        confirmedBy: admin.id,
      });
      if (!confirmed) throw notFound('Sponsorship');
      const lapsed = await repository.lapseOpenProposalsOfChild(tx, admin.orgId, child.id, admin.id, sponsorship.id);
      await refreshChildStatus(tx, admin.orgId, child, ctx.clock.now());
      await recordAudit(tx, ctx, admin.orgId, {
        action: 'sponsorship.confirmed',
        subjectType: 'sponsorship',
        subjectId: sponsorship.id,
        detail: { childId: child.id, sponsorId: sponsorship.sponsorId, lapsedProposals: lapsed },
      });
      await notifySponsor(tx, ctx, confirmed, 'SPONSORSHIP_CONFIRMED');
      return confirmed;
    });
    publishSponsorshipChange(ctx, confirmed);
    return confirmed;
  } catch (error) {
    return pairingConstraintError(error);
  }
}

/** Lets a proposal lapse (proposed → lapsed). */
export async function lapseSponsorship(ctx: RequestContext, id: string): Promise<Sponsorship> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant(async (tx) => {
    const { sponsorship, child } = await lockSponsorship(tx, admin.orgId, id);
    if (sponsorship.status !== 'PROPOSED') throw wrongStatus('Only a proposal can lapse.');
    const lapsed = await repository.updateSponsorship(tx, admin.orgId, sponsorship.id, {
      status: 'LAPSED',
      closedAt: ctx.clock.now(),
      closedBy: admin.id,
    });
    if (!lapsed) throw notFound('Sponsorship');
    await refreshChildStatus(tx, admin.orgId, child, ctx.clock.now());
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'sponsorship.lapsed',
      subjectType: 'sponsorship',
      subjectId: sponsorship.id,
      detail: { childId: sponsorship.childId, sponsorId: sponsorship.sponsorId },
    });
    return lapsed;
  });
}

/** Ends an active sponsorship with a reason (active → ended). */
export async function endSponsorship(
  ctx: RequestContext,
  input: { id: string; reason: SponsorshipEndReason; note?: string | null | undefined },
): Promise<Sponsorship> {
  const admin = await requireAdmin(ctx);
  const note = optionalText(input.note);
  new FieldChecker()
    .check(input.reason !== 'RECORD_DELETED', 'reason', 'INVALID')
    .check((note?.length ?? 0) <= LIMITS.endNote, 'note', 'TOO_LONG')
    .throwIfAny();
  const ended = await ctx.tenant(async (tx) => {
    const { sponsorship, child } = await lockSponsorship(tx, admin.orgId, input.id);
    if (sponsorship.status !== 'ACTIVE') throw wrongStatus('Only an active sponsorship can end.');
    const ended = await repository.updateSponsorship(tx, admin.orgId, sponsorship.id, {
      status: 'ENDED',
      closedAt: ctx.clock.now(),
      closedBy: admin.id,
      endReason: input.reason,
      endNote: note,
    });
    if (!ended) throw notFound('Sponsorship');
    await refreshChildStatus(tx, admin.orgId, child, ctx.clock.now(), CHILD_LEAVES.includes(input.reason));
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'sponsorship.ended',
      subjectType: 'sponsorship',
      subjectId: sponsorship.id,
      detail: { childId: sponsorship.childId, sponsorId: sponsorship.sponsorId, reason: input.reason },
    });
    // The admin's note stays out: it may speak of the child.
    await notifySponsor(tx, ctx, ended, 'SPONSORSHIP_ENDED');
    return ended;
  });
  publishSponsorshipChange(ctx, ended);
  return ended;
}

/** The sponsorship support, a visit or an update is recorded against: it must be active. */
async function activeSponsorship(tx: Tx, orgId: string, id: string): Promise<Sponsorship> {
  const sponsorship = await repository.findSponsorship(tx, orgId, id);
  if (!sponsorship) throw notFound('Sponsorship');
  if (sponsorship.status !== 'ACTIVE')
    throw wrongStatus('Only an active sponsorship takes support, visits and updates.');
  return sponsorship;
}

function checkDay(checker: FieldChecker, field: string, day: string, today: string): void {
  const valid = isLocalDate(day);
  checker
    .check(day !== '', field, 'REQUIRED')
    .check(valid, field, 'INVALID_DATE')
    .check(!valid || day <= today, field, 'IN_FUTURE');
}

export async function recordSupport(
  ctx: RequestContext,
  input: {
    sponsorshipId: string;
    kind: SupportKind;
    givenOn: string;
    amountFen?: number | null | undefined;
    description?: string | null | undefined;
  },
): Promise<SupportRecord> {
  const admin = await requireAdmin(ctx);
  const today = organizationToday(ctx);
  const amountFen = input.amountFen ?? null;
  const description = optionalText(input.description);
  const checker = new FieldChecker();
  checkDay(checker, 'givenOn', input.givenOn, today);
  checker
    .check(input.kind !== 'MONEY' || amountFen !== null, 'amountFen', 'REQUIRED')
    .check(
      amountFen === null || (Number.isInteger(amountFen) && amountFen > 0 && amountFen <= LIMITS.supportAmountFen),
      'amountFen',
      'OUT_OF_RANGE',
    )
    .check(input.kind !== 'GOODS' || description !== null, 'description', 'REQUIRED')
    .check((description?.length ?? 0) <= LIMITS.supportDescription, 'description', 'TOO_LONG')
    .throwIfAny();
  return ctx.tenant(async (tx) => {
    const sponsorship = await activeSponsorship(tx, admin.orgId, input.sponsorshipId);
    const record = await repository.insertSupport(tx, {
      orgId: admin.orgId,
      sponsorshipId: sponsorship.id,
      kind: input.kind,
      givenOn: input.givenOn,
      amountFen,
      description,
      recordedBy: admin.id,
    });
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'support.recorded',
      subjectType: 'sponsorship',
      subjectId: sponsorship.id,
      detail: { supportId: record.id, kind: record.kind },
    });
    return record;
  });
}

export async function recordVisit(
  ctx: RequestContext,
  input: { sponsorshipId: string; visitedOn: string; volunteerIds: string[]; notes: string },
): Promise<VisitRecord> {
  const admin = await requireAdmin(ctx);
  const today = organizationToday(ctx);
  const notes = input.notes.trim();
  const volunteerIds = [...new Set(input.volunteerIds)];
  const checker = new FieldChecker();
  checkDay(checker, 'visitedOn', input.visitedOn, today);
  checker
    .check(volunteerIds.length > 0, 'volunteerIds', 'REQUIRED')
    .check(volunteerIds.length <= LIMITS.visitVolunteers, 'volunteerIds', 'TOO_MANY_VOLUNTEERS')
    .check(notes.length > 0, 'notes', 'REQUIRED')
    .check(notes.length <= LIMITS.visitNotes, 'notes', 'TOO_LONG')
    .throwIfAny();
  return ctx.tenant(async (tx) => {
    const sponsorship = await activeSponsorship(tx, admin.orgId, input.sponsorshipId);
    const volunteers: Member[] = await findMembersByIds(tx, admin.orgId, volunteerIds);
    new FieldChecker()
      .check(volunteers.length === volunteerIds.length, 'volunteerIds', 'NOT_FOUND')
      .check(
        volunteers.every((member) => member.active),
        'volunteerIds',
        'INACTIVE_VOLUNTEER',
      )
      .throwIfAny();
    const visit = await repository.insertVisit(
      tx,
      { orgId: admin.orgId, sponsorshipId: sponsorship.id, visitedOn: input.visitedOn, notes, recordedBy: admin.id },
      volunteerIds,
    );
    // The notes are about the child: a write of the child's personal fields.
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'visit.recorded',
      subjectType: 'child',
      subjectId: sponsorship.childId,
      detail: { fields: ['visit.notes'], sponsorshipId: sponsorship.id, visitId: visit.id },
    });
    return visit;
  });
}

export async function postSponsorshipUpdate(
  ctx: RequestContext,
  input: { sponsorshipId: string; postedOn?: string | null | undefined; body: string },
): Promise<SponsorshipUpdate> {
  const admin = await requireAdmin(ctx);
  const today = organizationToday(ctx);
  const postedOn = input.postedOn || today;
  const body = input.body.trim();
  const checker = new FieldChecker();
  checkDay(checker, 'postedOn', postedOn, today);
  checker
    .check(body.length > 0, 'body', 'REQUIRED')
    .check(body.length <= LIMITS.updateBody, 'body', 'TOO_LONG')
    .throwIfAny();
  return ctx.tenant(async (tx) => {
    const sponsorship = await activeSponsorship(tx, admin.orgId, input.sponsorshipId);
    const update = await repository.insertUpdate(tx, {
      orgId: admin.orgId,
      sponsorshipId: sponsorship.id,
      postedOn,
      body,
      postedBy: admin.id,
    });
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'update.posted',
      subjectType: 'child',
      subjectId: sponsorship.childId,
      detail: { fields: ['update.body'], sponsorshipId: sponsorship.id, updateId: update.id },
    });
    return update;
  });
}
