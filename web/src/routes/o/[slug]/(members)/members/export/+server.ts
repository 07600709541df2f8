import { error, redirect } from '@sveltejs/kit';
import { ExportRosterDocument } from '$lib/graphql/__generated__/operations';
import { rosterArguments, rosterViewFrom } from '$lib/roster';
import { ApiError } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** Downloads the roster as shown (search, filters, order) as .xlsx or .csv. The API checks that the viewer is an admin. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  const format = url.searchParams.get('format') === 'csv' ? 'CSV' : 'XLSX';
  try {
    const { exportRoster } = await locals.api.request(
      ExportRosterDocument,
      { input: { format, locale: locals.locale, ...rosterArguments(rosterViewFrom(url.searchParams)) } },
      params.slug,
    );
    return new Response(Buffer.from(exportRoster.base64, 'base64'), {
      headers: {
        'content-type': exportRoster.contentType,
        'content-disposition': `attachment; filename="${exportRoster.fileName}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (cause) {
    if (cause instanceof ApiError && cause.code === 'UNAUTHENTICATED') {
      redirect(303, `/signin?next=${encodeURIComponent(`/o/${params.slug}/members`)}`);
    }
    if (cause instanceof ApiError)
      error(cause.code === 'NOT_FOUND' ? 404 : 403, { message: cause.message, code: cause.code });
    throw cause;
  }
};
