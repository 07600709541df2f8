import { redirect } from '@sveltejs/kit';
import { ConfirmEmailChangeDocument, ConfirmPhoneDocument } from '$lib/graphql/__generated__/operations';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ url }) => ({
  purpose: url.searchParams.get('purpose') === 'email' ? ('email' as const) : ('phone' as const),
  login: url.searchParams.get('login') ?? '',
  sentTo: url.searchParams.get('sentTo') ?? '',
  minutes: url.searchParams.get('minutes') ?? '10',
})) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, url }) => {
    const values = readForm(await request.formData(), ['login', 'code']);
    const input = { login: values['login'] ?? '', code: values['code'] ?? '' };
    try {
      if (url.searchParams.get('purpose') === 'email') await locals.api.request(ConfirmEmailChangeDocument, { input });
      else await locals.api.request(ConfirmPhoneDocument, { input });
    } catch (cause) {
      return failForm(cause, { login: input.login });
    }
    redirect(303, '/account?changed=login');
  },
} satisfies Actions;
