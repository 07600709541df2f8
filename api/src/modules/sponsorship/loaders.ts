/**
 * Relation fields of sponsorship: each one statement (or a fixed few) per
 * batch of parents, results in the parents' order. Children, sponsors and
 * sponsorships are reached only through admin queries; the loaders check
 * again, so no nesting can lead around that.
 */
import type {
  Account,
  AuditEntry,
  Child,
  Member,
  Sponsor,
  Sponsorship,
  SponsorshipUpdate,
  SupportRecord,
} from '@qicai/db';
import type { SupportTotals } from '../../__generated__/resolvers.ts';
import { requireAdmin, requireOrganization } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { groupInOrder, type Loader } from '../../shared/loaders.ts';

import type { SponsoredChildRecord, TimelineItem, VisitRecord } from './mappers.ts';
import * as repository from './repository.ts';
import { findMembersByIds } from '../members/repository.ts';
import { findAccountsByIds } from '../people/repository.ts';

const NO_SUPPORT: SupportTotals = { moneyFen: 0, goodsCount: 0, goodsValueFen: 0, visitCount: 0, lastSupportOn: null };

async function adminOrgId(ctx: RequestContext): Promise<string> {
  return (await requireAdmin(ctx)).orgId;
}

/** A member field (who proposed, recorded, …) of an admin type. */
function memberOf<Parent>(idOf: (parent: Parent) => string | null): Loader<Parent, Member | null> {
  return async (queries, ctx) => {
    const orgId = await adminOrgId(ctx);
    const ids = queries.map(({ obj }) => idOf(obj));
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    const rows = await ctx.tenant((tx) => findMembersByIds(tx, orgId, wanted));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => (id === null ? null : (byId.get(id) ?? null)));
  };
}

function totalsOf<Parent>(
  by: 'sponsorship' | 'child' | 'sponsor',
  idOf: (parent: Parent) => string,
  orgIdOf: (ctx: RequestContext) => Promise<string>,
): Loader<Parent, SupportTotals> {
  return async (queries, ctx) => {
    const orgId = await orgIdOf(ctx);
    const ids = queries.map(({ obj }) => idOf(obj));
    const totals = await ctx.tenant((tx) => repository.totalsBy(tx, orgId, by, [...new Set(ids)]));
    return ids.map((id) => totals.get(id) ?? NO_SUPPORT);
  };
}

function sponsorshipsOf<Parent extends { id: string }>(by: 'child' | 'sponsor'): Loader<Parent, Sponsorship[]> {
  return async (queries, ctx) => {
    const orgId = await adminOrgId(ctx);
    const ids = queries.map(({ obj }) => obj.id);
    const rows = await ctx.tenant((tx) => repository.findSponsorshipsOf(tx, orgId, by, [...new Set(ids)]));
    return groupInOrder(ids, rows, (row) => (by === 'child' ? row.childId : row.sponsorId));
  };
}

const childActiveSponsorship: Loader<Child, Sponsorship | null> = async (queries, ctx) => {
  const orgId = await adminOrgId(ctx);
  const ids = queries.map(({ obj }) => obj.id);
  const rows = await ctx.tenant((tx) => repository.findSponsorshipsOf(tx, orgId, 'child', [...new Set(ids)]));
  return groupInOrder(ids, rows, (row) => row.childId).map(
    (group) => group.find((row) => row.status === 'ACTIVE') ?? null,
  );
};

const childAuditTrail: Loader<Child, AuditEntry[], { first: number }> = async (queries, ctx) => {
  const orgId = await adminOrgId(ctx);
  // Children asked for with the same page size share one statement.
  const bySize = new Map<number, number[]>();
  queries.forEach(({ params }, index) => {
    const first = Math.min(Math.max(params.first, 1), 500);
    bySize.set(first, [...(bySize.get(first) ?? []), index]);
  });
  const results: AuditEntry[][] = [];
  await ctx.tenant(async (tx) => {
    for (const [first, indexes] of bySize) {
      const ids = indexes.map((index) => queries[index]?.obj.id ?? '');
      const rows = await repository.findAuditTrails(tx, orgId, [...new Set(ids)], first);
      const groups = groupInOrder(ids, rows, (row) => row.subjectId);
      indexes.forEach((index, position) => {
        results[index] = groups[position] ?? [];
      });
    }
  });
  return results;
};

const auditActorName: Loader<AuditEntry, string | null> = async (queries, ctx) => {
  await adminOrgId(ctx);
  const ids = queries.map(({ obj }) => obj.actorAccountId);
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const accounts = await findAccountsByIds(ctx.db, wanted);
  const names = new Map(accounts.map((account) => [account.id, account.displayName]));
  return ids.map((id) => (id === null ? null : (names.get(id) ?? null)));
};

const sponsorAccount: Loader<Sponsor, Account | null> = async (queries, ctx) => {
  await adminOrgId(ctx);
  const ids = queries.map(({ obj }) => obj.accountId);
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const accounts = await findAccountsByIds(ctx.db, wanted);
  const byId = new Map(accounts.map((account) => [account.id, account]));
  return ids.map((id) => (id === null ? null : (byId.get(id) ?? null)));
};

function sponsorCount(which: 'active' | 'proposed'): Loader<Sponsor, number> {
  return async (queries, ctx) => {
    const orgId = await adminOrgId(ctx);
    const ids = queries.map(({ obj }) => obj.id);
    const counts = await ctx.tenant((tx) => repository.countSponsorshipsOfSponsors(tx, orgId, [...new Set(ids)]));
    return ids.map((id) => counts.get(id)?.[which] ?? 0);
  };
}

const sponsorshipChild: Loader<Sponsorship, Child> = async (queries, ctx) => {
  const orgId = await adminOrgId(ctx);
  const ids = queries.map(({ obj }) => obj.childId);
  const rows = await ctx.tenant((tx) => repository.findChildrenByIds(tx, orgId, [...new Set(ids)]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => {
    const child = byId.get(id);
    if (!child) throw new Error('sponsorship without child');
    return child;
  });
};

const sponsorshipSponsor: Loader<Sponsorship, Sponsor> = async (queries, ctx) => {
  const orgId = await adminOrgId(ctx);
  const ids = queries.map(({ obj }) => obj.sponsorId);
  const rows = await ctx.tenant((tx) => repository.findSponsorsByIds(tx, orgId, [...new Set(ids)]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => {
    const sponsor = byId.get(id);
    if (!sponsor) throw new Error('sponsorship without sponsor');
    return sponsor;
  });
};

/** Support, visits and updates of each sponsorship, newest first (three statements per batch). */
const sponsorshipTimeline: Loader<Sponsorship, TimelineItem[]> = async (queries, ctx) => {
  const orgId = await adminOrgId(ctx);
  const ids = queries.map(({ obj }) => obj.id);
  const unique = [...new Set(ids)];
  const { support, visits, updates } = await ctx.tenant(async (tx) => ({
    support: await repository.findSupportOfSponsorships(tx, orgId, unique),
    visits: await repository.findVisitsOfSponsorships(tx, orgId, unique),
    updates: await repository.findUpdatesOfSponsorships(tx, orgId, unique),
  }));
  const entries: (TimelineItem & { sponsorshipId: string; at: Date })[] = [
    ...support.map((record) => ({
      kind: 'SUPPORT' as const,
      on: record.givenOn,
      support: record,
      sponsorshipId: record.sponsorshipId,
      at: record.recordedAt,
    })),
    ...visits.map((visit) => ({
      kind: 'VISIT' as const,
      on: visit.visitedOn,
      visit,
      sponsorshipId: visit.sponsorshipId,
      at: visit.recordedAt,
    })),
    ...updates.map((update) => ({
      kind: 'UPDATE' as const,
      on: update.postedOn,
      update,
      sponsorshipId: update.sponsorshipId,
      at: update.postedAt,
    })),
  ];
  entries.sort((a, b) => (a.on === b.on ? b.at.getTime() - a.at.getTime() : a.on < b.on ? 1 : -1));
  return groupInOrder(ids, entries, (entry) => entry.sponsorshipId).map((group) =>
    group.map(({ sponsorshipId: _sponsorshipId, at: _at, ...item }) => item),
  );
};

const visitVolunteers: Loader<VisitRecord, Member[]> = async (queries, ctx) => {
  const orgId = await adminOrgId(ctx);
  const ids = queries.map(({ obj }) => obj.id);
  const rows = await ctx.tenant((tx) => repository.findVolunteersOfVisits(tx, orgId, [...new Set(ids)]));
  return groupInOrder(ids, rows, (row) => row.visitId).map((group) =>
    group.map(({ visitId: _visitId, ...member }) => member),
  );
};

/** The updates a sponsor reads: their sponsorships were checked when the view was built. */
const sponsoredChildUpdates: Loader<SponsoredChildRecord, SponsorshipUpdate[]> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = queries.map(({ obj }) => obj.sponsorshipId);
  const rows = await ctx.tenant((tx) => repository.findUpdatesOfSponsorships(tx, orgId, [...new Set(ids)]));
  return groupInOrder(ids, rows, (row) => row.sponsorshipId);
};

export const loaders = {
  Child: {
    activeSponsorship: childActiveSponsorship,
    sponsorships: sponsorshipsOf<Child>('child'),
    totals: totalsOf<Child>('child', (child) => child.id, adminOrgId),
    auditTrail: childAuditTrail,
  },
  GuardianConsent: { recordedBy: memberOf<Child>((child) => child.consentRecordedBy) },
  ChildAuditEntry: { actorName: auditActorName },
  Sponsor: {
    member: memberOf<Sponsor>((sponsor) => sponsor.memberId),
    account: sponsorAccount,
    activeCount: sponsorCount('active'),
    proposedCount: sponsorCount('proposed'),
    sponsorships: sponsorshipsOf<Sponsor>('sponsor'),
    totals: totalsOf<Sponsor>('sponsor', (sponsor) => sponsor.id, adminOrgId),
  },
  Sponsorship: {
    child: sponsorshipChild,
    sponsor: sponsorshipSponsor,
    proposedBy: memberOf<Sponsorship>((sponsorship) => sponsorship.proposedBy),
    confirmedBy: memberOf<Sponsorship>((sponsorship) => sponsorship.confirmedBy),
    closedBy: memberOf<Sponsorship>((sponsorship) => sponsorship.closedBy),
    timeline: sponsorshipTimeline,
    totals: totalsOf<Sponsorship>('sponsorship', (sponsorship) => sponsorship.id, adminOrgId),
  },
  SupportRecord: { recordedBy: memberOf<SupportRecord>((record) => record.recordedBy) },
  Visit: {
    volunteers: visitVolunteers,
    recordedBy: memberOf<VisitRecord>((visit) => visit.recordedBy),
  },
  SponsoredChild: {
    updates: sponsoredChildUpdates,
    totals: totalsOf<SponsoredChildRecord>(
      'sponsorship',
      (record) => record.sponsorshipId,
      (ctx) => Promise.resolve(requireOrganization(ctx).id),
    ),
  },
};
