import { redirect } from '@sveltejs/kit';
import { CreateOrganizationDocument } from '$lib/graphql/__generated__/operations';
import { isLocale } from '$lib/i18n';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ parent, url }) => {
  const { viewer } = await parent();
  if (!viewer) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
  return {};
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals }) => {
    const values = readForm(await request.formData(), ['name', 'slug', 'timeZone', 'defaultLocale']);
    let slug: string;
    try {
      const result = await locals.api.request(CreateOrganizationDocument, {
        input: {
          name: values['name'] ?? '',
          slug: values['slug'] ?? '',
          timeZone: values['timeZone'] || null,
          defaultLocale: isLocale(values['defaultLocale']) ? values['defaultLocale'] : null,
        },
      });
      slug = result.createOrganization.slug;
    } catch (cause) {
      return failForm(cause, values);
    }
    redirect(303, `/o/${slug}/home`);
  },
} satisfies Actions;
