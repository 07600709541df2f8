/**
 * `pnpm bench:seed [--scale 0.01] [--records 10000000]`: (re)creates the
 * benchmark database (BENCH_DATABASE_URL, default qicai_bench on the local
 * server), applies the migrations and loads the deterministic dataset of
 * ./dataset.ts, with a progress bar on stderr and the time per table at the end.
 */
import { migratePostgres } from '@qicai/db';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { seedBenchDataset } from './dataset.ts';

export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/qicai_bench';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, records: { type: 'string' } },
});
const scale = Number(values.scale);
if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be in (0, 1]');
const serviceRecords = values.records === undefined ? undefined : Number(values.records);

const url = new URL(process.env['BENCH_DATABASE_URL'] ?? DEFAULT_BENCH_DATABASE_URL);
const name = url.pathname.slice(1);
if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected database name: ${name}`);
const server = new URL(url);
server.pathname = '/postgres';
const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists ${name} with (force)`);
await admin.unsafe(`create database ${name}`);
await admin.end();

const started = performance.now();
await migratePostgres(url.toString());
const migrated = performance.now();

const BAR = 30;
let lastDraw = 0;
const drawn = (table: string, done: number, total: number, force = false) => {
  const at = performance.now();
  if (!force && at - lastDraw < 100) return;
  lastDraw = at;
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * BAR);
  process.stderr.write(
    `\r${table.padEnd(18)} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${done.toLocaleString('en')}`.padEnd(
      90,
    ),
  );
  if (force) process.stderr.write('\n');
};

const summary = await seedBenchDataset({
  url: url.toString(),
  scale,
  serviceRecords,
  progress: (table, done, total) => {
    drawn(table, done, total, done === total);
  },
});

console.log(`\nBenchmark dataset in ${url.host}${url.pathname} (scale ${scale})`);
console.log(
  `  ${'migrations'.padEnd(20)} ${''.padStart(12)} ${((migrated - started) / 1000).toFixed(1).padStart(7)} s`,
);
for (const { stage, rows, ms } of summary.timings) {
  console.log(
    `  ${stage.padEnd(20)} ${rows > 0 ? rows.toLocaleString('en').padStart(12) : ''.padStart(12)} ${(ms / 1000).toFixed(1).padStart(7)} s`,
  );
}
console.log(
  `  ${'total'.padEnd(20)} ${''.padStart(12)} ${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s`,
);
console.log(`  largest organization: ${summary.largest.slug}, admin ${summary.largest.adminLogin}`);
