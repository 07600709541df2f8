import { redirect } from '@sveltejs/kit';
import {
  AssignRequestDocument,
  DeclineRequestDocument,
  HelpRequestPageDocument,
  ResolveRequestDocument,
  SetRequestDueDateDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const { helpRequest, organization } = await locals.api.request(
      HelpRequestPageDocument,
      { id: params.id },
      params.slug,
    );
    return { request: helpRequest, teams: organization?.teams ?? [], saved: url.searchParams.has('saved') };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  assign: async ({ request, locals, params }) => {
    const values = readForm(await request.formData(), ['teamId', 'dueOn', 'note']);
    try {
      await locals.api.request(
        AssignRequestDocument,
        {
          input: {
            id: params.id,
            teamId: values['teamId'] ?? '',
            dueOn: values['dueOn'] || null,
            note: values['note'] || null,
          },
        },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, { ...values, action: 'assign' });
    }
    redirect(303, `/o/${params.slug}/requests/${params.id}?saved=1`);
  },
  due: async ({ request, locals, params }) => {
    const values = readForm(await request.formData(), ['dueOn']);
    try {
      await locals.api.request(
        SetRequestDueDateDocument,
        { id: params.id, dueOn: values['dueOn'] || null },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, { ...values, action: 'due' });
    }
    redirect(303, `/o/${params.slug}/requests/${params.id}?saved=1`);
  },
  decline: async ({ request, locals, params }) => {
    const values = readForm(await request.formData(), ['reason']);
    try {
      await locals.api.request(DeclineRequestDocument, { id: params.id, reason: values['reason'] ?? '' }, params.slug);
    } catch (cause) {
      return failForm(cause, { ...values, action: 'decline' });
    }
    redirect(303, `/o/${params.slug}/requests/${params.id}?saved=1`);
  },
  resolve: async ({ request, locals, params }) => {
    const values = readForm(await request.formData(), ['feedback']);
    try {
      await locals.api.request(
        ResolveRequestDocument,
        { id: params.id, feedback: values['feedback'] ?? '' },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, { ...values, action: 'resolve' });
    }
    redirect(303, `/o/${params.slug}/requests/${params.id}?saved=1`);
  },
} satisfies Actions;
