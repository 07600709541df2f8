import { MarkNotificationsReadDocument, NotificationsDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const result = await locals.api.request(
      NotificationsDocument,
      { after: url.searchParams.get('after') },
      params.slug,
    );
    return { notifications: result.notifications };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  readAll: async ({ locals, params }) => {
    try {
      await locals.api.request(MarkNotificationsReadDocument, { ids: null }, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    return { read: true };
  },
} satisfies Actions;
