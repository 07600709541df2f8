import type { Resolvers } from '../../__generated__/resolvers.ts';
import * as reports from './reports.ts';

export const reportResolvers: Resolvers = {
  Query: {
    hoursReport: (_root, { input }, ctx) => reports.hoursReport(ctx, input),
    beneficiariesReport: (_root, { input }, ctx) => reports.beneficiariesReport(ctx, input),
    hoursReportFile: (_root, { input, format, locale }, ctx) =>
      reports.hoursReportFile(ctx, input, format, locale ?? 'zh'),
  },
};
