/**
 * `pnpm bench [--duration 5] [--runs 3] [--warmup 2] [--connections 10] [--only R0,R3,Q1] [--web-api loopback]`:
 * the benchmark. Builds the web app if stale, starts the real server as a
 * child process (production mode, the benchmark database of
 * `pnpm bench:seed`, BENCH=1 for the counters and the R0/R3 routes), and
 * loads it from a second process (./load.ts, autocannon): a warm-up, then
 * several runs, medians. Prints one table and writes it as JSON to
 * bench/results/bench-results.json (git-ignored). Every figure is also given
 * as a ratio to R3 of the same run, so the table reads the same on any machine.
 *
 * Rows P1–P7 are pages as a browser gets them (the server-rendered HTML, signed
 * in to bench-county), each followed by its API row (P1q …): the main
 * GraphQL query that page's load makes, with the same variables. A page also
 * asks for the viewer and the organization (the layouts' loads), so the gap
 * between the two rows is those, SvelteKit's rendering and the web-to-API hop.
 */
import { loadConfig } from '@qicai/api';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import postgres from 'postgres';
import { ensureWebBuild } from '../web-build.ts';
import { CookieJar, SESSION_COOKIE } from './cookie-jar.ts';
import { BENCH_PASSWORD, benchPhone, LARGEST_SLUG } from './dataset.ts';
import type { LoadRequest, LoadResult, LoadSpec } from './load.ts';
import { benchRosterImport, countyWorkbook, describeImport, type ImportBenchResult } from './roster-import.ts';
import {
  ActivityListDocument,
  BoardDocument,
  HoursReportsDocument,
  MyHoursDocument,
  PublicActivitiesDocument,
  RosterDocument,
} from '../../web/src/lib/graphql/__generated__/operations.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string' },
    // How the pages' server side reaches the API: in this process (the default), or over loopback HTTP.
    'web-api': { type: 'string', default: 'in-process' },
  },
});
if (!['in-process', 'loopback'].includes(values['web-api'])) throw new Error('--web-api is in-process or loopback');
const DURATION = Number(values.duration);
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);
const CONNECTIONS = Number(values.connections);
const only = values.only ? new Set(values.only.split(',')) : undefined;
const wanted = (row: string) => !only || only.has(row) || row === 'R3';

const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/qicai_bench';
const owner = postgres(databaseUrl, { max: 2, onnotice: () => {} });
const [county] = await owner<{ id: string }[]>`select id from organizations where slug = ${LARGEST_SLUG}`.catch(
  () => [],
);
if (!county) {
  console.error(`No benchmark dataset in ${databaseUrl}: run pnpm bench:seed first.`);
  process.exit(1);
}

const webBuildDir = loadConfig({ NODE_ENV: 'test' }).webBuildDir;
ensureWebBuild(webBuildDir);

/* The server, in its own process */

const port = 40_000 + Math.floor(Math.random() * 9_000);
const base = `http://127.0.0.1:${port}`;
const server: ChildProcess = spawn(join(root, 'node_modules/.bin/tsx'), ['api/src/server.ts'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: base,
    DATABASE_URL: databaseUrl,
    APP_SECRET: 'qicai-benchmark-secret-not-for-production',
    LOG_LEVEL: 'warn',
    // The load comes from one address; the limit would measure itself.
    RATE_LIMIT_PER_MINUTE: '100000000',
    JOBS_INTERVAL_SECONDS: '0',
    BENCH: '1',
    // Naming the API's address makes the pages reach it over HTTP even in one process (api/src/plugins/web.ts).
    ...(values['web-api'] === 'loopback' ? { API_URL: base } : {}),
  },
});
const serverExited = new Promise<void>((resolve) =>
  server.once('exit', () => {
    resolve();
  }),
);

async function waitForServer(): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the server did not start');
}

interface Stats {
  statements: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}
const stats = async () => (await (await fetch(`${base}/__bench/stats`)).json()) as Stats;

async function graphql(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<{ data: unknown; cookie: string | undefined }> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json()) as { data: unknown; errors?: unknown[] };
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  // The session's cookie, not the known-device cookie set beside it at sign-in.
  const jar = new CookieJar();
  jar.take(response);
  return { data: answer.data, cookie: jar.pair(SESSION_COOKIE) };
}

/** Signs in through the real sign-in, as a browser would; returns the session cookie. */
async function signIn(login: string): Promise<string> {
  const { cookie } = await graphql(
    `
      mutation ($input: SignInInput!) {
        signIn(input: $input) {
          account {
            id
          }
        }
      }
    `,
    { input: { login, password: BENCH_PASSWORD } },
    {},
  );
  if (!cookie) throw new Error(`no session for ${login}`);
  return cookie;
}

/* Measuring */

async function load(spec: Omit<LoadSpec, 'url' | 'connections'> & { connections?: number }): Promise<LoadResult> {
  const file = join(tmpdir(), `qicai-bench-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ url: base, connections: CONNECTIONS, ...spec }));
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/bench/load.ts'), file], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the load process failed (${code})`);
  return JSON.parse(output) as LoadResult;
}

interface Row {
  name: string;
  what: string;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  statementsPerRequest: number;
  errors: number;
  runs: LoadResult[];
  /** One request at a time (one connection): a request's own latency, without queueing behind the others. */
  alone?: { p50: number; p95: number; p99: number };
  note?: string;
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/**
 * A warm-up, then RUNS runs of DURATION seconds; `prepare` (if given) makes
 * each run's requests afresh. Fixed requests are also run from one connection,
 * for their latency alone: with CONNECTIONS at once on two cores, a p95 is
 * mostly the time spent waiting behind the other requests.
 */
async function measure(
  name: string,
  what: string,
  requests: LoadRequest[] | (() => Promise<{ requests: LoadRequest[]; amount: number }>),
): Promise<Row> {
  process.stderr.write(`${name}: `);
  const next = async (seconds: number) =>
    typeof requests === 'function' ? await requests() : { requests, amount: undefined, duration: seconds };
  await load({ ...(await next(WARMUP)), duration: WARMUP });
  const runs: LoadResult[] = [];
  const statements: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const spec = await next(DURATION);
    const before = await stats();
    const result = await load({ ...spec, duration: DURATION });
    const after = await stats();
    runs.push(result);
    statements.push((after.statements - before.statements) / Math.max(1, result.requests));
    process.stderr.write(`${result.requestsPerSecond.toFixed(0)}/s `);
  }
  const alone =
    typeof requests === 'function' ? undefined : await load({ requests, duration: DURATION, connections: 1 });
  // No answer within the run (a page slower than the run is long) leaves its percentiles empty (null).
  if (alone) process.stderr.write(`(alone: p95 ${Number.isFinite(alone.p95) ? alone.p95.toFixed(1) : '–'} ms)`);
  process.stderr.write('\n');
  return {
    name,
    what,
    ...(alone ? { alone: { p50: alone.p50, p95: alone.p95, p99: alone.p99 } } : {}),
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50: median(runs.map((run) => run.p50)),
    p95: median(runs.map((run) => run.p95)),
    p99: median(runs.map((run) => run.p99)),
    statementsPerRequest: median(statements),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    runs,
  };
}

/** The JavaScript a route's page loads (the client entry, its layouts and its page, each file once), gzipped. */
function pageJavaScript(buildDir: string): { route: string; files: number; gzipBytes: number }[] {
  const chunks = join(buildDir, 'server/chunks');
  const manifestFile = readdirSync(chunks).find((file) => file.startsWith('manifest.js-') && file.endsWith('.js'));
  if (!manifestFile) return [];
  const manifest = readFileSync(join(chunks, manifestFile), 'utf8');
  const list = (text: string | undefined) =>
    [...(text ?? '').matchAll(/"([^"]+\.js)"/g)].map((match) => match[1] ?? '');
  const entry = list(/client: \{.*?imports:\[([^\]]*)\]/s.exec(manifest)?.[1]);
  const nodeFiles = readdirSync(join(chunks, 'nodes'));
  const nodeImports = (index: number) => {
    const file = nodeFiles.find((name) => name.startsWith(`${index}.js-`) && name.endsWith('.js'));
    const text = file ? readFileSync(join(chunks, 'nodes', file), 'utf8') : '';
    return list(/const imports = \[([^\]]*)\]/.exec(text)?.[1]);
  };
  const gzipped = new Map<string, number>();
  const sizeOf = (path: string) => {
    let size = gzipped.get(path);
    if (size === undefined) {
      size = gzipSync(readFileSync(join(buildDir, 'client', path)), { level: 9 }).length;
      gzipped.set(path, size);
    }
    return size;
  };
  const pages: { route: string; files: number; gzipBytes: number }[] = [];
  for (const block of manifest.split(/\n\t*\{\n\t*id: /).slice(1)) {
    const route = /^"([^"]+)"/.exec(block)?.[1];
    const page = /page: \{ layouts: \[([^\]]*)\], errors: \[[^\]]*\], leaf: (\d+) \}/.exec(block);
    if (!route || !page) continue;
    const nodes = [...(page[1]?.match(/\d+/g) ?? []).map(Number), Number(page[2])];
    const files = new Set([...entry, ...nodes.flatMap(nodeImports)]);
    pages.push({ route, files: files.size, gzipBytes: [...files].reduce((sum, file) => sum + sizeOf(file), 0) });
  }
  return pages;
}

/* The queries */

const ACTIVITY_LIST = `query ActivityList($filter: ActivityFilter, $first: Int) {
  organization { timeZone teams { id colour name { zh en } leads { id } } viewerIsAdmin viewerMember { id } }
  activities(filter: $filter, first: $first) {
    nodes {
      id title category status placeName startsAt endsAt startsAtLocal endsAtLocal capacity isPublic
      confirmedCount waitlistCount team { id colour name { zh en } }
      viewerSignUp { id status waitlistPosition }
    }
    pageInfo { hasNextPage }
  }
}`;
const ROSTER_SEARCH = `query ($search: String) { organization { members(first: 50, search: $search) {
  nodes { id displayName role phone politicalStatus partyStage workUnit skills active teams { id colour name { zh en } } }
  pageInfo { hasNextPage endCursor } totalCount } } }`;
const LEADERBOARD = `query { hoursLeaderboard(period: YEAR, first: 20) { rank minutes member { id displayName } } }`;
const BOARD = `query { board { generatedAt timeZone checkedInNow todayCount
  today { id title teamColour placeName startsAt endsAt confirmed checkedIn happeningNow }
  hours { thisMonthMinutes thisYearMinutes }
  teams { colour name { zh en } members activitiesThisMonth activitiesToday checkedInNow hoursThisYearMinutes }
  feed { kind maskedName teamColour title at minutes } requests { open solved } childrenSponsored trend { month minutes } } }`;
const STATION_BOARD = `query { stationBoard {
  stations { id name township openNow peopleOnSite peopleStationed visitsToday latestService latestServiceAt }
  spotChecks { maskedName stationName status sentAt answerSeconds atStation } } }`;
const SIGN_UP = `mutation ($id: ID!) { signUp(activityId: $id) { id status } }`;

const shanghaiToday = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const startOfToday = new Date(`${shanghaiToday}T00:00:00+08:00`).toISOString();
const json = { 'content-type': 'application/json' };

const rows: Row[] = [];
const results: Record<string, unknown> = {};
try {
  await waitForServer();
  const admin = benchPhone(0);
  const adminCookie = await signIn(admin);
  const memberCookie = await signIn(benchPhone(8));
  const asMember = { ...json, cookie: memberCookie, 'x-qicai-org': LARGEST_SLUG };
  const asAdmin = { ...json, cookie: adminCookie, 'x-qicai-org': LARGEST_SLUG };
  const activityList = (first: number): LoadRequest => ({
    method: 'POST',
    path: '/graphql',
    headers: asMember,
    body: JSON.stringify({ query: ACTIVITY_LIST, variables: { filter: { fromDate: shanghaiToday }, first } }),
  });

  // Q1's statements for a page of 10 and of 50: the same if every relation is batched.
  const statementsFor = async (first: number) => {
    const before = await stats();
    const answer = await graphql(ACTIVITY_LIST, { filter: { fromDate: shanghaiToday }, first }, asMember);
    const data = answer.data as { activities: { nodes: unknown[] } };
    const after = await stats();
    return { activities: data.activities.nodes.length, statements: after.statements - before.statements };
  };
  results['q1Statements'] = { page10: await statementsFor(10), page50: await statementsFor(50) };

  if (wanted('R0')) {
    rows.push(
      await measure('R0', 'Fastify route returning a constant', [
        { method: 'GET', path: '/__bench/constant', headers: {} },
      ]),
    );
  }
  rows.push(
    await measure('R3', 'plain route, Q1’s SQL through postgres.js', [
      {
        method: 'GET',
        path: `/__bench/activities?first=50&from=${encodeURIComponent(startOfToday)}`,
        headers: { cookie: memberCookie, 'x-qicai-org': LARGEST_SLUG },
      },
    ]),
  );
  if (wanted('Q1'))
    rows.push(await measure('Q1', 'activity list: 50 upcoming, team, counts, own sign-up', [activityList(50)]));

  // Q2 and Q3 come with the hours and dashboard modules: measured where the schema has them.
  for (const [name, what, query] of [
    ['Q2', 'member-hours leaderboard, this year (top 20)', LEADERBOARD],
    ['Q3', 'big-screen figures (board)', BOARD],
    ['Q3s', 'big screen: 120 stations and their day’s logbook (stationBoard)', STATION_BOARD],
  ] as const) {
    if (!wanted(name)) continue;
    const available = await graphql(query, {}, asAdmin).then(
      () => true,
      (error: unknown) => {
        process.stderr.write(`${name}: skipped (${String(error).slice(0, 120)})\n`);
        return false;
      },
    );
    if (available) {
      rows.push(
        await measure(name, what, [
          { method: 'POST', path: '/graphql', headers: asAdmin, body: JSON.stringify({ query }) },
        ]),
      );
    }
  }

  if (wanted('Q4')) {
    // Many members, few activities: 200 members each sign up for 10 new activities of 20 places, all at once.
    const q4Members = await Promise.all(
      Array.from({ length: 200 }, (_, k) => benchPhone(100 + k)).map(async (login, index) => {
        await new Promise((resolve) => setTimeout(resolve, index * 15));
        return signIn(login);
      }),
    );
    const [red] = await owner<{ id: string }[]>`select id from teams where org_id = ${county.id} and colour = 'RED'`;
    // Q4 makes its own activities and removes them afterwards (and those of a run that was interrupted).
    const removeQ4Activities = async () => {
      const created = owner`select id from activities where org_id = ${county.id} and title like '抢位测试 %'`;
      await owner`delete from notifications where org_id = ${county.id} and activity_id in (${created})`;
      await owner`delete from sign_ups where org_id = ${county.id} and activity_id in (${created})`;
      await owner`delete from activities where org_id = ${county.id} and title like '抢位测试 %'`;
    };
    await removeQ4Activities();
    const q4Activities: string[] = [];
    let day = 60;
    const prepare = async () => {
      const ids: string[] = [];
      for (let k = 0; k < 10; k++) {
        // A day apart, beyond the seeded five weeks: no member has an overlapping sign-up.
        const startsAt = new Date(Date.now() + day++ * 86_400_000);
        const [activity] = await owner<{ id: string }[]>`insert into activities
          (org_id, team_id, title, category, place_name, latitude, longitude, starts_at, ends_at, capacity, status)
          values (${county.id}, ${red?.id ?? ''}, ${`抢位测试 ${day}`}, 'ENVIRONMENT', '荣家湾镇', 29.14, 113.12,
            ${startsAt}, ${new Date(startsAt.getTime() + 3_600_000)}, 20, 'PUBLISHED') returning id`;
        ids.push(activity?.id ?? '');
      }
      q4Activities.push(...ids);
      const requests = ids.flatMap((id) =>
        q4Members.map((cookie) => ({
          method: 'POST' as const,
          path: '/graphql',
          headers: { ...json, cookie, 'x-qicai-org': LARGEST_SLUG },
          body: JSON.stringify({ query: SIGN_UP, variables: { id } }),
        })),
      );
      return { requests, amount: requests.length };
    };
    const row = await measure('Q4', 'signUp: 200 members × 10 activities of 20 places', prepare);
    const [check] = await owner<{ over: number; full: number; signUps: number; miscounted: number }[]>`
      select count(*) filter (where confirmed > capacity)::int as over,
             count(*) filter (where confirmed = capacity)::int as full,
             sum(total)::int as "signUps",
             count(*) filter (where confirmed_count <> confirmed)::int as miscounted
      from (select a.capacity, a.confirmed_count,
              (select count(*) from sign_ups s where s.org_id = a.org_id and s.activity_id = a.id and s.status = 'CONFIRMED') as confirmed,
              (select count(*) from sign_ups s where s.org_id = a.org_id and s.activity_id = a.id) as total
            from activities a where a.org_id = ${county.id} and a.id = any(${q4Activities}::uuid[])) counted`;
    row.note = `${q4Activities.length} activities: ${check?.over ?? '?'} over capacity, ${check?.full ?? '?'} full; ${check?.signUps ?? '?'} sign-ups; ${check?.miscounted ?? '?'} with a counter off`;
    results['q4Capacity'] = { activities: q4Activities.length, ...check };
    rows.push(row);
    await removeQ4Activities();
  }

  if (wanted('Q5')) {
    const fragments = ['王芳', '张伟', '李娜', '刘洋', '陈静', '杨', '黄丽', '周杰'];
    rows.push(
      await measure(
        'Q5',
        'roster search by name fragment (admin, 50 + total)',
        fragments.map((search) => ({
          method: 'POST',
          path: '/graphql',
          headers: asAdmin,
          body: JSON.stringify({ query: ROSTER_SEARCH, variables: { search } }),
        })),
      ),
    );
  }

  // Pages: each one's HTML, then the main query its load makes (the same variables as the page's).
  const addDays = (date: string, days: number) =>
    new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const rosterVariables = (search: string | null) => ({
    first: 50,
    after: null,
    isAdmin: true,
    search,
    filter: { teamId: null, politicalStatus: null, partyStage: null, role: null, status: 'ACTIVE' },
    sort: 'NAME',
  });
  const pages: { name: string; what: string; path: string; cookie: string; query: string; variables: object }[] = [
    {
      name: 'P1',
      what: 'page: activity list (member, 30 days)',
      path: '/activities',
      cookie: memberCookie,
      query: ActivityListDocument.toString(),
      variables: {
        filter: {
          fromDate: shanghaiToday,
          toDate: addDays(shanghaiToday, 29),
          teamColours: null,
          categories: null,
          mine: false,
        },
        first: 100,
      },
    },
    {
      name: 'P2',
      what: 'page: roster, first page (admin)',
      path: '/members',
      cookie: adminCookie,
      query: RosterDocument.toString(),
      variables: rosterVariables(null),
    },
    {
      name: 'P3',
      what: 'page: roster search 王芳 (admin)',
      path: `/members?q=${encodeURIComponent('王芳')}`,
      cookie: adminCookie,
      query: RosterDocument.toString(),
      variables: rosterVariables('王芳'),
    },
    {
      name: 'P4',
      what: 'page: my hours (member)',
      path: '/hours',
      cookie: memberCookie,
      query: MyHoursDocument.toString(),
      variables: {},
    },
    {
      name: 'P5',
      what: 'page: reports, the year so far (admin)',
      path: '/reports',
      cookie: adminCookie,
      query: HoursReportsDocument.toString(),
      variables: { from: `${shanghaiToday.slice(0, 4)}-01-01`, to: shanghaiToday, memberFirst: 100, memberOffset: 0 },
    },
    {
      name: 'P6',
      what: 'page: big screen (admin)',
      path: '/board',
      cookie: adminCookie,
      query: BoardDocument.toString(),
      variables: {},
    },
    {
      name: 'P7',
      what: 'page: public organization page (member)',
      path: '',
      cookie: memberCookie,
      query: PublicActivitiesDocument.toString(),
      variables: { filter: { fromDate: shanghaiToday, toDate: addDays(shanghaiToday, 60) }, first: 12 },
    },
  ];
  for (const page of pages) {
    if (!wanted(page.name)) continue;
    const path = `/o/${LARGEST_SLUG}${page.path}`;
    const check = await fetch(`${base}${path}`, { headers: { cookie: page.cookie }, redirect: 'manual' });
    if (check.status !== 200) {
      process.stderr.write(`${page.name}: skipped (${path} answered ${check.status})\n`);
      continue;
    }
    rows.push(await measure(page.name, page.what, [{ method: 'GET', path, headers: { cookie: page.cookie } }]));
    rows.push(
      await measure(`${page.name}q`, `  its API query`, [
        {
          method: 'POST',
          path: '/graphql',
          headers: { ...json, cookie: page.cookie, 'x-qicai-org': LARGEST_SLUG },
          body: JSON.stringify({ query: page.query, variables: page.variables }),
        },
      ]),
    );
  }

  if (wanted('import')) {
    // The county roster into an organization of its own, on a server of its own (so that its peak
    // memory is the import's): on this PostgreSQL database, then on a fresh embedded PGlite.
    const { file } = countyWorkbook();
    const log = (text: string) => process.stderr.write(text);
    results['rosterImport'] = {
      postgres: await benchRosterImport({ driver: 'postgres', databaseUrl, file, rows: 31_172, log }),
      pglite: await benchRosterImport({ driver: 'pglite', file, rows: 31_172, log }),
    };
  }

  const end = await stats();
  const collected = (await (await fetch(`${base}/__bench/stats?gc=1`)).json()) as Stats;
  // V8 gives freed pages back to the system once the server has been idle a while (its memory
  // reducer, 30–40 s here): what the run's peak leaves behind.
  let settled = collected;
  for (let waited = 0; wanted('import') && waited < 90 && settled.rss > 0.75 * collected.rss; waited += 5) {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    settled = await stats();
  }
  results['serverRssIdleMegabytes'] = settled.rss / 1_048_576;
  results['serverRssMegabytes'] = end.rss / 1_048_576;
  results['serverHeapMegabytes'] = { used: end.heapUsed / 1_048_576, total: end.heapTotal / 1_048_576 };
  results['serverExternalMegabytes'] = end.external / 1_048_576;
  results['serverRssAfterGcMegabytes'] = collected.rss / 1_048_576;
  results['serverHeapAfterGcMegabytes'] = collected.heapUsed / 1_048_576;
  results['pages'] = pageJavaScript(webBuildDir);
} finally {
  server.kill('SIGTERM');
  await serverExited;
  await owner.end();
}

/* The table */

const r3 = rows.find((row) => row.name === 'R3');
const ratio = (value: number, reference: number | undefined) => (reference ? `${(value / reference).toFixed(2)}×` : '');
const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const line = (cells: string[], widths: number[]) =>
  cells
    .map((cell, index) => (index < 2 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0)))
    .join('  ');
const widths = [4, 52, 9, 7, 8, 8, 8, 8, 7, 6, 9];
console.log(
  `\nQicai benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`,
);
console.log(
  `${CONNECTIONS} connections, warm-up ${WARMUP} s, ${RUNS} runs of ${DURATION} s, medians; "alone": one connection, ${DURATION} s\n`,
);
console.log(
  line(['', '', 'req/s', '×R3', 'p50 ms', 'p95 ms', 'p99 ms', 'p95 ×R3', 'SQL/req', 'errors', 'p95 alone'], widths),
);
for (const row of rows) {
  console.log(
    line(
      [
        row.name,
        row.what,
        fixed(row.requestsPerSecond, 0),
        ratio(row.requestsPerSecond, r3?.requestsPerSecond),
        fixed(row.p50),
        fixed(row.p95),
        fixed(row.p99),
        ratio(row.p95, r3?.p95),
        fixed(row.statementsPerRequest),
        String(row.errors),
        row.alone ? fixed(row.alone.p95) : '',
      ],
      widths,
    ),
  );
  if (row.note) console.log(`      ${row.note}`);
}
const pageRows = rows.filter((row) => /^P\d+$/.test(row.name));
if (pageRows.length > 0) {
  console.log(`\nPages (the web's API calls ${values['web-api']}): p95 alone, page ÷ its API query`);
  for (const page of pageRows) {
    const query = rows.find((row) => row.name === `${page.name}q`);
    if (!page.alone || !query?.alone) continue;
    console.log(
      `  ${page.name}  ${fixed(page.alone.p95).padStart(7)} ms ÷ ${fixed(query.alone.p95).padStart(7)} ms = ${ratio(page.alone.p95, query.alone.p95)}  ${page.what}`,
    );
  }
}
const q1 = results['q1Statements'] as { page10: { statements: number }; page50: { statements: number } };
console.log(`\nQ1 SQL statements: page of 10 → ${q1.page10.statements}, page of 50 → ${q1.page50.statements}`);
const rosterImport = results['rosterImport'] as { postgres: ImportBenchResult; pglite: ImportBenchResult } | undefined;
if (rosterImport) {
  for (const result of [rosterImport.postgres, rosterImport.pglite]) console.log(describeImport(result).join('\n'));
}
const heap = results['serverHeapMegabytes'] as { used: number; total: number };
console.log(
  `Server memory at the end: RSS ${fixed(results['serverRssMegabytes'] as number, 0)} MB (JavaScript heap ${fixed(heap.used, 0)} of ${fixed(heap.total, 0)} MB, outside it ${fixed(results['serverExternalMegabytes'] as number, 0)} MB); after a full garbage collection ${fixed(results['serverRssAfterGcMegabytes'] as number, 0)} MB (heap ${fixed(results['serverHeapAfterGcMegabytes'] as number, 0)} MB); idle, once V8 has returned freed pages, ${fixed(results['serverRssIdleMegabytes'] as number, 0)} MB`,
);
const pages = results['pages'] as { route: string; gzipBytes: number }[];
console.log('\nJavaScript per page (gzip):');
for (const page of pages) console.log(`  ${(page.gzipBytes / 1024).toFixed(1).padStart(6)} KB  ${page.route}`);

const outputDir = join(root, 'bench/results');
mkdirSync(outputDir, { recursive: true });
writeFileSync(
  join(outputDir, 'bench-results.json'),
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      machine: {
        cores: cpus().length,
        model: cpus()[0]?.model,
        memoryGigabytes: totalmem() / 2 ** 30,
        node: process.version,
      },
      settings: {
        connections: CONNECTIONS,
        warmupSeconds: WARMUP,
        runs: RUNS,
        durationSeconds: DURATION,
        webApi: values['web-api'],
      },
      rows: rows.map((row) => ({
        ...row,
        requestsPerSecondToR3: r3 ? row.requestsPerSecond / r3.requestsPerSecond : null,
        p95ToR3: r3 ? row.p95 / r3.p95 : null,
      })),
      ...results,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nWritten to bench/results/bench-results.json`);
