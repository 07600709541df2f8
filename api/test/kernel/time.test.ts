/** Wall times in an organization's zone: Asia/Shanghai (no daylight saving) and Europe/Berlin (with it). */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMinutes,
  daysInMonth,
  formatLocalDate,
  formatWallTime,
  instantOf,
  parseLocalDate,
  parseWallTime,
  wallTimeAt,
  wallTimeValue,
  weekdayIndex,
  type WallTime,
} from '../../src/kernel/time.ts';

const wall = (year: number, month: number, day: number, hour = 0, minute = 0): WallTime => ({
  year,
  month,
  day,
  hour,
  minute,
});

describe('parseWallTime', () => {
  it('reads a datetime-local value, with or without zero seconds', () => {
    expect(parseWallTime('2026-12-05T09:30')).toEqual(wall(2026, 12, 5, 9, 30));
    expect(parseWallTime(' 2026-12-05T09:30 ')).toEqual(wall(2026, 12, 5, 9, 30));
    expect(parseWallTime('2026-12-05T09:30:00')).toEqual(wall(2026, 12, 5, 9, 30));
    expect(parseWallTime('2026-12-05T09:30:00.000')).toEqual(wall(2026, 12, 5, 9, 30));
    expect(parseWallTime('2028-02-29T23:59')).toEqual(wall(2028, 2, 29, 23, 59));
    expect(parseWallTime('2026-01-01T00:00')).toEqual(wall(2026, 1, 1, 0, 0));
  });

  it('refuses what is not a real time to the minute', () => {
    for (const text of [
      '2026-12-05T09:30:15',
      '2026-12-05T09:30:00.5',
      '2026-12-05 09:30',
      '2026-12-05',
      'x2026-12-05T09:30',
      '2026-12-05T09:30x',
      '2026-02-29T09:00',
      '2026-04-31T09:00',
      '2026-13-01T09:00',
      '2026-00-10T09:00',
      '2026-12-00T09:00',
      '2026-12-05T24:00',
      '2026-12-05T09:60',
      '0050-12-05T09:00',
      '',
    ]) {
      expect(parseWallTime(text), text).toBeUndefined();
    }
  });
});

describe('parseLocalDate', () => {
  it('reads a date as its midnight', () => {
    expect(parseLocalDate('2026-12-31')).toEqual(wall(2026, 12, 31));
    expect(parseLocalDate(' 2027-01-01 ')).toEqual(wall(2027, 1, 1));
  });

  it('refuses what is not a real date', () => {
    for (const text of [
      '2026-02-29',
      '2026-12-32',
      '2026-13-01',
      '0099-01-01',
      '2026-12-5',
      '2026-12-05T00:00',
      'x2026-12-05',
      'x',
    ]) {
      expect(parseLocalDate(text), text).toBeUndefined();
    }
  });
});

describe('formatting and arithmetic', () => {
  it('formats with zero padding', () => {
    expect(formatWallTime(wall(2026, 3, 5, 7, 5))).toBe('2026-03-05T07:05');
    expect(formatWallTime(wall(987, 12, 31, 23, 59))).toBe('0987-12-31T23:59');
    expect(formatLocalDate(wall(2026, 3, 5, 7, 5))).toBe('2026-03-05');
    expect(formatLocalDate(wall(987, 1, 1))).toBe('0987-01-01');
  });

  it('compares wall times as if they were UTC', () => {
    expect(wallTimeValue(wall(2026, 12, 5, 9, 30))).toBe(Date.UTC(2026, 11, 5, 9, 30));
  });

  it('adds days and minutes across month and year ends', () => {
    expect(addDays(wall(2026, 12, 31, 9, 0), 1)).toEqual(wall(2027, 1, 1, 9, 0));
    expect(addDays(wall(2027, 3, 1, 9, 0), -1)).toEqual(wall(2027, 2, 28, 9, 0));
    expect(addMinutes(wall(2026, 12, 31, 23, 30), 45)).toEqual(wall(2027, 1, 1, 0, 15));
    expect(addMinutes(wall(2026, 12, 5, 0, 10), -20)).toEqual(wall(2026, 12, 4, 23, 50));
  });

  it('numbers weekdays from Monday', () => {
    expect(weekdayIndex(wall(2026, 11, 30))).toBe(0);
    expect(weekdayIndex(wall(2026, 12, 5, 23, 59))).toBe(5);
    expect(weekdayIndex(wall(2026, 12, 6))).toBe(6);
    expect(weekdayIndex(wall(2027, 1, 1))).toBe(4);
  });

  it('knows the length of each month', () => {
    expect(daysInMonth(2026, 1)).toBe(31);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });
});

describe('Asia/Shanghai (UTC+8 all year)', () => {
  it('shows the local date where UTC is still the day before', () => {
    expect(wallTimeAt(new Date('2026-12-31T16:00:00Z'), 'Asia/Shanghai')).toEqual(wall(2027, 1, 1, 0, 0));
    expect(wallTimeAt(new Date('2026-12-31T15:59:59Z'), 'Asia/Shanghai')).toEqual(wall(2026, 12, 31, 23, 59));
    expect(wallTimeAt(new Date('2026-07-01T01:30:00Z'), 'Asia/Shanghai')).toEqual(wall(2026, 7, 1, 9, 30));
  });

  it('finds the instant of a wall time', () => {
    expect(instantOf(wall(2026, 12, 31, 23, 59), 'Asia/Shanghai')).toEqual(new Date('2026-12-31T15:59:00Z'));
    expect(instantOf(wall(2027, 1, 1, 0, 0), 'Asia/Shanghai')).toEqual(new Date('2026-12-31T16:00:00Z'));
    expect(instantOf(wall(2026, 7, 1, 9, 30), 'Asia/Shanghai')).toEqual(new Date('2026-07-01T01:30:00Z'));
  });

  it('reads a zone with a half-hour offset', () => {
    expect(instantOf(wall(2026, 9, 1), 'Asia/Kolkata')).toEqual(new Date('2026-08-31T18:30:00Z'));
    expect(wallTimeAt(new Date('2026-08-31T18:30:00Z'), 'Asia/Kolkata')).toEqual(wall(2026, 9, 1));
  });

  it('reads UTC as itself', () => {
    expect(wallTimeAt(new Date('2026-12-05T09:30:00Z'), 'UTC')).toEqual(wall(2026, 12, 5, 9, 30));
    expect(instantOf(wall(2026, 12, 5, 9, 30), 'UTC')).toEqual(new Date('2026-12-05T09:30:00Z'));
  });
});

describe('Europe/Berlin (daylight saving)', () => {
  const BERLIN = 'Europe/Berlin';

  it('is an hour ahead of UTC in winter and two in summer', () => {
    expect(instantOf(wall(2026, 1, 15, 9, 0), BERLIN)).toEqual(new Date('2026-01-15T08:00:00Z'));
    expect(instantOf(wall(2026, 7, 15, 9, 0), BERLIN)).toEqual(new Date('2026-07-15T07:00:00Z'));
    expect(wallTimeAt(new Date('2026-01-15T08:00:00Z'), BERLIN)).toEqual(wall(2026, 1, 15, 9, 0));
    expect(wallTimeAt(new Date('2026-07-15T07:00:00Z'), BERLIN)).toEqual(wall(2026, 7, 15, 9, 0));
  });

  it('springs forward on 29 March 2026: a time in the gap resolves to the instant after it', () => {
    expect(instantOf(wall(2026, 3, 29, 1, 59), BERLIN)).toEqual(new Date('2026-03-29T00:59:00Z'));
    expect(instantOf(wall(2026, 3, 29, 2, 30), BERLIN)).toEqual(new Date('2026-03-29T01:30:00Z'));
    expect(instantOf(wall(2026, 3, 29, 3, 0), BERLIN)).toEqual(new Date('2026-03-29T01:00:00Z'));
    expect(instantOf(wall(2026, 3, 29, 9, 0), BERLIN)).toEqual(new Date('2026-03-29T07:00:00Z'));
    expect(wallTimeAt(new Date('2026-03-29T00:59:00Z'), BERLIN)).toEqual(wall(2026, 3, 29, 1, 59));
    expect(wallTimeAt(new Date('2026-03-29T01:00:00Z'), BERLIN)).toEqual(wall(2026, 3, 29, 3, 0));
  });

  it('falls back on 25 October 2026: a time shown twice resolves to the earlier instant', () => {
    expect(instantOf(wall(2026, 10, 25, 1, 59), BERLIN)).toEqual(new Date('2026-10-24T23:59:00Z'));
    expect(instantOf(wall(2026, 10, 25, 2, 0), BERLIN)).toEqual(new Date('2026-10-25T00:00:00Z'));
    expect(instantOf(wall(2026, 10, 25, 2, 30), BERLIN)).toEqual(new Date('2026-10-25T00:30:00Z'));
    expect(instantOf(wall(2026, 10, 25, 2, 59), BERLIN)).toEqual(new Date('2026-10-25T00:59:00Z'));
    expect(instantOf(wall(2026, 10, 25, 3, 0), BERLIN)).toEqual(new Date('2026-10-25T02:00:00Z'));
    expect(wallTimeAt(new Date('2026-10-25T00:30:00Z'), BERLIN)).toEqual(wall(2026, 10, 25, 2, 30));
    expect(wallTimeAt(new Date('2026-10-25T01:30:00Z'), BERLIN)).toEqual(wall(2026, 10, 25, 2, 30));
    expect(wallTimeAt(new Date('2026-10-25T02:00:00Z'), BERLIN)).toEqual(wall(2026, 10, 25, 3, 0));
  });

  it('shows the wall time to the minute, whatever the seconds', () => {
    expect(wallTimeAt(new Date('2026-10-25T01:14:59.999Z'), BERLIN)).toEqual(wall(2026, 10, 25, 2, 14));
  });
});

describe('the wall clock read near a change', () => {
  // wallTimeAt reads Intl once per zone and quarter hour: each side of a change must still be read as its own.
  it('reads the clock right on either side of a change, in zones off the hour', () => {
    const shown = (iso: string, zone: string) => formatWallTime(wallTimeAt(new Date(iso), zone));
    // Berlin springs forward at 01:00 UTC: a minute before and at the change.
    expect(shown('2027-03-28T00:59:00Z', 'Europe/Berlin')).toBe('2027-03-28T01:59');
    expect(shown('2027-03-28T01:00:00Z', 'Europe/Berlin')).toBe('2027-03-28T03:00');
    // Kathmandu is UTC+05:45; Lord Howe moves by half an hour (10:30 to 11:00) at 02:00 local.
    expect(shown('2027-01-05T01:14:00Z', 'Asia/Kathmandu')).toBe('2027-01-05T06:59');
    expect(shown('2026-10-03T15:29:00Z', 'Australia/Lord_Howe')).toBe('2026-10-04T01:59');
    expect(shown('2026-10-03T15:30:00Z', 'Australia/Lord_Howe')).toBe('2026-10-04T02:30');
  });
});
