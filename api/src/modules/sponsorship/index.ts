import type { DomainModule } from '../../shared/domain-module.ts';
import { loaders } from './loaders.ts';
import { resolvers } from './resolvers.ts';

export const domain: DomainModule = { name: 'sponsorship', resolvers, loaders };
