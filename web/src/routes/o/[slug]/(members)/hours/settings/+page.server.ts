import { error, fail, redirect } from '@sveltejs/kit';
import { HoursSettingsPageDocument, UpdateHoursSettingsDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

/** How many star thresholds the form offers; empty boxes are left out. */
const STAR_FIELDS = 5;

export const load = (async ({ locals, params, url }) => {
  try {
    const result = await locals.api.request(HoursSettingsPageDocument, {}, params.slug);
    if (!result.organization?.viewerIsAdmin) error(403, { message: 'Admins only', code: 'FORBIDDEN' });
    const settings = result.organization.hoursSettings;
    const values: Record<string, string> = {
      ...Object.fromEntries(
        Array.from({ length: STAR_FIELDS }, (_, index) => [
          `star${index}`,
          String(settings.starThresholdsHours[index] ?? ''),
        ]),
      ),
      holidays: settings.holidays.join('\n'),
      excludeTravelTime: settings.excludeTravelTime ? 'on' : '',
    };
    return {
      starFields: STAR_FIELDS,
      values,
      saved: url.searchParams.has('saved'),
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const actions = {
  default: async ({ locals, params, request }) => {
    const data = await request.formData();
    const values: Record<string, string> = {
      holidays: formText(data, 'holidays'),
      excludeTravelTime: formText(data, 'excludeTravelTime'),
    };
    const thresholds: number[] = [];
    let thresholdsReadable = true;
    for (let index = 0; index < STAR_FIELDS; index++) {
      const text = formText(data, `star${index}`).trim();
      values[`star${index}`] = text;
      if (text === '') continue;
      const hours = Number(text);
      if (Number.isInteger(hours)) thresholds.push(hours);
      else thresholdsReadable = false;
    }
    const holidays =
      values['holidays']
        ?.split(/[\s,，]+/)
        .map((line) => line.trim())
        .filter(Boolean) ?? [];
    // Refused here what the API's Date scalar would refuse as a whole request, so the field says why.
    const fields: Record<string, string> = {};
    if (!thresholdsReadable || thresholds.length === 0) fields['starThresholdsHours'] = 'INVALID';
    if (!holidays.every((day) => DATE.test(day))) fields['holidays'] = 'INVALID';
    if (Object.keys(fields).length > 0) return fail(400, { values, fields, code: 'VALIDATION' });
    try {
      await locals.api.request(
        UpdateHoursSettingsDocument,
        {
          input: {
            starThresholdsHours: thresholds,
            holidays,
            excludeTravelTime: values['excludeTravelTime'] === 'on',
          },
        },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, values);
    }
    redirect(303, `/o/${params.slug}/hours/settings?saved=1`);
  },
} satisfies Actions;
