/**
 * The arithmetic of the service-hours rules (DESIGN.md, rules 2, 4 and 6),
 * kept pure so that each has one definition; the service applies them.
 */
import type { OrganizationSettings } from '@qicai/db';
import { addDays, formatLocalDate, localDateAt, wallTimeAt } from '../../kernel/time.ts';
import { isWorkingDay, type OwnWorkingDays } from '../../kernel/working-days.ts';

/** Rule 4: service is recorded within this many working days of the activity's end. */
export const LATE_AFTER_WORKING_DAYS = 10;

/** Rule 6's default thresholds (星级), in hours. */
export const DEFAULT_STAR_THRESHOLDS_HOURS = [100, 300, 600, 1000, 1500];

/** One service record is at most a day's service. */
export const MAX_RECORD_MINUTES = 1440;

/** Rule 2: travel time is not service time unless the organization says otherwise. */
export function excludesTravelTime(settings: OrganizationSettings): boolean {
  return settings.excludeTravelTime ?? true;
}

export function starThresholdsHours(settings: OrganizationSettings): number[] {
  const thresholds = settings.starThresholdsHours;
  return thresholds && thresholds.length > 0 ? thresholds : DEFAULT_STAR_THRESHOLDS_HOURS;
}

/**
 * Rule 4: the working days (isWorkingDay) from the day after the service
 * ended up to the day it was entered, both in the organization's time zone.
 * More than ten and the entry is late.
 */
export function workingDaysBetween(endedAt: Date, enteredAt: Date, timeZone: string, own: OwnWorkingDays): number {
  const last = localDateAt(enteredAt, timeZone);
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
