import type { DomainModule } from '../../shared/domain-module.ts';
import { loaders } from './loaders.ts';
import { resolvers } from './resolvers.ts';
import { teamMembershipLoaders } from './team-memberships-loaders.ts';

/** The roster and its team memberships (team-memberships.graphql extends Team with its members and leads). */
export const domain: DomainModule = {
  name: 'members',
  resolvers,
  loaders: {
    ...loaders,
    ...teamMembershipLoaders,
    Member: { ...loaders.Member, ...teamMembershipLoaders.Member },
  },
};
