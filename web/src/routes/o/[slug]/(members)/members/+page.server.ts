import { RosterDocument } from '$lib/graphql/__generated__/operations';
import { rosterArguments, rosterViewFrom } from '$lib/roster';
import { failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load = (async ({ locals, params, url, parent }) => {
  const { organization } = await parent();
  const isAdmin = organization.viewerIsAdmin;
  const view = rosterViewFrom(url.searchParams);
  // Other members search names and see active members (the API refuses them the rest).
  const allowed = isAdmin
    ? view
    : { ...view, politicalStatus: '' as const, partyStage: '' as const, status: 'ACTIVE' as const };
  try {
    const { organization: roster } = await locals.api.request(
      RosterDocument,
      { first: PAGE_SIZE, after: url.searchParams.get('after'), isAdmin, ...rosterArguments(allowed) },
      params.slug,
    );
    if (!roster) throw new Error('organization vanished');
    return {
      view: allowed,
      teams: roster.teams,
      members: roster.members,
      pendingJoinRequests: roster.pendingJoinRequestCount ?? 0,
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
