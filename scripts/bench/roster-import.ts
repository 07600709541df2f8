/**
 * The county roster import, measured against a real server in its own
 * process (`NODE_ENV=production`, `BENCH=1`), on PostgreSQL or on the
 * embedded PGlite: upload + preview, apply, then the search index written
 * after it; the server's peak RSS (its high-water mark, worker threads
 * included, and as sampled during the import); the progress the import
 * showed while it applied; and the latency of other requests sent meanwhile
 * (two clients, each sending a small GraphQL query as soon as its last one
 * was answered, the whole time). Used by `pnpm bench` and `pnpm bench:roster`.
 */
import * as XLSX from '@e965/xlsx';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { CookieJar } from './cookie-jar.ts';
import { registerAccount, LoggedCodes } from './registration.ts';
import { generateOfficeRoster, OFFICE_HEADER } from './roster-data.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface LatencySummary {
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface ImportBenchResult {
  driver: 'postgres' | 'pglite';
  rows: number;
  fileMegabytes: number;
  status: string;
  created: number;
  rejected: number;
  uploadSeconds: number;
  applySeconds: number;
  /** Upload + preview + apply: until the roster has every member. */
  totalSeconds: number;
  /** After the apply, until the search index has every member (the search finds them before, unindexed). */
  searchIndexSeconds: number;
  peakRssMegabytes: number;
  sampledPeakRssMegabytes: number;
  /** The server's RSS right after (search index written), and after a full garbage collection then. */
  rssAfterMegabytes: number;
  rssAfterGcMegabytes: number;
  /** The progress values the import page would have shown while APPLYING, in order. */
  progressSeen: number[];
  others: LatencySummary;
  /** Who imported into which organization (to look at the result afterwards). */
  admin: { phone: string; password: string; slug: string };
}

interface Stats {
  rss: number;
  maxRss: number;
  applying: number;
  searchIndexing: number;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

function summarise(durations: number[], errors: number): LatencySummary {
  const sorted = [...durations].sort((left, right) => left - right);
  return {
    requests: sorted.length,
    errors,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/**
 * The generated county workbook (31,172 rows by default), shaped as an office keeps it (see
 * generateOfficeRoster: a merged title row, office headers, full-width digits, every 政治面貌, join
 * dates, skills), as it would be uploaded.
 */
export function countyWorkbook(rows = 31_172): { file: Buffer; bad: number } {
  const generated = generateOfficeRoster(rows);
  const sheet = XLSX.utils.aoa_to_sheet(generated);
  sheet['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: OFFICE_HEADER.length - 1 } }];
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, '花名册');
  const file = XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
  return { file, bad: 0 };
}

export async function benchRosterImport(options: {
  driver: 'postgres' | 'pglite';
  /** The PostgreSQL database (postgres only): migrated at start, a new organization imported into. */
  databaseUrl?: string;
  file: Buffer;
  rows: number;
  log?: (line: string) => void;
}): Promise<ImportBenchResult> {
  const log = options.log ?? (() => {});
  const port = 40_000 + Math.floor(Math.random() * 9_000);
  const base = `http://127.0.0.1:${port}`;
  const dataDir = options.driver === 'pglite' ? mkdtempSync(join(tmpdir(), 'qicai-bench-pglite-')) : undefined;
  const server = spawn(join(root, 'node_modules/.bin/tsx'), ['api/src/server.ts'], {
    cwd: root,
    // Its output is read for the registration code it logs (no SMS provider), and passed on.
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: base,
      DATABASE_URL: options.driver === 'postgres' ? options.databaseUrl : '',
      ...(dataDir && { DATA_DIR: dataDir }),
      APP_SECRET: 'qicai-benchmark-secret-not-for-production',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
      JOBS_INTERVAL_SECONDS: '0',
      // The import is measured, not the request deadline (60 s by default), which a loaded machine passes.
      REQUEST_DEADLINE_SECONDS: '1800',
      BENCH: '1',
    },
  });
  const exited = new Promise<void>((resolve) => {
    server.once('exit', () => {
      resolve();
    });
  });
  const codes = new LoggedCodes(server.stdout, process.stdout);
  const cookies = new CookieJar();
  let org = '';
  const request = async (path: string, body: string | Buffer, headers: Record<string, string>) => {
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
    if (answer.errors) throw new Error(JSON.stringify(answer.errors).slice(0, 300));
    return answer.data;
  };
  const gql = (query: string, variables: Record<string, unknown> = {}) =>
    request('/graphql', JSON.stringify({ query, variables }), { 'content-type': 'application/json' });
  const stats = async () => (await (await fetch(`${base}/__bench/stats`)).json()) as Stats;

  try {
    for (let attempt = 0; ; attempt++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      if (attempt > 600) throw new Error('the server did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const password = 'qicai-bench-县级花名册-2026';
    await registerAccount(gql, { displayName: '基准管理员', phone, password }, (recipient) => codes.code(recipient));
    const slug = `bench-import-${Math.random().toString(36).slice(2, 10)}`;
    await gql(`mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { slug } }`, {
      input: { name: '岳阳县七彩之光志愿者协会', slug },
    });
    org = slug;

    // Other requests, the whole time: two clients in a loop.
    let running = true;
    const durations: number[] = [];
    let errors = 0;
    const other = async () => {
      while (running) {
        const started = performance.now();
        try {
          await gql(`{ organization { name teams { id colour memberCount } } }`);
        } catch {
          errors++;
        }
        durations.push(performance.now() - started);
      }
    };
    // Memory and progress, sampled.
    let sampledPeak = 0;
    const progressSeen: number[] = [];
    const watched: { importId?: string } = {};
    const sampler = async () => {
      while (running) {
        const current = await stats().catch(() => undefined);
        if (current) sampledPeak = Math.max(sampledPeak, current.rss);
        if (watched.importId) {
          const view = (await gql(
            `query ($id: ID!) { organization { rosterImport(id: $id) { status progressDone } } }`,
            {
              id: watched.importId,
            },
          ).catch(() => undefined)) as
            { organization: { rosterImport: { status: string; progressDone: number } } } | undefined;
          const seen = view?.organization.rosterImport;
          if (seen?.status === 'APPLYING' && progressSeen.at(-1) !== seen.progressDone)
            progressSeen.push(seen.progressDone);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    const loops = [other(), other(), sampler()];

    log(`${options.driver}: upload + preview… `);
    const started = performance.now();
    const uploaded = (await request('/imports/roster', options.file, {
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent('岳阳县党员花名册.xlsx'),
    })) as { id: string };
    watched.importId = uploaded.id;
    const previewed = performance.now();
    log(`${((previewed - started) / 1000).toFixed(1)} s; apply… `);
    // The answer may not come back on a slow machine (the server drops a socket idle for 60 s), while
    // the apply goes on: its end is read from the import itself.
    let refused: string | undefined;
    const answered = gql(`mutation ($id: ID!) { applyRosterImport(id: $id) { status } }`, { id: uploaded.id }).catch(
      (error: unknown) => {
        // A coded refusal (e.g. UNAVAILABLE: a statement ran out of time, nothing was applied) ends the wait;
        // a dropped connection does not (the apply goes on).
        if (error instanceof Error && error.message.startsWith('[')) refused = error.message;
      },
    );
    const IMPORT = `query ($id: ID!) { organization { rosterImport(id: $id) { status createCount rejectCount } } }`;
    let applied: { status: string; createCount: number; rejectCount: number } | undefined;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (refused) throw new Error(`the apply was refused: ${refused}`);
      const view = (await gql(IMPORT, { id: uploaded.id })) as {
        organization: { rosterImport: { status: string; createCount: number; rejectCount: number } };
      };
      if (view.organization.rosterImport.status === 'APPLIED' || view.organization.rosterImport.status === 'FAILED') {
        applied = view.organization.rosterImport;
        break;
      }
    }
    const appliedAt = performance.now();
    log(`${((appliedAt - previewed) / 1000).toFixed(1)} s; search index… `);
    while ((await stats()).searchIndexing > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const indexedAt = performance.now();
    log(`${((indexedAt - appliedAt) / 1000).toFixed(1)} s\n`);
    running = false;
    await Promise.all([...loops, answered]);
    const end = await stats();
    const collected = (await (await fetch(`${base}/__bench/stats?gc=1`)).json()) as Stats;
    return {
      driver: options.driver,
      rows: options.rows,
      fileMegabytes: options.file.length / 1_048_576,
      status: applied.status,
      created: applied.createCount,
      rejected: applied.rejectCount,
      uploadSeconds: (previewed - started) / 1000,
      applySeconds: (appliedAt - previewed) / 1000,
      totalSeconds: (appliedAt - started) / 1000,
      searchIndexSeconds: (indexedAt - appliedAt) / 1000,
      peakRssMegabytes: end.maxRss / 1_048_576,
      sampledPeakRssMegabytes: sampledPeak / 1_048_576,
      rssAfterMegabytes: end.rss / 1_048_576,
      rssAfterGcMegabytes: collected.rss / 1_048_576,
      progressSeen,
      others: summarise(durations, errors),
      admin: { phone, password, slug },
    };
  } finally {
    server.kill('SIGTERM');
    await exited;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The results as lines of text. */
export function describeImport(result: ImportBenchResult): string[] {
  const others = result.others;
  const progress =
    result.progressSeen.length > 0
      ? `${result.progressSeen.length} readings (${result.progressSeen.slice(0, 6).join(', ')}${result.progressSeen.length > 6 ? ', …' : ''})`
      : 'none read while applying';
  return [
    `Roster import on ${result.driver === 'postgres' ? 'PostgreSQL' : 'PGlite'}: ${result.rows.toLocaleString('en')} rows (${result.fileMegabytes.toFixed(1)} MB .xlsx) → ${result.status}, ${result.created.toLocaleString('en')} created, ${result.rejected} rejected`,
    `  upload + preview ${result.uploadSeconds.toFixed(1)} s, apply ${result.applySeconds.toFixed(1)} s: total ${result.totalSeconds.toFixed(1)} s (target: ${result.driver === 'postgres' ? 'under 10 s' : 'under 60 s'}); search index written ${result.searchIndexSeconds.toFixed(1)} s later`,
    `  server RSS at its peak ${result.peakRssMegabytes.toFixed(0)} MB (high-water mark since start; sampled during the import ${result.sampledPeakRssMegabytes.toFixed(0)} MB)${result.driver === 'postgres' ? ' (target: under 350 MB)' : ''}`,
    `  server RSS right after ${result.rssAfterMegabytes.toFixed(0)} MB, after a full garbage collection ${result.rssAfterGcMegabytes.toFixed(0)} MB (target: under 300 MB)`,
    `  progress while applying: ${progress}`,
    `  other requests meanwhile: ${others.requests} (${others.errors} errors), p50 ${others.p50.toFixed(0)} ms, p95 ${others.p95.toFixed(0)} ms${result.driver === 'pglite' ? ' (target: under 1 s)' : ''}, p99 ${others.p99.toFixed(0)} ms, longest ${others.max.toFixed(0)} ms`,
  ];
}
