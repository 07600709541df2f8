import { DEFAULT_TIME_ZONE } from '@qicai/api/kernel/time';
import { redirect } from '@sveltejs/kit';
import {
  MyHoursDocument,
  ReportServiceHoursDocument,
  RequestServiceCorrectionDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const result = await locals.api.request(MyHoursDocument, {}, params.slug);
    return {
      hours: result.memberHours,
      records: result.myServiceRecords,
      reportable: result.reportableActivities,
      teams: result.organization?.teams ?? [],
      timeZone: result.organization?.timeZone ?? DEFAULT_TIME_ZONE,
      notice: url.searchParams.get('done'),
      correcting: url.searchParams.get('correct'),
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

const REPORT_FIELDS = [
  'activityName',
  'teamId',
  'startsAt',
  'endsAt',
  'place',
  'content',
  'organizingUnit',
  'activityLead',
] as const;

const optional = (value: string) => (value.trim() === '' ? null : value);

export const actions = {
  report: async ({ locals, params, request }) => {
    const values = readForm(await request.formData(), REPORT_FIELDS);
    try {
      await locals.api.request(
        ReportServiceHoursDocument,
        {
          input: {
            activityName: values['activityName'] ?? '',
            teamId: optional(values['teamId'] ?? ''),
            startsAt: optional(values['startsAt'] ?? ''),
            endsAt: optional(values['endsAt'] ?? ''),
            place: values['place'] ?? '',
            content: values['content'] ?? '',
            organizingUnit: values['organizingUnit'] ?? '',
            activityLead: values['activityLead'] ?? '',
          },
        },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, { ...values, form: 'report' });
    }
    redirect(303, `/o/${params.slug}/hours?done=reported`);
  },
  reportActivity: async ({ locals, params, request }) => {
    // Named apart from the outside-service form's fields: both are on the page, and ids come from names.
    const values = readForm(await request.formData(), ['activityId', 'activityStartsAt', 'activityEndsAt']);
    try {
      await locals.api.request(
        ReportServiceHoursDocument,
        {
          input: {
            activityId: values['activityId'] ?? '',
            // Left empty, the activity's own start and end.
            startsAt: optional(values['activityStartsAt'] ?? ''),
            endsAt: optional(values['activityEndsAt'] ?? ''),
          },
        },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, { ...values, form: 'reportActivity' });
    }
    redirect(303, `/o/${params.slug}/hours?done=reported`);
  },
  correct: async ({ locals, params, request }) => {
    const data = await request.formData();
    const recordId = formText(data, 'recordId');
    const values = readForm(data, ['recordId', 'reason', 'startsAt', 'endsAt', 'place']);
    try {
      await locals.api.request(
        RequestServiceCorrectionDocument,
        {
          recordId,
          input: {
            reason: values['reason'] ?? '',
            startsAt: optional(values['startsAt'] ?? ''),
            endsAt: optional(values['endsAt'] ?? ''),
            place: optional(values['place'] ?? ''),
          },
        },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, { ...values, form: `correct-${recordId}` });
    }
    redirect(303, `/o/${params.slug}/hours?done=correction`);
  },
} satisfies Actions;
