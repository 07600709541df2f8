/**
 * The service-hours rules (DESIGN.md rules 2, 4 and 6), without a database:
 * star levels on and one minute under each threshold, and the
 * 10-working-day rule in Asia/Shanghai, where UTC and local dates differ.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STAR_THRESHOLDS_HOURS,
  excludesTravelTime,
  isLateEntry,
  LATE_AFTER_WORKING_DAYS,
  MAX_RECORD_MINUTES,
  starLevelOf,
  starThresholdsHours,
  workingDaysBetween,
} from '../../src/modules/hours/rules.ts';
import { isWorkingDay, officialCalendarYears, officialHolidaysOf } from '../../src/kernel/working-days.ts';
import { isLocalDate } from '../../src/kernel/time.ts';

const SHANGHAI = 'Asia/Shanghai';
/** An instant written as the wall clock in Shanghai shows it (UTC+8, no daylight saving). */
const shanghai = (local: string) => new Date(`${local}+08:00`);

describe('travel time and thresholds (rules 2 and 6)', () => {
  it('excludes travel time unless the organization says otherwise', () => {
    expect(excludesTravelTime({})).toBe(true);
    expect(excludesTravelTime({ excludeTravelTime: true })).toBe(true);
    expect(excludesTravelTime({ excludeTravelTime: false })).toBe(false);
  });

  it('uses the default thresholds when the organization has none, or an empty list', () => {
    expect(DEFAULT_STAR_THRESHOLDS_HOURS).toEqual([100, 300, 600, 1000, 1500]);
    expect(starThresholdsHours({})).toEqual([100, 300, 600, 1000, 1500]);
    expect(starThresholdsHours({ starThresholdsHours: [] })).toEqual([100, 300, 600, 1000, 1500]);
    expect(starThresholdsHours({ starThresholdsHours: [50, 200] })).toEqual([50, 200]);
  });

  it('keeps a record to one day of service and the late rule at ten working days', () => {
    expect(MAX_RECORD_MINUTES).toBe(24 * 60);
    expect(LATE_AFTER_WORKING_DAYS).toBe(10);
  });
});

describe('star levels (rule 6)', () => {
  // 100 / 300 / 600 / 1000 / 1500 hours, in minutes.
  const THRESHOLD_MINUTES = [6_000, 18_000, 36_000, 60_000, 90_000];

  it.each(THRESHOLD_MINUTES.map((minutes, index) => [index + 1, minutes] as const))(
    'reaches level %i exactly on its threshold (%i minutes), not one minute before',
    (level, minutes) => {
      expect(starLevelOf(minutes, {}).level).toBe(level);
      expect(starLevelOf(minutes - 1, {}).level).toBe(level - 1);
    },
  );

  it('starts a level with no progress and needs the next threshold in all', () => {
    expect(starLevelOf(6_000, {})).toEqual({
      level: 1,
      minutes: 6_000,
      thresholdsHours: [100, 300, 600, 1000, 1500],
      nextLevelMinutes: 18_000,
      progress: 0,
    });
  });

  it('one minute under the first threshold is level 0, all but one minute of the way', () => {
    expect(starLevelOf(5_999, {})).toEqual({
      level: 0,
      minutes: 5_999,
      thresholdsHours: [100, 300, 600, 1000, 1500],
      nextLevelMinutes: 6_000,
      progress: 5_999 / 6_000,
    });
  });

  it('measures progress from the current threshold to the next', () => {
    // Halfway from 300 h to 600 h: 450 h.
    expect(starLevelOf(27_000, {})).toMatchObject({ level: 2, nextLevelMinutes: 36_000, progress: 0.5 });
    // A quarter of the way from 0 to 100 h.
    expect(starLevelOf(1_500, {})).toMatchObject({ level: 0, nextLevelMinutes: 6_000, progress: 0.25 });
    expect(starLevelOf(0, {})).toMatchObject({ level: 0, progress: 0 });
  });

  it('is full at the top level, with no next level', () => {
    expect(starLevelOf(90_000, {})).toEqual({
      level: 5,
      minutes: 90_000,
      thresholdsHours: [100, 300, 600, 1000, 1500],
      nextLevelMinutes: null,
      progress: 1,
    });
    expect(starLevelOf(89_999, {})).toMatchObject({ level: 4, nextLevelMinutes: 90_000, progress: 29_999 / 30_000 });
    expect(starLevelOf(200_000, {})).toMatchObject({ level: 5, nextLevelMinutes: null, progress: 1 });
  });

  it("follows an organization's own thresholds", () => {
    const settings = { starThresholdsHours: [20, 50] };
    expect(starLevelOf(1_199, settings)).toMatchObject({ level: 0, nextLevelMinutes: 1_200 });
    expect(starLevelOf(1_200, settings)).toMatchObject({ level: 1, nextLevelMinutes: 3_000, progress: 0 });
    expect(starLevelOf(2_100, settings)).toMatchObject({ level: 1, progress: 0.5 });
    expect(starLevelOf(3_000, settings)).toMatchObject({ level: 2, nextLevelMinutes: null, progress: 1 });
  });

  it('never shows negative progress (a correction below zero)', () => {
    expect(starLevelOf(-60, {})).toMatchObject({ level: 0, progress: 0 });
  });
});

describe('the 10-working-day rule (rule 4)', () => {
  // Friday 27 November 2026, an afternoon activity in 岳阳.
  const friday = shanghai('2026-11-27T17:00');

  it('counts Monday to Friday from the day after the end, skipping the weekend', () => {
    expect(workingDaysBetween(friday, shanghai('2026-11-27T23:59'), SHANGHAI, {})).toBe(0);
    expect(workingDaysBetween(friday, shanghai('2026-11-29T12:00'), SHANGHAI, {})).toBe(0);
    expect(workingDaysBetween(friday, shanghai('2026-11-30T08:00'), SHANGHAI, {})).toBe(1);
    expect(workingDaysBetween(friday, shanghai('2026-12-04T18:00'), SHANGHAI, {})).toBe(5);
    expect(workingDaysBetween(friday, shanghai('2026-12-06T18:00'), SHANGHAI, {})).toBe(5);
  });

  it('is on time on the tenth working day, across the month end, and late on the eleventh', () => {
    expect(workingDaysBetween(friday, shanghai('2026-12-11T23:59'), SHANGHAI, {})).toBe(10);
    expect(isLateEntry(friday, shanghai('2026-12-11T23:59'), SHANGHAI, {})).toBe(false);
    // The weekend after the tenth day adds nothing.
    expect(isLateEntry(friday, shanghai('2026-12-13T23:59'), SHANGHAI, {})).toBe(false);
    expect(workingDaysBetween(friday, shanghai('2026-12-14T00:00'), SHANGHAI, {})).toBe(11);
    expect(isLateEntry(friday, shanghai('2026-12-14T00:00'), SHANGHAI, {})).toBe(true);
  });

  it('counts days as the clock in Shanghai shows them, not UTC dates', () => {
    // 2026-12-13T16:30Z is a Sunday in UTC but already Monday 14 December, 00:30, in Shanghai.
    expect(workingDaysBetween(friday, new Date('2026-12-13T16:30:00Z'), SHANGHAI, {})).toBe(11);
    expect(workingDaysBetween(friday, new Date('2026-12-13T15:59:00Z'), SHANGHAI, {})).toBe(10);
    // An activity ending at 00:30 on Monday 30 November in Shanghai ended on Sunday in UTC:
    // in Shanghai the Monday is not counted, so the 14th is the tenth working day.
    const mondayNight = new Date('2026-11-29T16:30:00Z');
    expect(workingDaysBetween(mondayNight, shanghai('2026-11-30T18:00'), SHANGHAI, {})).toBe(0);
    expect(workingDaysBetween(mondayNight, shanghai('2026-12-01T09:00'), SHANGHAI, {})).toBe(1);
    expect(workingDaysBetween(mondayNight, shanghai('2026-12-14T09:00'), SHANGHAI, {})).toBe(10);
    expect(isLateEntry(mondayNight, shanghai('2026-12-14T09:00'), SHANGHAI, {})).toBe(false);
    // The same instants read in UTC: the activity ended on Sunday 29th, so the 14th is the 11th day.
    expect(workingDaysBetween(mondayNight, shanghai('2026-12-14T09:00'), 'UTC', {})).toBe(11);
  });

  it('follows the State Council: National Day 2026 off from 1 to 7 October, Saturday 10 October worked', () => {
    // Wednesday 30 September 2026. 8, 9, 10 (a make-up Saturday, 调休上班), 12–16, 19, 20 October:
    // the tenth working day is the 20th (a plain Monday-to-Friday count would give the 27th).
    const ended = shanghai('2026-09-30T20:00');
    expect(workingDaysBetween(ended, shanghai('2026-10-07T22:00'), SHANGHAI, {})).toBe(0);
    expect(workingDaysBetween(ended, shanghai('2026-10-08T09:00'), SHANGHAI, {})).toBe(1);
    expect(workingDaysBetween(ended, shanghai('2026-10-10T18:00'), SHANGHAI, {})).toBe(3);
    expect(workingDaysBetween(ended, shanghai('2026-10-11T18:00'), SHANGHAI, {})).toBe(3);
    expect(isLateEntry(ended, shanghai('2026-10-20T23:59'), SHANGHAI, {})).toBe(false);
    expect(isLateEntry(ended, shanghai('2026-10-21T00:00'), SHANGHAI, {})).toBe(true);
  });

  it('follows the State Council: Spring Festival 2026 off from 15 to 23 February, 14 and 28 February worked', () => {
    // Friday 13 February 2026: 14 (Saturday, worked), 24–27, 28 (Saturday, worked), 2–5 March.
    const ended = shanghai('2026-02-13T18:00');
    expect(workingDaysBetween(ended, shanghai('2026-02-14T20:00'), SHANGHAI, {})).toBe(1);
    expect(workingDaysBetween(ended, shanghai('2026-02-23T20:00'), SHANGHAI, {})).toBe(1);
    expect(workingDaysBetween(ended, shanghai('2026-02-28T20:00'), SHANGHAI, {})).toBe(6);
    // Monday to Friday alone would make 2 March the eleventh day, and the entry late.
    expect(isLateEntry(ended, shanghai('2026-03-02T09:00'), SHANGHAI, {})).toBe(false);
    expect(isLateEntry(ended, shanghai('2026-03-05T23:59'), SHANGHAI, {})).toBe(false);
    expect(isLateEntry(ended, shanghai('2026-03-06T00:00'), SHANGHAI, {})).toBe(true);
  });

  it("puts the association's own days off and working days on top of the official calendar", () => {
    const ended = shanghai('2026-09-30T20:00');
    // The association's own day off on Friday 9 October moves the tenth working day to the 21st.
    expect(isLateEntry(ended, shanghai('2026-10-21T20:00'), SHANGHAI, {})).toBe(true);
    expect(isLateEntry(ended, shanghai('2026-10-21T20:00'), SHANGHAI, { holidays: ['2026-10-09'] })).toBe(false);
    // Its own working Sunday, 11 October, brings it to the 19th.
    expect(isLateEntry(ended, shanghai('2026-10-20T09:00'), SHANGHAI, { workingDays: ['2026-10-11'] })).toBe(true);
    expect(workingDaysBetween(ended, shanghai('2026-10-11T20:00'), SHANGHAI, { workingDays: ['2026-10-11'] })).toBe(4);
    // Its own working day inside the national holiday, and its own day off on a make-up Saturday.
    expect(workingDaysBetween(ended, shanghai('2026-10-07T20:00'), SHANGHAI, { workingDays: ['2026-10-07'] })).toBe(1);
    expect(workingDaysBetween(ended, shanghai('2026-10-10T20:00'), SHANGHAI, { holidays: ['2026-10-10'] })).toBe(2);
  });

  it('counts across the year end, with New Year’s Day a holiday', () => {
    // Thursday 31 December 2026, 20:00 in Shanghai (12:00 UTC); Friday 1 January 2027 is a holiday.
    const newYearsEve = shanghai('2026-12-31T20:00');
    const holidays = ['2027-01-01'];
    expect(workingDaysBetween(newYearsEve, shanghai('2027-01-01T10:00'), SHANGHAI, { holidays })).toBe(0);
    expect(workingDaysBetween(newYearsEve, shanghai('2027-01-04T10:00'), SHANGHAI, { holidays })).toBe(1);
    expect(workingDaysBetween(newYearsEve, shanghai('2027-01-04T10:00'), SHANGHAI, {})).toBe(2);
    // 4–8 and 11–15 January: ten working days.
    expect(isLateEntry(newYearsEve, shanghai('2027-01-15T23:59'), SHANGHAI, { holidays })).toBe(false);
    expect(isLateEntry(newYearsEve, shanghai('2027-01-18T00:00'), SHANGHAI, { holidays })).toBe(true);
    expect(isLateEntry(newYearsEve, shanghai('2027-01-15T23:59'), SHANGHAI, {})).toBe(true);
  });

  it('ends at 31 December 23:59 in Shanghai: 1 January has begun 00:00 local, still 31 December in UTC', () => {
    const ended = shanghai('2026-12-17T18:00');
    // Friday 18 December to Thursday 31 December: 10 working days.
    expect(workingDaysBetween(ended, shanghai('2026-12-31T23:59'), SHANGHAI, {})).toBe(10);
    expect(workingDaysBetween(ended, shanghai('2027-01-01T00:00'), SHANGHAI, {})).toBe(11);
    expect(workingDaysBetween(ended, shanghai('2027-01-01T00:00'), SHANGHAI, { holidays: ['2027-01-01'] })).toBe(10);
  });

  it('stops counting once an entry is late, and counts nothing for an entry before the end', () => {
    expect(workingDaysBetween(friday, shanghai('2027-03-01T09:00'), SHANGHAI, {})).toBe(11);
    expect(workingDaysBetween(friday, shanghai('2026-11-20T09:00'), SHANGHAI, {})).toBe(0);
  });
});

describe('local dates', () => {
  it('accepts only real YYYY-MM-DD dates', () => {
    expect(isLocalDate('2026-10-01')).toBe(true);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-13-01')).toBe(false);
    expect(isLocalDate('2026/10/01')).toBe(false);
    expect(isLocalDate('')).toBe(false);
  });
});

describe("working days (isWorkingDay), from the official calendar and the association's own days", () => {
  it("reads the State Council's holidays and make-up working days, else Monday to Friday", () => {
    expect(isWorkingDay('2026-02-14')).toBe(true); // Saturday, worked for Spring Festival
    expect(isWorkingDay('2026-09-20')).toBe(true); // Sunday, worked for National Day
    expect(isWorkingDay('2026-02-16')).toBe(false); // Monday, Spring Festival
    expect(isWorkingDay('2026-09-25')).toBe(false); // Friday, Mid-autumn
    expect(isWorkingDay('2026-02-21')).toBe(false); // Saturday inside Spring Festival
    expect(isWorkingDay('2026-03-02')).toBe(true); // a plain Monday
    expect(isWorkingDay('2026-03-06')).toBe(true); // a plain Friday
    expect(isWorkingDay('2026-03-07')).toBe(false); // a plain Saturday
    expect(isWorkingDay('2026-03-01')).toBe(false); // a plain Sunday
    expect(isWorkingDay('2026-02-30')).toBe(false); // no such day
  });

  it("lets the association's own days decide first", () => {
    expect(isWorkingDay('2026-02-16', { workingDays: ['2026-02-16'] })).toBe(true);
    expect(isWorkingDay('2026-02-14', { holidays: ['2026-02-14'] })).toBe(false);
    expect(isWorkingDay('2026-03-02', { holidays: ['2026-03-02'] })).toBe(false);
    expect(isWorkingDay('2026-03-07', { workingDays: ['2026-03-07'] })).toBe(true);
    expect(isWorkingDay('2026-03-07', { holidays: ['2026-03-02'], workingDays: ['2026-03-01'] })).toBe(false);
  });

  it("lists a year's official holidays with their make-up working days", () => {
    const holidays = officialHolidaysOf(2026);
    expect(holidays.map((holiday) => holiday.nameZh)).toEqual([
      '元旦',
      '春节',
      '清明',
      '劳动节',
      '端午',
      '中秋',
      '国庆节',
    ]);
    expect(holidays[1]).toEqual({
      nameZh: '春节',
      nameEn: 'Spring Festival',
      firstDay: '2026-02-15',
      lastDay: '2026-02-23',
      workingDays: ['2026-02-14', '2026-02-28'],
    });
    expect(holidays[0]).toMatchObject({ firstDay: '2026-01-01', lastDay: '2026-01-03', workingDays: ['2026-01-04'] });
    expect(holidays[6]).toMatchObject({
      firstDay: '2026-10-01',
      lastDay: '2026-10-07',
      workingDays: ['2026-09-20', '2026-10-10'],
    });
    expect(holidays[5]).toMatchObject({ firstDay: '2026-09-25', lastDay: '2026-09-27', workingDays: [] });
    expect(officialHolidaysOf(1999)).toEqual([]);
  });

  it('says which years the official calendar covers', () => {
    const years = officialCalendarYears();
    expect(years).toContain(2025);
    expect(years).toContain(2026);
    expect(years).toEqual([...years].sort((a, b) => a - b));
    expect(new Set(years).size).toBe(years.length);
  });
});
