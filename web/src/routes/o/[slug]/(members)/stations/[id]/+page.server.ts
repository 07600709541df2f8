import {
  RecordStationVisitDocument,
  SendSpotCheckDocument,
  StationDetailDocument,
  type StationServiceCategory,
  type StationVisitOutcome,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, readForm } from '$lib/server/forms';
import { STATION_SERVICE_CATEGORIES } from '$lib/stations';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const { station } = await locals.api.request(StationDetailDocument, { id: params.id }, params.slug);
    return { station, created: url.searchParams.has('created'), saved: url.searchParams.has('saved') };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

const isCategory = (value: string): value is StationServiceCategory =>
  (STATION_SERVICE_CATEGORIES as readonly string[]).includes(value);

export const actions = {
  record: async ({ request, locals, params }) => {
    const values = readForm(await request.formData(), ['visitorName', 'purpose', 'category', 'minutes', 'outcome']);
    const category = values['category'] ?? '';
    const outcome: StationVisitOutcome = values['outcome'] === 'REFERRED' ? 'REFERRED' : 'RESOLVED';
    try {
      await locals.api.request(
        RecordStationVisitDocument,
        {
          input: {
            stationId: params.id,
            visitorName: values['visitorName'] ?? '',
            purpose: values['purpose'] ?? '',
            category: isCategory(category) ? category : 'OTHER',
            minutes: Math.round(Number(values['minutes'])) || 0,
            outcome,
          },
        },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, { ...values, action: 'record' });
    }
    // A fresh form for the next visitor: the category stays, as a desk often serves several in a row.
    return { recorded: true, category };
  },
  spotCheck: async ({ request, locals, params }) => {
    const values = readForm(await request.formData(), ['memberId']);
    try {
      await locals.api.request(
        SendSpotCheckDocument,
        { input: values['memberId'] ? { memberId: values['memberId'] } : { stationId: params.id } },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, { ...values, action: 'spotCheck' });
    }
    return { sent: true };
  },
} satisfies Actions;
