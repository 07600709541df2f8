import { StationBoardDocument } from '$lib/graphql/__generated__/operations';
import { isLocale } from '$lib/i18n';
import { failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/**
 * The big screen's stations (信息中心大屏幕): every village service station at
 * once. Read with the board's rights: a member, or the display token the
 * board page keeps in its cookie (open /board?display=… once on the screen).
 */
export const load = (async ({ locals, params, url, parent }) => {
  const { locale } = await parent();
  const lang = url.searchParams.get('lang');
  locals.locale = isLocale(lang) ? lang : locale;
  try {
    const { stationBoard } = await locals.api.request(StationBoardDocument, {}, params.slug);
    return { stationBoard, locale: locals.locale };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
