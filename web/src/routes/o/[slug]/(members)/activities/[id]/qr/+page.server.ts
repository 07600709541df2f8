import { ActivityCheckInCodeDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const { activity } = await locals.api.request(ActivityCheckInCodeDocument, { id: params.id }, params.slug);
    return { activity };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
