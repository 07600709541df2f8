import { json } from '@sveltejs/kit';
import { BoardDocument } from '$lib/graphql/__generated__/operations';
import { ApiError } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** The board's figures as JSON: what the big screen refetches after a live event or a reconnection. */
export const GET: RequestHandler = async ({ locals, params }) => {
  try {
    const { board } = await locals.api.request(BoardDocument, {}, params.slug);
    return json(board, { headers: { 'cache-control': 'no-store' } });
  } catch (cause) {
    if (cause instanceof ApiError) {
      const status = cause.code === 'UNAUTHENTICATED' ? 401 : cause.code === 'NOT_FOUND' ? 404 : 503;
      return json({ code: cause.code }, { status });
    }
    throw cause;
  }
};
