import {
  OrganizationHomeDocument,
  RequestCountsDocument,
  SponsorshipCountsDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const [{ organization }, sponsorship, requests] = await Promise.all([
      locals.api.request(OrganizationHomeDocument, {}, params.slug),
      locals.api.request(SponsorshipCountsDocument, {}, params.slug),
      locals.api.request(RequestCountsDocument, {}, params.slug),
    ]);
    return {
      teams: organization?.teams ?? [],
      memberCount: organization?.memberCount ?? 0,
      // The admins' first steps (null for anyone else), shown until every one is done.
      onboarding: organization?.onboarding?.complete === false ? organization.onboarding : null,
      sponsorshipCounts: sponsorship.organization?.sponsorshipCounts ?? null,
      requestCounts: requests.organization?.requestCounts ?? null,
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
