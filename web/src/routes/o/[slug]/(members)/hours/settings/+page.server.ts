import { error, fail, redirect } from '@sveltejs/kit';
import { HoursSettingsPageDocument, UpdateHoursSettingsDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, formText } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

/** How many star thresholds the form offers; empty boxes are left out. */
const STAR_FIELDS = 5;

export const load = (async ({ locals, params, url }) => {
  try {
    // ?year=2027: another year's official calendar (this year's by default).
    const year = Number(url.searchParams.get('year'));
    const result = await locals.api.request(
      HoursSettingsPageDocument,
      { year: Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : null },
      params.slug,
    );
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
      workingDays: settings.workingDays.join('\n'),
      excludeTravelTime: settings.excludeTravelTime ? 'on' : '',
    };
    return {
      starFields: STAR_FIELDS,
      values,
      officialHolidays: settings.officialHolidays,
      officialCalendarLastYear: settings.officialCalendarYears.at(-1) ?? null,
      saved: url.searchParams.has('saved'),
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The dates typed in a box: one a line (or separated by spaces or commas). */
function dates(text: string | undefined): string[] {
  return (
    text
      ?.split(/[\s,，]+/)
      .map((line) => line.trim())
      .filter(Boolean) ?? []
  );
}

export const actions = {
  default: async ({ locals, params, request }) => {
    const data = await request.formData();
    const values: Record<string, string> = {
      holidays: formText(data, 'holidays'),
      workingDays: formText(data, 'workingDays'),
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
    const holidays = dates(values['holidays']);
    const workingDays = dates(values['workingDays']);
    // Refused here what the API's Date scalar would refuse as a whole request, so the field says why.
    const fields: Record<string, string> = {};
    if (!thresholdsReadable || thresholds.length === 0) fields['starThresholdsHours'] = 'INVALID';
    if (!holidays.every((day) => DATE.test(day))) fields['holidays'] = 'INVALID';
    if (!workingDays.every((day) => DATE.test(day))) fields['workingDays'] = 'INVALID';
    if (Object.keys(fields).length > 0) return fail(400, { values, fields, code: 'VALIDATION' });
    try {
      await locals.api.request(
        UpdateHoursSettingsDocument,
        {
          input: {
            starThresholdsHours: thresholds,
            holidays,
            workingDays,
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
