import { redirect } from '@sveltejs/kit';
import { BoardDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { DISPLAY_COOKIE, screenLocale } from '$lib/server/display';
import type { PageServerLoad } from './$types';

/**
 * The big screen. Opened with `?display=<token>` (the address an admin's
 * display token gives), it keeps the token in an httpOnly cookie and drops it
 * from the address; the cookie then goes with every request and with the
 * live WebSocket. Without one, it is for the organization's members.
 */
export const load = (async ({ locals, params, url, cookies, parent }) => {
  const token = url.searchParams.get('display');
  if (token) {
    cookies.set(DISPLAY_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: url.protocol === 'https:',
      maxAge: 365 * 24 * 3600,
    });
    const clean = new URL(url);
    clean.searchParams.delete('display');
    redirect(303, clean.pathname + clean.search);
  }
  const locale = screenLocale(locals, url, (await parent()).locale);
  try {
    const { board } = await locals.api.request(BoardDocument, {}, params.slug);
    return { board, locale };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
