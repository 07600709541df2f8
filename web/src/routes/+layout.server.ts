import { ViewerDocument } from '$lib/graphql/__generated__/operations';
import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals }) => {
  const { viewer } = await locals.api.request(ViewerDocument, {});
  return { viewer, locale: locals.locale };
}) satisfies LayoutServerLoad;
