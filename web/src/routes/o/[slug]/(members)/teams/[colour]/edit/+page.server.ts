import { error, redirect } from '@sveltejs/kit';
import { SetTeamLeadsDocument, TeamEditDocument, UpdateTeamDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, readForm } from '$lib/server/forms';
import { isTeamColour } from '$lib/teams';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['teamId', 'nameZh', 'nameEn', 'missionZh', 'missionEn'] as const;

export const load = (async ({ locals, params, url, parent }) => {
  const colour = params.colour.toUpperCase();
  if (!isTeamColour(colour)) error(404, { message: 'No such team', code: 'NOT_FOUND' });
  const { organization: layoutOrganization } = await parent();
  if (!layoutOrganization.viewerIsAdmin) error(403, { message: 'Admins only', code: 'FORBIDDEN' });
  try {
    const search = url.searchParams.get('q')?.trim() || null;
    const { organization } = await locals.api.request(TeamEditDocument, { colour, search }, params.slug);
    if (!organization) error(404, { message: 'Organization not found', code: 'NOT_FOUND' });
    return { team: organization.team, candidates: organization.members.nodes, search };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, params }) => {
    const data = await request.formData();
    const values = readForm(data, FIELDS);
    const leadIds = data.getAll('leadIds').map(String);
    try {
      await locals.api.request(
        UpdateTeamDocument,
        {
          input: {
            teamId: values['teamId'] ?? '',
            name: { zh: values['nameZh'] ?? '', en: values['nameEn'] ?? '' },
            mission: { zh: values['missionZh'] ?? '', en: values['missionEn'] ?? '' },
          },
        },
        params.slug,
      );
      await locals.api.request(
        SetTeamLeadsDocument,
        { input: { teamId: values['teamId'] ?? '', memberIds: leadIds } },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, { ...values, leadIds: leadIds.join(',') });
    }
    redirect(303, `/o/${params.slug}/teams/${params.colour}?saved=1`);
  },
} satisfies Actions;
