import { HoursReportsDocument } from '$lib/graphql/__generated__/operations';
import { localDateAt } from '@qicai/api/kernel/time';
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
 * request; the members a page at a time (`?offset=`, from the most hours down).
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
    const reports = await locals.api.request(
      HoursReportsDocument,
      { ...period, memberFirst: MEMBERS_PER_PAGE, memberOffset },
      params.slug,
    );
    return { period, reports, memberOffset, membersPerPage: MEMBERS_PER_PAGE, fields: NO_FIELD_ERRORS };
  } catch (cause) {
    // A period the API refuses (reversed, too long) is shown on the form, not as an error page.
    if (cause instanceof ApiError && cause.code === 'VALIDATION')
      return { period, reports: null, memberOffset, membersPerPage: MEMBERS_PER_PAGE, fields: cause.fields };
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
