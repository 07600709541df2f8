/**
 * Time in an association's zone, as the API and the web app both read it.
 * Instants are stored in UTC; people enter and read them as the association's
 * local time (`organizations.time_zone`): wall times, local dates
 * (`YYYY-MM-DD`) and "today" there. Pure: no clock is read here, callers pass
 * the instant (the API's Clock, the browser's now).
 */

/** The zone of an association that has not chosen one (岳阳县 is on China Standard Time). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** An IANA zone name this runtime knows (`Asia/Shanghai`, `Asia/Urumqi`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** A local date and time, without a zone: what a clock on the wall in the organization shows. */
export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::00(?:\.0+)?)?$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isValid(wall: WallTime): boolean {
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute));
  return (
    date.getUTCFullYear() === wall.year &&
    date.getUTCMonth() === wall.month - 1 &&
    date.getUTCDate() === wall.day &&
    date.getUTCHours() === wall.hour &&
    date.getUTCMinutes() === wall.minute
  );
}

/** `YYYY-MM-DDTHH:mm` (as an HTML datetime-local input gives it), or undefined if it is not a real time. */
export function parseWallTime(text: string): WallTime | undefined {
  const match = LOCAL_DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute] = match.map(Number);
  const wall = { year: year ?? 0, month: month ?? 0, day: day ?? 0, hour: hour ?? 0, minute: minute ?? 0 };
  return isValid(wall) ? wall : undefined;
}

/** `YYYY-MM-DD` as a wall time at midnight, or undefined. */
export function parseLocalDate(text: string): WallTime | undefined {
  const match = LOCAL_DATE.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day] = match.map(Number);
  const wall = { year: year ?? 0, month: month ?? 0, day: day ?? 0, hour: 0, minute: 0 };
  return isValid(wall) ? wall : undefined;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

export function formatWallTime(wall: WallTime): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}

export function formatLocalDate(wall: WallTime): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** Wall times compare as the UTC instants they would be in UTC. */
export function wallTimeValue(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
}

function fromValue(value: number): WallTime {
  const date = new Date(value);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
  };
}

export function addDays(wall: WallTime, days: number): WallTime {
  return fromValue(wallTimeValue(wall) + days * 86_400_000);
}

export function addMinutes(wall: WallTime, minutes: number): WallTime {
  return fromValue(wallTimeValue(wall) + minutes * 60_000);
}

/** 0 = Monday … 6 = Sunday (iCalendar's default week starts on Monday). */
export function weekdayIndex(wall: WallTime): number {
  return (new Date(wallTimeValue(wall)).getUTCDay() + 6) % 7;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Every zone's offset has changed only on a quarter hour since 1972, so one
 * reading of the (slow) Intl formatter serves a whole quarter: a list of
 * activities reads the clock a hundred times, mostly in the same few quarters.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const offsetsByQuarter = new Map<string, number>();

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instantMs: number, timeZone: string): number {
  const quarter = Math.floor(instantMs / QUARTER_HOUR_MS);
  const key = `${timeZone} ${String(quarter)}`;
  let offset = offsetsByQuarter.get(key);
  if (offset === undefined) {
    const start = quarter * QUARTER_HOUR_MS;
    const parts = Object.fromEntries(
      formatterFor(timeZone)
        .formatToParts(new Date(start))
        .map((part) => [part.type, part.value]),
    );
    const wall = Date.UTC(
      Number(parts['year']),
      Number(parts['month']) - 1,
      Number(parts['day']),
      Number(parts['hour']),
      Number(parts['minute']),
      Number(parts['second']),
    );
    offset = wall - start;
    if (offsetsByQuarter.size >= 10_000) offsetsByQuarter.clear();
    offsetsByQuarter.set(key, offset);
  }
  return offset;
}

/** What the wall clock in `timeZone` shows at `instant` (to the minute). */
export function wallTimeAt(instant: Date, timeZone: string): WallTime {
  const shown = new Date(instant.getTime() + offsetAt(instant.getTime(), timeZone));
  return {
    year: shown.getUTCFullYear(),
    month: shown.getUTCMonth() + 1,
    day: shown.getUTCDate(),
    hour: shown.getUTCHours(),
    minute: shown.getUTCMinutes(),
  };
}

/**
 * The instant at which the wall clock in `timeZone` shows `wall`. A time the
 * clock skips (spring forward) resolves to the instant after the gap; a time it
 * shows twice (fall back), to the earlier one.
 */
export function instantOf(wall: WallTime, timeZone: string): Date {
  const asUtc = wallTimeValue(wall);
  const firstGuess = asUtc - offsetAt(asUtc, timeZone);
  const offset = offsetAt(firstGuess, timeZone);
  const instant = asUtc - offset;
  // Near a change the two guesses disagree; prefer the earlier reading that still shows `wall`.
  const earlier = asUtc - offsetAt(instant - 3_600_000, timeZone);
  return new Date(
    earlier < instant && wallTimeValue(wallTimeAt(new Date(earlier), timeZone)) === asUtc ? earlier : instant,
  );
}

/** A `YYYY-MM-DD` that is a real date of the calendar (not 2024-02-30). */
export function isLocalDate(text: string): boolean {
  return LOCAL_DATE.test(text) && parseLocalDate(text) !== undefined;
}

/** The date (`YYYY-MM-DD`) the wall clock in `timeZone` shows at `instant`; "today" in the association at the Clock's now. */
export function localDateAt(instant: Date, timeZone: string): string {
  return formatLocalDate(wallTimeAt(instant, timeZone));
}
