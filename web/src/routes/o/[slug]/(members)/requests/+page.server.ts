import { HelpRequestsDocument, type RequestStatus } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { isRequestStatus } from '$lib/requests';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  const status = url.searchParams.get('status') ?? '';
  const overdueOnly = status === 'overdue';
  const statuses: RequestStatus[] | null = isRequestStatus(status) ? [status] : null;
  try {
    const { helpRequests } = await locals.api.request(
      HelpRequestsDocument,
      { filter: { statuses, overdueOnly } },
      params.slug,
    );
    return { requests: helpRequests, status: overdueOnly ? 'overdue' : (statuses?.[0] ?? '') };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
