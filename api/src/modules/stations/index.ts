import type { DomainModule } from '../index.ts';
import { loaders } from './loaders.ts';
import { resolvers } from './resolvers.ts';

export const domain: DomainModule = { name: 'stations', resolvers, loaders };
