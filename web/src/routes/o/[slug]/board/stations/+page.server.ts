import { StationBoardDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { screenLocale } from '$lib/server/display';
import type { PageServerLoad } from './$types';

/**
 * The big screen's stations (信息中心大屏幕): every village service station at
 * once. Read with the board's rights: a member, or the display token the
 * board page keeps in its cookie (open /board?display=… once on the screen).
 */
export const load = (async ({ locals, params, url, parent }) => {
  const locale = screenLocale(locals, url, (await parent()).locale);
  try {
    const { stationBoard } = await locals.api.request(StationBoardDocument, {}, params.slug);
    return { stationBoard, locale };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
