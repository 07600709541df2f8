import { createRequire } from 'node:module';
import { defineProject } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineProject({
  resolve: {
    // graphql 16 ships CommonJS (main) and ESM (module); Node and mercurius load the
    // CommonJS build, Vite would pick the ESM one: two copies of graphql in one process.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    name: 'api',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Budgets, not expectations: the concurrency tests (200 sign-ups at once, two instances) must
    // hold on a busy 2-core CI machine. How fast things are is `pnpm bench`'s business.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
