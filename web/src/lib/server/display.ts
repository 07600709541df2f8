/**
 * The wall screens (the big screen and the stations' screen): what their
 * loads and their figures endpoints share.
 */
import { json } from '@sveltejs/kit';
import { isLocale, type Locale } from '$lib/i18n';
import { ApiError } from './api';

/** The cookie a wall screen keeps its display token in; the API reads the same name. */
export const DISPLAY_COOKIE = 'qicai_display';

/** A screen's language: `?lang=` on its address (a display token has no account to read it from), else the page's. */
export function screenLocale(locals: App.Locals, url: URL, pageLocale: Locale): Locale {
  const lang = url.searchParams.get('lang');
  locals.locale = isLocale(lang) ? lang : pageLocale;
  return locals.locale;
}

/**
 * A screen's figures as JSON, what it refetches after a live event or a reconnection:
 * the API's error code with a status the screen can act on, never an error page.
 */
export async function figuresResponse(read: () => Promise<unknown>): Promise<Response> {
  try {
    return json(await read(), { headers: { 'cache-control': 'no-store' } });
  } catch (cause) {
    if (cause instanceof ApiError) {
      const status = cause.code === 'UNAUTHENTICATED' ? 401 : cause.code === 'NOT_FOUND' ? 404 : 503;
      return json({ code: cause.code }, { status });
    }
    throw cause;
  }
}
