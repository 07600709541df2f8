import type { Handle, HandleServerError } from '@sveltejs/kit';
import { isLocale, LOCALE_COOKIE, localeFromAcceptLanguage } from '$lib/i18n';
import { ApiError, createApi } from '$lib/server/api';
import { logJson, serializeError } from '$lib/server/log';

export const handle: Handle = async ({ event, resolve }) => {
  const chosen = event.cookies.get(LOCALE_COOKIE);
  event.locals.chosenLocale = isLocale(chosen) ? chosen : null;
  event.locals.accountLocale = null;
  // Layouts refine this: an organization's pages default to its language.
  event.locals.locale =
    event.locals.chosenLocale ?? localeFromAcceptLanguage(event.request.headers.get('accept-language'));
  event.locals.api = createApi(event);
  return resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale === 'zh' ? 'zh-CN' : 'en'),
  });
};

/**
 * Unexpected errors: logged here as a JSON line like the API's (pino's
 * format, with the request and the whole error), and the page shows a
 * generic message, never the details. An API that is down keeps its code (UNAVAILABLE), so the
 * page can say "try again shortly".
 */
export const handleError: HandleServerError = ({ error, event, status }) => {
  const code = error instanceof ApiError && error.code === 'UNAVAILABLE' ? 'UNAVAILABLE' : 'INTERNAL';
  if (status !== 404) {
    logJson('error', 'page request failed', {
      errorId: crypto.randomUUID(),
      req: { method: event.request.method, url: event.url.pathname, routeId: event.route.id },
      status,
      code,
      err: serializeError(error),
    });
  }
  return { message: 'Internal error', code };
};
