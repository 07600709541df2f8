import { ChildrenListDocument, type ChildFilter } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 30;
const STATUSES: readonly string[] = ['WAITING', 'PROPOSED', 'SPONSORED', 'ENDED'];
const CIRCUMSTANCES: readonly string[] = ['LEFT_BEHIND', 'POVERTY', 'DISABILITY', 'ORPHANED', 'OTHER'];

function filterFrom(url: URL): ChildFilter {
  const status = url.searchParams.get('status') ?? '';
  const circumstance = url.searchParams.get('circumstance') ?? '';
  return {
    status: STATUSES.includes(status) ? (status as ChildFilter['status']) : null,
    circumstance: CIRCUMSTANCES.includes(circumstance) ? (circumstance as ChildFilter['circumstance']) : null,
    place: url.searchParams.get('place')?.trim() || null,
  };
}

export const load = (async ({ locals, params, url }) => {
  const filter = filterFrom(url);
  try {
    const { children } = await locals.api.request(
      ChildrenListDocument,
      { filter, first: PAGE_SIZE, after: url.searchParams.get('after') },
      params.slug,
    );
    return { children, filter };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
