import { redirect } from '@sveltejs/kit';
import { RequestPasswordResetDocument } from '$lib/graphql/__generated__/operations';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions } from './$types';

export const actions = {
  default: async ({ request, locals }) => {
    const values = readForm(await request.formData(), ['login']);
    let sent: { channel: 'SMS' | 'EMAIL'; sentTo: string; expiresInMinutes: number };
    try {
      sent = (await locals.api.request(RequestPasswordResetDocument, { login: values['login'] ?? '' }))
        .requestPasswordReset;
    } catch (cause) {
      return failForm(cause, values);
    }
    // A phone gets a code, typed on the next page; an address a link, opened from the mail.
    if (sent.channel === 'EMAIL') return { sent: { sentTo: sent.sentTo, minutes: sent.expiresInMinutes } };
    const code = new URLSearchParams({
      login: values['login'] ?? '',
      sentTo: sent.sentTo,
      minutes: String(sent.expiresInMinutes),
    });
    redirect(303, `/forgot/code?${code.toString()}`);
  },
} satisfies Actions;
