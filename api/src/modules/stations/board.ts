/**
 * The stations on the big screen (信息中心大屏幕): every station open or
 * closed, its people on site and today's visits, and today's spot checks
 * with names masked and no position. A fixed number of statements, however
 * many stations.
 */
import type { BoardSpotCheck, BoardStation } from '../../__generated__/resolvers.ts';
import { requireOrganization } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { requireBoardViewer } from '../dashboard/display-tokens.ts';
import { maskName } from '../dashboard/mask.ts';
import * as repository from './repository.ts';
import { isOpenAt, todayPeriod } from './service.ts';
import { answerSeconds } from './spot-checks.ts';

const SPOT_CHECKS_SHOWN = 12;

export async function boardStations(ctx: RequestContext): Promise<BoardStation[]> {
  const orgId = await requireBoardViewer(ctx);
  const { timeZone } = requireOrganization(ctx);
  const now = ctx.clock.now();
  const today = todayPeriod(timeZone, now);
  const [stations, visits, people] = await ctx.tenant(
    async (tx) =>
      [
        await repository.listStations(tx, orgId),
        await repository.todayOfStations(tx, orgId, today.from, today.to),
        await repository.peopleOfStations(tx, orgId, today.from, today.to),
      ] as const,
  );
  const visitsOf = new Map(visits.map((row) => [row.stationId, row]));
  const peopleOf = new Map(people.map((row) => [row.stationId, row]));
  return stations.map((station) => ({
    id: station.id,
    name: station.name,
    township: station.township,
    openNow: isOpenAt(station, timeZone, now),
    peopleOnSite: peopleOf.get(station.id)?.onSite ?? 0,
    peopleStationed: peopleOf.get(station.id)?.stationed ?? 0,
    visitsToday: visitsOf.get(station.id)?.visits ?? 0,
    latestService: visitsOf.get(station.id)?.latestCategory ?? null,
    latestServiceAt: visitsOf.get(station.id)?.latestAt ?? null,
  }));
}

/**
 * Today's spot checks. A wall screen (display token) sees every one; a
 * member signed in sees those row-level security shows them (their own, or
 * all for an admin).
 */
export async function boardSpotChecks(ctx: RequestContext): Promise<BoardSpotCheck[]> {
  const orgId = await requireBoardViewer(ctx);
  const { timeZone } = requireOrganization(ctx);
  const today = todayPeriod(timeZone, ctx.clock.now());
  const rows = await ctx.tenant((tx) => repository.spotChecksSince(tx, orgId, today.from, SPOT_CHECKS_SHOWN));
  return rows.map(({ spotCheck, displayName, stationName }) => ({
    maskedName: maskName(displayName),
    stationName,
    status: spotCheck.status,
    sentAt: spotCheck.sentAt,
    answerSeconds: answerSeconds(spotCheck),
    atStation: spotCheck.atStation,
  }));
}
