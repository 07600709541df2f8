import { HoursReportFileDocument, type HoursReportGrouping } from '$lib/graphql/__generated__/operations';
import { downloadResponse, failFile } from '$lib/server/files';
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
    return downloadResponse(hoursReportFile);
  } catch (cause) {
    failFile(cause, `/o/${params.slug}/reports`);
  }
};
