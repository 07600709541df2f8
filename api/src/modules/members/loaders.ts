import type { Invitation, Member } from '@qicai/db';
import { requireOrganization } from '../../shared/access.ts';
import { groupInOrder, type Loader } from '../../shared/loaders.ts';
import { findMembersByIds } from '../people/repository.ts';
import type { JoinRequestParent } from './mappers.ts';

/** Members by id, for any parent that names one; one statement per batch, results in input order. */
function memberById<Parent>(idOf: (parent: Parent) => string | null): Loader<Parent, Member | null> {
  return async (queries, ctx) => {
    const orgId = requireOrganization(ctx).id;
    const ids = queries.map(({ obj }) => idOf(obj));
    const wanted = [...new Set(ids.filter((id) => id !== null))];
    const rows = wanted.length > 0 ? await ctx.tenant((tx) => findMembersByIds(tx, orgId, wanted)) : [];
    const found = groupInOrder(
      ids.map((id) => id ?? ''),
      rows,
      (row) => row.id,
    );
    return found.map(([member]) => member ?? null);
  };
}

export const loaders = {
  Invitation: { member: memberById<Invitation>((invitation) => invitation.memberId) },
  JoinRequest: { member: memberById<JoinRequestParent>((request) => request.memberId) },
};
