import type { DomainModule } from '../../shared/domain-module.ts';
import { loaders } from './loaders.ts';
import { resolvers } from './resolvers.ts';

/** The whole-association export: every table of the association, in one archive. */
export const domain: DomainModule = { name: 'exports', resolvers, loaders };
