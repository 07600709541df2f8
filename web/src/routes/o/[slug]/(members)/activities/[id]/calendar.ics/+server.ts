import { ActivityCalendarFileDocument } from '$lib/graphql/__generated__/operations';
import { downloadResponse, failFile } from '$lib/server/files';
import type { RequestHandler } from './$types';

/** One activity as an .ics file ("add to calendar"), for whoever may see it: the API checks. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  try {
    const { activityCalendarFile } = await locals.api.request(
      ActivityCalendarFileDocument,
      { id: params.id },
      params.slug,
    );
    return downloadResponse(activityCalendarFile);
  } catch (cause) {
    failFile(cause, url.pathname);
  }
};
