import { redirect } from '@sveltejs/kit';
import { CreateStationDocument, StationsDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = [
  'name',
  'township',
  'village',
  'address',
  'latitude',
  'longitude',
  'radiusMetres',
  'opensAt',
  'closesAt',
];

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
    const values = readForm(await request.formData(), FIELDS);
    const number = (text: string | undefined) => (text ? Number(text) : Number.NaN);
    let id: string;
    try {
      const { createStation } = await locals.api.request(
        CreateStationDocument,
        {
          input: {
            name: values['name'] ?? '',
            township: values['township'] ?? '',
            village: values['village'] || null,
            address: values['address'] || null,
            // Not a number is sent as out of range, so the API says which field is wrong.
            latitude: Number.isFinite(number(values['latitude'])) ? number(values['latitude']) : 999,
            longitude: Number.isFinite(number(values['longitude'])) ? number(values['longitude']) : 999,
            radiusMetres: values['radiusMetres'] ? Math.round(number(values['radiusMetres'])) || 0 : null,
            opensAt: values['opensAt'] || null,
            closesAt: values['closesAt'] || null,
          },
        },
        params.slug,
      );
      id = createStation.id;
    } catch (cause) {
      return failForm(cause, values);
    }
    redirect(303, `/o/${params.slug}/stations/${id}?created=1`);
  },
} satisfies Actions;
