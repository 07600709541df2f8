import { error } from '@sveltejs/kit';
import { RosterImportRejectedRowsDocument } from '$lib/graphql/__generated__/operations';
import { isLocale } from '$lib/i18n';
import { downloadResponse, failFile } from '$lib/server/files';
import type { RequestHandler } from './$types';

/**
 * Downloads an import's rejected rows as .xlsx (the file's columns and a
 * reason column) in the language the page was shown in (`?locale=`; an
 * endpoint does not run the layout that picks the organization's language).
 * Admins only (the API checks).
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  const asked = url.searchParams.get('locale');
  const locale = isLocale(asked) ? asked : (locals.chosenLocale ?? locals.locale);
  try {
    const { organization } = await locals.api.request(
      RosterImportRejectedRowsDocument,
      { id: params.id, locale },
      params.slug,
    );
    const file = organization?.rosterImport.rejectedRowsFile;
    if (!file) error(404, { message: 'Import not found', code: 'NOT_FOUND' });
    return downloadResponse(file);
  } catch (cause) {
    failFile(cause, `/o/${params.slug}/members/import/${params.id}`);
  }
};
