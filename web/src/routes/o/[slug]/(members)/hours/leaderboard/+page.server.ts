import { HoursLeaderboardDocument, type HoursPeriod } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const PERIODS: readonly HoursPeriod[] = ['MONTH', 'YEAR', 'ALL_TIME'];
const isPeriod = (value: string | null): value is HoursPeriod =>
  value !== null && (PERIODS as readonly string[]).includes(value);

export const load = (async ({ locals, params, url }) => {
  const asked = url.searchParams.get('period');
  const period: HoursPeriod = isPeriod(asked) ? asked : 'MONTH';
  try {
    const result = await locals.api.request(HoursLeaderboardDocument, { period }, params.slug);
    return {
      period,
      periods: PERIODS,
      entries: result.hoursLeaderboard,
      viewerId: result.organization?.viewerMember?.id ?? null,
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
