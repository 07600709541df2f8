import type { MercuriusContext } from 'mercurius';
import type { Resolvers } from '../../__generated__/resolvers.ts';
import { isAdmin, requireOrganization } from '../../shared/access.ts';
import { maskName } from '../dashboard/mask.ts';
import { boardSpotChecks, boardStations } from './board.ts';
import { importStations } from './import.ts';
import * as stations from './service.ts';
import * as spotChecks from './spot-checks.ts';
import { stationReport, stationReportFile } from './reports.ts';

export const resolvers: Resolvers = {
  Query: {
    stations: (_root, _args, ctx) => stations.listStations(ctx),
    station: (_root, { id }, ctx) => stations.getStation(ctx, id),
    spotCheck: (_root, { id }, ctx) => spotChecks.getSpotCheck(ctx, id),
    mySpotChecks: (_root, { first }, ctx) => spotChecks.mySpotChecks(ctx, first),
    sentSpotChecks: (_root, { first }, ctx) => spotChecks.sentSpotChecks(ctx, first),
    spotChecksOf: (_root, { memberId, first, offset }, ctx) => spotChecks.spotChecksOf(ctx, memberId, first, offset),
    spotCheckSummaryOf: (_root, { memberId }, ctx) => spotChecks.spotCheckSummaryOf(ctx, memberId),
    stationReport: (_root, { input }, ctx) => stationReport(ctx, input),
    stationReportFile: (_root, { input, locale }, ctx) => stationReportFile(ctx, input, locale ?? 'zh'),
    stationBoard: async (_root, _args, ctx) => ({
      stations: await boardStations(ctx),
      spotChecks: await boardSpotChecks(ctx),
    }),
  },
  Mutation: {
    createStation: (_root, { input }, ctx) => stations.createStation(ctx, input),
    updateStation: (_root, { id, input }, ctx) => stations.updateStation(ctx, id, input),
    setStationMembers: (_root, { input }, ctx) => stations.setStationMembers(ctx, input),
    recordStationVisit: (_root, { input }, ctx) => stations.recordVisit(ctx, input),
    placeActivityAtStation: (_root, { activityId, stationId }, ctx) =>
      stations.placeActivityAtStation(ctx, activityId, stationId),
    setRequestStation: (_root, { requestId, stationId }, ctx) => stations.setRequestStation(ctx, requestId, stationId),
    sendSpotCheck: (_root, { input }, ctx) => spotChecks.sendSpotCheck(ctx, input),
    answerSpotCheck: (_root, { input }, ctx) => spotChecks.answerSpotCheck(ctx, input),
    importStations: (_root, { fileName, contentBase64, dryRun }, ctx) =>
      importStations(ctx, fileName, contentBase64, { dryRun }),
  },
  Subscription: {
    spotCheckChanged: {
      subscribe: (_root, _args, ctx) => spotChecks.subscribeToSpotChecks(ctx),
      resolve: (event: spotChecks.SpotCheckEvent, _args: unknown, ctx: MercuriusContext) =>
        spotChecks.spotCheckOfEvent(ctx, event),
    },
  },
  Station: {
    openNow: (station, _args, ctx) => stations.isOpenAt(station, requireOrganization(ctx).timeZone, ctx.clock.now()),
    viewerCanRecord: (station, _args, ctx) => stations.viewerCanRecord(ctx, station),
    viewerCanEdit: async (_station, _args, ctx) => isAdmin(await ctx.viewerMember()),
    viewerCanSendSpotChecks: async (station, _args, ctx) => {
      const viewer = await ctx.viewerMember();
      return isAdmin(viewer) || (viewer?.active === true && station.leadMemberId === viewer.id);
    },
  },
  StationVisit: {
    visitorName: async (visit, _args, ctx) =>
      isAdmin(await ctx.viewerMember()) ? visit.visitorName : maskName(visit.visitorName),
  },
  SpotCheck: {
    answerSeconds: (spotCheck) => spotChecks.answerSeconds(spotCheck),
    late: (spotCheck) => spotChecks.isLate(spotCheck),
    position: async (spotCheck, _args, ctx) => {
      if (spotCheck.latitude === null || spotCheck.longitude === null) return null;
      if (!spotChecks.canSeePosition(await ctx.viewerMember(), spotCheck)) return null;
      return { latitude: spotCheck.latitude, longitude: spotCheck.longitude, accuracyMetres: spotCheck.accuracyMetres };
    },
    distanceMetres: async (spotCheck, _args, ctx) =>
      spotChecks.canSeePosition(await ctx.viewerMember(), spotCheck) ? spotCheck.distanceMetres : null,
    positionErased: (spotCheck) => spotCheck.positionErasedAt !== null,
  },
};
