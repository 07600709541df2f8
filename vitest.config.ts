import { defineConfig } from 'vitest/config';
import api from './api/vitest.config.ts';

/**
 * The tests that reach for another organization's data, once more with
 * row-level security off in their databases (api/test/helper.ts): the
 * application's own org_id filters must keep organizations apart by
 * themselves, as row-level security must without them (db/test/tenancy.test.ts).
 */
const ISOLATION_TESTS = [
  'activities',
  'board',
  'certificates',
  'hours',
  'isolation',
  'members',
  'organization-export',
  'requests',
  'sponsorship-access',
  'stations',
].map((name) => `test/${name}.test.ts`);

export default defineConfig({
  test: {
    projects: [
      'db',
      'api',
      'web',
      // Spread, not `extends`: extending concatenates `include`, which ran every API test here.
      {
        ...api,
        root: './api',
        test: { ...api.test, name: 'api-without-rls', include: ISOLATION_TESTS, env: { TEST_WITHOUT_RLS: '1' } },
      },
    ],
  },
});
