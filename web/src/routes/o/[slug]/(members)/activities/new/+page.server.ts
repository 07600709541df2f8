import { error, fail, redirect } from '@sveltejs/kit';
import { SchedulableTeamsDocument, CreateActivityDocument } from '$lib/graphql/__generated__/operations';
import { localDateAt } from '@qicai/api/kernel/time';
import { addDays } from '$lib/activities';
import { failLoad } from '$lib/server/api';
import { readActivityForm } from '$lib/server/activity-form';
import { failForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url, parent }) => {
  const { organization } = await parent();
  try {
    // A lead schedules for the teams they lead, an admin for any.
    const result = await locals.api.request(SchedulableTeamsDocument, {}, params.slug);
    const viewerId = result.organization?.viewerMember?.id;
    const teams = (result.organization?.teams ?? []).filter(
      (team) => result.organization?.viewerIsAdmin === true || team.leads.some((lead) => lead.id === viewerId),
    );
    if (teams.length === 0) error(403, { message: 'Leads and admins only', code: 'FORBIDDEN' });
    const tomorrow = addDays(localDateAt(new Date(), organization.timeZone), 1);
    return {
      teams,
      defaults: {
        teamId: teams[0]?.id ?? '',
        category: 'ENVIRONMENT',
        startsAt: `${tomorrow}T09:00`,
        endsAt: `${tomorrow}T11:00`,
        capacity: '20',
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
    let id: string;
    try {
      ({
        createActivity: { id },
      } = await locals.api.request(CreateActivityDocument, { input: form.input }, params.slug));
    } catch (cause) {
      return failForm(cause, form.values);
    }
    redirect(303, `/o/${params.slug}/activities/${id}`);
  },
} satisfies Actions;
