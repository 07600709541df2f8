/** Relations of stations, visits and spot checks: one round of SQL per field, however many parents. */
import type { Activity, HelpRequest, Member, SpotCheck, Station, StationVisit } from '@qicai/db';
import { isAdmin, requireMember, requireOrganization } from '../../shared/access.ts';
import { groupInOrder, type Loader } from '../../shared/loaders.ts';

import * as repository from './repository.ts';
import { todayPeriod, visitsPerDay as countVisitsPerDay } from './service.ts';
import { findMembersByIds } from '../members/repository.ts';

/** The most activities, requests and visits a station page lists. */
const STATION_LIST_MAX = 50;

/** Members by id, in the order asked (null where none). */
async function membersInOrder(ctx: Parameters<Loader<unknown, unknown>>[1], ids: (string | null)[]) {
  const orgId = requireOrganization(ctx).id;
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const rows = await ctx.tenant((tx) => findMembersByIds(tx, orgId, wanted));
  const byId = new Map(rows.map((member) => [member.id, member]));
  return ids.map((id) => (id === null ? null : (byId.get(id) ?? null)));
}

async function stationsInOrder(ctx: Parameters<Loader<unknown, unknown>>[1], ids: (string | null)[]) {
  const orgId = requireOrganization(ctx).id;
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const rows = await ctx.tenant((tx) => repository.findStationsByIds(tx, orgId, wanted));
  const byId = new Map(rows.map((station) => [station.id, station]));
  return ids.map((id) => (id === null ? null : (byId.get(id) ?? null)));
}

function required<T>(values: (T | null)[], what: string): T[] {
  return values.map((value) => {
    if (value === null) throw new Error(`${what} missing`);
    return value;
  });
}

const lead: Loader<Station, Member | null> = (queries, ctx) =>
  membersInOrder(
    ctx,
    queries.map(({ obj }) => obj.leadMemberId),
  );

const stationMembers: Loader<Station, Member[]> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = queries.map(({ obj }) => obj.id);
  const rows = await ctx.tenant((tx) => repository.findMembersOfStations(tx, orgId, ids));
  return groupInOrder(ids, rows, (row) => row.stationId).map((group) =>
    group.map(({ stationId: _stationId, ...member }) => member),
  );
};

const stationActivities: Loader<Station, Activity[]> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = queries.map(({ obj }) => obj.id);
  const rows = await ctx.tenant((tx) => repository.findActivitiesOfStations(tx, orgId, ids, STATION_LIST_MAX));
  return groupInOrder(ids, rows, (row) => row.stationId);
};

/** Requests carry the requester's phone and description: admins only. */
const stationRequests: Loader<Station, HelpRequest[] | null> = async (queries, ctx) => {
  const viewer = await requireMember(ctx);
  if (!isAdmin(viewer)) return queries.map(() => null);
  const ids = queries.map(({ obj }) => obj.id);
  const rows = await ctx.tenant((tx) => repository.findRequestsOfStations(tx, viewer.orgId, ids, STATION_LIST_MAX));
  return groupInOrder(ids, rows, (row) => row.stationId);
};

const visitsToday: Loader<Station, number> = async (queries, ctx) => {
  const organization = requireOrganization(ctx);
  const today = todayPeriod(organization.timeZone, ctx.clock.now());
  const rows = await ctx.tenant((tx) => repository.todayOfStations(tx, organization.id, today.from, today.to));
  const byStation = new Map(rows.map((row) => [row.stationId, row.visits]));
  return queries.map(({ obj }) => byStation.get(obj.id) ?? 0);
};

const visits: Loader<Station, StationVisit[], { first: number }> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = queries.map(({ obj }) => obj.id);
  const limit = Math.min(Math.max(1, Math.max(...queries.map(({ params }) => params.first))), STATION_LIST_MAX * 4);
  const rows = await ctx.tenant((tx) => repository.findVisitsOfStations(tx, orgId, ids, limit));
  return groupInOrder(ids, rows, (row) => row.stationId).map((group, index) =>
    group.slice(0, Math.max(1, queries[index]?.params.first ?? limit)),
  );
};

const visitsPerDay: Loader<Station, { date: string; visits: number; minutes: number }[], { days: number }> = async (
  queries,
  ctx,
) => {
  const days = Math.max(...queries.map(({ params }) => params.days));
  const all = await countVisitsPerDay(
    ctx,
    queries.map(({ obj }) => obj.id),
    days,
  );
  return all.map((series, index) => series.slice(series.length - (queries[index]?.params.days ?? days)));
};

const visitRecordedBy: Loader<StationVisit, Member> = async (queries, ctx) =>
  required(
    await membersInOrder(
      ctx,
      queries.map(({ obj }) => obj.recordedBy),
    ),
    'recorder',
  );

const spotCheckMember: Loader<SpotCheck, Member> = async (queries, ctx) =>
  required(
    await membersInOrder(
      ctx,
      queries.map(({ obj }) => obj.memberId),
    ),
    'member',
  );

const spotCheckSender: Loader<SpotCheck, Member> = async (queries, ctx) =>
  required(
    await membersInOrder(
      ctx,
      queries.map(({ obj }) => obj.sentBy),
    ),
    'sender',
  );

const spotCheckStation: Loader<SpotCheck, Station | null> = (queries, ctx) =>
  stationsInOrder(
    ctx,
    queries.map(({ obj }) => obj.stationId),
  );

const activityStation: Loader<Activity, Station | null> = (queries, ctx) =>
  stationsInOrder(
    ctx,
    queries.map(({ obj }) => obj.stationId),
  );

const requestStation: Loader<HelpRequest, Station | null> = (queries, ctx) =>
  stationsInOrder(
    ctx,
    queries.map(({ obj }) => obj.stationId),
  );

const memberStations: Loader<Member, Station[]> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = queries.map(({ obj }) => obj.id);
  const rows = await ctx.tenant((tx) => repository.findStationsOfMembers(tx, orgId, ids));
  return groupInOrder(ids, rows, (row) => row.memberId).map((group) =>
    group.map(({ memberId: _memberId, ...station }) => station),
  );
};

export const loaders = {
  Station: {
    lead,
    members: stationMembers,
    activities: stationActivities,
    requests: stationRequests,
    visitsToday,
    visits,
    visitsPerDay,
  },
  StationVisit: { recordedBy: visitRecordedBy },
  SpotCheck: { member: spotCheckMember, sentBy: spotCheckSender, station: spotCheckStation },
  Activity: { station: activityStation },
  HelpRequest: { station: requestStation },
  Member: { stations: memberStations },
};
