import type { DomainModule } from '../../shared/domain-module.ts';
import { registerCheckOutHours } from '../activities/check-out-hours.ts';
import { minutesFromCheckInOut, recordCheckOutHours, withdrawCheckOutRecord } from './records.ts';
import { certificateLoaders } from './certificates-loaders.ts';
import { certificateResolvers } from './certificates-resolvers.ts';
import { loaders } from './loaders.ts';
import { reportResolvers } from './reports-resolvers.ts';
import { resolvers } from './resolvers.ts';

/** Service records, approval and totals; certificates and reports beside them, each with its own SDL file. */
registerCheckOutHours({
  minutesOf: (organization, activity, checkedInAt, checkedOutAt) =>
    minutesFromCheckInOut(organization, activity, checkedInAt, checkedOutAt).minutes,
  record: recordCheckOutHours,
  withdraw: withdrawCheckOutRecord,
});

export const domain: DomainModule = {
  name: 'hours',
  resolvers: {
    ...resolvers,
    Query: { ...resolvers.Query, ...certificateResolvers.Query, ...reportResolvers.Query },
    Mutation: { ...resolvers.Mutation, ...certificateResolvers.Mutation },
    Certificate: certificateResolvers.Certificate,
    CertificateSeal: certificateResolvers.CertificateSeal,
  },
  loaders: { ...loaders, ...certificateLoaders },
};
