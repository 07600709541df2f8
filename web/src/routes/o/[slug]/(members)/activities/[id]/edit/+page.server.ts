import { error, fail, redirect } from '@sveltejs/kit';
import {
  ActivityEditDocument,
  SchedulableTeamsDocument,
  UpdateActivityDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { activityFormValues, readActivityForm } from '$lib/server/activity-form';
import { failForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const [{ activity }, teamsResult] = await Promise.all([
      locals.api.request(ActivityEditDocument, { id: params.id }, params.slug),
      locals.api.request(SchedulableTeamsDocument, {}, params.slug),
    ]);
    if (!activity.viewerCanManage) error(403, { message: 'Leads of its team only', code: 'FORBIDDEN' });
    const viewerId = teamsResult.organization?.viewerMember?.id;
    const teams = (teamsResult.organization?.teams ?? []).filter(
      (team) =>
        teamsResult.organization?.viewerIsAdmin === true ||
        team.id === activity.team.id ||
        team.leads.some((lead) => lead.id === viewerId),
    );
    return { activity, teams, values: activityFormValues(activity) };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, params }) => {
    const form = readActivityForm(await request.formData());
    if (!form.ok) return fail(400, { values: form.values, fields: form.fields, code: 'VALIDATION' });
    const scope = form.values['scope'] === 'SERIES' ? 'SERIES' : 'OCCURRENCE';
    try {
      await locals.api.request(
        UpdateActivityDocument,
        {
          id: params.id,
          // A series' rule changes only with the whole series.
          input: { ...form.input, publish: null, recurrence: scope === 'SERIES' ? form.input.recurrence : null },
          scope,
        },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, form.values);
    }
    redirect(303, `/o/${params.slug}/activities/${params.id}`);
  },
} satisfies Actions;
