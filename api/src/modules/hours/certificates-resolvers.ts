import type { Resolvers } from '../../__generated__/resolvers.ts';
import * as certificates from './certificates.ts';
import * as seal from './seal.ts';

export const certificateResolvers: Resolvers = {
  Query: {
    myCertificates: (_root, _args, ctx) => certificates.myCertificates(ctx),
    certificateFile: (_root, { number }, ctx) => certificates.certificateFile(ctx, number),
    verifyCertificate: (_root, { number }, ctx) => certificates.verifyCertificate(ctx, number),
    certificateSeal: (_root, _args, ctx) => seal.currentSeal(ctx),
  },
  Mutation: {
    issueCertificate: (_root, { input }, ctx) => certificates.issueCertificate(ctx, input),
    setCertificateSeal: (_root, { input }, ctx) => seal.setSeal(ctx, input),
    removeCertificateSeal: (_root, _args, ctx) => seal.removeSeal(ctx),
  },
  CertificateSeal: {
    pngBase64: (row) => row.png.toString('base64'),
  },
  Certificate: {
    activityCount: (certificate) => certificate.snapshot.activities.length,
    verificationUrl: (certificate, _args, ctx) => certificates.verificationUrl(ctx, certificate.number),
  },
};
