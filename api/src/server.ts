/**
 * Runs Qicai: the API and the web app on one port. `pnpm start` (scripts/start.ts)
 * builds the web app and loads the demo first; in production run this file.
 */
import closeWithGrace from 'close-with-grace';
import type { Database } from '@qicai/db';
import type { FastifyInstance } from 'fastify';
import { pathToFileURL } from 'node:url';
import { buildApp } from './build.ts';

import { loadConfig, type Config } from './config.ts';
import { askLiveClientsToReconnect } from './plugins/graphql.ts';
import { closeQuietConnections } from './unused-connections.ts';
import type { Clock } from './shared/clock.ts';
import type { DeliveryAdapter } from './shared/delivery.ts';

export interface StartOptions {
  config?: Config;
  /** An open database instead of the one the config names (tests). */
  database?: Database;
  /** Serve the web app's build beside the API (default); `pnpm dev` serves it from Vite instead. */
  serveWeb?: boolean;
  /** Close gracefully on SIGINT/SIGTERM and on a crash (off in tests, which close it themselves). */
  handleSignals?: boolean;
  /** What "now" is (tests); the system clock otherwise. */
  clock?: Clock;
  /** Sends every message instead of the configured channels (browser tests read the codes they were sent). */
  deliveryAdapter?: DeliveryAdapter;
  /** Runs after the app is ready and before it listens (e.g. loading demo data). */
  beforeListen?: (app: FastifyInstance) => Promise<void>;
}

/**
 * Graceful drain (SIGTERM): /readyz turns 503 and answers carry
 * `Connection: close`, so load balancers and clients go elsewhere; live
 * WebSockets are closed with 1012 (service restart), which tells their
 * clients to reconnect — to another instance — and read their figures
 * afresh; then Fastify stops accepting, lets in-flight requests finish and
 * closes keep-alive connections as they fall idle, and those a browser
 * opened and never used (unused-connections.ts).
 */
export async function drain(app: FastifyInstance): Promise<void> {
  app.draining.value = true;
  const closed = askLiveClientsToReconnect(app, 'service restart');
  if (closed > 0) app.log.info({ sockets: closed }, 'draining: live clients asked to reconnect');
  const closing = app.close();
  // Until the server has closed: connections with no request on them would hold it open (unused-connections.ts).
  const sweep = setInterval(() => {
    closeQuietConnections(app.server);
  }, 250);
  try {
    await closing;
  } finally {
    clearInterval(sweep);
  }
}

export async function startServer(options: StartOptions = {}): Promise<FastifyInstance> {
  const config = options.config ?? loadConfig();
  const app = await buildApp({
    config,
    database: options.database,
    serveWeb: options.serveWeb ?? true,
    clock: options.clock,
    deliveryAdapter: options.deliveryAdapter,
  });
  if (options.handleSignals ?? true) {
    closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
      if (err) app.log.error({ err }, 'closing after an error');
      else app.log.info({ signal }, 'closing');
      await drain(app);
    });
  }
  await options.beforeListen?.(app);
  await app.listen({ host: config.host, port: config.port });
  return app;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await startServer();
}
