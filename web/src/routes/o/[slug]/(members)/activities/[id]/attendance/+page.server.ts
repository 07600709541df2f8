import { error } from '@sveltejs/kit';
import {
  ActivityAttendanceDocument,
  MarkAttendanceDocument,
  UndoCheckOutDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const result = await locals.api.request(ActivityAttendanceDocument, { id: params.id }, params.slug);
    if (!result.activity.viewerCanManage) error(403, { message: 'Leads of its team only', code: 'FORBIDDEN' });
    return { activity: result.activity, radiusMetres: result.organization?.checkInRules.radiusMetres ?? 500 };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  mark: async ({ locals, params, request }) => {
    const data = await request.formData();
    const attendance = formText(data, 'attendance') === 'NO_SHOW' ? 'NO_SHOW' : 'ATTENDED';
    try {
      await locals.api.request(
        MarkAttendanceDocument,
        { signUpId: formText(data, 'signUpId'), attendance },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, {});
    }
    return { marked: true };
  },
  // The lead undoes a member's check-out at any time: the check-in stands again, its hours are withdrawn.
  undoCheckOut: async ({ locals, params, request }) => {
    const data = await request.formData();
    try {
      await locals.api.request(UndoCheckOutDocument, { signUpId: formText(data, 'signUpId') }, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    return { undone: true };
  },
} satisfies Actions;
