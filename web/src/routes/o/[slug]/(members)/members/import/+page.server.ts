import { error, fail, redirect } from '@sveltejs/kit';
import { RosterImportsDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url, parent }) => {
  const { organization: layout } = await parent();
  if (!layout.viewerIsAdmin) error(403, { message: 'Admins only', code: 'FORBIDDEN' });
  try {
    const { organization } = await locals.api.request(RosterImportsDocument, {}, params.slug);
    return { imports: organization?.rosterImports ?? [] };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  /** The file goes to the API, which reads and checks every row; the preview page follows. */
  default: async ({ locals, params, request }) => {
    const file = (await request.formData()).get('file');
    if (!(file instanceof File) || file.size === 0) {
      return fail(400, { values: {}, fields: { file: 'FILE_REQUIRED' }, code: 'VALIDATION' });
    }
    let id: string;
    try {
      ({ id } = await locals.api.upload<{ id: string }>('/imports/roster', file, params.slug));
    } catch (cause) {
      return failForm(cause, {});
    }
    redirect(303, `/o/${params.slug}/members/import/${id}`);
  },
} satisfies Actions;
