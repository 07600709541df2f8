import { error } from '@sveltejs/kit';
import { JoinTeamDocument, LeaveTeamDocument, TeamPageDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText } from '$lib/server/forms';
import { isTeamColour } from '$lib/teams';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 30;

function colourOf(segment: string) {
  const colour = segment.toUpperCase();
  if (!isTeamColour(colour)) error(404, { message: 'No such team', code: 'NOT_FOUND' });
  return colour;
}

export const load = (async ({ locals, params, url }) => {
  try {
    const { organization } = await locals.api.request(
      TeamPageDocument,
      { colour: colourOf(params.colour), first: PAGE_SIZE, after: url.searchParams.get('after') },
      params.slug,
    );
    if (!organization) error(404, { message: 'Organization not found', code: 'NOT_FOUND' });
    return { team: organization.team };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

async function changeMembership({ locals, params, request }: Parameters<Actions[string]>[0], change: 'join' | 'leave') {
  const teamId = formText(await request.formData(), 'teamId');
  try {
    if (change === 'join') await locals.api.request(JoinTeamDocument, { teamId }, params['slug']);
    else await locals.api.request(LeaveTeamDocument, { teamId }, params['slug']);
  } catch (cause) {
    return failForm(cause, {});
  }
  return { changed: change };
}

export const actions = {
  join: (event) => changeMembership(event, 'join'),
  leave: (event) => changeMembership(event, 'leave'),
} satisfies Actions;
