import { error, redirect } from '@sveltejs/kit';
import { CreateMemberDocument, MemberNewDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm } from '$lib/server/forms';
import { fullProfileInput, readMemberForm } from '$lib/server/member-form';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url, parent }) => {
  const { organization: layout } = await parent();
  if (!layout.viewerIsAdmin) error(403, { message: 'Admins only', code: 'FORBIDDEN' });
  try {
    const { organization } = await locals.api.request(MemberNewDocument, {}, params.slug);
    if (!organization) error(404, { message: 'Organization not found', code: 'NOT_FOUND' });
    return { teams: organization.teams, skillSuggestions: organization.skillSuggestions };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ locals, params, request }) => {
    const form = readMemberForm(await request.formData());
    let id: string;
    try {
      const input = fullProfileInput(form);
      const { createMember } = await locals.api.request(
        CreateMemberDocument,
        { input: { ...input, phone: input.phone ?? '' } },
        params.slug,
      );
      id = createMember.id;
    } catch (cause) {
      return failForm(cause, { ...form.values, new: '1' });
    }
    redirect(303, `/o/${params.slug}/members/${id}`);
  },
} satisfies Actions;
