import { redirect } from '@sveltejs/kit';
import {
  NotificationSettingsPageDocument,
  SetNotificationPreferencesDocument,
  SetQuietHoursDocument,
  type NotificationKind,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const result = await locals.api.request(NotificationSettingsPageDocument, {}, params.slug);
    return {
      preferences: result.notificationPreferences,
      viewerIsAdmin: result.organization?.viewerIsAdmin ?? false,
      quietHours: result.organization?.quietHours ?? null,
      saved: url.searchParams.get('saved'),
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  /** Every kind listed on the page: a box left unticked turns that channel off (unticked boxes are not sent). */
  preferences: async ({ locals, params, request }) => {
    const data = await request.formData();
    const kinds = data.getAll('kind').filter((kind): kind is NotificationKind => typeof kind === 'string');
    const on = (kind: string, channel: string) => data.get(`${kind}:${channel}`) === 'on';
    try {
      await locals.api.request(
        SetNotificationPreferencesDocument,
        {
          preferences: kinds.map((kind) => ({
            kind,
            inApp: on(kind, 'IN_APP'),
            sms: on(kind, 'SMS'),
            email: on(kind, 'EMAIL'),
          })),
        },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, {});
    }
    redirect(303, `/o/${params.slug}/notifications/settings?saved=preferences`);
  },
  quietHours: async ({ locals, params, request }) => {
    const data = await request.formData();
    const values = { enabled: formText(data, 'enabled'), start: formText(data, 'start'), end: formText(data, 'end') };
    try {
      await locals.api.request(
        SetQuietHoursDocument,
        { input: values.enabled === 'on' ? { start: values.start, end: values.end } : null },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, values);
    }
    redirect(303, `/o/${params.slug}/notifications/settings?saved=quietHours`);
  },
} satisfies Actions;
