import { redirect } from '@sveltejs/kit';
import {
  AccountSettingsDocument,
  ChangePasswordDocument,
  RequestEmailChangeDocument,
  RequestPhoneVerificationDocument,
  SignOutEverywhereDocument,
} from '$lib/graphql/__generated__/operations';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const { viewer } = await locals.api.request(AccountSettingsDocument, {});
  if (!viewer) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
  return { settings: viewer, changed: url.searchParams.get('changed') };
}) satisfies PageServerLoad;

function confirmPage(purpose: 'phone' | 'email', login: string, sent: { sentTo: string; expiresInMinutes: number }) {
  const query = new URLSearchParams({ purpose, login, sentTo: sent.sentTo, minutes: String(sent.expiresInMinutes) });
  return `/account/confirm?${query.toString()}`;
}

export const actions = {
  phone: async ({ request, locals }) => {
    const values = readForm(await request.formData(), ['phone']);
    let target: string;
    try {
      const { requestPhoneVerification } = await locals.api.request(RequestPhoneVerificationDocument, {
        phone: values['phone'] ?? '',
      });
      target = confirmPage('phone', values['phone'] ?? '', requestPhoneVerification);
    } catch (cause) {
      return failForm(cause, { ...values, form: 'phone' });
    }
    redirect(303, target);
  },
  email: async ({ request, locals }) => {
    const values = readForm(await request.formData(), ['email', 'password']);
    let target: string;
    try {
      const { requestEmailChange } = await locals.api.request(RequestEmailChangeDocument, {
        input: { email: values['email'] ?? '', password: values['password'] ?? '' },
      });
      target = confirmPage('email', values['email'] ?? '', requestEmailChange);
    } catch (cause) {
      return failForm(cause, { email: values['email'] ?? '', form: 'email' });
    }
    redirect(303, target);
  },
  password: async ({ request, locals }) => {
    const values = readForm(await request.formData(), ['currentPassword', 'newPassword']);
    try {
      await locals.api.request(ChangePasswordDocument, {
        input: { currentPassword: values['currentPassword'] ?? '', newPassword: values['newPassword'] ?? '' },
      });
    } catch (cause) {
      return failForm(cause, { form: 'password' });
    }
    redirect(303, '/account?changed=password');
  },
  signOutOthers: async ({ locals }) => {
    const { signOutEverywhere } = await locals.api.request(SignOutEverywhereDocument, { includingThisSession: false });
    return { signedOut: signOutEverywhere };
  },
  signOutEverywhere: async ({ locals }) => {
    await locals.api.request(SignOutEverywhereDocument, { includingThisSession: true });
    redirect(303, '/signin');
  },
} satisfies Actions;
