import { StationReportFileDocument } from '$lib/graphql/__generated__/operations';
import { downloadResponse, failFile } from '$lib/server/files';
import type { RequestHandler } from './$types';

/** Downloads the stations' report as .xlsx, in the viewer's language. The API checks that the viewer is an admin. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  const input = { from: url.searchParams.get('from') ?? '', to: url.searchParams.get('to') ?? '' };
  try {
    const { stationReportFile } = await locals.api.request(
      StationReportFileDocument,
      { input, locale: locals.locale },
      params.slug,
    );
    return downloadResponse(stationReportFile);
  } catch (cause) {
    failFile(cause, `/o/${params.slug}/reports`);
  }
};
