import { SponsorshipOverviewDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { lifecycleActions } from '$lib/server/sponsorship';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const { organization, openProposals } = await locals.api.request(SponsorshipOverviewDocument, {}, params.slug);
    return { counts: organization?.sponsorshipCounts ?? null, proposals: openProposals };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  confirm: lifecycleActions.confirm,
  lapse: lifecycleActions.lapse,
} satisfies Actions;
