import type { Resolvers } from '../../__generated__/resolvers.ts';
import { localTimeOf } from '../activities/service.ts';
import { officialCalendarYears } from '../../kernel/working-days.ts';
import * as approvals from './approvals.ts';
import * as records from './records.ts';
import * as settings from './settings.ts';
import * as totals from './totals.ts';

export const resolvers: Resolvers = {
  Query: {
    myServiceRecords: (_root, { first }, ctx) => records.myServiceRecords(ctx, first),
    reportableActivities: (_root, _args, ctx) => records.reportableActivities(ctx),
    memberHours: (_root, { memberId }, ctx) => totals.memberHours(ctx, memberId),
    serviceRecord: (_root, { id }, ctx) => records.getServiceRecord(ctx, id),
    serviceRecordQueue: (_root, { teamId }, ctx) => records.approvalQueue(ctx, teamId),
    pendingServiceCorrections: (_root, _args, ctx) => records.pendingCorrections(ctx),
    missingCheckOuts: (_root, _args, ctx) => records.missingCheckOuts(ctx),
    hoursLeaderboard: (_root, args, ctx) => totals.hoursLeaderboard(ctx, args),
    organizationHours: (_root, _args, ctx) => totals.organizationHours(ctx),
    teamHours: (_root, args, ctx) => totals.teamHours(ctx, args),
  },
  Mutation: {
    reportServiceHours: (_root, { input }, ctx) => records.reportServiceHours(ctx, input),
    enterServiceHours: (_root, { memberId, input }, ctx) => records.enterServiceHours(ctx, memberId, input),
    updateServiceRecord: (_root, { id, input }, ctx) => records.updateServiceRecord(ctx, id, input),
    approveServiceRecords: (_root, { ids }, ctx) => approvals.approveServiceRecords(ctx, ids),
    declineServiceRecords: (_root, { ids, reason }, ctx) => approvals.declineServiceRecords(ctx, ids, reason),
    requestServiceCorrection: (_root, { recordId, input }, ctx) =>
      approvals.requestServiceCorrection(ctx, recordId, input),
    acceptServiceCorrection: (_root, { id }, ctx) => approvals.acceptServiceCorrection(ctx, id),
    refuseServiceCorrection: (_root, { id, reason }, ctx) => approvals.refuseServiceCorrection(ctx, id, reason),
    updateHoursSettings: (_root, { input }, ctx) => settings.updateHoursSettings(ctx, input),
  },
  Organization: {
    hoursSettings: (organization) => settings.hoursSettings(organization),
  },
  HoursSettings: {
    officialHolidays: (_settings, { year }, ctx) => settings.officialHolidays(ctx, year),
    officialCalendarYears: () => officialCalendarYears(),
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
