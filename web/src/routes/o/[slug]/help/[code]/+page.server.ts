import { RequestStatusDocument } from '$lib/graphql/__generated__/operations';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  const { requestStatus } = await locals.api.request(RequestStatusDocument, { code: params.code }, params.slug);
  return { request: requestStatus, code: params.code, isNew: url.searchParams.get('new') === '1' };
}) satisfies PageServerLoad;
