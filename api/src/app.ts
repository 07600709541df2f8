/**
 * The Qicai API as a Fastify plugin: every cross-cutting concern is a named
 * plugin, the domain lives in modules/. server.ts listens; tests `inject`.
 */
import { stopExportWork } from './modules/exports/service.ts';
import type { Database } from '@qicai/db';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';

import { systemClock, type Clock } from './shared/clock.ts';
import benchPlugin from './plugins/bench.ts';
import clientAddressPlugin from './plugins/client-address.ts';
import databasePlugin from './plugins/database.ts';
import deliveryPlugin from './plugins/delivery.ts';
import errorBoundaryPlugin from './plugins/errors.ts';
import rosterImportRoutes from './plugins/roster-upload.ts';
import graphqlPlugin from './plugins/graphql.ts';
import healthPlugin from './plugins/health.ts';
import jobsPlugin from './plugins/jobs.ts';
import metricsPlugin from './plugins/metrics.ts';
import pubsubPlugin from './plugins/pubsub.ts';
import securityPlugin from './plugins/security.ts';
import sessionPlugin from './plugins/session.ts';
import webPlugin from './plugins/web.ts';
import workersPlugin from './plugins/workers.ts';
import type { DeliveryAdapter } from './shared/delivery.ts';

export interface AppOptions {
  config: Config;
  /** An open database to use instead of opening one from the config (tests). */
  database?: Database | undefined;
  /** Serve the web app's build beside the API. */
  serveWeb?: boolean | undefined;
  /** What "now" is for every rule (see shared/clock.ts); the system clock unless a test sets one. */
  clock?: Clock | undefined;
  /** Sends every message instead of the configured channels (tests that read what was sent). */
  deliveryAdapter?: DeliveryAdapter | undefined;
  /** Told of every message after the configured channels sent it (tests of those channels). */
  deliveryObserver?: DeliveryAdapter | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    clock: Clock;
  }
}

export default async function app(fastify: FastifyInstance, options: AppOptions) {
  const { config } = options;
  fastify.decorate('clock', options.clock ?? systemClock);
  await fastify.register(errorBoundaryPlugin, { config });
  await fastify.register(databasePlugin, { config, database: options.database });
  await fastify.register(clientAddressPlugin, { config });
  await fastify.register(workersPlugin, { config });
  await fastify.register(securityPlugin, { config });
  await fastify.register(sessionPlugin, { config });
  await fastify.register(deliveryPlugin, {
    config,
    adapter: options.deliveryAdapter,
    observer: options.deliveryObserver,
  });
  await fastify.register(pubsubPlugin, { config });
  await fastify.register(metricsPlugin, { config });
  await fastify.register(graphqlPlugin, { config });
  await fastify.register(jobsPlugin, { config });
  await fastify.register(rosterImportRoutes, { config });
  // Exports being made in the background finish (or are marked failed) before the database and threads close.
  fastify.addHook('preClose', () => stopExportWork(fastify));
  await fastify.register(healthPlugin);
  if (config.bench) await fastify.register(benchPlugin, { config });
  if (options.serveWeb) await fastify.register(webPlugin, { config });
}
