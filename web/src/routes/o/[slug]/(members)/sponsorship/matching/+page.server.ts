import { BatchSuggestionDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { lifecycleActions } from '$lib/server/sponsorship';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const { batchSuggestion, openProposals } = await locals.api.request(BatchSuggestionDocument, {}, params.slug);
    return { batch: batchSuggestion, proposals: openProposals };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = lifecycleActions satisfies Actions;
