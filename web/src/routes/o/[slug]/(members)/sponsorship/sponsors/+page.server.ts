import { SponsorsListDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { isSponsorKind } from '$lib/server/sponsorship';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load = (async ({ locals, params, url }) => {
  const kind = url.searchParams.get('kind') ?? '';
  const filter = {
    search: url.searchParams.get('q')?.trim() || null,
    kind: isSponsorKind(kind) ? kind : null,
    includeInactive: url.searchParams.get('inactive') === 'on',
  };
  try {
    const { sponsors } = await locals.api.request(
      SponsorsListDocument,
      { filter, first: PAGE_SIZE, after: url.searchParams.get('after') },
      params.slug,
    );
    return { sponsors, filter };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
