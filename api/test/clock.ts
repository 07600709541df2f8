/**
 * The one clock of the tests: every fixture that depends on "now" is built
 * from it, and every app a test starts runs on it. Without TEST_NOW it is the
 * real clock; with TEST_NOW (an ISO instant such as 2026-12-31T23:59:00+08:00)
 * it shows that instant when the test file starts and runs at the real pace
 * from there, so each file runs at the instant named, not minutes after it.
 * The browser tests share one server, so they share one start: the global
 * setup's (web/test/browser.ts). `pnpm test:dates` runs the suite at the dates
 * that used to break it.
 */
import { addDays, DEFAULT_TIME_ZONE, formatLocalDate, formatWallTime, wallTimeAt } from '../src/kernel/time.ts';
import { systemClock, type Clock } from '../src/shared/clock.ts';

/** The tests' clock: TEST_NOW at the real instant `startedAt` (ms), running on from there. */
export function testClockStartedAt(startedAt: number): Clock {
  const given = process.env['TEST_NOW'];
  if (!given) return systemClock;
  const start = new Date(given).getTime();
  if (Number.isNaN(start)) throw new Error(`TEST_NOW is not an instant: ${given}`);
  const offset = start - startedAt;
  return { now: () => new Date(systemClock.now().getTime() + offset) };
}

/** This test file's clock (each file loads its own copy of this module). */
export const testClock: Clock = testClockStartedAt(systemClock.now().getTime());

/** Whether the tests run on a clock of their own (TEST_NOW), not the real one. */
export const testClockIsSet = process.env['TEST_NOW'] !== undefined && process.env['TEST_NOW'] !== '';

/** The test clock's instant `minutes` from now (negative: ago). */
export function minutesFromNow(minutes: number): Date {
  return new Date(testClock.now().getTime() + minutes * 60_000);
}

/** Local times and dates on one clock in one zone: what the tests type into forms and expect on pages. */
export interface LocalTimes {
  /** The wall time (`YYYY-MM-DDTHH:mm`) `minutes` from now (negative: ago): what a datetime-local input takes. */
  localTimeIn: (minutes: number) => string;
  /** The date (`YYYY-MM-DD`) `days` from today (negative: ago). */
  localDateIn: (days: number) => string;
  /** What the wall clock shows at `instant`, as `HH:mm` (as the pages show a time). */
  timeOfDayAt: (instant: Date) => string;
}

/**
 * Local times on `clock` (an app's own clock, or the browser tests' shared one)
 * in `timeZone`, the test organizations' and the demo association's by default.
 */
export function localTimesOn(clock: Clock, timeZone: string = DEFAULT_TIME_ZONE): LocalTimes {
  const wallTimeIn = (minutes: number) => wallTimeAt(new Date(clock.now().getTime() + minutes * 60_000), timeZone);
  return {
    localTimeIn: (minutes) => formatWallTime(wallTimeIn(minutes)),
    localDateIn: (days) => formatLocalDate(addDays(wallTimeIn(0), days)),
    timeOfDayAt: (instant) => formatWallTime(wallTimeAt(instant, timeZone)).slice('YYYY-MM-DDT'.length),
  };
}

/** Local times on this file's test clock (the browser tests take theirs from web/test/browser.ts). */
export const { localTimeIn, localDateIn, timeOfDayAt } = localTimesOn(testClock);

/** The test clock, put forward by `forward(minutes)` as a test goes on: time passing for one app. */
export function movableClock(): Clock & { forward(minutes: number): void } {
  let shift = 0;
  return {
    now: () => new Date(testClock.now().getTime() + shift),
    forward: (minutes) => {
      shift += minutes * 60_000;
    },
  };
}
