import type { Resolvers } from '../../__generated__/resolvers.ts';
import * as recovery from './recovery.ts';
import * as people from './service.ts';

export const resolvers: Resolvers = {
  Query: {
    viewer: (_root, _args, ctx) => (ctx.account ? { account: ctx.account } : null),
  },
  Mutation: {
    startRegistration: (_root, { input }, ctx) => people.startRegistration(ctx, input),
    confirmRegistration: (_root, { input }, ctx) => people.confirmRegistration(ctx, input),
    requestPasswordReset: (_root, { login }, ctx) => recovery.requestPasswordReset(ctx, login),
    resetPassword: (_root, { input }, ctx) => recovery.resetPassword(ctx, input),
    changePassword: (_root, { input }, ctx) => recovery.changePassword(ctx, input),
    requestEmailChange: (_root, { input }, ctx) => recovery.requestEmailChange(ctx, input),
    confirmEmailChange: (_root, { input }, ctx) => recovery.confirmEmailChange(ctx, input),
    requestPhoneVerification: (_root, { phone }, ctx) => recovery.requestPhoneVerification(ctx, phone),
    confirmPhone: (_root, { input }, ctx) => recovery.confirmPhone(ctx, input),
    signOutEverywhere: (_root, { includingThisSession }, ctx) => recovery.signOutEverywhere(ctx, includingThisSession),
    signIn: (_root, { input }, ctx) => people.signIn(ctx, input),
    signOut: (_root, _args, ctx) => people.signOut(ctx),
  },
  Viewer: {
    sessions: (viewer, _args, ctx) => recovery.listSessions(ctx, viewer.account),
  },
  Account: {
    phoneVerified: (account) => account.phone !== null && account.phoneVerifiedAt !== null,
    emailVerified: (account) => account.email !== null && account.emailVerifiedAt !== null,
  },
};
