/**
 * The load generator of `pnpm bench`, run as its own process so that it does
 * not share an event loop (or a core's time slice accounting) with the server:
 * `tsx scripts/bench/load.ts <spec.json>`. Sends the spec's requests with
 * autocannon, in turn (request i of the run is spec request i modulo their
 * number), and prints one JSON line: requests per second, latency
 * percentiles from every response, and how many answers were errors.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  url: string;
  connections: number;
  /** Seconds; or, with `amount`, exactly that many requests. */
  duration?: number;
  amount?: number;
  requests: LoadRequest[];
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Answers that were not 200, or were GraphQL errors. */
  errors: number;
  firstError: string | null;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

const spec = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LoadSpec;
let next = 0;
let errors = 0;
let firstError: string | null = null;
const latencies: number[] = [];
const started = performance.now();
let finish: (error: Error | null, duration: number) => void = () => {};
const done = new Promise<number>((resolve, reject) => {
  finish = (error, duration) => {
    if (error) reject(error);
    else resolve(duration);
  };
});
// With a callback autocannon returns its instance, whose events give every response's latency.
const instance = autocannon(
  {
    url: spec.url,
    connections: spec.connections,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration ?? 5 }),
    requests: [
      {
        setupRequest: (request) => {
          const chosen = spec.requests[next++ % spec.requests.length];
          if (!chosen) return request;
          return { ...request, ...chosen, headers: { ...request.headers, ...chosen.headers } };
        },
        onResponse: (status, body) => {
          // A GraphQL answer with errors is an error; a page's HTML may say "errors" for other reasons.
          if (status !== 200 || (body.startsWith('{') && body.includes('"errors"'))) {
            errors++;
            firstError ??= `${status} ${body.slice(0, 300)}`;
          }
        },
      },
    ],
  },
  (error: Error | null, results) => {
    finish(error, results.duration);
  },
);
instance.on('response', (_client, _status, _bytes, responseTime) => {
  latencies.push(responseTime);
});
const measured = await done;
// autocannon's own duration (from its first request); the wall clock if it gives none.
const seconds = measured > 0 ? measured : (performance.now() - started) / 1000;
latencies.sort((left, right) => left - right);
const result: LoadResult = {
  requests: latencies.length,
  seconds,
  requestsPerSecond: latencies.length / seconds,
  p50: percentile(latencies, 0.5),
  p95: percentile(latencies, 0.95),
  p99: percentile(latencies, 0.99),
  errors,
  firstError,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
