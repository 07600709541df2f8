/**
 * The lead's activity editor: reading its form into the API's ActivityInput
 * (and back, to fill the form for an edit). Wall times go to the API as
 * typed; it reads them in the organization's time zone.
 */
import type {
  ActivityCategory,
  ActivityEditQuery,
  ActivityInput,
  RecurrenceInput,
  Weekday,
} from '$lib/graphql/__generated__/operations';
import { isCategory } from '$lib/activities';
import { formText, readForm } from './forms';

export const ACTIVITY_FORM_FIELDS = [
  'teamId',
  'title',
  'description',
  'category',
  'placeName',
  'latitude',
  'longitude',
  'startsAt',
  'endsAt',
  'capacity',
  'requiredSkills',
  'isPublic',
  'publish',
  'repeat',
  'interval',
  'monthlyBy',
  'weekOfMonth',
  'monthWeekday',
  'until',
  'count',
  'scope',
] as const;

export const WEEKDAYS: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

const isWeekday = (value: string): value is Weekday => (WEEKDAYS as readonly string[]).includes(value);

function number(text: string | undefined): number | null {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

export type ActivityForm =
  | { ok: true; values: Record<string, string>; input: ActivityInput }
  | { ok: false; values: Record<string, string>; fields: Record<string, string> };

/** Reads the editor's form; numbers that are not numbers are refused here, the rest by the API. */
export function readActivityForm(data: FormData): ActivityForm {
  const values = readForm(data, ACTIVITY_FORM_FIELDS);
  const weekdays = data.getAll('weekdays').map(String).filter(isWeekday);
  values['weekdays'] = weekdays.join(',');
  const field = (name: (typeof ACTIVITY_FORM_FIELDS)[number]) => values[name] ?? '';

  const latitude = number(field('latitude'));
  const longitude = number(field('longitude'));
  const capacity = number(field('capacity'));
  const fields: Record<string, string> = {};
  if (latitude === null) fields['latitude'] = field('latitude').trim() ? 'OUT_OF_RANGE' : 'REQUIRED';
  if (longitude === null) fields['longitude'] = field('longitude').trim() ? 'OUT_OF_RANGE' : 'REQUIRED';
  if (capacity === null || !Number.isInteger(capacity)) fields['capacity'] = 'OUT_OF_RANGE';
  const category = field('category');
  if (!isCategory(category)) fields['category'] = 'REQUIRED';
  if (latitude === null || longitude === null || capacity === null || !isCategory(category) || fields['capacity'])
    return { ok: false, values, fields };

  let recurrence: RecurrenceInput | null = null;
  const repeat = field('repeat');
  if (repeat === 'WEEKLY' || repeat === 'MONTHLY') {
    const monthWeekday = field('monthWeekday');
    const byWeekday =
      repeat === 'WEEKLY'
        ? weekdays
        : field('monthlyBy') === 'WEEKDAY' && isWeekday(monthWeekday)
          ? [monthWeekday]
          : [];
    recurrence = {
      frequency: repeat,
      interval: number(field('interval')) ?? 1,
      byWeekday: byWeekday.length > 0 ? byWeekday : null,
      weekOfMonth: repeat === 'MONTHLY' && byWeekday.length > 0 ? (number(field('weekOfMonth')) ?? 1) : null,
      until: field('until') || null,
      count: number(field('count')),
    };
  }

  return {
    ok: true,
    values,
    input: {
      teamId: field('teamId'),
      title: field('title'),
      description: field('description'),
      category: category satisfies ActivityCategory,
      placeName: field('placeName'),
      latitude,
      longitude,
      startsAt: field('startsAt'),
      endsAt: field('endsAt'),
      capacity,
      requiredSkills: field('requiredSkills')
        .split(/[,，、]/)
        .map((skill) => skill.trim())
        .filter(Boolean),
      isPublic: formText(data, 'isPublic') === 'on',
      publish: formText(data, 'publish') === 'on',
      recurrence,
    },
  };
}

type EditedActivity = ActivityEditQuery['activity'];

/** The form's fields for an activity being edited. */
export function activityFormValues(activity: EditedActivity): Record<string, string> {
  const rule = activity.series?.recurrence;
  const monthlyByWeekday = rule?.frequency === 'MONTHLY' && rule.byWeekday.length > 0;
  return {
    teamId: activity.team.id,
    title: activity.title,
    description: activity.description,
    category: activity.category,
    placeName: activity.placeName,
    latitude: String(activity.latitude),
    longitude: String(activity.longitude),
    startsAt: activity.startsAtLocal,
    endsAt: activity.endsAtLocal,
    capacity: String(activity.capacity),
    requiredSkills: activity.requiredSkills.join(', '),
    isPublic: activity.isPublic ? 'on' : '',
    repeat: rule?.frequency ?? 'NONE',
    interval: String(rule?.interval ?? 1),
    weekdays: rule?.frequency === 'WEEKLY' ? rule.byWeekday.join(',') : '',
    monthlyBy: monthlyByWeekday ? 'WEEKDAY' : 'DAY',
    weekOfMonth: String(rule?.weekOfMonth ?? 1),
    monthWeekday: monthlyByWeekday ? (rule.byWeekday[0] ?? 'MO') : 'MO',
    until: rule?.until ?? '',
    count: rule?.count === null || rule?.count === undefined ? '' : String(rule.count),
    scope: 'OCCURRENCE',
  };
}
