import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

/**
 * Only the pure rule modules' unit tests (test/rules): no database, no app.
 * StrykerJS runs them for `pnpm test:mutation` (stryker.config.js); the
 * regular api project (vitest.config.ts) runs them too, with every other test.
 */
export default defineProject({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'api-rules',
    include: ['test/rules/**/*.test.ts'],
  },
});
