import type { DomainModule } from '../index.ts';
import { resolvers } from './resolvers.ts';

export const domain: DomainModule = { name: 'dashboard', resolvers };
