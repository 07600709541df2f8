import { redirect } from '@sveltejs/kit';
import { IssueCertificateDocument, MyCertificatesDocument } from '$lib/graphql/__generated__/operations';
import { localDateAt } from '@qicai/api/kernel/time';
import { failLoad } from '$lib/server/api';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, parent, url }) => {
  const { organization } = await parent();
  try {
    const { myCertificates } = await locals.api.request(MyCertificatesDocument, {}, params.slug);
    const today = localDateAt(new Date(), organization.timeZone);
    return {
      certificates: myCertificates,
      issued: url.searchParams.get('issued'),
      // The year so far: what a member most often asks a certificate for.
      defaults: { from: `${today.slice(0, 4)}-01-01`, to: today },
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  /** Also the target of the certificate form on the my-hours page. */
  issue: async ({ locals, params, request }) => {
    const values = readForm(await request.formData(), ['from', 'to']);
    let number: string;
    try {
      const { issueCertificate } = await locals.api.request(
        IssueCertificateDocument,
        { input: { from: values['from'] ?? '', to: values['to'] ?? '' } },
        params.slug,
      );
      number = issueCertificate.number;
    } catch (cause) {
      return failForm(cause, values);
    }
    redirect(303, `/o/${params.slug}/hours/certificates?issued=${encodeURIComponent(number)}`);
  },
} satisfies Actions;
