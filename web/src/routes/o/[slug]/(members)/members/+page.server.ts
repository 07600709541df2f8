import { fail } from '@sveltejs/kit';
import { BulkUpdateMembersDocument, RosterDocument } from '$lib/graphql/__generated__/operations';
import type { BulkMemberAction, MemberRole } from '$lib/graphql/__generated__/operations';
import { ADMIN_SORTS, rosterArguments, rosterViewFrom } from '$lib/roster';
import { ApiError, failLoad } from '$lib/server/api';
import { formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url, parent }) => {
  const { organization } = await parent();
  const isAdmin = organization.viewerIsAdmin;
  const view = rosterViewFrom(url.searchParams);
  // Other members search names and see active members (the API refuses them the rest).
  const allowed = isAdmin
    ? view
    : {
        ...view,
        politicalStatus: '' as const,
        partyStage: '' as const,
        status: 'ACTIVE' as const,
        sort: ADMIN_SORTS.includes(view.sort) ? ('NAME' as const) : view.sort,
      };
  try {
    const { organization: roster } = await locals.api.request(
      RosterDocument,
      { first: allowed.size, after: url.searchParams.get('after'), isAdmin, ...rosterArguments(allowed) },
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

/** The bulk bar's choices: an action of the API, with the role it sets. */
const BULK_CHOICES: Record<string, { action: BulkMemberAction; role?: MemberRole; byTeam?: true }> = {
  ADD_TO_TEAM: { action: 'ADD_TO_TEAM', byTeam: true },
  REMOVE_FROM_TEAM: { action: 'REMOVE_FROM_TEAM', byTeam: true },
  SET_ADMIN: { action: 'SET_ROLE', role: 'ADMIN' },
  SET_MEMBER: { action: 'SET_ROLE', role: 'MEMBER' },
  DEACTIVATE: { action: 'DEACTIVATE' },
  REACTIVATE: { action: 'REACTIVATE' },
};

export const actions = {
  /** One change to the members ticked in the table (the API checks the viewer is an admin, and the last-admin rule). */
  bulk: async ({ request, locals, params }) => {
    const form = await request.formData();
    const memberIds = form.getAll('member').filter((value) => typeof value === 'string');
    const choice = BULK_CHOICES[formText(form, 'bulkAction')];
    const teamId = formText(form, 'bulkTeam');
    const kept = { bulkAction: formText(form, 'bulkAction'), bulkTeam: teamId, selected: memberIds };
    if (memberIds.length === 0) return fail(400, { ...kept, bulkError: 'NONE_SELECTED' });
    if (!choice) return fail(400, { ...kept, bulkError: 'INTERNAL' });
    if (choice.byTeam && !teamId) return fail(400, { ...kept, bulkError: 'TEAM_REQUIRED' });
    try {
      const { bulkUpdateMembers } = await locals.api.request(
        BulkUpdateMembersDocument,
        {
          input: {
            memberIds,
            action: choice.action,
            teamId: choice.byTeam ? teamId : null,
            role: choice.role ?? null,
          },
        },
        params.slug,
      );
      return { bulkDone: bulkUpdateMembers.changedCount };
    } catch (cause) {
      if (cause instanceof ApiError) {
        const field = Object.values(cause.fields)[0];
        return fail(cause.code === 'FORBIDDEN' ? 403 : 400, { ...kept, bulkError: field ?? cause.code });
      }
      throw cause;
    }
  },
} satisfies Actions;
