/**
 * Matching as the admin sees it (rule 13): sponsors ranked for a child,
 * children ranked for a sponsor, and the batch suggestion — each with the
 * reasons. The ranking rules are in matching.ts; here the rows are loaded and
 * the read of the children's fields it explains is audited.
 */
import type { Child, ChildStatus } from '@qicai/db';
import type { ResolversTypes } from '../../__generated__/resolvers.ts';
import { requireAdmin } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { notFound } from '../../shared/errors.ts';
import { matchChildOf, matchSponsorOf } from './lifecycle.ts';
import { hasPersonalFields, type PersonalChild } from './mappers.ts';
import { placesFree, rankCandidates, suggestBatch } from './matching.ts';
import { auditPersonalRead, MATCHING_FIELDS } from './personal-reads.ts';
import * as repository from './repository.ts';
import { organizationToday } from './service.ts';

/** Children who may get a sponsor: waiting, or proposed to one who may still decline. */
const MATCHABLE: ChildStatus[] = ['WAITING', 'PROPOSED'];
const MAX_SUGGESTIONS = 50;

function clampSuggestions(first: number): number {
  return Math.min(Math.max(first, 1), MAX_SUGGESTIONS);
}

export async function sponsorSuggestions(
  ctx: RequestContext,
  childId: string,
  first: number,
): Promise<ResolversTypes['SponsorSuggestion'][]> {
  const admin = await requireAdmin(ctx);
  const today = organizationToday(ctx);
  const { child, sponsors, history } = await ctx.tenant(async (tx) => ({
    child: await repository.findChild(tx, admin.orgId, childId),
    sponsors: await repository.findActiveSponsorsWithCounts(tx, admin.orgId),
    history: await repository.findSponsorshipsOf(tx, admin.orgId, 'child', [childId]),
  }));
  if (!child) throw notFound('Child');
  if (!hasPersonalFields(child) || !MATCHABLE.includes(child.status)) return [];
  // A sponsor already proposed for the child, or tried before, is not suggested again.
  const tried = new Set(history.map((sponsorship) => sponsorship.sponsorId));
  const matchChild = matchChildOf(child, today, ctx.clock.now());
  const ranked = rankCandidates(
    sponsors.filter((candidate) => !tried.has(candidate.sponsor.id)),
    (candidate) => ({ sponsor: matchSponsorOf(candidate.sponsor, candidate.counts), child: matchChild }),
  ).slice(0, clampSuggestions(first));
  await auditPersonalRead(ctx, [child.id], MATCHING_FIELDS, 'matching');
  return ranked.map(({ other, fit, reasons }) => ({ sponsor: other.sponsor, fit, reasons }));
}

export async function childSuggestions(
  ctx: RequestContext,
  sponsorId: string,
  first: number,
): Promise<ResolversTypes['ChildSuggestion'][]> {
  const admin = await requireAdmin(ctx);
  const today = organizationToday(ctx);
  const { sponsor, counts, children, history } = await ctx.tenant(async (tx) => ({
    sponsor: await repository.findSponsor(tx, admin.orgId, sponsorId),
    counts: await repository.countSponsorshipsOfSponsors(tx, admin.orgId, [sponsorId]),
    children: await repository.findMatchableChildren(tx, admin.orgId, MATCHABLE),
    history: await repository.findSponsorshipsOf(tx, admin.orgId, 'sponsor', [sponsorId]),
  }));
  if (!sponsor) throw notFound('Sponsor');
  if (!sponsor.active) return [];
  const tried = new Set(history.map((sponsorship) => sponsorship.childId));
  const matchSponsor = matchSponsorOf(sponsor, counts.get(sponsor.id));
  const now = ctx.clock.now();
  const ranked = rankCandidates(
    children.filter((child): child is PersonalChild => hasPersonalFields(child) && !tried.has(child.id)),
    (child) => ({ sponsor: matchSponsor, child: matchChildOf(child, today, now) }),
  ).slice(0, clampSuggestions(first));
  await auditPersonalRead(
    ctx,
    ranked.map(({ other }) => other.id),
    MATCHING_FIELDS,
    'matching',
  );
  return ranked.map(({ other, fit, reasons }) => ({ child: other, fit, reasons }));
}

/**
 * The batch: every waiting child (without a proposal) against every free
 * place, paired by matching.ts's maximum matching of greatest fit. Pairs
 * tried before (lapsed or ended) are left out.
 */
export async function batchSuggestion(ctx: RequestContext): Promise<ResolversTypes['BatchSuggestion']> {
  const admin = await requireAdmin(ctx);
  const today = organizationToday(ctx);
  const { children, sponsors, pastPairs } = await ctx.tenant(async (tx) => ({
    children: await repository.findMatchableChildren(tx, admin.orgId, ['WAITING']),
    sponsors: await repository.findActiveSponsorsWithCounts(tx, admin.orgId),
    pastPairs: await repository.findPastPairs(tx, admin.orgId),
  }));
  const now = ctx.clock.now();
  const rows = new Map<string, Child>(children.map((child) => [child.id, child]));
  const sponsorRows = new Map(sponsors.map(({ sponsor }) => [sponsor.id, sponsor]));
  const matchSponsors = sponsors.map(({ sponsor, counts }) => matchSponsorOf(sponsor, counts));
  const pairs = suggestBatch(
    children.filter(hasPersonalFields).map((child) => matchChildOf(child, today, now)),
    matchSponsors,
    pastPairs,
  );
  await auditPersonalRead(
    ctx,
    pairs.map((pair) => pair.child.id),
    MATCHING_FIELDS,
    'matching',
  );
  return {
    pairs: pairs.flatMap((pair) => {
      const child = rows.get(pair.child.id);
      const sponsor = sponsorRows.get(pair.sponsor.id);
      return child && sponsor ? [{ child, sponsor, fit: pair.fit, reasons: pair.reasons }] : [];
    }),
    waitingChildren: children.length,
    freePlaces: matchSponsors.reduce((sum, sponsor) => sum + placesFree(sponsor), 0),
  };
}
