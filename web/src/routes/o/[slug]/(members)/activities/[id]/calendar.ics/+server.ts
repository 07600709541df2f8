import { error } from '@sveltejs/kit';
import { ActivityCalendarFileDocument } from '$lib/graphql/__generated__/operations';
import { ApiError } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** One activity as an .ics file ("add to calendar"), for whoever may see it: the API checks. */
export const GET: RequestHandler = async ({ locals, params }) => {
  try {
    const { activityCalendarFile } = await locals.api.request(
      ActivityCalendarFileDocument,
      { id: params.id },
      params.slug,
    );
    return new Response(activityCalendarFile.text, {
      headers: {
        'content-type': activityCalendarFile.contentType,
        'content-disposition': `attachment; filename="${activityCalendarFile.fileName}"`,
        'cache-control': 'private, no-store',
      },
    });
  } catch (cause) {
    if (cause instanceof ApiError)
      error(cause.code === 'NOT_FOUND' ? 404 : 403, { message: cause.message, code: cause.code });
    throw cause;
  }
};
