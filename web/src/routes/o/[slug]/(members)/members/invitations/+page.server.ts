import { error } from '@sveltejs/kit';
import {
  InvitationsDocument,
  InviteMemberDocument,
  RevokeInvitationDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url, parent }) => {
  const { organization: layout } = await parent();
  if (!layout.viewerIsAdmin) error(403, { message: 'Admins only', code: 'FORBIDDEN' });
  try {
    const { organization } = await locals.api.request(InvitationsDocument, {}, params.slug);
    return { invitations: organization?.invitations ?? [] };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  invite: async ({ locals, params, request }) => {
    const values = readForm(await request.formData(), ['phone', 'email', 'displayName']);
    try {
      const { inviteMember } = await locals.api.request(
        InviteMemberDocument,
        {
          input: {
            phone: values['phone'] || null,
            email: values['email'] || null,
            displayName: values['displayName'] || null,
          },
        },
        params.slug,
      );
      return {
        link: inviteMember.link,
        name:
          inviteMember.invitation.displayName ?? inviteMember.invitation.phone ?? inviteMember.invitation.email ?? '',
      };
    } catch (cause) {
      return failForm(cause, values);
    }
  },
  revoke: async ({ locals, params, request }) => {
    const id = formText(await request.formData(), 'id');
    try {
      await locals.api.request(RevokeInvitationDocument, { id }, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    return { revoked: true };
  },
} satisfies Actions;
