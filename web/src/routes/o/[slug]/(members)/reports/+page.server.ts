import { HoursReportsDocument, StationReportDocument } from '$lib/graphql/__generated__/operations';
import { localDateAt } from '@qicai/api/kernel/time';
import { ApiError, failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const NO_FIELD_ERRORS: Record<string, string> = {};

/**
 * Reports for the period in the address (the year so far by default): by team, month and member in one request;
 * for admins, the stations' report of the same period beside them (its month in `?stationMonth=`).
 */
export const load = (async ({ locals, params, parent, url }) => {
  const { organization } = await parent();
  const today = localDateAt(new Date(), organization.timeZone);
  const asked = { from: url.searchParams.get('from') ?? '', to: url.searchParams.get('to') ?? '' };
  const period = {
    from: ISO_DATE.test(asked.from) ? asked.from : `${today.slice(0, 4)}-01-01`,
    to: ISO_DATE.test(asked.to) ? asked.to : today,
  };
  try {
    const [reports, stations] = await Promise.all([
      locals.api.request(HoursReportsDocument, period, params.slug),
      organization.viewerIsAdmin ? stationReport(locals, params.slug, period) : null,
    ]);
    const month = url.searchParams.get('stationMonth') ?? '';
    const months = stations?.report?.months ?? [];
    const stationMonth = months.includes(month) ? month : (months.at(-1) ?? null);
    return { period, reports, fields: NO_FIELD_ERRORS, stations, stationMonth };
  } catch (cause) {
    // A period the API refuses (reversed, too long) is shown on the form, not as an error page.
    if (cause instanceof ApiError && cause.code === 'VALIDATION')
      return { period, reports: null, fields: cause.fields, stations: null, stationMonth: null };
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

/** The stations' report; a period it does not cover (longer than a year) is said beside it, not as an error page. */
async function stationReport(locals: App.Locals, slug: string, period: { from: string; to: string }) {
  try {
    const { stationReport: report } = await locals.api.request(StationReportDocument, { input: period }, slug);
    return { report, problem: null };
  } catch (cause) {
    if (cause instanceof ApiError && cause.code === 'VALIDATION') return { report: null, problem: cause.fields['to'] ?? 'INVALID' };
    throw cause;
  }
}
