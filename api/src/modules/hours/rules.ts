/**
 * The arithmetic of the service-hours rules (DESIGN.md, rules 2, 4 and 6),
 * kept pure so that each has one definition; the service applies them.
 */
import type { OrganizationSettings } from '@qicai/db';
import officialCalendar from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { addDays, formatLocalDate, parseLocalDate, wallTimeAt, weekdayIndex } from '../activities/time.ts';

/** Rule 4: service is recorded within this many working days of the activity's end. */
export const LATE_AFTER_WORKING_DAYS = 10;

/** Rule 6's default thresholds (星级), in hours. */
export const DEFAULT_STAR_THRESHOLDS_HOURS = [100, 300, 600, 1000, 1500];

/** One service record is at most a day's service. */
export const MAX_RECORD_MINUTES = 1440;

/** Stored minutes as the hours every page, file and message shows: at most two decimals (750 → 12.5). */
export function minutesToHours(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}

/** Rule 2: travel time is not service time unless the organization says otherwise. */
export function excludesTravelTime(settings: OrganizationSettings): boolean {
  return settings.excludeTravelTime ?? true;
}

export function starThresholdsHours(settings: OrganizationSettings): number[] {
  const thresholds = settings.starThresholdsHours;
  return thresholds && thresholds.length > 0 ? thresholds : DEFAULT_STAR_THRESHOLDS_HOURS;
}

/**
 * The State Council's published holidays and make-up working days (调休上班),
 * by date (`YYYY-MM-DD` → "English name,中文名,n"), as the `chinese-days`
 * package ships them: a new year's arrangement arrives with a package update
 * (`pnpm --filter @qicai/api update chinese-days`). Years it does not cover
 * count Monday to Friday.
 */
const OFFICIAL_HOLIDAYS: Readonly<Record<string, string>> = officialCalendar.holidays;
const OFFICIAL_WORKING_DAYS: Readonly<Record<string, string>> = officialCalendar.workdays;

/** An association's own days on top of the official calendar (e.g. a county's own festival, a day of make-up work). */
export interface OwnWorkingDays {
  /** Days off that would otherwise be working days. */
  holidays?: readonly string[] | undefined;
  /** Days worked that would otherwise be days off. */
  workingDays?: readonly string[] | undefined;
}

/**
 * Whether a day (`YYYY-MM-DD`, a real date) is a working day: the
 * association's own days first, then the State Council's holidays and make-up
 * working days, then Monday to Friday.
 */
export function isWorkingDay(date: string, own: OwnWorkingDays = {}): boolean {
  if (own.workingDays?.includes(date)) return true;
  if (own.holidays?.includes(date)) return false;
  if (date in OFFICIAL_WORKING_DAYS) return true;
  if (date in OFFICIAL_HOLIDAYS) return false;
  const day = parseLocalDate(date);
  // weekdayIndex counts from Monday (0) to Sunday (6).
  return day !== undefined && weekdayIndex(day) < 5;
}

/** The years the official calendar covers, ascending. */
export function officialCalendarYears(): number[] {
  const years = new Set(Object.keys(OFFICIAL_WORKING_DAYS).map((date) => Number(date.slice(0, 4))));
  for (const date of Object.keys(OFFICIAL_HOLIDAYS)) years.add(Number(date.slice(0, 4)));
  return [...years].sort((a, b) => a - b);
}

/** One of the year's official holidays: its days off and the make-up working days that go with it. */
export interface OfficialHoliday {
  nameZh: string;
  nameEn: string;
  firstDay: string;
  lastDay: string;
  workingDays: string[];
}

/** The official holidays whose days off begin in `year`, in order. */
export function officialHolidaysOf(year: number): OfficialHoliday[] {
  const holidays: OfficialHoliday[] = [];
  const named = (value: string) => {
    const [nameEn = '', nameZh = ''] = value.split(',');
    return { nameEn, nameZh };
  };
  for (const date of Object.keys(OFFICIAL_HOLIDAYS).sort()) {
    const { nameEn, nameZh } = named(OFFICIAL_HOLIDAYS[date] ?? '');
    const last = holidays.at(-1);
    const dayBefore = parseLocalDate(date);
    const adjoining = last && dayBefore && formatLocalDate(addDays(dayBefore, -1)) === last.lastDay;
    if (last && adjoining && last.nameEn === nameEn) last.lastDay = date;
    else holidays.push({ nameZh, nameEn, firstDay: date, lastDay: date, workingDays: [] });
  }
  // A make-up working day belongs to the nearest holiday of its name (it may fall in the year before).
  for (const date of Object.keys(OFFICIAL_WORKING_DAYS).sort()) {
    const { nameEn } = named(OFFICIAL_WORKING_DAYS[date] ?? '');
    const distance = (holiday: OfficialHoliday) =>
      Math.abs(Date.parse(`${holiday.firstDay}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`));
    const nearest = holidays
      .filter((holiday) => holiday.nameEn === nameEn)
      .sort((a, b) => distance(a) - distance(b))[0];
    nearest?.workingDays.push(date);
  }
  return holidays.filter((holiday) => holiday.firstDay.startsWith(`${String(year)}-`));
}

/**
 * Rule 4: the working days (isWorkingDay) from the day after the service
 * ended up to the day it was entered, both in the organization's time zone.
 * More than ten and the entry is late.
 */
export function workingDaysBetween(endedAt: Date, enteredAt: Date, timeZone: string, own: OwnWorkingDays): number {
  const last = formatLocalDate(wallTimeAt(enteredAt, timeZone));
  let day = wallTimeAt(endedAt, timeZone);
  day = { ...day, hour: 0, minute: 0 };
  let count = 0;
  // Bounded: a year of days is far beyond "late" already.
  for (let step = 0; step < 366; step++) {
    day = addDays(day, 1);
    const text = formatLocalDate(day);
    if (text > last) break;
    if (isWorkingDay(text, own)) count++;
    if (count > LATE_AFTER_WORKING_DAYS) break;
  }
  return count;
}

export function isLateEntry(endedAt: Date, enteredAt: Date, timeZone: string, settings: OrganizationSettings): boolean {
  return (
    workingDaysBetween(endedAt, enteredAt, timeZone, {
      holidays: settings.holidays,
      workingDays: settings.workingDays,
    }) > LATE_AFTER_WORKING_DAYS
  );
}

export interface StarLevel {
  /** 0 below the first threshold. */
  level: number;
  minutes: number;
  thresholdsHours: number[];
  /** Approved minutes the next level needs in all; null at the top level. */
  nextLevelMinutes: number | null;
  /** From the current level's threshold to the next one, 0–1 (1 at the top level). */
  progress: number;
}

/** Rule 6: the star level of accumulated approved minutes. */
export function starLevelOf(minutes: number, settings: OrganizationSettings): StarLevel {
  const thresholdsHours = starThresholdsHours(settings);
  const level = thresholdsHours.filter((hours) => minutes >= hours * 60).length;
  const next = thresholdsHours[level];
  if (next === undefined) return { level, minutes, thresholdsHours, nextLevelMinutes: null, progress: 1 };
  const from = level === 0 ? 0 : (thresholdsHours[level - 1] ?? 0) * 60;
  const progress = Math.min(1, Math.max(0, (minutes - from) / (next * 60 - from)));
  return { level, minutes, thresholdsHours, nextLevelMinutes: next * 60, progress };
}

/** A `YYYY-MM-DD` that is a real date. */
export function isLocalDate(text: string): boolean {
  return parseLocalDate(text) !== undefined;
}
