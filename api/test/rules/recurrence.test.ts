/** Recurring activities (RRULE): expansion, refusal, and the RRULE text, counted in local wall time. */
import { describe, expect, it } from 'vitest';
import {
  expandRecurrence,
  formatRrule,
  MAX_OCCURRENCES,
  MAX_SERIES_DAYS,
  parseRrule,
  recurrenceProblem,
  WEEKDAYS,
  type Recurrence,
} from '../../src/modules/activities/recurrence.ts';
import { formatWallTime, instantOf, parseWallTime, type WallTime } from '../../src/kernel/time.ts';

const rule = (fields: Partial<Recurrence>): Recurrence => ({
  frequency: 'WEEKLY',
  interval: 1,
  byDay: [],
  byMonthDay: [],
  until: null,
  count: null,
  ...fields,
});
const monthly = (fields: Partial<Recurrence>) => rule({ frequency: 'MONTHLY', ...fields });

function at(text: string): WallTime {
  const wall = parseWallTime(text);
  if (!wall) throw new Error(text);
  return wall;
}

const expand = (recurrence: Recurrence, start: string, limit?: number) =>
  expandRecurrence(recurrence, at(start), limit).map(formatWallTime);

describe('expandRecurrence, weekly', () => {
  it('repeats on the start’s weekday, COUNT times, across the year end', () => {
    expect(expand(rule({ count: 3 }), '2026-12-24T09:00')).toEqual([
      '2026-12-24T09:00',
      '2026-12-31T09:00',
      '2027-01-07T09:00',
    ]);
  });

  it('repeats on several weekdays in weekday order, every other week, until a date (included)', () => {
    const recurrence = rule({
      interval: 2,
      byDay: [
        { weekday: 'SA', ordinal: null },
        { weekday: 'TU', ordinal: null },
        { weekday: 'SA', ordinal: null },
      ],
      until: '2026-12-26',
    });
    // Starts on Tuesday 1 December 2026.
    expect(expand(recurrence, '2026-12-01T19:30')).toEqual([
      '2026-12-01T19:30',
      '2026-12-05T19:30',
      '2026-12-15T19:30',
      '2026-12-19T19:30',
    ]);
    expect(expand({ ...recurrence, until: '2026-12-29' }, '2026-12-01T19:30')).toHaveLength(5);
  });

  it('skips the days of the first week before the start', () => {
    const recurrence = rule({
      byDay: [
        { weekday: 'MO', ordinal: null },
        { weekday: 'FR', ordinal: null },
      ],
      count: 3,
    });
    // Wednesday 2 December: Monday the 30th is before it.
    expect(expand(recurrence, '2026-12-02T08:00')).toEqual([
      '2026-12-04T08:00',
      '2026-12-07T08:00',
      '2026-12-11T08:00',
    ]);
    // On the start day, an earlier time of day is before the start; the start itself counts.
    expect(expand(recurrence, '2026-12-04T08:00')).toEqual([
      '2026-12-04T08:00',
      '2026-12-07T08:00',
      '2026-12-11T08:00',
    ]);
  });

  it('stops at the limit asked for and at MAX_OCCURRENCES', () => {
    expect(expand(rule({ until: '2027-12-31' }), '2026-12-01T09:00', 2)).toEqual([
      '2026-12-01T09:00',
      '2026-12-08T09:00',
    ]);
    const everyDay = rule({ byDay: WEEKDAYS.map((weekday) => ({ weekday, ordinal: null })), count: 500 });
    expect(expandRecurrence(everyDay, at('2026-12-01T09:00'))).toHaveLength(MAX_OCCURRENCES);
    expect(MAX_OCCURRENCES).toBe(200);
  });

  it('runs at most MAX_SERIES_DAYS after its start', () => {
    expect(MAX_SERIES_DAYS).toBe(732);
    const everyDay = rule({ byDay: WEEKDAYS.map((weekday) => ({ weekday, ordinal: null })) });
    const all = expand(everyDay, '2026-01-05T09:00', 1000);
    // Day 0 to day 732 included: 2028 is a leap year, so day 732 is 7 January 2028.
    expect(all).toHaveLength(733);
    expect(all.at(-1)).toBe('2028-01-07T09:00');
    // Every 12 weeks, all week: periods start 84 days apart, the tenth (day 756) is too late.
    const sparse = expand({ ...everyDay, interval: 12 }, '2026-01-05T09:00', 1000);
    expect(sparse).toHaveLength(63);
    expect(sparse.at(-1)).toBe('2027-11-14T09:00');
  });
});

describe('expandRecurrence across a daylight-saving change', () => {
  it('keeps the wall time, so the instant moves by the change (Berlin: 09:00 is 08:00 UTC, then 07:00)', () => {
    const march = expandRecurrence(rule({ count: 2 }), at('2027-03-22T09:00'));
    expect(march.map((wall) => instantOf(wall, 'Europe/Berlin').toISOString())).toEqual([
      '2027-03-22T08:00:00.000Z',
      '2027-03-29T07:00:00.000Z',
    ]);
  });
});

describe('expandRecurrence, monthly', () => {
  it('repeats on the start’s day of the month, skipping months without it', () => {
    expect(expand(monthly({ count: 4 }), '2026-12-31T09:00')).toEqual([
      '2026-12-31T09:00',
      '2027-01-31T09:00',
      '2027-03-31T09:00',
      '2027-05-31T09:00',
    ]);
  });

  it('repeats on days of the month, counting from the end with negative days', () => {
    expect(expand(monthly({ byMonthDay: [-1, 15], count: 5 }), '2027-01-10T14:00')).toEqual([
      '2027-01-15T14:00',
      '2027-01-31T14:00',
      '2027-02-15T14:00',
      '2027-02-28T14:00',
      '2027-03-15T14:00',
    ]);
    expect(expand(monthly({ byMonthDay: [30], count: 3 }), '2027-01-30T14:00')).toEqual([
      '2027-01-30T14:00',
      '2027-03-30T14:00',
      '2027-04-30T14:00',
    ]);
    expect(expand(monthly({ byMonthDay: [-31], count: 3 }), '2027-01-01T14:00')).toEqual([
      '2027-01-01T14:00',
      '2027-03-01T14:00',
      '2027-05-01T14:00',
    ]);
  });

  it('repeats on the nth weekday: the second Saturday, the last Friday', () => {
    expect(expand(monthly({ byDay: [{ weekday: 'SA', ordinal: 2 }], count: 3 }), '2026-12-01T09:00')).toEqual([
      '2026-12-12T09:00',
      '2027-01-09T09:00',
      '2027-02-13T09:00',
    ]);
    expect(expand(monthly({ byDay: [{ weekday: 'FR', ordinal: -1 }], count: 3 }), '2026-12-01T09:00')).toEqual([
      '2026-12-25T09:00',
      '2027-01-29T09:00',
      '2027-02-26T09:00',
    ]);
    // A fifth Sunday only some months have.
    expect(expand(monthly({ byDay: [{ weekday: 'SU', ordinal: 5 }], count: 2 }), '2026-12-01T09:00')).toEqual([
      '2027-01-31T09:00',
      '2027-05-30T09:00',
    ]);
  });

  it('repeats on every such weekday of the month without an ordinal, every three months', () => {
    expect(
      expand(monthly({ byDay: [{ weekday: 'WE', ordinal: null }], interval: 3, count: 6 }), '2026-12-01T18:00'),
    ).toEqual([
      '2026-12-02T18:00',
      '2026-12-09T18:00',
      '2026-12-16T18:00',
      '2026-12-23T18:00',
      '2026-12-30T18:00',
      '2027-03-03T18:00',
    ]);
  });

  it('ends on the UNTIL day, its occurrence included', () => {
    expect(expand(monthly({ until: '2027-02-15' }), '2026-12-15T09:00')).toEqual([
      '2026-12-15T09:00',
      '2027-01-15T09:00',
      '2027-02-15T09:00',
    ]);
    expect(expand(monthly({ until: '2027-02-14' }), '2026-12-15T09:00')).toHaveLength(2);
    // A midnight occurrence the day after UNTIL is out.
    expect(expand(monthly({ until: '2027-01-14' }), '2026-12-15T00:00')).toEqual(['2026-12-15T00:00']);
    expect(expand(monthly({ until: '2027-01-15' }), '2026-12-15T00:00')).toEqual([
      '2026-12-15T00:00',
      '2027-01-15T00:00',
    ]);
  });

  it('ends a rule with no candidates at all', () => {
    expect(expand(monthly({ byMonthDay: [31], interval: 12, count: 5 }), '2026-02-01T09:00')).toEqual([]);
  });
});

describe('recurrenceProblem', () => {
  const start = at('2026-12-05T09:00');

  it('accepts a weekly and a monthly series', () => {
    expect(recurrenceProblem(rule({ count: 10 }), start)).toBeUndefined();
    expect(recurrenceProblem(rule({ until: '2026-12-05' }), start)).toBeUndefined();
    expect(recurrenceProblem(monthly({ byDay: [{ weekday: 'SA', ordinal: 1 }], count: 12 }), start)).toBeUndefined();
    expect(recurrenceProblem(monthly({ byMonthDay: [-31, 31], until: '2027-12-31' }), start)).toBeUndefined();
    expect(recurrenceProblem(monthly({ byDay: [{ weekday: 'SA', ordinal: -5 }], count: 1 }), start)).toBeUndefined();
    expect(recurrenceProblem(monthly({ byDay: [{ weekday: 'SA', ordinal: 5 }], count: 1 }), start)).toBeUndefined();
    expect(recurrenceProblem(rule({ interval: 12, count: MAX_OCCURRENCES }), start)).toBeUndefined();
    expect(recurrenceProblem(rule({ interval: 1, count: 1 }), start)).toBeUndefined();
  });

  it('refuses an interval outside 1–12', () => {
    expect(recurrenceProblem(rule({ interval: 0, count: 3 }), start)).toBe('INVALID_RECURRENCE');
    expect(recurrenceProblem(rule({ interval: 13, count: 3 }), start)).toBe('INVALID_RECURRENCE');
    expect(recurrenceProblem(rule({ interval: 1.5, count: 3 }), start)).toBe('INVALID_RECURRENCE');
  });

  it('needs an end, and a count from 1 to MAX_OCCURRENCES', () => {
    expect(recurrenceProblem(rule({}), start)).toBe('END_REQUIRED');
    expect(recurrenceProblem(rule({ count: 0 }), start)).toBe('INVALID_RECURRENCE');
    expect(recurrenceProblem(rule({ count: 2.5 }), start)).toBe('INVALID_RECURRENCE');
    expect(recurrenceProblem(rule({ count: MAX_OCCURRENCES + 1 }), start)).toBe('TOO_MANY_OCCURRENCES');
  });

  it('refuses an UNTIL that is no date, before the start, or too far', () => {
    expect(recurrenceProblem(rule({ until: '2026-02-30' }), start)).toBe('INVALID_RECURRENCE');
    expect(recurrenceProblem(rule({ until: '2026-12-04' }), start)).toBe('UNTIL_BEFORE_START');
    // 732 days after the start is the limit; the day after is too far.
    expect(recurrenceProblem(monthly({ until: '2028-12-06' }), start)).toBeUndefined();
    expect(recurrenceProblem(monthly({ until: '2028-12-07' }), start)).toBe('TOO_MANY_OCCURRENCES');
    // From midnight, the UNTIL day 732 days later is still in.
    expect(recurrenceProblem(monthly({ until: '2028-12-06' }), at('2026-12-05T00:00'))).toBeUndefined();
    // Weekly for almost two years is more than 200 occurrences... but only on many days a week.
    expect(
      recurrenceProblem(
        rule({
          byDay: [
            { weekday: 'SA', ordinal: null },
            { weekday: 'SU', ordinal: null },
          ],
          until: '2028-12-01',
        }),
        start,
      ),
    ).toBe('TOO_MANY_OCCURRENCES');
  });

  it('refuses ordinals and month days in a weekly rule', () => {
    expect(recurrenceProblem(rule({ byDay: [{ weekday: 'SA', ordinal: 1 }], count: 3 }), start)).toBe(
      'INVALID_RECURRENCE',
    );
    expect(recurrenceProblem(rule({ byMonthDay: [5], count: 3 }), start)).toBe('INVALID_RECURRENCE');
  });

  it('refuses month days and ordinals out of range, and both kinds at once', () => {
    for (const byMonthDay of [[0], [32], [-32], [1.5]]) {
      expect(recurrenceProblem(monthly({ byMonthDay, count: 3 }), start), String(byMonthDay)).toBe(
        'INVALID_RECURRENCE',
      );
    }
    for (const ordinal of [0, 6, -6]) {
      expect(recurrenceProblem(monthly({ byDay: [{ weekday: 'SA', ordinal }], count: 3 }), start)).toBe(
        'INVALID_RECURRENCE',
      );
    }
    expect(
      recurrenceProblem(monthly({ byDay: [{ weekday: 'SA', ordinal: 1 }], byMonthDay: [5], count: 3 }), start),
    ).toBe('INVALID_RECURRENCE');
  });

  it('allows exactly MAX_OCCURRENCES occurrences up to UNTIL, not one more', () => {
    const everyDay = rule({ byDay: WEEKDAYS.map((weekday) => ({ weekday, ordinal: null })) });
    // 5 December 2026 to 22 June 2027: 200 days.
    expect(recurrenceProblem({ ...everyDay, until: '2027-06-22' }, start)).toBeUndefined();
    expect(recurrenceProblem({ ...everyDay, until: '2027-06-23' }, start)).toBe('TOO_MANY_OCCURRENCES');
  });

  it('refuses a series with no occurrences', () => {
    expect(
      recurrenceProblem(monthly({ byMonthDay: [31], interval: 12, until: '2028-01-31' }), at('2026-02-01T09:00')),
    ).toBe('NO_OCCURRENCES');
  });
});

describe('RRULE text', () => {
  it('writes UNTIL as the end of the local day in UTC', () => {
    const recurrence = rule({
      interval: 2,
      byDay: [
        { weekday: 'TU', ordinal: null },
        { weekday: 'SA', ordinal: null },
      ],
      until: '2026-12-31',
    });
    expect(formatRrule(recurrence, 'Asia/Shanghai')).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SA;UNTIL=20261231T155959Z');
    expect(parseRrule('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SA;UNTIL=20261231T155959Z', 'Asia/Shanghai')).toEqual(
      recurrence,
    );
  });

  it('writes a monthly rule with ordinals and counts, and reads it back', () => {
    const nth = monthly({
      byDay: [
        { weekday: 'SA', ordinal: 2 },
        { weekday: 'FR', ordinal: -1 },
      ],
      count: 12,
    });
    expect(formatRrule(nth, 'Asia/Shanghai')).toBe('FREQ=MONTHLY;BYDAY=2SA,-1FR;COUNT=12');
    expect(parseRrule('RRULE:FREQ=MONTHLY;BYDAY=2SA,-1FR;COUNT=12', 'Asia/Shanghai')).toEqual(nth);
    const days = monthly({ byMonthDay: [1, -1], until: '2027-06-30' });
    expect(formatRrule(days, 'Europe/Berlin')).toBe('FREQ=MONTHLY;BYMONTHDAY=1,-1;UNTIL=20270630T215959Z');
    expect(parseRrule(formatRrule(days, 'Europe/Berlin'), 'Europe/Berlin')).toEqual(days);
    expect(formatRrule(monthly({ until: '2027-01-15' }), 'Europe/Berlin')).toBe('FREQ=MONTHLY;UNTIL=20270115T225959Z');
    expect(parseRrule('FREQ=MONTHLY;BYDAY=+1MO;COUNT=3', 'UTC').byDay).toEqual([{ weekday: 'MO', ordinal: 1 }]);
  });

  it('reads UNTIL as the local date of that instant', () => {
    // 20:00 UTC on 31 December is already 1 January in Shanghai; 18:30 UTC is midnight in Kolkata.
    expect(parseRrule('FREQ=WEEKLY;UNTIL=20261231T200000Z', 'Asia/Shanghai').until).toBe('2027-01-01');
    expect(parseRrule('FREQ=WEEKLY;UNTIL=20261231T183000Z', 'Asia/Kolkata').until).toBe('2027-01-01');
    expect(parseRrule('FREQ=WEEKLY;UNTIL=20261231T182959Z', 'Asia/Kolkata').until).toBe('2026-12-31');
  });

  it('leaves out an invalid UNTIL day when writing', () => {
    expect(formatRrule(rule({ until: '2026-02-30', count: 2 }), 'UTC')).toBe('FREQ=WEEKLY;COUNT=2');
  });

  it('refuses what Qicai does not write', () => {
    expect(() => parseRrule('FREQ=DAILY;COUNT=3', 'UTC')).toThrow('unsupported RRULE: FREQ=DAILY;COUNT=3');
    expect(() => parseRrule('COUNT=3', 'UTC')).toThrow('unsupported RRULE');
    expect(() => parseRrule('FREQ=WEEKLY;BYDAY=XX', 'UTC')).toThrow('unsupported BYDAY: XX');
    expect(() => parseRrule('FREQ=WEEKLY;BYDAY=1MOx', 'UTC')).toThrow('unsupported BYDAY');
    expect(() => parseRrule('FREQ=WEEKLY;BYDAY=XMO', 'UTC')).toThrow('unsupported BYDAY: XMO');
    expect(() => parseRrule('FREQ=WEEKLY;UNTIL=20261231T155959Zx', 'UTC')).toThrow('unsupported UNTIL');
    expect(() => parseRrule('FREQ=WEEKLY;UNTIL=20261231', 'UTC')).toThrow('unsupported UNTIL: 20261231');
    expect(() => parseRrule('FREQ=WEEKLY;UNTIL=20261231T155959', 'UTC')).toThrow('unsupported UNTIL');
    expect(() => parseRrule('FREQ=WEEKLY;UNTIL=x20261231T155959Z', 'UTC')).toThrow('unsupported UNTIL');
  });

  it('reads the defaults: interval 1, no days, no end', () => {
    expect(parseRrule('FREQ=WEEKLY', 'UTC')).toEqual(rule({}));
  });
});
