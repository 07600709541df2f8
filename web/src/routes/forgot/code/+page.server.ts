import { redirect } from '@sveltejs/kit';
import { ResetPasswordDocument } from '$lib/graphql/__generated__/operations';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ url }) => ({
  login: url.searchParams.get('login') ?? '',
  sentTo: url.searchParams.get('sentTo') ?? '',
  minutes: url.searchParams.get('minutes') ?? '30',
})) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals }) => {
    const values = readForm(await request.formData(), ['login', 'code', 'newPassword']);
    try {
      await locals.api.request(ResetPasswordDocument, {
        input: { login: values['login'] ?? '', code: values['code'] ?? '', newPassword: values['newPassword'] ?? '' },
      });
    } catch (cause) {
      return failForm(cause, { login: values['login'] ?? '', code: values['code'] ?? '' });
    }
    redirect(303, '/');
  },
} satisfies Actions;
