import { fail, redirect } from '@sveltejs/kit';
import { ChildPageDocument, DeleteChildDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm } from '$lib/server/forms';
import { lifecycleActions } from '$lib/server/sponsorship';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const { child, sponsorSuggestions } = await locals.api.request(ChildPageDocument, { id: params.id }, params.slug);
    return { child, suggestions: sponsorSuggestions };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  ...lifecycleActions,
  delete: async ({ request, locals, params }) => {
    const data = await request.formData();
    if (data.get('confirmDeletion') !== 'on') {
      return fail(400, { values: {}, fields: { confirmDeletion: 'REQUIRED' }, code: 'VALIDATION' });
    }
    try {
      await locals.api.request(DeleteChildDocument, { id: params.id }, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    redirect(303, `/o/${params.slug}/sponsorship/children/${params.id}`);
  },
} satisfies Actions;
