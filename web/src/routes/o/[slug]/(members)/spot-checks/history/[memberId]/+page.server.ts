import { SpotCheckHistoryDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** How many requests a page of the history shows. */
const PAGE_SIZE = 50;

/**
 * A person's spot-check history (answered, late, away from the station,
 * unanswered): admins and the person see every request, a station's lead the
 * ones they sent; the API says who may. Paged by `?page=`.
 */
export const load = (async ({ locals, params, url }) => {
  const asked = Number(url.searchParams.get('page') ?? '1');
  const page = Number.isInteger(asked) && asked >= 1 ? asked : 1;
  try {
    const result = await locals.api.request(
      SpotCheckHistoryDocument,
      { memberId: params.memberId, first: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
      params.slug,
    );
    return {
      person: result.organization?.member ?? null,
      spotChecks: result.spotChecksOf,
      summary: result.spotCheckSummaryOf,
      page,
      hasMore: page * PAGE_SIZE < result.spotCheckSummaryOf.sent,
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
