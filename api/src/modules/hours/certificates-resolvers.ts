import type { Resolvers } from '../../__generated__/resolvers.ts';
import * as certificates from './certificates.ts';

export const certificateResolvers: Resolvers = {
  Query: {
    myCertificates: (_root, _args, ctx) => certificates.myCertificates(ctx),
    certificateFile: (_root, { number }, ctx) => certificates.certificateFile(ctx, number),
    verifyCertificate: (_root, { number }, ctx) => certificates.verifyCertificate(ctx, number),
  },
  Mutation: {
    issueCertificate: (_root, { input }, ctx) => certificates.issueCertificate(ctx, input),
  },
  Certificate: {
    activityCount: (certificate) => certificate.snapshot.activities.length,
    verificationUrl: (certificate, _args, ctx) => certificates.verificationUrl(ctx, certificate.number),
  },
};
