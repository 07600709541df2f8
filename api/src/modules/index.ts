/**
 * The domain modules the GraphQL API is made of: each brings its SDL,
 * resolvers and loaders.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DomainModule } from '../shared/domain-module.ts';
import * as activities from './activities/index.ts';
import * as audit from './audit/index.ts';
import * as calendars from './calendars/index.ts';
import * as dashboard from './dashboard/index.ts';
import * as exportsModule from './exports/index.ts';
import * as hours from './hours/index.ts';
import * as members from './members/index.ts';
import * as notifications from './notifications/index.ts';
import * as organizations from './organizations/index.ts';
import * as people from './people/index.ts';
import * as requests from './requests/index.ts';
import * as shared from './shared/index.ts';
import * as sponsorship from './sponsorship/index.ts';
import * as stations from './stations/index.ts';
import * as teams from './teams/index.ts';

/** In the module map's order (.dependency-cruiser.cjs), from the bottom. */
export const modules: DomainModule[] = [
  shared,
  notifications,
  people,
  teams,
  members,
  organizations,
  activities,
  hours,
  sponsorship,
  requests,
  calendars,
  dashboard,
  stations,
  audit,
  exportsModule,
].map((module) => module.domain);

const modulesDir = fileURLToPath(new URL('.', import.meta.url));

/** The SDL of every module, shared first (it declares Query and Mutation; the others extend them). */
export function loadTypeDefs(): string {
  return modules
    .map((module) => {
      const dir = join(modulesDir, module.name);
      return readdirSync(dir)
        .filter((file) => file.endsWith('.graphql'))
        .map((file) => readFileSync(join(dir, file), 'utf8'))
        .join('\n');
    })
    .join('\n');
}
