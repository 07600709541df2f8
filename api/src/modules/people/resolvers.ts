import type { Member } from '@qicai/db';
import type { MemberResolvers, Resolvers } from '../../__generated__/resolvers.ts';
import type { RequestContext } from '../../shared/context.ts';
import { isActiveMember } from '../../shared/access.ts';
import * as people from './service.ts';

/** A member's details beyond name and teams: for the member themself and their organization's members. */
async function canSeeMemberDetails(ctx: RequestContext, member: Member): Promise<boolean> {
  if (ctx.account && member.accountId === ctx.account.id) return true;
  return ctx.organization?.id === member.orgId && (await isActiveMember(ctx));
}

function memberDetail<Value>(read: (member: Member) => Value) {
  return async (member: Member, _args: unknown, ctx: RequestContext): Promise<Value | null> =>
    (await canSeeMemberDetails(ctx, member)) ? read(member) : null;
}

const Member: MemberResolvers = {
  category: memberDetail((member) => member.category),
  workUnit: memberDetail((member) => member.workUnit),
  role: memberDetail((member) => member.role),
  active: memberDetail((member) => member.active),
  joinedOn: memberDetail((member) => member.joinedOn),
};

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
  Member,
};
