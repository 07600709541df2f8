import { describe, expect, it } from 'vitest';
import {
  expandRecurrence,
  formatRrule,
  parseRrule,
  recurrenceProblem,
  type Recurrence,
} from '../../src/modules/activities/recurrence.ts';
import { formatWallTime, instantOf, parseWallTime, wallTimeAt } from '../../src/kernel/time.ts';

const weekly = (fields: Partial<Recurrence>): Recurrence => ({
  frequency: 'WEEKLY',
  interval: 1,
  byDay: [],
  byMonthDay: [],
  until: null,
  count: null,
  ...fields,
});

function expand(rule: Recurrence, start: string): string[] {
  const wall = parseWallTime(start);
  if (!wall) throw new Error(start);
  return expandRecurrence(rule, wall).map(formatWallTime);
}

describe('recurrence (RRULE)', () => {
  it('repeats weekly on the start’s weekday across a month boundary, COUNT times', () => {
    expect(expand(weekly({ count: 4 }), '2026-12-22T09:00')).toEqual([
      '2026-12-22T09:00',
      '2026-12-29T09:00',
      '2027-01-05T09:00',
      '2027-01-12T09:00',
    ]);
  });

  it('repeats on several weekdays until a date, every other week', () => {
    const rule = weekly({
      interval: 2,
      byDay: [
        { weekday: 'SA', ordinal: null },
        { weekday: 'TU', ordinal: null },
      ],
      until: '2027-02-02',
    });
    expect(expand(rule, '2027-01-05T14:30')).toEqual([
      '2027-01-05T14:30',
      '2027-01-09T14:30',
      '2027-01-19T14:30',
      '2027-01-23T14:30',
      '2027-02-02T14:30',
    ]);
  });

  it('skips a start that does not match BYDAY, as rrule libraries do', () => {
    expect(expand(weekly({ byDay: [{ weekday: 'FR', ordinal: null }], count: 2 }), '2026-12-30T08:00')).toEqual([
      '2027-01-01T08:00',
      '2027-01-08T08:00',
    ]);
  });

  it('repeats monthly on the second Saturday, the last Friday, or a day of the month', () => {
    const secondSaturday: Recurrence = {
      ...weekly({ count: 3 }),
      frequency: 'MONTHLY',
      byDay: [{ weekday: 'SA', ordinal: 2 }],
    };
    expect(expand(secondSaturday, '2026-11-01T09:00')).toEqual([
      '2026-11-14T09:00',
      '2026-12-12T09:00',
      '2027-01-09T09:00',
    ]);
    const lastFriday: Recurrence = {
      ...weekly({ count: 2 }),
      frequency: 'MONTHLY',
      byDay: [{ weekday: 'FR', ordinal: -1 }],
    };
    expect(expand(lastFriday, '2027-01-01T19:00')).toEqual(['2027-01-29T19:00', '2027-02-26T19:00']);
    // The 31st: months without one have no occurrence (RFC 5545).
    const thirtyFirst: Recurrence = { ...weekly({ count: 3 }), frequency: 'MONTHLY' };
    expect(expand(thirtyFirst, '2027-01-31T10:00')).toEqual([
      '2027-01-31T10:00',
      '2027-03-31T10:00',
      '2027-05-31T10:00',
    ]);
  });

  it('writes RRULE text with UNTIL in UTC and reads it back', () => {
    const rule: Recurrence = { ...weekly({ until: '2027-01-31' }), byDay: [{ weekday: 'TU', ordinal: null }] };
    const text = formatRrule(rule, 'Asia/Shanghai');
    // The end of 31 January in Shanghai is 15:59:59 UTC.
    expect(text).toBe('FREQ=WEEKLY;BYDAY=TU;UNTIL=20270131T155959Z');
    expect(parseRrule(text, 'Asia/Shanghai')).toEqual(rule);
    const monthly: Recurrence = {
      ...weekly({ count: 6, interval: 2 }),
      frequency: 'MONTHLY',
      byDay: [{ weekday: 'SA', ordinal: 2 }],
    };
    expect(parseRrule(formatRrule(monthly, 'Asia/Shanghai'), 'Asia/Shanghai')).toEqual(monthly);
  });

  it('refuses a rule without an end, with too many occurrences, or ending before it starts', () => {
    const start = parseWallTime('2027-01-05T09:00');
    if (!start) throw new Error('start');
    expect(recurrenceProblem(weekly({}), start)).toBe('END_REQUIRED');
    expect(recurrenceProblem(weekly({ count: 500 }), start)).toBe('TOO_MANY_OCCURRENCES');
    expect(recurrenceProblem(weekly({ until: '2026-12-01' }), start)).toBe('UNTIL_BEFORE_START');
    expect(recurrenceProblem(weekly({ until: '2027-03-01' }), start)).toBeUndefined();
  });
});

describe('wall time in a time zone', () => {
  it('converts between a zone’s wall clock and UTC, across a daylight-saving change', () => {
    const nine = parseWallTime('2027-01-05T09:00');
    if (!nine) throw new Error('time');
    expect(instantOf(nine, 'Asia/Shanghai').toISOString()).toBe('2027-01-05T01:00:00.000Z');
    expect(formatWallTime(wallTimeAt(new Date('2027-01-05T01:00:00Z'), 'Asia/Shanghai'))).toBe('2027-01-05T09:00');
    // Berlin: 09:00 is 08:00 UTC in winter and 07:00 UTC in summer.
    const march = expandRecurrence(weekly({ count: 2 }), { year: 2027, month: 3, day: 22, hour: 9, minute: 0 });
    expect(march.map((wall) => instantOf(wall, 'Europe/Berlin').toISOString())).toEqual([
      '2027-03-22T08:00:00.000Z',
      '2027-03-29T07:00:00.000Z',
    ]);
  });

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
