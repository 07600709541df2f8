import { OrganizationTeamsDocument, PublicActivitiesDocument } from '$lib/graphql/__generated__/operations';
import { addDays, localDateOf } from '$lib/activities';
import type { PageServerLoad } from './$types';

const PUBLIC_ACTIVITIES_SHOWN = 12;

export const load = (async ({ locals, params, parent }) => {
  const { organization: layoutOrganization } = await parent();
  const today = localDateOf(new Date(), layoutOrganization.timeZone);
  const [{ organization }, { activities }] = await Promise.all([
    locals.api.request(OrganizationTeamsDocument, {}, params.slug),
    // The next published public activities of the coming two months: anyone sees them here.
    locals.api.request(
      PublicActivitiesDocument,
      { filter: { fromDate: today, toDate: addDays(today, 60) }, first: PUBLIC_ACTIVITIES_SHOWN },
      params.slug,
    ),
  ]);
  return { teams: organization?.teams ?? [], activities: activities.nodes };
}) satisfies PageServerLoad;
