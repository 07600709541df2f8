/**
 * Metrics for operators, in Prometheus' text format, on a port of their own
 * (METRICS_PORT, off unless set; never the public port): GraphQL requests
 * and their latency by operation, errors answered by code, the database
 * pool's use and wait, the notification outbox's backlog, live WebSockets,
 * and the process's own (memory, event-loop delay, GC: prom-client's
 * defaults). Each app has its own registry, so two instances in one process
 * (tests) never mix their figures.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.ts';
import { readOutboxBacklog } from '../modules/notifications/outbox.ts';

export interface Metrics {
  registry: Registry;
  /** Notes which operation a GraphQL request runs, once its document is parsed. */
  noteOperation(request: FastifyRequest, document: DocumentNode, requestedName: string | undefined): void;
  /** Counts the codes of the errors one answer carries. */
  countErrors(codes: readonly unknown[]): void;
  /** Where the metrics are served (after the app is ready). */
  address(): { host: string; port: number } | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Null unless METRICS_PORT is set. */
    metrics: Metrics | null;
  }
}

/**
 * Operation names are the client's to choose: past this many distinct ones, any new name counts as
 * `other`, so a client sending a fresh name with every request cannot grow the metrics without end.
 */
const MAX_OPERATION_NAMES = 100;
const MAX_OPERATION_NAME_LENGTH = 64;

/** The outbox is read at most this often, however many scrapers ask. */
const BACKLOG_READ_INTERVAL_MS = 1000;

interface Operation {
  name: string;
  type: string;
}

/** The operation a request runs: its name (bounded), `anonymous` if it has none, `unknown` if none matches. */
function operationOf(document: DocumentNode, requestedName: string | undefined, known: Set<string>): Operation {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const chosen = requestedName
    ? operations.find((operation) => operation.name?.value === requestedName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!chosen) return { name: 'unknown', type: 'unknown' };
  const name = chosen.name?.value;
  if (!name) return { name: 'anonymous', type: chosen.operation };
  if (known.has(name)) return { name, type: chosen.operation };
  if (known.size >= MAX_OPERATION_NAMES || name.length > MAX_OPERATION_NAME_LENGTH)
    return { name: 'other', type: chosen.operation };
  known.add(name);
  return { name, type: chosen.operation };
}

function metricsPlugin(app: FastifyInstance, options: { config: Config }, done: () => void) {
  const settings = options.config.metrics;
  if (!settings) {
    app.decorate('metrics', null);
    done();
    return;
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'qicai_graphql_requests_total',
    help: 'GraphQL requests over HTTP answered, by operation name (anonymous, unknown, other: see metrics.ts) and type; unparsed: not a GraphQL document.',
    labelNames: ['operation', 'type'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'qicai_graphql_request_duration_seconds',
    help: 'How long GraphQL requests over HTTP took to answer, by operation name and type.',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'qicai_errors_total',
    help: 'Errors answered to clients (GraphQL errors, refused requests), by code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });

  const pool = () => app.database.pool;
  new Gauge({
    name: 'qicai_db_pool_size',
    help: 'Connections the application pool may open.',
    registers: [registry],
    collect() {
      this.set(app.database.connections);
    },
  });
  new Gauge({
    name: 'qicai_db_pool_in_use',
    help: 'Transactions holding a pooled connection now (PostgreSQL only).',
    registers: [registry],
    collect() {
      const use = pool();
      if (use) this.set(use.inUse);
    },
  });
  new Gauge({
    name: 'qicai_db_pool_waiting',
    help: 'Transactions waiting for a pooled connection now (PostgreSQL only).',
    registers: [registry],
    collect() {
      const use = pool();
      if (use) this.set(use.waiting);
    },
  });
  const poolWait = new Histogram({
    name: 'qicai_db_pool_wait_seconds',
    help: 'How long each transaction waited for a pooled connection, BEGIN included (PostgreSQL only).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const observeWait = (seconds: number) => {
    poolWait.observe(seconds);
  };

  // One read of the outbox serves its three gauges (collected concurrently) and any scraper within the interval.
  let backlog: { at: number; reading: Promise<Awaited<ReturnType<typeof readOutboxBacklog>> | null> } | undefined;
  const readBacklog = () => {
    // An interval, not a time of day: the monotonic clock, not the app's Clock.
    if (!backlog || performance.now() - backlog.at > BACKLOG_READ_INTERVAL_MS) {
      backlog = {
        at: performance.now(),
        reading: readOutboxBacklog(app.database.db, app.clock.now()).catch((error: unknown) => {
          app.log.warn({ err: error }, 'metrics: could not read the outbox backlog');
          return null;
        }),
      };
    }
    return backlog.reading;
  };
  new Gauge({
    name: 'qicai_outbox_pending',
    help: 'Notification deliveries neither sent nor given up.',
    registers: [registry],
    async collect() {
      const read = await readBacklog();
      if (read) this.set(read.pending);
      else this.reset();
    },
  });
  new Gauge({
    name: 'qicai_outbox_due',
    help: 'Notification deliveries due now (their next attempt is not in the future).',
    registers: [registry],
    async collect() {
      const read = await readBacklog();
      if (read) this.set(read.due);
      else this.reset();
    },
  });
  new Gauge({
    name: 'qicai_outbox_oldest_due_age_seconds',
    help: 'How long the longest-waiting due delivery has been due; 0: none is due.',
    registers: [registry],
    async collect() {
      const read = await readBacklog();
      if (!read) this.reset();
      else
        this.set(read.oldestDueAt ? Math.max(0, (app.clock.now().getTime() - read.oldestDueAt.getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'qicai_live_connections',
    help: 'Open GraphQL WebSockets (live subscriptions: big screens, attendance pages).',
    registers: [registry],
    collect() {
      this.set(app.liveSockets.size);
    },
  });

  const operations = new WeakMap<FastifyRequest, Operation>();
  const knownNames = new Set<string>();
  app.addHook('onResponse', (request, reply, next) => {
    // The WebSocket's upgrade is no request of its own: its socket is counted in qicai_live_connections.
    if (request.routeOptions.url === '/graphql' && !request.headers.upgrade) {
      const operation = operations.get(request) ?? { name: 'unparsed', type: 'unknown' };
      const labels = { operation: operation.name, type: operation.type };
      requests.inc(labels);
      latency.observe(labels, reply.elapsedTime / 1000);
    }
    next();
  });

  let server: Server | undefined;
  app.addHook('onReady', async () => {
    app.database.pool?.waitListeners.add(observeWait);
    const listening = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
        return;
      }
      registry.metrics().then(
        (text) => {
          response.writeHead(200, { 'content-type': registry.contentType }).end(text);
        },
        (error: unknown) => {
          app.log.error({ err: error }, 'metrics: could not collect');
          response.writeHead(500, { 'content-type': 'text/plain' }).end('Could not collect the metrics\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(settings.port, settings.host, () => {
        listening.off('error', reject);
        resolve();
      });
    });
    server = listening;
    app.log.info({ address: listening.address() }, 'metrics listening');
  });
  app.addHook('onClose', async () => {
    app.database.pool?.waitListeners.delete(observeWait);
    const closing = server;
    if (!closing) return;
    await new Promise<void>((resolve) => {
      closing.close(() => {
        resolve();
      });
      closing.closeAllConnections();
    });
  });

  app.decorate('metrics', {
    registry,
    noteOperation(request, document, requestedName) {
      operations.set(request, operationOf(document, requestedName, knownNames));
    },
    countErrors(codes) {
      for (const code of codes) errors.inc({ code: typeof code === 'string' ? code : 'UNKNOWN' });
    },
    address() {
      const address = server?.address();
      return address && typeof address === 'object' ? { host: address.address, port: address.port } : null;
    },
  } satisfies Metrics);
  done();
}

export default fp(metricsPlugin, { name: 'metrics', dependencies: ['database'] });
