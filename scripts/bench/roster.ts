/**
 * `pnpm bench:roster`: the roster at county scale. Imports a generated
 * 31,172-row workbook (≈31,000 members) through the real upload route and
 * GraphQL on a server process of its own (roster-import.ts: time, peak RSS,
 * progress, other requests' latency meanwhile), on PostgreSQL and then on
 * PGlite; then times the roster's first page and searches through the real
 * GraphQL endpoint over HTTP, on PostgreSQL. Prints figures; asserts nothing.
 * `--postgres-only` skips the PGlite import.
 *
 * Uses a fresh database on TEST_DATABASE_URL / DATABASE_URL (else the
 * local server) and drops it afterwards; `--keep` keeps it (and prints its
 * URL) to look at the query plans.
 */
import { buildApp, loadConfig } from '@qicai/api';
import { createTestDatabase } from '@qicai/db/testing';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { CookieJar } from './cookie-jar.ts';
import { benchRosterImport, countyWorkbook, describeImport } from './roster-import.ts';

const ROWS = 31_172;
const REPEAT = 40;

const testDatabase = await createTestDatabase('postgres');
const { file, bad } = countyWorkbook(ROWS);
const log = (text: string) => process.stderr.write(text);
// The import first, on a server of its own, into the fresh database (migrated by that server).
const imported = await benchRosterImport({ driver: 'postgres', databaseUrl: testDatabase.url, file, rows: ROWS, log });
const database = await testDatabase.open({ poolSize: 10 });
const app = await buildApp({
  // Production refuses to start without a secret; this run's own will do.
  config: loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    PORT: '0',
    APP_SECRET: randomBytes(32).toString('hex'),
  }),
  database,
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const cookies = new CookieJar();
let org = '';

async function post(path: string, body: string | Buffer, headers: Record<string, string>): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      ...headers,
      ...cookies.header(),
      ...(org && { 'x-qicai-org': org }),
    },
    body,
  });
  cookies.take(response);
  const answer = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

const gql = (query: string, variables: Record<string, unknown> = {}) =>
  post('/graphql', JSON.stringify({ query, variables }), { 'content-type': 'application/json' });

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

async function timed(run: () => Promise<unknown>, times: number): Promise<{ p50: number; p95: number }> {
  await run(); // warm-up
  const durations: number[] = [];
  for (let index = 0; index < times; index++) {
    const start = performance.now();
    await run();
    durations.push(performance.now() - start);
  }
  durations.sort((left, right) => left - right);
  return { p50: percentile(durations, 0.5), p95: percentile(durations, 0.95) };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

try {
  await gql(`mutation ($input: SignInInput!) { signIn(input: $input) { account { id } } }`, {
    input: { login: imported.admin.phone, password: imported.admin.password },
  });
  org = imported.admin.slug;

  const ROSTER = `query ($search: String, $filter: MemberFilter, $sort: MemberSort) { organization { members(first: 50, search: $search, filter: $filter, sort: $sort) {
    nodes { id displayName role phone email politicalStatus partyStage workUnit skills active hasAccount teams { id colour name { zh en } } }
    pageInfo { hasNextPage endCursor } totalCount } } }`;
  const teams = (await gql(`{ organization { teams { id colour } } }`)) as {
    organization: { teams: { id: string; colour: string }[] };
  };
  const redTeam = teams.organization.teams.find((team) => team.colour === 'RED')?.id;

  const cases: { name: string; variables: Record<string, unknown> }[] = [
    { name: 'first page (by name)', variables: {} },
    { name: 'first page, newest first', variables: { sort: 'JOINED_NEWEST' } },
    { name: 'first page, red team', variables: { filter: { teamId: redTeam } } },
    { name: 'search name "张"', variables: { search: '张' } },
    { name: 'search name "王芳"', variables: { search: '王芳' } },
    { name: 'search phone "1390012"', variables: { search: '1390012' } },
    { name: 'search work unit "人民医院"', variables: { search: '人民医院' } },
    { name: 'search skill "心理疏导"', variables: { search: '心理疏导' } },
    { name: 'search, no match "不存在"', variables: { search: '不存在' } },
    {
      name: 'filter party members, skill 急救',
      variables: { filter: { politicalStatus: 'CPC_MEMBER', skill: '急救' } },
    },
  ];
  const query = async (variables: Record<string, unknown>) => {
    const data = (await gql(ROSTER, variables)) as { organization: { members: { totalCount: number } } };
    return data.organization.members.totalCount;
  };
  // Right after a bulk import the planner's statistics are stale until autovacuum analyzes the
  // table (within about a minute). Time the first page and a search then, and everything after.
  const stale = [
    { name: 'first page (by name)', ...(await timed(() => query({}), 10)) },
    { name: 'search name "王芳"', ...(await timed(() => query({ search: '王芳' }), 10)) },
  ];
  const owner = postgres(testDatabase.url ?? '', { max: 1, onnotice: () => {} });
  await owner`analyze`;
  await owner.end();

  const results: { name: string; p50: number; p95: number; total: number }[] = [];
  for (const { name, variables } of cases) {
    let total = 0;
    const timing = await timed(async () => {
      const data = (await gql(ROSTER, variables)) as { organization: { members: { totalCount: number } } };
      total = data.organization.members.totalCount;
    }, REPEAT);
    results.push({ name, ...timing, total });
  }

  const pglite = process.argv.includes('--postgres-only')
    ? undefined
    : await benchRosterImport({ driver: 'pglite', file, rows: ROWS, log });
  console.log(`\nRoster benchmark (${bad} bad rows in the file; queries: GraphQL over HTTP on ${base})\n`);
  for (const result of [imported, ...(pglite ? [pglite] : [])]) console.log(`${describeImport(result).join('\n')}\n`);
  console.log('Right after the import, before autovacuum has analyzed the table (10 runs):');
  for (const result of stale) {
    console.log(`  ${result.name.padEnd(40)} p50 ${ms(result.p50).padStart(9)}   p95 ${ms(result.p95).padStart(9)}`);
  }
  console.log(`\nRoster queries (first: 50, with teams and totalCount), ${REPEAT} runs each after a warm-up:`);
  for (const result of results) {
    console.log(
      `  ${result.name.padEnd(40)} p50 ${ms(result.p50).padStart(9)}   p95 ${ms(result.p95).padStart(9)}   (${result.total.toLocaleString('en')} match)`,
    );
  }
} finally {
  await app.close();
  if (process.argv.includes('--keep')) {
    console.log(`\nKept the database: ${testDatabase.url ?? ''}`);
    await database.close();
    // The test database helper holds a server connection until it drops the database.
    process.exit(0);
  } else await testDatabase.drop();
}
