import { error, redirect } from '@sveltejs/kit';
import { ChildEditDocument, UpdateChildDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm } from '$lib/server/forms';
import { readChildForm } from '$lib/server/sponsorship';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const { child } = await locals.api.request(ChildEditDocument, { id: params.id }, params.slug);
    if (!child.personal) error(404, { message: 'The child’s details were deleted', code: 'NOT_FOUND' });
    return { child: { ...child, personal: child.personal } };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, params }) => {
    const data = await request.formData();
    const renewConsent = data.get('renewConsent') === 'on';
    const { personal, consent, values } = readChildForm(data);
    try {
      await locals.api.request(
        UpdateChildDocument,
        { input: { childId: params.id, personal, consent: renewConsent ? consent : null } },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, { ...values, renewConsent: renewConsent ? 'on' : '' });
    }
    redirect(303, `/o/${params.slug}/sponsorship/children/${params.id}?saved=1`);
  },
} satisfies Actions;
