import { redirect } from '@sveltejs/kit';
import { isLocale, LOCALE_COOKIE } from '$lib/i18n';
import { safeNext } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** The language switch: remembers the choice for a year and goes back where the person was. */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
  const form = await request.formData();
  const locale = form.get('locale');
  if (isLocale(locale)) {
    cookies.set(LOCALE_COOKIE, locale, {
      path: '/',
      maxAge: 365 * 24 * 60 * 60,
      httpOnly: false,
      sameSite: 'lax',
      // Kit's default is Secure except on localhost: a phone on plain http://192.168.x.x would drop it.
      secure: url.protocol === 'https:',
    });
  }
  const redirectTo = form.get('redirectTo');
  redirect(303, safeNext(typeof redirectTo === 'string' ? redirectTo : null) ?? '/');
};
