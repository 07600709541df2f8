import { redirect } from '@sveltejs/kit';
import {
  ActivityDetailDocument,
  CancelActivityDocument,
  CancelSignUpDocument,
  CompleteActivityDocument,
  PublishActivityDocument,
  SignUpDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const result = await locals.api.request(ActivityDetailDocument, { id: params.id }, params.slug);
    return {
      activity: result.activity,
      radiusMetres: result.organization?.checkInRules.radiusMetres ?? 500,
      notice: url.searchParams.get('done'),
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

type Event = Parameters<Actions[string]>[0];

const scopeOf = (data: FormData) => (formText(data, 'scope') === 'SERIES' ? 'SERIES' : 'OCCURRENCE');

export const actions = {
  signUp: async ({ locals, params }: Event) => {
    let done: string;
    try {
      const { signUp } = await locals.api.request(SignUpDocument, { activityId: params.id }, params.slug);
      done = signUp.status === 'CONFIRMED' ? 'signedUp' : 'waitlisted';
    } catch (cause) {
      return failForm(cause, {});
    }
    redirect(303, `/o/${params.slug}/activities/${params.id}?done=${done}`);
  },
  cancelSignUp: async ({ locals, params }: Event) => {
    try {
      await locals.api.request(CancelSignUpDocument, { activityId: params.id }, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    redirect(303, `/o/${params.slug}/activities/${params.id}?done=cancelled`);
  },
  publish: async ({ locals, params, request }: Event) => {
    const data = await request.formData();
    try {
      await locals.api.request(PublishActivityDocument, { id: params.id, scope: scopeOf(data) }, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    return { saved: true };
  },
  cancel: async ({ locals, params, request }: Event) => {
    const data = await request.formData();
    const reason = formText(data, 'reason');
    try {
      await locals.api.request(
        CancelActivityDocument,
        { id: params.id, reason: reason || null, scope: scopeOf(data) },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, { reason });
    }
    return { saved: true };
  },
  complete: async ({ locals, params, request }: Event) => {
    const beneficiaries = formText(await request.formData(), 'beneficiaries');
    try {
      await locals.api.request(
        CompleteActivityDocument,
        // Anything but a whole number is refused by the API as OUT_OF_RANGE.
        { id: params.id, beneficiaries: /^\d{1,9}$/.test(beneficiaries.trim()) ? Number(beneficiaries) : -1 },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, { beneficiaries });
    }
    return { saved: true };
  },
} satisfies Actions;
