/** What each domain module (api/src/modules/<domain>/index.ts) gives the GraphQL schema. */
import type { Resolvers } from '../__generated__/resolvers.ts';

export interface DomainModule {
  name: string;
  resolvers: Resolvers;
  loaders?: Record<string, Record<string, unknown>>;
}
