import { error, fail } from '@sveltejs/kit';
import { ImportStationsDocument } from '$lib/graphql/__generated__/operations';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

/** A station list is a few hundred rows; far past that is not one (the API says so too). */
const FILE_MAX_BYTES = 2 * 1024 * 1024;

/** Admins import stations from a workbook: the API reads it once to preview, and again to write it. */
export const load = (async ({ parent }) => {
  const { organization } = await parent();
  if (!organization.viewerIsAdmin) error(403, { message: 'Admins only', code: 'FORBIDDEN' });
  return {};
}) satisfies PageServerLoad;

export const actions = {
  /** The file is read and checked, nothing written: the preview comes back with the file, to confirm. */
  preview: async ({ locals, params, request }) => {
    const file = (await request.formData()).get('file');
    if (!(file instanceof File) || file.size === 0) {
      return fail(400, { values: {}, fields: { file: 'FILE_REQUIRED' }, code: 'VALIDATION' });
    }
    if (file.size > FILE_MAX_BYTES) {
      return fail(400, { values: {}, fields: { file: 'TOO_MANY_ROWS' }, code: 'VALIDATION' });
    }
    const contentBase64 = Buffer.from(await file.arrayBuffer()).toString('base64');
    try {
      const { importStations } = await locals.api.request(
        ImportStationsDocument,
        { fileName: file.name, contentBase64, dryRun: true },
        params.slug,
      );
      return { preview: importStations, fileName: file.name, contentBase64 };
    } catch (cause) {
      return failForm(cause, {});
    }
  },
  /** The previewed file again, written this time (rows with problems are skipped, as the preview said). */
  apply: async ({ locals, params, request }) => {
    const data = await request.formData();
    const fileName = formText(data, 'fileName');
    const contentBase64 = formText(data, 'contentBase64');
    try {
      const { importStations } = await locals.api.request(
        ImportStationsDocument,
        { fileName, contentBase64, dryRun: false },
        params.slug,
      );
      return { done: importStations };
    } catch (cause) {
      return failForm(cause, {});
    }
  },
} satisfies Actions;
