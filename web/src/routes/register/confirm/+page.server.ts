import { redirect } from '@sveltejs/kit';
import { ConfirmRegistrationDocument } from '$lib/graphql/__generated__/operations';
import { safeNext } from '$lib/server/api';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ url }) => ({
  login: url.searchParams.get('login') ?? '',
  sentTo: url.searchParams.get('sentTo') ?? '',
  minutes: url.searchParams.get('minutes') ?? '10',
})) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, url }) => {
    const values = readForm(await request.formData(), ['login', 'code']);
    try {
      await locals.api.request(ConfirmRegistrationDocument, {
        input: { login: values['login'] ?? '', code: values['code'] ?? '' },
      });
    } catch (cause) {
      return failForm(cause, { login: values['login'] ?? '' });
    }
    redirect(303, safeNext(url.searchParams.get('next')) ?? '/');
  },
} satisfies Actions;
