/**
 * A series' rule in words (每周六，共 4 次 / Every Saturday, 4 times) rather
 * than its RRULE: for what the app creates (weekly on weekdays, monthly on an
 * nth weekday or on days of the month, every N weeks or months, ending on a
 * date or after a count). rrule's toText is English only. Pure — the locale is
 * given — so it is tested on its own (web/test/recurrence-text.test.ts).
 */
import type { RecurrenceFrequency, Weekday } from './graphql/__generated__/operations';
import { en, zh, type MessageKey } from './i18n/messages';
import { dateTimeFormat } from './intl';

export interface RecurrenceRule {
  frequency: RecurrenceFrequency;
  interval: number;
  byWeekday: readonly Weekday[];
  /** MONTHLY with a weekday: 1–5, or -1 for the last. */
  weekOfMonth: number | null;
  byMonthDay: readonly number[];
  /** YYYY-MM-DD */
  until: string | null;
  count: number | null;
}

type Locale = 'zh' | 'en';

const WEEK_ORDER: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function text(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const dictionary: Record<MessageKey, string> = locale === 'zh' ? zh : en;
  return dictionary[key].replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    name in params ? String(params[name]) : placeholder,
  );
}

/** 一、三 / Monday and Wednesday */
function list(locale: Locale, items: string[]): string {
  if (locale === 'zh') return items.join('、');
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

/** 1st, 2nd, 3rd, 4th, 11th, 21st … (English day of the month). */
function ordinal(day: number): string {
  const teen = day % 100 >= 11 && day % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[day % 10] ?? 'th');
  return `${day}${suffix}`;
}

function monthDay(locale: Locale, day: number): string {
  if (day === -1) return text(locale, 'recurrence.lastDay');
  return locale === 'zh' ? text(locale, 'recurrence.monthDay', { day }) : `the ${ordinal(day)}`;
}

const NTH: Record<number, MessageKey> = {
  1: 'recurrence.nth.1',
  2: 'recurrence.nth.2',
  3: 'recurrence.nth.3',
  4: 'recurrence.nth.4',
  5: 'recurrence.nth.5',
  [-1]: 'recurrence.nth.last',
};

/** e.g. 每周六，共 4 次 · 每 2 周的周一、周三，至 2027年1月31日 · Every month on the second Saturday, 6 times */
export function describeRecurrence(rule: RecurrenceRule, locale: Locale): string {
  const weekdays = [...rule.byWeekday].sort((a, b) => WEEK_ORDER.indexOf(a) - WEEK_ORDER.indexOf(b));
  const every = rule.interval > 1 ? 'Interval' : '';
  let pattern: string;
  if (rule.frequency === 'WEEKLY') {
    // 每周六 (the weekday's short name after 每周), but 每 2 周的周六.
    const names = weekdays.map((day) =>
      text(locale, rule.interval > 1 ? `recurrence.weekday.${day}` : `recurrence.weekdayShort.${day}`),
    );
    pattern = text(locale, `recurrence.weekly${every}`, { interval: rule.interval, days: list(locale, names) });
  } else if (weekdays.length > 0 && rule.weekOfMonth !== null) {
    pattern = text(locale, `recurrence.monthlyWeekday${every}`, {
      interval: rule.interval,
      nth: text(locale, NTH[rule.weekOfMonth] ?? 'recurrence.nth.1'),
      days: list(
        locale,
        weekdays.map((day) => text(locale, `recurrence.weekday.${day}`)),
      ),
    });
  } else {
    const days = [...rule.byMonthDay].sort((a, b) => (a === -1 ? 32 : a) - (b === -1 ? 32 : b));
    pattern = text(locale, `recurrence.monthlyDays${every}`, {
      interval: rule.interval,
      days: list(
        locale,
        days.map((day) => monthDay(locale, day)),
      ),
    });
  }
  if (rule.count !== null) {
    return pattern + text(locale, rule.count === 1 ? 'recurrence.once' : 'recurrence.count', { count: rule.count });
  }
  if (rule.until !== null) {
    const date = dateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone: 'UTC',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
    }).format(new Date(`${rule.until}T00:00:00Z`));
    return pattern + text(locale, 'recurrence.until', { date });
  }
  return pattern;
}
