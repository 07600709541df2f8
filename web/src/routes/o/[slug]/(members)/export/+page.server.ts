import { error, redirect } from '@sveltejs/kit';
import { OrganizationExportsDocument, StartOrganizationExportDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url, parent }) => {
  const { organization } = await parent();
  if (!organization.viewerIsAdmin) error(403, { message: 'Admins only', code: 'FORBIDDEN' });
  try {
    const { organizationExports } = await locals.api.request(OrganizationExportsDocument, {}, params.slug);
    return { exports: organizationExports, started: url.searchParams.get('started') };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ locals, params, request }) => {
    const data = await request.formData();
    const includeChildren = formText(data, 'includeChildren') === 'on';
    const confirmation = formText(data, 'confirmation');
    let id: string;
    try {
      const { startOrganizationExport } = await locals.api.request(
        StartOrganizationExportDocument,
        { input: { includeChildren, confirmation: includeChildren ? confirmation : null } },
        params.slug,
      );
      id = startOrganizationExport.id;
    } catch (cause) {
      return failForm(cause, { includeChildren: includeChildren ? 'on' : '', confirmation });
    }
    redirect(303, `/o/${params.slug}/export?started=${id}`);
  },
} satisfies Actions;
