import { redirect } from '@sveltejs/kit';
import { ResetPasswordDocument } from '$lib/graphql/__generated__/operations';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions } from './$types';

export const actions = {
  default: async ({ request, locals, params }) => {
    const values = readForm(await request.formData(), ['newPassword']);
    try {
      await locals.api.request(ResetPasswordDocument, {
        input: { token: params.token, newPassword: values['newPassword'] ?? '' },
      });
    } catch (cause) {
      return failForm(cause, {});
    }
    redirect(303, '/');
  },
} satisfies Actions;
