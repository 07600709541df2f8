import { redirect } from '@sveltejs/kit';
import { ClaimSponsorInvitationDocument } from '$lib/graphql/__generated__/operations';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ parent, url }) => {
  const { viewer } = await parent();
  // Signed in first (or registered), then back here with the code.
  if (!viewer) redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
  return { code: url.searchParams.get('code') ?? '' };
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, params }) => {
    const code = formText(await request.formData(), 'code');
    try {
      await locals.api.request(ClaimSponsorInvitationDocument, { code }, params.slug);
    } catch (cause) {
      return failForm(cause, { code });
    }
    redirect(303, `/o/${params.slug}/sponsor?linked=1`);
  },
} satisfies Actions;
