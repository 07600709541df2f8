/**
 * The recurrence describer (src/lib/recurrence-text.ts): each kind of rule the
 * activity form offers — weekly on weekdays, monthly on an nth (or the last)
 * weekday, monthly on days of the month, every N weeks or months, ending after
 * a count or on a date — in Chinese and English.
 */
import { describe, expect, it } from 'vitest';
import { describeRecurrence, type RecurrenceRule } from '../src/lib/recurrence-text';

const base: RecurrenceRule = {
  frequency: 'WEEKLY',
  interval: 1,
  byWeekday: ['SA'],
  weekOfMonth: null,
  byMonthDay: [],
  until: null,
  count: 4,
};

const cases: [string, Partial<RecurrenceRule>, string, string][] = [
  ['weekly on Saturday, 4 times', {}, '每周六，共 4 次', 'Every Saturday, 4 times'],
  [
    'weekly on two weekdays, given out of order, until a date',
    { byWeekday: ['WE', 'MO'], count: null, until: '2027-01-31' },
    '每周一、三，至 2027年1月31日',
    'Every Monday and Wednesday, until 31 January 2027',
  ],
  [
    'every two weeks',
    { interval: 2, byWeekday: ['SU'], count: 10 },
    '每 2 周的周日，共 10 次',
    'Every 2 weeks on Sunday, 10 times',
  ],
  [
    'monthly on the second Saturday',
    { frequency: 'MONTHLY', byWeekday: ['SA'], weekOfMonth: 2, count: 6 },
    '每月第二个周六，共 6 次',
    'Every month on the second Saturday, 6 times',
  ],
  [
    'monthly on the last Friday, every three months',
    { frequency: 'MONTHLY', interval: 3, byWeekday: ['FR'], weekOfMonth: -1, count: null, until: '2027-12-31' },
    '每 3 个月的最后一个周五，至 2027年12月31日',
    'Every 3 months on the last Friday, until 31 December 2027',
  ],
  [
    'monthly on days of the month and the last day',
    { frequency: 'MONTHLY', byWeekday: [], byMonthDay: [-1, 15, 1], count: 12 },
    '每月1日、15日、最后一天，共 12 次',
    'Every month on the 1st, the 15th and the last day, 12 times',
  ],
  [
    'monthly on the 22nd, every two months, once',
    { frequency: 'MONTHLY', interval: 2, byWeekday: [], byMonthDay: [22], count: 1 },
    '每 2 个月的22日，仅 1 次',
    'Every 2 months on the 22nd, once',
  ],
];

describe('recurrence in words', () => {
  it.each(cases)('%s', (_name, rule, chinese, english) => {
    expect(describeRecurrence({ ...base, ...rule }, 'zh')).toBe(chinese);
    expect(describeRecurrence({ ...base, ...rule }, 'en')).toBe(english);
  });

  it('writes English ordinals of the teens and twenties right', () => {
    const days = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31];
    const text = describeRecurrence({ ...base, frequency: 'MONTHLY', byWeekday: [], byMonthDay: days }, 'en');
    expect(text).toBe(
      'Every month on the 1st, the 2nd, the 3rd, the 4th, the 11th, the 12th, the 13th, the 21st, the 22nd, the 23rd and the 31st, 4 times',
    );
  });
});
