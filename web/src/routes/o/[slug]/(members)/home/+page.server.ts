import { OrganizationHomeDocument, SponsorshipCountsDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const [{ organization }, sponsorship] = await Promise.all([
      locals.api.request(OrganizationHomeDocument, {}, params.slug),
      locals.api.request(SponsorshipCountsDocument, {}, params.slug),
    ]);
    return {
      teams: organization?.teams ?? [],
      memberCount: organization?.memberCount ?? 0,
      sponsorshipCounts: sponsorship.organization?.sponsorshipCounts ?? null,
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
