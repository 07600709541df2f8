import { redirect } from '@sveltejs/kit';
import { SubmitRequestDocument } from '$lib/graphql/__generated__/operations';
import { failForm, readForm } from '$lib/server/forms';
import { isRequestCategory } from '$lib/requests';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['category', 'place', 'description', 'contactPhone', 'consentToContact'] as const;

export const load = (({ params, url }) => {
  // The "check a request" form sends its code here (GET, so it works without JavaScript).
  const code = url.searchParams.get('code')?.trim();
  if (code) redirect(303, `/o/${params.slug}/help/${encodeURIComponent(code)}`);
  return {};
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, params }) => {
    const values = readForm(await request.formData(), FIELDS);
    let trackingCode: string;
    try {
      const result = await locals.api.request(
        SubmitRequestDocument,
        {
          input: {
            // An unknown category is refused by the API's schema; OTHER stands in so the other fields are still checked.
            category: isRequestCategory(values['category'] ?? '') ? (values['category'] as never) : 'OTHER',
            place: values['place'] ?? '',
            description: values['description'] ?? '',
            contactPhone: values['contactPhone'] ?? '',
            consentToContact: values['consentToContact'] === 'on',
          },
        },
        params.slug,
      );
      trackingCode = result.submitRequest.trackingCode;
    } catch (cause) {
      return failForm(cause, values);
    }
    redirect(303, `/o/${params.slug}/help/${trackingCode}?new=1`);
  },
} satisfies Actions;
