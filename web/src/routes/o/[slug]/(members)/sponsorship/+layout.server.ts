import { DEFAULT_TIME_ZONE } from '@qicai/api/kernel/time';
import { error } from '@sveltejs/kit';
import { SponsorshipLayoutDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import type { LayoutServerLoad } from './$types';

/** Children's data is for admins only; the API refuses anyone else, this says so before asking. */
export const load = (async ({ parent, locals, params, url }) => {
  const { organization } = await parent();
  if (!organization.viewerIsAdmin) error(403, { message: 'Admins only', code: 'FORBIDDEN' });
  try {
    const { organization: layout } = await locals.api.request(SponsorshipLayoutDocument, {}, params.slug);
    return { timeZone: layout?.timeZone ?? DEFAULT_TIME_ZONE };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies LayoutServerLoad;
