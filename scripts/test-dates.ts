/**
 * `pnpm test:dates [vitest arguments]`: the test suite at the instants that
 * used to break it (the first and the last day of a month, 1 January, 31
 * December at 23:59 in Asia/Shanghai), each through TEST_NOW (api/test/clock.ts).
 * Prints one line per instant and exits non-zero if any run failed.
 */
import { spawnSync } from 'node:child_process';

const INSTANTS = [
  '2027-03-01T00:20:00+08:00', // the 1st, just after midnight: last month's records are "last month"
  '2027-01-31T21:00:00+08:00', // the 31st
  '2027-01-01T08:30:00+08:00', // 1 January: a new year, and a holiday
  '2026-12-31T23:59:00+08:00', // 31 December at 23:59, a minute before the year ends
  '2027-06-05T10:00:00+08:00', // a Saturday
];

const results = INSTANTS.map((instant) => {
  console.log(`\n=== TEST_NOW=${instant}`);
  const run = spawnSync('pnpm', ['exec', 'vitest', 'run', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TEST_NOW: instant },
  });
  return { instant, ok: run.status === 0 };
});

console.log('\nTEST_NOW                    result');
for (const { instant, ok } of results) console.log(`${instant}   ${ok ? 'passed' : 'FAILED'}`);
process.exitCode = results.every((result) => result.ok) ? 0 : 1;
