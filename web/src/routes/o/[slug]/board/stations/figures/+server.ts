import { StationBoardDocument } from '$lib/graphql/__generated__/operations';
import { figuresResponse } from '$lib/server/display';
import type { RequestHandler } from './$types';

/** The stations' figures as JSON: what the screen refetches after a live event or a reconnection. */
export const GET: RequestHandler = ({ locals, params }) =>
  figuresResponse(async () => (await locals.api.request(StationBoardDocument, {}, params.slug)).stationBoard);
