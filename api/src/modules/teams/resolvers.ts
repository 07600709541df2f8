import type { Resolvers } from '../../__generated__/resolvers.ts';
import { isAdmin } from '../../shared/access.ts';
import * as teams from './service.ts';

export const resolvers: Resolvers = {
  Query: {
    team: (_root, { id }, ctx) => teams.getTeam(ctx, id),
  },
  Mutation: {
    updateTeam: (_root, { input }, ctx) => teams.updateTeam(ctx, input),
  },
  Team: {
    name: (team) => ({ zh: team.nameZh, en: team.nameEn }),
    mission: (team) => ({ zh: team.missionZh, en: team.missionEn }),
    viewerCanEdit: async (team, _args, ctx) => ctx.organization?.id === team.orgId && isAdmin(await ctx.viewerMember()),
  },
};
