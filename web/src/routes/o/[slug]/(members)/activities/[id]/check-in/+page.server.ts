import { fail } from '@sveltejs/kit';
import {
  ActivityDetailDocument,
  CheckInDocument,
  CheckOutDocument,
  UndoCheckOutDocument,
} from '$lib/graphql/__generated__/operations';
import { ApiError, failLoad } from '$lib/server/api';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const result = await locals.api.request(ActivityDetailDocument, { id: params.id }, params.slug);
    return {
      activity: result.activity,
      radiusMetres: result.organization?.checkInRules.radiusMetres ?? 500,
      // The QR code opens this page with the code filled in.
      code: url.searchParams.get('code') ?? '',
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

type Event = Parameters<Actions[string]>[0];

/** An ISO instant from the form, or null (a check-in sent at once: the server's now). */
function takenAt(text: string): string | null {
  return text && !Number.isNaN(Date.parse(text)) ? new Date(text).toISOString() : null;
}

async function record({ locals, params, request }: Event, by: 'position' | 'code') {
  const data = await request.formData();
  const direction = formText(data, 'direction') === 'out' ? 'out' : 'in';
  const code = formText(data, 'code').trim();
  const latitude = Number(formText(data, 'latitude'));
  const longitude = Number(formText(data, 'longitude'));
  const accuracy = Number(formText(data, 'accuracy'));
  // What was sent, kept for the confirmation a check-out that counts no time asks for.
  const sent = {
    code,
    by,
    latitude: formText(data, 'latitude'),
    longitude: formText(data, 'longitude'),
    accuracy: formText(data, 'accuracy'),
  };
  if (by === 'position' && !(Number.isFinite(latitude) && Number.isFinite(longitude) && formText(data, 'latitude'))) {
    return fail(400, { values: sent, fields: {}, code: 'OUTSIDE_RADIUS' });
  }
  const input = {
    activityId: params.id,
    position:
      by === 'position'
        ? { latitude, longitude, accuracyMetres: Number.isFinite(accuracy) && accuracy > 0 ? accuracy : null }
        : null,
    code: by === 'code' ? code : null,
    confirmNoHours: formText(data, 'confirmNoHours') === 'yes',
    // Queued on the phone with no network and sent now (src/lib/offline-queue.ts): when it was taken.
    takenAt: takenAt(formText(data, 'takenAt')),
  };
  try {
    if (direction === 'in') {
      const { checkIn } = await locals.api.request(CheckInDocument, { input }, params.slug);
      return { done: 'in' as const, distance: checkIn.checkInDistanceMetres ?? null };
    }
    const { checkOut } = await locals.api.request(CheckOutDocument, { input }, params.slug);
    return {
      done: 'out' as const,
      distance: checkOut.checkOutDistanceMetres ?? null,
      minutes: checkOut.checkOutMinutes ?? 0,
    };
  } catch (cause) {
    // How far, and how far is allowed: the page says both.
    if (cause instanceof ApiError && cause.code === 'OUTSIDE_RADIUS') {
      return fail(400, {
        values: sent,
        fields: {},
        code: cause.code,
        distanceMetres: cause.numbers['distanceMetres'] ?? null,
        radiusMetres: cause.numbers['radiusMetres'] ?? null,
      });
    }
    // Queued too long ago: the page says how long a queued check-in is kept.
    if (cause instanceof ApiError && cause.code === 'QUEUED_CHECK_IN_STALE') {
      return fail(400, {
        values: sent,
        fields: {},
        code: cause.code,
        maxAgeHours: cause.numbers['maxAgeHours'] ?? null,
      });
    }
    return failForm(cause, sent);
  }
}

export const actions = {
  position: (event) => record(event, 'position'),
  code: (event) => record(event, 'code'),
  undo: async ({ locals, params, request }) => {
    const data = await request.formData();
    try {
      await locals.api.request(UndoCheckOutDocument, { signUpId: formText(data, 'signUpId') }, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    return { undone: true };
  },
} satisfies Actions;
