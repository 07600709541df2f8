import {
  CalendarFeedsPageDocument,
  CreateCalendarFeedDocument,
  RevokeCalendarFeedDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const result = await locals.api.request(CalendarFeedsPageDocument, {}, params.slug);
    return { feeds: result.calendarFeeds, teams: result.organization?.teams ?? [] };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  /** The address is shown once, on the page this answers with: there is no redirect after it. */
  create: async ({ locals, params, request }) => {
    const data = await request.formData();
    const what = formText(data, 'what');
    try {
      const result = await locals.api.request(
        CreateCalendarFeedDocument,
        { teamId: what === 'mine' || what === '' ? null : what },
        params.slug,
      );
      return { url: result.createCalendarFeed.url };
    } catch (cause) {
      return failForm(cause, { what });
    }
  },
  revoke: async ({ locals, params, request }) => {
    const data = await request.formData();
    try {
      await locals.api.request(RevokeCalendarFeedDocument, { id: formText(data, 'id') }, params.slug);
      return { revoked: true };
    } catch (cause) {
      return failForm(cause, {});
    }
  },
} satisfies Actions;
