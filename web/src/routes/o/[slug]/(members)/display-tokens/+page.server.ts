import { error } from '@sveltejs/kit';
import {
  CreateDisplayTokenDocument,
  DisplayTokensDocument,
  RevokeDisplayTokenDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url, parent }) => {
  const { organization: layout } = await parent();
  if (!layout.viewerIsAdmin) error(403, { message: 'Admins only', code: 'FORBIDDEN' });
  try {
    const { organization } = await locals.api.request(DisplayTokensDocument, {}, params.slug);
    return { displayTokens: organization?.displayTokens ?? [] };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  create: async ({ locals, params, request }) => {
    const values = readForm(await request.formData(), ['name']);
    try {
      const { createDisplayToken } = await locals.api.request(
        CreateDisplayTokenDocument,
        { name: values['name'] ?? '' },
        params.slug,
      );
      return { url: createDisplayToken.url, name: createDisplayToken.displayToken.name };
    } catch (cause) {
      return failForm(cause, values);
    }
  },
  revoke: async ({ locals, params, request }) => {
    const id = formText(await request.formData(), 'id');
    try {
      await locals.api.request(RevokeDisplayTokenDocument, { id }, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    return { revoked: true };
  },
} satisfies Actions;
