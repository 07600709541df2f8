import type { DomainModule } from '../index.ts';
import { certificateLoaders } from './certificates-loaders.ts';
import { certificateResolvers } from './certificates-resolvers.ts';
import { reportResolvers } from './reports-resolvers.ts';

/** Certificates and reports; the service records, approval and totals merge in beside them. */
export const domain: DomainModule = {
  name: 'hours',
  resolvers: {
    Query: { ...certificateResolvers.Query, ...reportResolvers.Query },
    Mutation: { ...certificateResolvers.Mutation },
    Certificate: certificateResolvers.Certificate,
  },
  loaders: certificateLoaders,
};
