import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { waitForPostgres } from '@qicai/db';
import app, { type AppOptions } from './app.ts';
import { ownHostNames } from './shared/own-addresses.ts';
import { systemClock } from './shared/clock.ts';
import { serializeLoggedError } from './shared/logged-errors.ts';
import { selfSignedCertificate } from './tls.ts';
import { trackUnusedConnections } from './unused-connections.ts';

/** The API's logger: pino's JSON lines at the level set, secrets redacted, errors of bounded size. */
export function loggerOptions(config: AppOptions['config']) {
  return {
    level: config.logLevel,
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    // A failed statement's error carries every parameter (shared/logged-errors.ts).
    serializers: { err: serializeLoggedError },
  };
}

/** A Fastify instance with the app registered and ready; not listening. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  // HTTPS=self-signed: for every name the server answers at (the phone's browser checks it).
  const tls =
    config.https === 'self-signed'
      ? await selfSignedCertificate(
          config.dataDir,
          [...new Set([config.publicUrl.hostname, ...ownHostNames(config.host)])],
          (options.clock ?? systemClock).now(),
        )
      : null;
  const fastify = Fastify({
    https: tls && { key: tls.key, cert: tls.cert },
    logger: config.logLevel === 'silent' ? false : loggerOptions(config),
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    // The web app serves /o/…/ and /o/… alike.
    routerOptions: { ignoreTrailingSlash: true },
    // Starting applies migrations (on PGlite, in this process): slower than
    // Fastify's 10 s default on a busy small machine; a stuck start still fails.
    pluginTimeout: 120_000,
  });
  trackUnusedConnections(fastify.server);
  // Started before its database (or while it restarts): wait for it, saying so, rather than exit.
  // Before the plugins are registered, so the wait is not bound by pluginTimeout.
  const databaseUrl = config.database.url;
  if (databaseUrl && !options.database) {
    const server = new URL(databaseUrl);
    await waitForPostgres(databaseUrl, {
      onRetry: ({ attempt, retryInMs, error }) => {
        fastify.log.warn(
          { err: error, host: server.hostname, port: server.port || '5432', attempt, retryInMs },
          `PostgreSQL at ${server.hostname}:${server.port || '5432'} is not answering; trying again in ${String(retryInMs)} ms`,
        );
      },
    });
  }
  // fastify-plugin: the app's decorators (database, …) are visible on the returned instance.
  await fastify.register(fp(app), options);
  await fastify.ready();
  return fastify;
}
