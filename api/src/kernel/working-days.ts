/**
 * Working days in mainland China: the State Council's holidays and make-up
 * working days (调休上班), an association's own days on top, Monday to Friday
 * otherwise. Rule 4 (entries within ten working days) counts them.
 */
import officialCalendar from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { addDays, formatLocalDate, parseLocalDate, weekdayIndex } from './time.ts';

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
