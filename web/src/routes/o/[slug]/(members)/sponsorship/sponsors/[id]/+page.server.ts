import {
  InviteSponsorAccountDocument,
  SponsorPageDocument,
  UnlinkSponsorAccountDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm } from '$lib/server/forms';
import { lifecycleActions } from '$lib/server/sponsorship';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const { sponsor, childSuggestions } = await locals.api.request(SponsorPageDocument, { id: params.id }, params.slug);
    return { sponsor, suggestions: childSuggestions };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  propose: lifecycleActions.propose,
  /** The code comes back in this answer only: it is not stored, so it cannot be shown again. */
  invite: async ({ locals, params }) => {
    try {
      const { inviteSponsorAccount } = await locals.api.request(
        InviteSponsorAccountDocument,
        { sponsorId: params.id },
        params.slug,
      );
      return { invitation: inviteSponsorAccount };
    } catch (cause) {
      return failForm(cause, {});
    }
  },
  unlink: async ({ locals, params }) => {
    try {
      await locals.api.request(UnlinkSponsorAccountDocument, { sponsorId: params.id }, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    return { unlinked: true };
  },
} satisfies Actions;
