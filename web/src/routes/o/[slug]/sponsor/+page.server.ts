import { DEFAULT_TIME_ZONE } from '@qicai/api/kernel/time';
import { redirect } from '@sveltejs/kit';
import { SponsorViewDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/**
 * The sponsor's own view. Sponsors need not be members, so this page is
 * outside the members' area; the API decides what the viewer may see.
 */
export const load = (async ({ locals, params, url, parent }) => {
  const { viewer } = await parent();
  if (!viewer) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
  try {
    const { sponsorView, organization } = await locals.api.request(SponsorViewDocument, {}, params.slug);
    return { sponsorView, timeZone: organization?.timeZone ?? DEFAULT_TIME_ZONE };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
