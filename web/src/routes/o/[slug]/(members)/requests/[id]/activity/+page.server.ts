import { error, fail, redirect } from '@sveltejs/kit';
import { HelpRequestPageDocument, TurnRequestIntoActivityDocument } from '$lib/graphql/__generated__/operations';
import { localDateAt } from '@qicai/api/kernel/time';
import { addDays } from '$lib/activities';
import { ACTIVITY_CATEGORY_FOR } from '$lib/requests';
import { failLoad } from '$lib/server/api';
import { readActivityForm } from '$lib/server/activity-form';
import { failForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url, parent }) => {
  const { organization } = await parent();
  try {
    const { helpRequest: request } = await locals.api.request(HelpRequestPageDocument, { id: params.id }, params.slug);
    if (!request.viewerCanWork || !request.team) error(403, { message: 'The team’s leads only', code: 'FORBIDDEN' });
    // Only an assigned request becomes an activity; otherwise back to the request.
    if (request.status !== 'ASSIGNED') redirect(303, `/o/${params.slug}/requests/${params.id}`);
    const tomorrow = addDays(localDateAt(new Date(), organization.timeZone), 1);
    return {
      request,
      team: request.team,
      defaults: {
        teamId: request.team.id,
        title: request.place,
        description: request.description,
        category: ACTIVITY_CATEGORY_FOR[request.category],
        placeName: request.place,
        startsAt: `${tomorrow}T09:00`,
        endsAt: `${tomorrow}T11:00`,
        capacity: '10',
        repeat: 'NONE',
        publish: 'on',
      },
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, params }) => {
    const form = readActivityForm(await request.formData());
    if (!form.ok) return fail(400, { values: form.values, fields: form.fields, code: 'VALIDATION' });
    let activityId: string | undefined;
    try {
      const result = await locals.api.request(
        TurnRequestIntoActivityDocument,
        { id: params.id, activity: { ...form.input, recurrence: null } },
        params.slug,
      );
      activityId = result.turnRequestIntoActivity.activity?.id;
    } catch (cause) {
      return failForm(cause, form.values);
    }
    redirect(
      303,
      activityId ? `/o/${params.slug}/activities/${activityId}` : `/o/${params.slug}/requests/${params.id}`,
    );
  },
} satisfies Actions;
