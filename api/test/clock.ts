/**
 * The one clock of the tests: every fixture that depends on "now" is built
 * from it, and every app a test starts (API tests, the browser tests' server
 * and their pages) runs on it. Without TEST_NOW it is the real clock; with
 * TEST_NOW (an ISO instant such as 2026-12-31T23:59:00+08:00) it shows that
 * instant at the start of the run and runs at the real pace from there.
 * `pnpm test:dates` runs the suite at the dates that used to break it.
 */
import { systemClock, type Clock } from '../src/shared/clock.ts';

/**
 * When the run started, so that every process of one run (vitest's main
 * process and its workers) shares one clock: vitest.config.ts sets it once.
 */
export const TEST_RUN_STARTED_AT = 'TEST_RUN_STARTED_AT';

function fromEnvironment(): Clock {
  const given = process.env['TEST_NOW'];
  if (!given) return systemClock;
  const start = new Date(given).getTime();
  if (Number.isNaN(start)) throw new Error(`TEST_NOW is not an instant: ${given}`);
  const startedAt = Number(process.env[TEST_RUN_STARTED_AT] ?? systemClock.now().getTime());
  const offset = start - startedAt;
  return { now: () => new Date(systemClock.now().getTime() + offset) };
}

export const testClock: Clock = fromEnvironment();

/** Whether the tests run on a clock of their own (TEST_NOW), not the real one. */
export const testClockIsSet = testClock !== systemClock;

/** The test clock's instant `minutes` from now (negative: ago). */
export function minutesFromNow(minutes: number): Date {
  return new Date(testClock.now().getTime() + minutes * 60_000);
}
