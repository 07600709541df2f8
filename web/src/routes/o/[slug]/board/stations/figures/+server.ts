import { json } from '@sveltejs/kit';
import { StationBoardDocument } from '$lib/graphql/__generated__/operations';
import { ApiError } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** The stations' figures as JSON: what the screen refetches after a live event or a reconnection. */
export const GET: RequestHandler = async ({ locals, params }) => {
  try {
    const { stationBoard } = await locals.api.request(StationBoardDocument, {}, params.slug);
    return json(stationBoard, { headers: { 'cache-control': 'no-store' } });
  } catch (cause) {
    if (cause instanceof ApiError) {
      const status = cause.code === 'UNAUTHENTICATED' ? 401 : cause.code === 'NOT_FOUND' ? 404 : 503;
      return json({ code: cause.code }, { status });
    }
    throw cause;
  }
};
