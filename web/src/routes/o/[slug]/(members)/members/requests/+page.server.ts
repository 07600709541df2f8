import { error } from '@sveltejs/kit';
import { DecideJoinRequestDocument, JoinRequestsDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url, parent }) => {
  const { organization: layout } = await parent();
  if (!layout.viewerIsAdmin) error(403, { message: 'Admins only', code: 'FORBIDDEN' });
  try {
    const { organization } = await locals.api.request(JoinRequestsDocument, { status: 'PENDING' }, params.slug);
    return { requests: organization?.joinRequests ?? [] };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ locals, params, request }) => {
    const data = await request.formData();
    const id = formText(data, 'id');
    const approve = formText(data, 'decision') === 'approve';
    try {
      await locals.api.request(DecideJoinRequestDocument, { input: { id, approve } }, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    return { decided: approve ? ('approved' as const) : ('declined' as const), name: formText(data, 'name') };
  },
} satisfies Actions;
