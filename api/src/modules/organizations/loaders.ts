import type { Member, Organization, Team } from '@qicai/db';
import { requireNamedOrganization } from '../../shared/access.ts';
import { groupInOrder, type Loader } from '../../shared/loaders.ts';
import type { InvitationPreviewParent } from '../members/mappers.ts';
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

/** A field of the organization a parent belongs to, whichever the request names (a membership, an invitation). */
function organizationOf<Parent, Value>(
  orgIdOf: (parent: Parent) => string,
  valueOf: (organization: Organization) => Value,
): Loader<Parent, Value> {
  return async (queries, ctx) => {
    const orgIds = queries.map(({ obj }) => orgIdOf(obj));
    const rows = await repository.findOrganizationsByIds(ctx.db, [...new Set(orgIds)]);
    return groupInOrder(orgIds, rows, (row) => row.id).map(([organization]) => {
      if (!organization) throw new Error('parent without organization');
      return valueOf(organization);
    });
  };
}

export const loaders = {
  Organization: { teams, memberCount },
  Membership: {
    organization: organizationOf<Member, Organization>(
      (member) => member.orgId,
      (row) => row,
    ),
  },
  InvitationPreview: {
    organizationName: organizationOf<InvitationPreviewParent, string>(
      ({ invitation }) => invitation.orgId,
      (row) => row.name,
    ),
    organizationSlug: organizationOf<InvitationPreviewParent, string>(
      ({ invitation }) => invitation.orgId,
      (row) => row.slug,
    ),
  },
};
