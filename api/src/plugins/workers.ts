/**
 * Worker threads (piscina) for the CPU-heavy work — reading roster files,
 * writing workbooks, rendering certificate PDFs — so that one request doing
 * it cannot stall the event loop the others are answered on. Bounded: at
 * most WORKER_THREADS threads per pool, and a queue of a few tasks per thread
 * past which a request is refused UNAVAILABLE rather than left waiting.
 * Two pools: reading a roster file (a county workbook's parse takes a few
 * hundred MB) runs in a thread that ends as soon as it is idle, so that
 * memory goes before the import is applied; the rest keep their threads for
 * WORKER_IDLE_SECONDS (a certificate's first render in a thread parses the
 * CJK fonts, about a second).
 *
 * The entry point is plain JavaScript that registers tsx's loader in the
 * thread (workers/entry.mjs): the API runs from TypeScript source under tsx,
 * vitest or anything else, and a worker inherits none of their loaders.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Piscina } from 'piscina';
import type { Config } from '../config.ts';
import { AppError, unavailable } from '../shared/errors.ts';
import { RosterFileError } from '../modules/members/roster-file.ts';
import type { TaskInput, TaskOutput } from '../shared/context.ts';
import type { TaskAnswer, TaskName, TaskRequest } from '../workers/tasks.ts';

export interface WorkerPool {
  /**
   * Runs a task in a worker thread. With `signal`, aborting it (the request was
   * abandoned) takes the task out of the queue, or ends the thread running it.
   */
  run<Name extends TaskName>(name: Name, input: TaskInput<Name>, signal?: AbortSignal): Promise<TaskOutput<Name>>;
  /** Threads alive now (for tests and the benchmark). */
  readonly threads: number;
  /** Tasks queued or running now. */
  readonly pending: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    workers: WorkerPool;
  }
}

const ENTRY = new URL('../workers/entry.mjs', import.meta.url).href;

/** What a worker's answer becomes on this side: a Buffer stays a Buffer (structured clone gives a Uint8Array). */
function received(value: unknown): unknown {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return value;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

export function createWorkerPool(options: { threads: number; idleMs: number }): {
  pool: WorkerPool;
  close: () => Promise<void>;
} {
  const poolOf = (idleTimeout: number) =>
    new Piscina<TaskRequest, TaskAnswer>({
      filename: ENTRY,
      minThreads: 0,
      maxThreads: options.threads,
      idleTimeout,
      maxQueue: options.threads * 16,
      // Not the main thread's: a TypeScript loader given there (tsx) would be registered twice.
      execArgv: [],
    });
  const warm = poolOf(options.idleMs);
  const shortLived = poolOf(0);
  const poolFor = (name: TaskName) => (name === 'readRoster' || name === 'readStationSheet' ? shortLived : warm);
  let pending = 0;
  const pool: WorkerPool = {
    async run(name, input, signal) {
      let answer: TaskAnswer;
      pending++;
      try {
        answer = await poolFor(name).run({ name, input }, { signal: signal ?? null });
      } catch (error) {
        if (isAbort(error)) throw new AppError('UNAVAILABLE', 'The request was abandoned.');
        if (error instanceof Error && /queue is at limit/i.test(error.message)) throw unavailable();
        throw error;
      } finally {
        pending--;
      }
      if (!answer.ok) throw new RosterFileError(answer.rosterFileError.code, answer.rosterFileError.missing);
      return received(answer.value);
    },
    get threads() {
      return warm.threads.length + shortLived.threads.length;
    },
    get pending() {
      return pending;
    },
  };
  return {
    pool,
    close: async () => {
      await Promise.all([warm.destroy(), shortLived.destroy()]);
    },
  };
}

function workersPlugin(app: FastifyInstance, options: { config: Config }, done: () => void) {
  const { pool, close } = createWorkerPool({
    threads: options.config.workers.threads,
    idleMs: options.config.workers.idleSeconds * 1000,
  });
  app.decorate('workers', pool);
  app.addHook('onClose', close);
  done();
}

export default fp(workersPlugin, { name: 'workers' });
