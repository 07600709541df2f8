import { error } from '@sveltejs/kit';
import {
  InviteMemberDocument,
  MemberPageDocument,
  SetMemberActiveDocument,
  SetMemberRoleDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const { organization } = await locals.api.request(MemberPageDocument, { id: params.id }, params.slug);
    if (!organization) error(404, { message: 'Organization not found', code: 'NOT_FOUND' });
    return { profile: organization.member };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  role: async ({ locals, params, request }) => {
    const role = formText(await request.formData(), 'role') === 'ADMIN' ? 'ADMIN' : 'MEMBER';
    try {
      await locals.api.request(SetMemberRoleDocument, { input: { memberId: params.id, role } }, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    return { changed: 'role' as const };
  },
  active: async ({ locals, params, request }) => {
    const active = formText(await request.formData(), 'active') === 'true';
    try {
      await locals.api.request(SetMemberActiveDocument, { input: { memberId: params.id, active } }, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    return { changed: 'active' as const };
  },
  invite: async ({ locals, params }) => {
    try {
      const { inviteMember } = await locals.api.request(
        InviteMemberDocument,
        { input: { memberId: params.id } },
        params.slug,
      );
      return { link: inviteMember.link };
    } catch (cause) {
      return failForm(cause, {});
    }
  },
} satisfies Actions;
