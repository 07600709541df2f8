import { redirect } from '@sveltejs/kit';
import { AcceptInvitationDocument, InvitationPreviewDocument } from '$lib/graphql/__generated__/operations';
import { failForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

/** The page an invitation link opens: who invites, then sign in (or register) and accept. */
export const load = (async ({ locals, params, parent }) => {
  const { viewer } = await parent();
  const { invitation } = await locals.api.request(InvitationPreviewDocument, { token: params.token });
  if (invitation) locals.locale = locals.chosenLocale ?? locals.locale;
  return { invitation, signedIn: viewer !== null };
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ locals, params }) => {
    let slug: string;
    try {
      const { acceptInvitation } = await locals.api.request(AcceptInvitationDocument, { token: params.token });
      slug = acceptInvitation.organization.slug;
    } catch (cause) {
      return failForm(cause, {});
    }
    redirect(303, `/o/${slug}/home`);
  },
} satisfies Actions;
