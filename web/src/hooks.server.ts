import type { Handle, HandleServerError } from '@sveltejs/kit';
import { isLocale, LOCALE_COOKIE, localeFromAcceptLanguage } from '$lib/i18n';
import { createApi } from '$lib/server/api';

export const handle: Handle = async ({ event, resolve }) => {
  const chosen = event.cookies.get(LOCALE_COOKIE);
  event.locals.chosenLocale = isLocale(chosen) ? chosen : null;
  // Layouts refine this: an organization's pages default to its language.
  event.locals.locale =
    event.locals.chosenLocale ?? localeFromAcceptLanguage(event.request.headers.get('accept-language'));
  event.locals.api = createApi(event);
  return resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale === 'zh' ? 'zh-CN' : 'en'),
  });
};

/** Unexpected errors: logged here, and the page shows a generic message, never the details. */
export const handleError: HandleServerError = ({ error, event, status }) => {
  if (status !== 404) console.error(`${event.request.method} ${event.url.pathname}`, error);
  return { message: 'Internal error', code: 'INTERNAL' };
};
