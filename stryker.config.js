// @ts-check
/**
 * Mutation testing of the API's pure rule modules: `pnpm test:mutation`.
 * Run by hand (it takes minutes), not by `pnpm test` or CI. Each mutant is
 * run against api/test/rules (api/vitest.rules.config.ts): unit tests with no
 * database and fixed instants. The clear-text table is printed; the HTML
 * and JSON reports go to reports/mutation/ (git-ignored).
 * members/privacy.ts is left out: it needs a database context.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'api/vitest.rules.config.ts', dir: 'api' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'api/src/modules/hours/rules.ts',
    'api/src/modules/hours/certificate-number.ts',
    'api/src/modules/activities/geo.ts',
    'api/src/modules/activities/recurrence.ts',
    'api/src/modules/activities/check-in-codes.ts',
    'api/src/modules/activities/time.ts',
    'api/src/modules/people/validation.ts',
    'api/src/modules/members/profile.ts',
    'api/src/modules/members/roster-rows.ts',
    'api/src/modules/requests/tracking-codes.ts',
    'api/src/modules/dashboard/mask.ts',
  ],
  // Only the API and the root configuration are needed in the sandbox.
  ignorePatterns: ['/web', '/db', '/scripts', '/bench', '/reports', '/.data'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  thresholds: { high: 90, low: 85, break: 85 },
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
