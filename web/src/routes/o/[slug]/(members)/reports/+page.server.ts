import { HoursReportsDocument, StationReportDocument } from '$lib/graphql/__generated__/operations';
import { daysInMonth, localDateAt } from '@qicai/api/kernel/time';
import { ApiError, failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/**
 * Members per page of the by-member table: a county has tens of thousands with hours in a year, more
 * than a page can hold (or a server render in time); the export has them all.
 */
const MEMBERS_PER_PAGE = 100;
const NO_FIELD_ERRORS: Record<string, string> = {};

/**
 * Reports for the period in the address (the year so far by default): by team, month and member in one
 * request, the members a page at a time (`?offset=`, from the most hours down); for admins, the stations'
 * report of the same period beside them (its month in `?stationMonth=`).
 */
export const load = (async ({ locals, params, parent, url }) => {
  const { organization } = await parent();
  const today = localDateAt(new Date(), organization.timeZone);
  const asked = { from: url.searchParams.get('from') ?? '', to: url.searchParams.get('to') ?? '' };
  const period = {
    from: ISO_DATE.test(asked.from) ? asked.from : `${today.slice(0, 4)}-01-01`,
    to: ISO_DATE.test(asked.to) ? asked.to : today,
  };
  const offsetText = url.searchParams.get('offset') ?? '';
  const memberOffset = /^\d{1,7}$/.test(offsetText) ? Number(offsetText) : 0;
  try {
    const stationMonth = monthOf(url.searchParams.get('stationMonth'), period);
    const [reports, stations] = await Promise.all([
      locals.api.request(
        HoursReportsDocument,
        { ...period, memberFirst: MEMBERS_PER_PAGE, memberOffset },
        params.slug,
      ),
      organization.viewerIsAdmin ? stationReport(locals, params.slug, period, stationMonth) : null,
    ]);
    return {
      period,
      reports,
      memberOffset,
      membersPerPage: MEMBERS_PER_PAGE,
      fields: NO_FIELD_ERRORS,
      stations,
      stationMonth,
    };
  } catch (cause) {
    // A period the API refuses (reversed, too long) is shown on the form, not as an error page.
    if (cause instanceof ApiError && cause.code === 'VALIDATION')
      return {
        period,
        reports: null,
        memberOffset,
        membersPerPage: MEMBERS_PER_PAGE,
        fields: cause.fields,
        stations: null,
        stationMonth: null,
      };
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

/** The month of the stations' report to show: the one asked if the period touches it, else the period's last. */
function monthOf(asked: string | null, period: { from: string; to: string }): string {
  const first = period.from.slice(0, 7);
  const last = period.to.slice(0, 7);
  return asked && /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) && asked >= first && asked <= last ? asked : last;
}

/**
 * The stations' report: the period's months and total, and the rows of one month of it (the days of the
 * month within the period). A period it does not cover (longer than a year) is said beside it, not as an error page.
 */
async function stationReport(
  locals: App.Locals,
  slug: string,
  period: { from: string; to: string },
  month: string,
) {
  const year = Number(month.slice(0, 4));
  const monthNumber = Number(month.slice(5, 7));
  const monthStart = `${month}-01`;
  const monthEnd = `${month}-${String(daysInMonth(year, monthNumber)).padStart(2, '0')}`;
  const days = {
    from: monthStart > period.from ? monthStart : period.from,
    to: monthEnd < period.to ? monthEnd : period.to,
  };
  try {
    const report = await locals.api.request(StationReportDocument, { input: period, month: days }, slug);
    return { report: { ...report.period, byStation: report.month.byStation, byTownship: report.month.byTownship }, problem: null };
  } catch (cause) {
    if (cause instanceof ApiError && cause.code === 'VALIDATION') return { report: null, problem: cause.fields['to'] ?? 'INVALID' };
    throw cause;
  }
}
