/**
 * Showing activities: categories, times in the organization's time zone,
 * distances, and the calendar's days. Times come from the API in UTC and are
 * shown in the organization's zone, whatever the browser's.
 */
import type { ActivityCategory, ActivityStatus, TeamColour } from '$lib/graphql/__generated__/operations';
import { page } from '$app/state';
import { localDateAt } from '@qicai/api/kernel/time';
import { currentLocale, t } from '$lib/i18n';
import { TEAM_COLOUR_ORDER } from '$lib/teams';
import { dateTimeFormat } from '$lib/intl';

export const CATEGORIES: readonly ActivityCategory[] = [
  'LECTURE',
  'ENVIRONMENT',
  'FREE_CLINIC',
  'BLOOD_DRIVE',
  'DISASTER_RELIEF',
  'HOME_VISIT',
  'CARE_FOR_CHILDREN',
  'PUBLIC_COURSE',
  'OTHER',
];

export function isCategory(value: string): value is ActivityCategory {
  return (CATEGORIES as readonly string[]).includes(value);
}

export function categoryLabel(category: ActivityCategory): string {
  return t(`activityCategory.${category}`);
}

export function statusLabel(status: ActivityStatus): string {
  return t(`activityStatus.${status}`);
}

export function teamColours(values: string[]): TeamColour[] {
  return TEAM_COLOUR_ORDER.filter((colour) => values.includes(colour));
}

function intlLocale(): string {
  return currentLocale() === 'zh' ? 'zh-CN' : 'en-GB';
}

/** This year in the organization's zone, by the server's clock (Organization.currentYear), on its pages. */
function currentYear(): number | undefined {
  const organization: unknown = page.data['organization'];
  return typeof organization === 'object' &&
    organization !== null &&
    'currentYear' in organization &&
    typeof organization.currentYear === 'number'
    ? organization.currentYear
    : undefined;
}

/** Dates of another year than this one say their year (last year's records, next year's activities). */
function yearIfOther(date: string): { year?: 'numeric' } {
  const year = currentYear();
  return year !== undefined && Number(date.slice(0, 4)) !== year ? { year: 'numeric' } : {};
}

/** e.g. 12月3日周三 09:00 / Wed 3 Dec, 09:00 (2025年12月3日周三 09:00 in another year) */
export function formatDateTime(iso: string, timeZone: string): string {
  return dateTimeFormat(intlLocale(), {
    timeZone,
    ...yearIfOther(localDateAt(new Date(iso), timeZone)),
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

export function formatTime(iso: string, timeZone: string): string {
  return dateTimeFormat(intlLocale(), {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** A start and end: the end's date only when it is another day. */
export function formatRange(startIso: string, endIso: string, timeZone: string): string {
  const sameDay = localDateAt(new Date(startIso), timeZone) === localDateAt(new Date(endIso), timeZone);
  return `${formatDateTime(startIso, timeZone)} – ${sameDay ? formatTime(endIso, timeZone) : formatDateTime(endIso, timeZone)}`;
}

/** A calendar date (YYYY-MM-DD) for a heading: 12月3日 周三 / Wed 3 Dec. */
export function formatDay(date: string): string {
  return dateTimeFormat(intlLocale(), {
    timeZone: 'UTC',
    ...yearIfOther(date),
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  }).format(new Date(`${date}T00:00:00Z`));
}

export function formatMonth(date: string): string {
  return dateTimeFormat(intlLocale(), { timeZone: 'UTC', year: 'numeric', month: 'long' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

export function formatDistance(metres: number | null | undefined): string {
  if (metres === null || metres === undefined) return '—';
  return metres < 1000
    ? t('distance.metres', { metres: Math.round(metres) })
    : t('distance.kilometres', { kilometres: (metres / 1000).toFixed(1) });
}

export function addDays(date: string, days: number): string {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function startOfWeek(date: string): string {
  return addDays(date, -weekdayOf(date));
}

export function startOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

export function addMonths(date: string, months: number): string {
  const value = new Date(`${startOfMonth(date)}T00:00:00Z`);
  value.setUTCMonth(value.getUTCMonth() + months);
  return value.toISOString().slice(0, 10);
}

/** The weeks (Monday first) that show a month, each seven dates. */
export function monthWeeks(date: string): string[][] {
  const first = startOfMonth(date);
  const last = addDays(addMonths(first, 1), -1);
  const weeks: string[][] = [];
  for (let day = startOfWeek(first); day <= last; day = addDays(day, 7)) {
    weeks.push(Array.from({ length: 7 }, (_, index) => addDays(day, index)));
  }
  return weeks;
}
