import { OrganizationHomeDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const { organization } = await locals.api.request(OrganizationHomeDocument, {}, params.slug);
    return { teams: organization?.teams ?? [], memberCount: organization?.memberCount ?? 0 };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
