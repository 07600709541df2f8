import type { Invitation, Member } from '@qicai/db';
import { requireOrganization } from '../../shared/access.ts';
import { groupInOrder, type Loader } from '../../shared/loaders.ts';

import type { JoinRequestParent } from './mappers.ts';
import { canSeePersonal } from './privacy.ts';
import { findMembersByIds } from './repository.ts';

/**
 * The member a parent names (null where it names none), for the loaders of
 * every module: one statement per batch, results in input order.
 */
export function memberById<Parent>(idOf: (parent: Parent) => string | null): Loader<Parent, Member | null> {
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

/** The same for a parent that always names a member (a record's, a sign-up's). */
export function requiredMemberById<Parent>(idOf: (parent: Parent) => string): Loader<Parent, Member> {
  const load = memberById(idOf);
  return async (queries, ctx) =>
    (await load(queries, ctx)).map((member) => {
      if (!member) throw new Error('a parent without its member');
      return member;
    });
}

/**
 * A personal figure of each member (privacy.ts: null for viewers who may not
 * see personal fields), read in one statement for those who may.
 */
export function personalFigure<Value>(
  read: (ctx: Parameters<Loader<Member, Value>>[1], orgId: string, ids: string[]) => Promise<Map<string, Value>>,
  none: Value,
): Loader<Member, Value | null> {
  return async (queries, ctx) => {
    const orgId = requireOrganization(ctx).id;
    const allowed = await Promise.all(queries.map(({ obj }) => canSeePersonal(ctx, obj)));
    const ids = [...new Set(queries.filter((_query, index) => allowed[index]).map(({ obj }) => obj.id))];
    const found = ids.length > 0 ? await read(ctx, orgId, ids) : new Map<string, Value>();
    return queries.map(({ obj }, index) => (allowed[index] ? (found.get(obj.id) ?? none) : null));
  };
}

export const loaders = {
  Member: {},
  Invitation: { member: memberById<Invitation>((invitation) => invitation.memberId) },
  JoinRequest: { member: memberById<JoinRequestParent>((request) => request.memberId) },
};
