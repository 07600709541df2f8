/**
 * Recurring activities with iCalendar (RFC 5545) RRULE semantics, for the
 * patterns associations use: weekly on some weekdays, or monthly on a day of
 * the month or an nth weekday ("the second Saturday"), every INTERVAL weeks or
 * months, ending at a date (UNTIL) or after a number of occurrences (COUNT).
 *
 * Occurrences are counted in the organization's local wall time, so a series
 * at 09:00 stays at 09:00 across month boundaries and daylight-saving changes.
 */
import {
  addDays,
  daysInMonth,
  instantOf,
  localDateAt,
  parseLocalDate,
  wallTimeValue,
  weekdayIndex,
  type WallTime,
} from '../../kernel/time.ts';

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type Frequency = 'WEEKLY' | 'MONTHLY';

/** A weekday, with an ordinal in a monthly rule: 2 = the second, -1 = the last. */
export interface ByDay {
  weekday: Weekday;
  ordinal: number | null;
}

export interface Recurrence {
  frequency: Frequency;
  interval: number;
  byDay: ByDay[];
  byMonthDay: number[];
  /** The last local date an occurrence may fall on (UNTIL). */
  until: string | null;
  count: number | null;
}

/** The most occurrences one series may have. */
export const MAX_OCCURRENCES = 200;
/** How far after its first occurrence a series may run. */
export const MAX_SERIES_DAYS = 2 * 366;

/** Why a rule is refused, as field error codes. */
export type RecurrenceProblem =
  'INVALID_RECURRENCE' | 'END_REQUIRED' | 'TOO_MANY_OCCURRENCES' | 'UNTIL_BEFORE_START' | 'NO_OCCURRENCES';

export function recurrenceProblem(rule: Recurrence, start: WallTime): RecurrenceProblem | undefined {
  if (!Number.isInteger(rule.interval) || rule.interval < 1 || rule.interval > 12) return 'INVALID_RECURRENCE';
  if (rule.count === null && rule.until === null) return 'END_REQUIRED';
  if (rule.count !== null && (!Number.isInteger(rule.count) || rule.count < 1)) return 'INVALID_RECURRENCE';
  if (rule.count !== null && rule.count > MAX_OCCURRENCES) return 'TOO_MANY_OCCURRENCES';
  if (rule.until !== null) {
    const until = parseLocalDate(rule.until);
    if (!until) return 'INVALID_RECURRENCE';
    if (wallTimeValue(until) < wallTimeValue({ ...start, hour: 0, minute: 0 })) return 'UNTIL_BEFORE_START';
    if (wallTimeValue(until) - wallTimeValue(start) > MAX_SERIES_DAYS * 86_400_000) return 'TOO_MANY_OCCURRENCES';
  }
  if (rule.frequency === 'WEEKLY' && (rule.byMonthDay.length > 0 || rule.byDay.some((day) => day.ordinal !== null)))
    return 'INVALID_RECURRENCE';
  if (rule.byMonthDay.some((day) => !Number.isInteger(day) || day === 0 || day < -31 || day > 31))
    return 'INVALID_RECURRENCE';
  if (rule.byDay.some((day) => day.ordinal !== null && (day.ordinal === 0 || day.ordinal < -5 || day.ordinal > 5)))
    return 'INVALID_RECURRENCE';
  if (rule.frequency === 'MONTHLY' && rule.byDay.length > 0 && rule.byMonthDay.length > 0) return 'INVALID_RECURRENCE';
  const occurrences = expandRecurrence(rule, start, MAX_OCCURRENCES + 1);
  if (occurrences.length === 0) return 'NO_OCCURRENCES';
  if (occurrences.length > MAX_OCCURRENCES) return 'TOO_MANY_OCCURRENCES';
  return undefined;
}

/** Candidate days of one week (from its Monday) or one month, in order. */
function weekCandidates(weekStart: WallTime, rule: Recurrence, start: WallTime): WallTime[] {
  const weekdays =
    rule.byDay.length > 0 ? rule.byDay.map((day) => WEEKDAYS.indexOf(day.weekday)) : [weekdayIndex(start)];
  return [...new Set(weekdays)].sort((a, b) => a - b).map((index) => addDays(weekStart, index));
}

function monthCandidates(year: number, month: number, rule: Recurrence, start: WallTime): WallTime[] {
  const length = daysInMonth(year, month);
  const at = (day: number): WallTime => ({ year, month, day, hour: start.hour, minute: start.minute });
  const days = new Set<number>();
  if (rule.byMonthDay.length > 0) {
    for (const day of rule.byMonthDay) {
      const actual = day > 0 ? day : length + day + 1;
      // A month without that day has no occurrence (RFC 5545: invalid dates are ignored).
      if (actual >= 1 && actual <= length) days.add(actual);
    }
  } else if (rule.byDay.length > 0) {
    for (const { weekday, ordinal } of rule.byDay) {
      const target = WEEKDAYS.indexOf(weekday);
      const matching: number[] = [];
      for (let day = 1; day <= length; day++) if (weekdayIndex(at(day)) === target) matching.push(day);
      if (ordinal === null) matching.forEach((day) => days.add(day));
      else {
        const day = ordinal > 0 ? matching[ordinal - 1] : matching[matching.length + ordinal];
        if (day !== undefined) days.add(day);
      }
    }
  } else if (start.day <= length) {
    days.add(start.day);
  }
  return [...days].sort((a, b) => a - b).map(at);
}

/**
 * The occurrences' local start times, first to last, at most `limit` of them.
 * DTSTART counts only if it matches the rule (as rrule libraries do).
 */
export function expandRecurrence(rule: Recurrence, start: WallTime, limit = MAX_OCCURRENCES): WallTime[] {
  const until = rule.until ? parseLocalDate(rule.until) : undefined;
  const untilValue = until ? wallTimeValue(until) + 86_400_000 - 1 : Number.POSITIVE_INFINITY;
  const wanted = Math.min(rule.count ?? Number.POSITIVE_INFINITY, limit);
  const startValue = wallTimeValue(start);
  const lastValue = startValue + MAX_SERIES_DAYS * 86_400_000;
  const occurrences: WallTime[] = [];

  for (let period = 0; occurrences.length < wanted; period++) {
    let candidates: WallTime[];
    if (rule.frequency === 'WEEKLY') {
      const weekStart = addDays(start, -weekdayIndex(start) + period * 7 * rule.interval);
      candidates = weekCandidates(weekStart, rule, start).map((day) => ({
        ...day,
        hour: start.hour,
        minute: start.minute,
      }));
    } else {
      const monthIndex = start.year * 12 + (start.month - 1) + period * rule.interval;
      candidates = monthCandidates(Math.floor(monthIndex / 12), (monthIndex % 12) + 1, rule, start);
    }
    const periodStart = candidates[0] ? wallTimeValue(candidates[0]) : undefined;
    if (periodStart !== undefined && (periodStart > untilValue || periodStart > lastValue)) break;
    for (const candidate of candidates) {
      const value = wallTimeValue(candidate);
      if (value < startValue) continue;
      if (value > untilValue || value > lastValue || occurrences.length >= wanted) break;
      occurrences.push(candidate);
    }
    // A rule whose periods have no candidates (e.g. the 31st in short months) still ends.
    if (period > MAX_SERIES_DAYS) break;
  }
  return occurrences;
}

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * The rule as RRULE text. With a DTSTART in a time zone, RFC 5545 wants UNTIL
 * in UTC: the end of the UNTIL day in the organization's zone.
 */
export function formatRrule(rule: Recurrence, timeZone: string): string {
  const parts = [`FREQ=${rule.frequency}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.byDay.length > 0)
    parts.push(`BYDAY=${rule.byDay.map((day) => `${day.ordinal ?? ''}${day.weekday}`).join(',')}`);
  if (rule.byMonthDay.length > 0) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.until) {
    const untilDay = parseLocalDate(rule.until);
    if (untilDay) {
      const end = new Date(instantOf(addDays(untilDay, 1), timeZone).getTime() - 1000);
      parts.push(
        `UNTIL=${end.getUTCFullYear()}${pad(end.getUTCMonth() + 1)}${pad(end.getUTCDate())}T${pad(end.getUTCHours())}${pad(end.getUTCMinutes())}${pad(end.getUTCSeconds())}Z`,
      );
    }
  }
  if (rule.count !== null) parts.push(`COUNT=${rule.count}`);
  return parts.join(';');
}

const BY_DAY = /^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$/;
const UNTIL_UTC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Reads RRULE text written by `formatRrule` (the subset Qicai keeps). */
export function parseRrule(text: string, timeZone: string): Recurrence {
  const fields = new Map(
    text
      .replace(/^RRULE:/, '')
      .split(';')
      .map((part) => part.split('=') as [string, string]),
  );
  const frequency = fields.get('FREQ');
  if (frequency !== 'WEEKLY' && frequency !== 'MONTHLY') throw new Error(`unsupported RRULE: ${text}`);
  const byDay = (fields.get('BYDAY')?.split(',') ?? []).map((entry) => {
    const match = BY_DAY.exec(entry);
    if (!match) throw new Error(`unsupported BYDAY: ${entry}`);
    return { weekday: match[2] as Weekday, ordinal: match[1] ? Number(match[1]) : null };
  });
  let until: string | null = null;
  const untilText = fields.get('UNTIL');
  if (untilText) {
    const match = UNTIL_UTC.exec(untilText);
    if (!match) throw new Error(`unsupported UNTIL: ${untilText}`);
    const [, year, month, day, hour, minute, second] = match.map(Number);
    const instant = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0));
    until = localDateAt(instant, timeZone);
  }
  const count = fields.get('COUNT');
  return {
    frequency,
    interval: Number(fields.get('INTERVAL') ?? 1),
    byDay,
    byMonthDay: (fields.get('BYMONTHDAY')?.split(',') ?? []).map(Number),
    until,
    count: count ? Number(count) : null,
  };
}
