import { error, redirect } from '@sveltejs/kit';
import { RosterImportRejectedRowsDocument } from '$lib/graphql/__generated__/operations';
import { isLocale } from '$lib/i18n';
import { ApiError } from '$lib/server/api';
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
    return new Response(Buffer.from(file.base64, 'base64'), {
      headers: {
        'content-type': file.contentType,
        // RFC 6266: the name is Chinese more often than not.
        'content-disposition': `attachment; filename="rejected.xlsx"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        'cache-control': 'no-store',
      },
    });
  } catch (cause) {
    if (cause instanceof ApiError && cause.code === 'UNAUTHENTICATED') {
      redirect(303, `/signin?next=${encodeURIComponent(`/o/${params.slug}/members/import/${params.id}`)}`);
    }
    if (cause instanceof ApiError)
      error(cause.code === 'NOT_FOUND' ? 404 : 403, { message: cause.message, code: cause.code });
    throw cause;
  }
};
