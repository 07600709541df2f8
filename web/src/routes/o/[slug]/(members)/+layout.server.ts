import { error, redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

/** The members' area: signed in, and a member of this organization. */
export const load = (async ({ parent, url }) => {
  const { viewer, organization } = await parent();
  if (!viewer) redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
  const member = organization.viewerMember;
  if (!member) error(403, { message: 'Not a member of this organization', code: 'NOT_MEMBER' });
  return { member };
}) satisfies LayoutServerLoad;
