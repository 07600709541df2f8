import {
  OrganizationTeamsDocument,
  PublicActivitiesDocument,
  RequestToJoinDocument,
  ViewerJoinRequestDocument,
} from '$lib/graphql/__generated__/operations';
import { localDateAt } from '@qicai/api/kernel/time';
import { addDays } from '$lib/activities';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const PUBLIC_ACTIVITIES_SHOWN = 12;

export const load = (async ({ locals, params, parent }) => {
  const { viewer, organization: layout } = await parent();
  const today = localDateAt(new Date(), layout.timeZone);
  const [{ organization }, { activities }, joinRequest] = await Promise.all([
    locals.api.request(OrganizationTeamsDocument, {}, params.slug),
    // The next published public activities of the coming two months: anyone sees them here.
    locals.api.request(
      PublicActivitiesDocument,
      { filter: { fromDate: today, toDate: addDays(today, 60) }, first: PUBLIC_ACTIVITIES_SHOWN },
      params.slug,
    ),
    // A signed-in person who is not a member may ask to join (申请加入); show where their request stands.
    viewer && !layout.viewerMember
      ? locals.api
          .request(ViewerJoinRequestDocument, {}, params.slug)
          .then((result) => result.organization?.viewerJoinRequest ?? null)
      : Promise.resolve(null),
  ]);
  return { teams: organization?.teams ?? [], activities: activities.nodes, joinRequest };
}) satisfies PageServerLoad;

export const actions = {
  join: async ({ locals, params, request }) => {
    const values = readForm(await request.formData(), ['message']);
    try {
      await locals.api.request(RequestToJoinDocument, { input: { message: values['message'] ?? '' } }, params.slug);
    } catch (cause) {
      return failForm(cause, values);
    }
    return { asked: true };
  },
} satisfies Actions;
