import { fail } from '@sveltejs/kit';
import { AnswerSpotCheckDocument, SpotChecksDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const result = await locals.api.request(SpotChecksDocument, {}, params.slug);
    return { mine: result.mySpotChecks, sent: result.sentSpotChecks };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  answer: async ({ request, locals, params }) => {
    const values = readForm(await request.formData(), ['id', 'latitude', 'longitude', 'accuracy']);
    const latitude = Number(values['latitude']);
    const longitude = Number(values['longitude']);
    const accuracy = Number(values['accuracy']);
    if (!values['latitude'] || !Number.isFinite(latitude) || !Number.isFinite(longitude)) {
      const fields: Record<string, string> = { latitude: 'INVALID_POSITION' };
      return fail(400, { values, fields, code: 'VALIDATION' });
    }
    try {
      await locals.api.request(
        AnswerSpotCheckDocument,
        {
          input: {
            id: values['id'] ?? '',
            latitude,
            longitude,
            accuracyMetres: Number.isFinite(accuracy) && accuracy >= 0 ? accuracy : null,
          },
        },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, values);
    }
    return { answered: values['id'] ?? '' };
  },
} satisfies Actions;
