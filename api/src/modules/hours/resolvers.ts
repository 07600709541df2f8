import type { Resolvers } from '../../__generated__/resolvers.ts';
import { localTimeOf } from '../activities/service.ts';
import * as hours from './service.ts';

export const resolvers: Resolvers = {
  Query: {
    myServiceRecords: (_root, { first }, ctx) => hours.myServiceRecords(ctx, first),
    reportableActivities: (_root, _args, ctx) => hours.reportableActivities(ctx),
    memberHours: (_root, { memberId }, ctx) => hours.memberHours(ctx, memberId),
    serviceRecord: (_root, { id }, ctx) => hours.getServiceRecord(ctx, id),
    serviceRecordQueue: (_root, { teamId }, ctx) => hours.approvalQueue(ctx, teamId),
    pendingServiceCorrections: (_root, _args, ctx) => hours.pendingCorrections(ctx),
    missingCheckOuts: (_root, _args, ctx) => hours.missingCheckOuts(ctx),
    hoursLeaderboard: (_root, args, ctx) => hours.hoursLeaderboard(ctx, args),
    organizationHours: (_root, _args, ctx) => hours.organizationHours(ctx),
    teamHours: (_root, args, ctx) => hours.teamHours(ctx, args),
  },
  Mutation: {
    reportServiceHours: (_root, { input }, ctx) => hours.reportServiceHours(ctx, input),
    enterServiceHours: (_root, { memberId, input }, ctx) => hours.enterServiceHours(ctx, memberId, input),
    updateServiceRecord: (_root, { id, input }, ctx) => hours.updateServiceRecord(ctx, id, input),
    approveServiceRecords: (_root, { ids }, ctx) => hours.approveServiceRecords(ctx, ids),
    declineServiceRecords: (_root, { ids, reason }, ctx) => hours.declineServiceRecords(ctx, ids, reason),
    requestServiceCorrection: (_root, { recordId, input }, ctx) => hours.requestServiceCorrection(ctx, recordId, input),
    acceptServiceCorrection: (_root, { id }, ctx) => hours.acceptServiceCorrection(ctx, id),
    refuseServiceCorrection: (_root, { id, reason }, ctx) => hours.refuseServiceCorrection(ctx, id, reason),
    updateHoursSettings: (_root, { input }, ctx) => hours.updateHoursSettings(ctx, input),
  },
  Organization: {
    hoursSettings: (organization) => hours.hoursSettings(organization),
  },
  HoursSettings: {
    officialHolidays: (_settings, { year }, ctx) => hours.officialHolidays(ctx, year),
    officialCalendarYears: () => hours.officialCalendarYears(),
  },
  // The row is the sign-up itself (codegen's mapper): the default resolver would look for a `signUp` key.
  MissingCheckOut: {
    signUp: (signUp) => signUp,
  },
  ServiceRecord: {
    startsAtLocal: (record, _args, ctx) => localTimeOf(ctx, record.startsAt),
    endsAtLocal: (record, _args, ctx) => localTimeOf(ctx, record.endsAt),
  },
  ServiceRecordValues: {
    startsAt: (values) => new Date(values.startsAt),
    endsAt: (values) => new Date(values.endsAt),
  },
};
