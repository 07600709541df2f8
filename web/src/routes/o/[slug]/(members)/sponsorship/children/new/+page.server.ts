import { redirect } from '@sveltejs/kit';
import { RegisterChildDocument } from '$lib/graphql/__generated__/operations';
import { failForm } from '$lib/server/forms';
import { readChildForm } from '$lib/server/sponsorship';
import type { Actions } from './$types';

export const actions = {
  default: async ({ request, locals, params }) => {
    const { personal, consent, values } = readChildForm(await request.formData());
    let id: string;
    try {
      const { registerChild } = await locals.api.request(
        RegisterChildDocument,
        { input: { personal, consent } },
        params.slug,
      );
      id = registerChild.id;
    } catch (cause) {
      return failForm(cause, values);
    }
    redirect(303, `/o/${params.slug}/sponsorship/children/${id}?registered=1`);
  },
} satisfies Actions;
