import { redirect } from '@sveltejs/kit';
import { RegisterDocument } from '$lib/graphql/__generated__/operations';
import { safeNext } from '$lib/server/api';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions } from './$types';

export const actions = {
  default: async ({ request, locals, url }) => {
    const values = readForm(await request.formData(), ['displayName', 'email', 'phone', 'password']);
    try {
      await locals.api.request(RegisterDocument, {
        input: {
          displayName: values['displayName'] ?? '',
          email: values['email'] || null,
          phone: values['phone'] || null,
          password: values['password'] ?? '',
          locale: locals.locale,
        },
      });
    } catch (cause) {
      const { password: _password, ...kept } = values;
      return failForm(cause, kept);
    }
    redirect(303, safeNext(url.searchParams.get('next')) ?? '/');
  },
} satisfies Actions;
