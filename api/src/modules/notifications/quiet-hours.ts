/**
 * Quiet hours (no SMS at night): an association sets a span of its local day,
 * e.g. 22:00–07:00, in which no SMS goes out; an SMS due then waits until the
 * span ends. In-app notifications and email are not held back.
 */
import type { OrganizationSettings } from '@qicai/db';
import { addDays, instantOf, wallTimeAt } from '../../kernel/time.ts';

export type QuietHours = NonNullable<OrganizationSettings['quietHours']>;

const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight of `HH:MM`, or undefined if it is not a time of day. */
export function minutesOfDay(text: string): number | undefined {
  const match = LOCAL_TIME.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * When an SMS due at `at` may go out: `at` itself outside quiet hours, else
 * the end of the quiet span `at` falls in (the same local day, or the next
 * one for a span across midnight).
 */
export function smsDueAt(at: Date, quietHours: QuietHours | undefined, timeZone: string): Date {
  if (!quietHours) return at;
  const start = minutesOfDay(quietHours.start);
  const end = minutesOfDay(quietHours.end);
  if (start === undefined || end === undefined || start === end) return at;
  const wall = wallTimeAt(at, timeZone);
  const now = wall.hour * 60 + wall.minute;
  const quiet = start < end ? now >= start && now < end : now >= start || now < end;
  if (!quiet) return at;
  // Before the end on this local day (e.g. 02:00 in 22:00–07:00, or 23:00 in 21:00–23:30), else tomorrow's.
  const day = now < end ? wall : addDays(wall, 1);
  return instantOf({ ...day, hour: Math.floor(end / 60), minute: end % 60 }, timeZone);
}
