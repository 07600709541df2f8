import { error, redirect } from '@sveltejs/kit';
import {
  SetStationMembersDocument,
  StationEditDocument,
  UpdateStationDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, readForm } from '$lib/server/forms';
import { stationInput, STATION_FIELDS } from '$lib/server/stations';
import type { Actions, PageServerLoad } from './$types';

/** Admins edit a station: its details, and who is stationed there with its lead (站长), found by name. */
export const load = (async ({ locals, params, url, parent }) => {
  const { organization } = await parent();
  if (!organization.viewerIsAdmin) error(403, { message: 'Admins only', code: 'FORBIDDEN' });
  const search = url.searchParams.get('q')?.trim() || null;
  try {
    const result = await locals.api.request(StationEditDocument, { id: params.id, search }, params.slug);
    return { station: result.station, candidates: result.organization?.members.nodes ?? [], search };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  details: async ({ request, locals, params }) => {
    const values = readForm(await request.formData(), STATION_FIELDS);
    try {
      await locals.api.request(UpdateStationDocument, { id: params.id, input: stationInput(values) }, params.slug);
    } catch (cause) {
      return failForm(cause, { ...values, action: 'details' });
    }
    redirect(303, `/o/${params.slug}/stations/${params.id}?saved=1`);
  },
  people: async ({ request, locals, params }) => {
    const data = await request.formData();
    const memberIds = data.getAll('memberIds').map(String);
    const lead = data.get('leadMemberId');
    const leadMemberId = typeof lead === 'string' && lead !== '' ? lead : null;
    try {
      await locals.api.request(
        SetStationMembersDocument,
        { input: { stationId: params.id, memberIds, leadMemberId } },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, { action: 'people', memberIds: memberIds.join(','), leadMemberId: leadMemberId ?? '' });
    }
    redirect(303, `/o/${params.slug}/stations/${params.id}?saved=1`);
  },
} satisfies Actions;
