import type { DomainModule } from '../../shared/domain-module.ts';
import { resolvers } from './resolvers.ts';

export const domain: DomainModule = { name: 'teams', resolvers };
