import { BoardDocument } from '$lib/graphql/__generated__/operations';
import { figuresResponse } from '$lib/server/display';
import type { RequestHandler } from './$types';

/** The board's figures as JSON: what the big screen refetches after a live event or a reconnection. */
export const GET: RequestHandler = ({ locals, params }) =>
  figuresResponse(async () => (await locals.api.request(BoardDocument, {}, params.slug)).board);
