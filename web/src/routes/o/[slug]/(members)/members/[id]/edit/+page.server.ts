import { error, redirect } from '@sveltejs/kit';
import {
  MemberEditDocument,
  OrganizationLayoutDocument,
  UpdateMemberDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm } from '$lib/server/forms';
import { fullProfileInput, ownProfileInput, readMemberForm } from '$lib/server/member-form';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const { organization } = await locals.api.request(MemberEditDocument, { id: params.id }, params.slug);
    if (!organization) error(404, { message: 'Organization not found', code: 'NOT_FOUND' });
    if (!organization.member.viewerCanEdit) error(403, { message: 'Not yours to edit', code: 'FORBIDDEN' });
    return { profile: organization.member, teams: organization.teams, skillSuggestions: organization.skillSuggestions };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ locals, params, request }) => {
    const form = readMemberForm(await request.formData());
    try {
      const { organization } = await locals.api.request(OrganizationLayoutDocument, {}, params.slug);
      // Members send what they may change of their own profile; admins everything.
      const input = organization?.viewerIsAdmin ? fullProfileInput(form) : ownProfileInput(form);
      await locals.api.request(UpdateMemberDocument, { input: { memberId: params.id, ...input } }, params.slug);
    } catch (cause) {
      return failForm(cause, form.values);
    }
    redirect(303, `/o/${params.slug}/members/${params.id}?saved=1`);
  },
} satisfies Actions;
