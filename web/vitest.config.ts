import { createRequire } from 'node:module';
import { defineProject } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineProject({
  resolve: {
    // One graphql for the API the global setup starts (see api/vitest.config.ts).
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // One server for all the browser tests (each file has an association of its own, see global-setup.ts);
    // one file at a time, as a 2-core machine runs Chromium best.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
