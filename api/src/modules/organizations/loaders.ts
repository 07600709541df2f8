import type { Member, Organization, Team } from '@qicai/db';
import { requireNamedOrganization } from '../../shared/access.ts';
import { groupInOrder, type Loader } from '../../shared/loaders.ts';
import { teamsOfOrganization } from '../teams/service.ts';
import * as repository from './repository.ts';

const teams: Loader<Organization, Team[]> = async (queries, ctx) => {
  requireNamedOrganization(
    ctx,
    queries.map(({ obj }) => obj.id),
  );
  const rows = await teamsOfOrganization(ctx);
  return queries.map(() => rows);
};

const memberCount: Loader<Organization, number> = async (queries, ctx) => {
  const orgId = requireNamedOrganization(
    ctx,
    queries.map(({ obj }) => obj.id),
  );
  const counts = await ctx.tenant((tx) => repository.countActiveMembers(tx, [orgId]));
  return queries.map(() => counts.get(orgId) ?? 0);
};

const membershipOrganization: Loader<Member, Organization> = async (queries, ctx) => {
  const orgIds = queries.map(({ obj }) => obj.orgId);
  const rows = await repository.findOrganizationsByIds(ctx.db, [...new Set(orgIds)]);
  return groupInOrder(orgIds, rows, (row) => row.id).map(([organization]) => {
    if (!organization) throw new Error('membership without organization');
    return organization;
  });
};

export const loaders = {
  Organization: { teams, memberCount },
  Membership: { organization: membershipOrganization },
};
