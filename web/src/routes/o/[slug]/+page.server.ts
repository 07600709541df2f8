import { OrganizationTeamsDocument } from '$lib/graphql/__generated__/operations';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
  const { organization } = await locals.api.request(OrganizationTeamsDocument, {}, params.slug);
  return { teams: organization?.teams ?? [] };
}) satisfies PageServerLoad;
