import { error, fail, redirect } from '@sveltejs/kit';
import {
  CertificateSealPageDocument,
  RemoveCertificateSealDocument,
  SetCertificateSealDocument,
} from '$lib/graphql/__generated__/operations';
import { ApiError, failLoad } from '$lib/server/api';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

/**
 * A file this large is refused without sending it: its base64 would pass the
 * API's request limit (1 MB), and the API's own limit for a seal is 512 KB.
 */
const LARGEST_SENT = 700 * 1024;

const tooLarge = (values: Record<string, string>) => {
  const fields: Record<string, string> = { seal: 'TOO_LARGE' };
  return fail(400, { values, fields, code: 'VALIDATION' });
};

export const load = (async ({ locals, params, url, parent }) => {
  const { organization } = await parent();
  if (!organization.viewerIsAdmin) error(403, { message: 'Admins only', code: 'FORBIDDEN' });
  try {
    const result = await locals.api.request(CertificateSealPageDocument, {}, params.slug);
    return { seal: result.certificateSeal ?? null, saved: url.searchParams.get('saved') };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  save: async ({ locals, params, request }) => {
    const data = await request.formData();
    const signerTitle = formText(data, 'signerTitle');
    const file = data.get('seal');
    const values = { signerTitle };
    const chosen = file instanceof File && file.size > 0 ? file : undefined;
    if (chosen && chosen.size > LARGEST_SENT) {
      return tooLarge(values);
    }
    try {
      const pngBase64 = chosen ? Buffer.from(await chosen.arrayBuffer()).toString('base64') : null;
      await locals.api.request(SetCertificateSealDocument, { input: { pngBase64, signerTitle } }, params.slug);
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'PAYLOAD_TOO_LARGE') {
        return tooLarge(values);
      }
      return failForm(cause, values);
    }
    redirect(303, `/o/${params.slug}/hours/certificates/seal?saved=set`);
  },
  remove: async ({ locals, params }) => {
    try {
      await locals.api.request(RemoveCertificateSealDocument, {}, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    redirect(303, `/o/${params.slug}/hours/certificates/seal?saved=removed`);
  },
} satisfies Actions;
