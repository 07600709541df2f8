import { error } from '@sveltejs/kit';
import { CalendarFeedFileDocument } from '$lib/graphql/__generated__/operations';
import type { RequestHandler } from './$types';

/**
 * A calendar feed, polled by calendar apps without a session: the secret token
 * in the address is the key. An unknown or revoked token is a plain 404.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
  const { calendarFeedFile } = await locals.api.request(CalendarFeedFileDocument, { token: params.token }, params.slug);
  if (!calendarFeedFile) error(404, { message: 'No such calendar feed', code: 'NOT_FOUND' });
  return new Response(calendarFeedFile.text, {
    headers: {
      'content-type': calendarFeedFile.contentType,
      'content-disposition': `inline; filename="${calendarFeedFile.fileName}"`,
      // Private: the address is a secret; apps poll it hourly (the feed's REFRESH-INTERVAL).
      'cache-control': 'private, max-age=300',
    },
  });
};
