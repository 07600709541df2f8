import { ViewerDocument } from '$lib/graphql/__generated__/operations';
import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals }) => {
  const { viewer } = await locals.api.request(ViewerDocument, {});
  // The language chosen with the switch, else the signed-in account's, else the browser's
  // (an association's pages put the association's before the browser's: o/[slug]/+layout.server.ts).
  locals.accountLocale = viewer?.account.locale ?? null;
  locals.locale = locals.chosenLocale ?? locals.accountLocale ?? locals.locale;
  return { viewer, locale: locals.locale };
}) satisfies LayoutServerLoad;
