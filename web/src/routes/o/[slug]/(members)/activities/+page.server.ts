import { ActivityListDocument } from '$lib/graphql/__generated__/operations';
import { isLocalDate, localDateAt } from '@qicai/api/kernel/time';
import { addDays, addMonths, isCategory, monthWeeks, startOfWeek, teamColours } from '$lib/activities';
import { failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export type CalendarView = 'list' | 'week' | 'month';
const LIST_DAYS = 30;

export const load = (async ({ locals, params, url, parent }) => {
  const { organization } = await parent();
  const viewParam = url.searchParams.get('view');
  const view: CalendarView = viewParam === 'week' || viewParam === 'month' ? viewParam : 'list';
  const dateParam = url.searchParams.get('date');
  const today = localDateAt(new Date(), organization.timeZone);
  const date = dateParam !== null && isLocalDate(dateParam) ? dateParam : today;
  const teams = teamColours(url.searchParams.getAll('team'));
  const categoryParam = url.searchParams.get('category') ?? '';
  const category = isCategory(categoryParam) ? categoryParam : null;
  const mine = url.searchParams.get('mine') === '1';

  let fromDate: string;
  let toDate: string;
  if (view === 'week') {
    fromDate = startOfWeek(date);
    toDate = addDays(fromDate, 6);
  } else if (view === 'month') {
    const weeks = monthWeeks(date);
    fromDate = weeks[0]?.[0] ?? date;
    toDate = weeks.at(-1)?.[6] ?? date;
  } else {
    fromDate = date;
    toDate = addDays(date, LIST_DAYS - 1);
  }
  const previous = view === 'month' ? addMonths(date, -1) : addDays(date, view === 'week' ? -7 : -LIST_DAYS);
  const next = view === 'month' ? addMonths(date, 1) : addDays(date, view === 'week' ? 7 : LIST_DAYS);

  try {
    const result = await locals.api.request(
      ActivityListDocument,
      {
        filter: {
          fromDate,
          toDate,
          teamColours: teams.length > 0 ? teams : null,
          categories: category ? [category] : null,
          mine,
        },
        first: 100,
      },
      params.slug,
    );
    const viewerId = result.organization?.viewerMember?.id;
    const canSchedule =
      result.organization?.viewerIsAdmin === true ||
      (result.organization?.teams ?? []).some((team) => team.leads.some((lead) => lead.id === viewerId));
    return {
      view,
      date,
      today,
      fromDate,
      toDate,
      previous,
      next,
      filter: { teams, category, mine },
      teams: result.organization?.teams ?? [],
      activities: result.activities.nodes,
      hasMore: result.activities.pageInfo.hasNextPage,
      canSchedule,
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
