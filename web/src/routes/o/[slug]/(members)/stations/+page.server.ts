import { redirect } from '@sveltejs/kit';
import { CreateStationDocument, StationsDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, readForm } from '$lib/server/forms';
import { stationInput, STATION_FIELDS } from '$lib/server/stations';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const { stations } = await locals.api.request(StationsDocument, {}, params.slug);
    return { stations, created: url.searchParams.has('created') };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  create: async ({ request, locals, params }) => {
    const values = readForm(await request.formData(), STATION_FIELDS);
    let id: string;
    try {
      const { createStation } = await locals.api.request(
        CreateStationDocument,
        { input: stationInput(values) },
        params.slug,
      );
      id = createStation.id;
    } catch (cause) {
      return failForm(cause, values);
    }
    redirect(303, `/o/${params.slug}/stations/${id}?created=1`);
  },
} satisfies Actions;
