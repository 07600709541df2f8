import { error, redirect } from '@sveltejs/kit';
import { HoursReportFileDocument, type HoursReportGrouping } from '$lib/graphql/__generated__/operations';
import { ApiError } from '$lib/server/api';
import type { RequestHandler } from './$types';

const GROUPINGS: readonly HoursReportGrouping[] = ['TEAM', 'MONTH', 'MEMBER', 'POLITICAL_STATUS'];

function grouping(value: string | null): HoursReportGrouping {
  return GROUPINGS.find((candidate) => candidate === value?.toUpperCase()) ?? 'TEAM';
}

/** Downloads a report as .xlsx or .csv, in the viewer's language. The API checks that the viewer is a lead or an admin. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  const format = url.searchParams.get('format') === 'csv' ? 'CSV' : 'XLSX';
  const input = {
    from: url.searchParams.get('from') ?? '',
    to: url.searchParams.get('to') ?? '',
    groupBy: grouping(url.searchParams.get('groupBy')),
  };
  try {
    const { hoursReportFile } = await locals.api.request(
      HoursReportFileDocument,
      { input, format, locale: locals.locale },
      params.slug,
    );
    return new Response(Buffer.from(hoursReportFile.base64, 'base64'), {
      headers: {
        'content-type': hoursReportFile.contentType,
        'content-disposition': `attachment; filename="${hoursReportFile.fileName}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (cause) {
    if (cause instanceof ApiError && cause.code === 'UNAUTHENTICATED') {
      redirect(303, `/signin?next=${encodeURIComponent(`/o/${params.slug}/reports`)}`);
    }
    if (cause instanceof ApiError)
      error(cause.code === 'NOT_FOUND' ? 404 : cause.code === 'VALIDATION' ? 400 : 403, {
        message: cause.message,
        code: cause.code,
      });
    throw cause;
  }
};
