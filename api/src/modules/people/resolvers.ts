import type { Resolvers } from '../../__generated__/resolvers.ts';
import * as people from './service.ts';

export const resolvers: Resolvers = {
  Query: {
    viewer: (_root, _args, ctx) => (ctx.account ? { account: ctx.account } : null),
  },
  Mutation: {
    register: (_root, { input }, ctx) => people.register(ctx, input),
    signIn: (_root, { input }, ctx) => people.signIn(ctx, input),
    signOut: (_root, _args, ctx) => people.signOut(ctx),
  },
  Viewer: {
    memberships: (viewer, _args, ctx) => people.viewerMemberships(ctx, viewer.account),
  },
  Membership: {
    member: (membership) => membership,
  },
};
