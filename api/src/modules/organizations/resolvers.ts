import { wallTimeAt } from '../../kernel/time.ts';
import type { Resolvers } from '../../__generated__/resolvers.ts';
import { isAdmin } from '../../shared/access.ts';
import { getTeamByColour } from '../teams/service.ts';
import { onboardingOf } from './onboarding.ts';
import * as organizations from './service.ts';

export const resolvers: Resolvers = {
  Query: {
    organization: (_root, _args, ctx) => ctx.organization,
  },
  Mutation: {
    createOrganization: (_root, { input }, ctx) => organizations.createOrganization(ctx, input),
  },
  Organization: {
    currentYear: (organization, _args, ctx) => wallTimeAt(ctx.clock.now(), organization.timeZone).year,
    team: (organization, { colour }, ctx) => getTeamByColour(ctx, organization.id, colour),
    viewerMember: async (organization, _args, ctx) =>
      ctx.organization?.id === organization.id ? await ctx.viewerMember() : null,
    viewerIsAdmin: async (organization, _args, ctx) =>
      ctx.organization?.id === organization.id && isAdmin(await ctx.viewerMember()),
    onboarding: (organization, _args, ctx) => onboardingOf(ctx, organization.id),
  },
};
