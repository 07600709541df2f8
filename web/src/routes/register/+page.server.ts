import { redirect } from '@sveltejs/kit';
import { StartRegistrationDocument } from '$lib/graphql/__generated__/operations';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions } from './$types';

export const actions = {
  default: async ({ request, locals, url }) => {
    const values = readForm(await request.formData(), ['displayName', 'email', 'phone', 'password']);
    let sent: { sentTo: string; expiresInMinutes: number };
    try {
      sent = (
        await locals.api.request(StartRegistrationDocument, {
          input: {
            displayName: values['displayName'] ?? '',
            email: values['email'] || null,
            phone: values['phone'] || null,
            password: values['password'] ?? '',
            locale: locals.locale,
          },
        })
      ).startRegistration;
    } catch (cause) {
      const { password: _password, ...kept } = values;
      return failForm(cause, kept);
    }
    // The code goes to what was typed; the next page asks for it (and knows where it went).
    const confirm = new URLSearchParams({
      login: values['phone'] || values['email'] || '',
      sentTo: sent.sentTo,
      minutes: String(sent.expiresInMinutes),
    });
    const next = url.searchParams.get('next');
    if (next) confirm.set('next', next);
    redirect(303, `/register/confirm?${confirm.toString()}`);
  },
} satisfies Actions;
