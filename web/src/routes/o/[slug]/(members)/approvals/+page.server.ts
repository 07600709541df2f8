import { DEFAULT_TIME_ZONE } from '@qicai/api/kernel/time';
import { fail, redirect } from '@sveltejs/kit';
import {
  AcceptServiceCorrectionDocument,
  ApprovalQueueDocument,
  ApproveServiceRecordsDocument,
  DeclineServiceRecordsDocument,
  EnterMissingCheckOutHoursDocument,
  RefuseServiceCorrectionDocument,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  try {
    const result = await locals.api.request(ApprovalQueueDocument, {}, params.slug);
    return {
      queue: result.serviceRecordQueue,
      corrections: result.pendingServiceCorrections,
      missing: result.missingCheckOuts,
      timeZone: result.organization?.timeZone ?? DEFAULT_TIME_ZONE,
      notice: url.searchParams.get('done'),
      count: url.searchParams.get('count'),
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

const idsOf = (data: FormData) => data.getAll('ids').filter((id): id is string => typeof id === 'string');

const noFields: Record<string, string> = {};
const nothingSelected = (values: Record<string, string>) =>
  fail(400, { values, fields: noFields, code: 'NOTHING_SELECTED' });

export const actions = {
  approve: async ({ locals, params, request }) => {
    const ids = idsOf(await request.formData());
    if (ids.length === 0) return nothingSelected({ form: 'queue' });
    let count: number;
    try {
      const result = await locals.api.request(ApproveServiceRecordsDocument, { ids }, params.slug);
      count = result.approveServiceRecords.length;
    } catch (cause) {
      return failForm(cause, { form: 'queue' });
    }
    redirect(303, `/o/${params.slug}/approvals?done=approved&count=${count}`);
  },
  decline: async ({ locals, params, request }) => {
    const data = await request.formData();
    const ids = idsOf(data);
    const reason = formText(data, 'reason');
    if (ids.length === 0) return nothingSelected({ form: 'queue', reason });
    let count: number;
    try {
      const result = await locals.api.request(DeclineServiceRecordsDocument, { ids, reason }, params.slug);
      count = result.declineServiceRecords.length;
    } catch (cause) {
      return failForm(cause, { form: 'queue', reason });
    }
    redirect(303, `/o/${params.slug}/approvals?done=declined&count=${count}`);
  },
  accept: async ({ locals, params, request }) => {
    const id = formText(await request.formData(), 'id');
    try {
      await locals.api.request(AcceptServiceCorrectionDocument, { id }, params.slug);
    } catch (cause) {
      return failForm(cause, { form: `correction-${id}` });
    }
    redirect(303, `/o/${params.slug}/approvals?done=decided`);
  },
  refuse: async ({ locals, params, request }) => {
    const data = await request.formData();
    const id = formText(data, 'id');
    const reason = formText(data, 'reason');
    try {
      await locals.api.request(RefuseServiceCorrectionDocument, { id, reason }, params.slug);
    } catch (cause) {
      return failForm(cause, { form: `correction-${id}`, reason });
    }
    redirect(303, `/o/${params.slug}/approvals?done=decided`);
  },
  enter: async ({ locals, params, request }) => {
    const data = await request.formData();
    const memberId = formText(data, 'memberId');
    const activityId = formText(data, 'activityId');
    try {
      await locals.api.request(EnterMissingCheckOutHoursDocument, { memberId, input: { activityId } }, params.slug);
    } catch (cause) {
      return failForm(cause, { form: `missing-${memberId}-${activityId}` });
    }
    redirect(303, `/o/${params.slug}/approvals?done=decided`);
  },
} satisfies Actions;
