import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import app, { type AppOptions } from './app.ts';

/** A Fastify instance with the app registered and ready; not listening. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const fastify = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
          },
    trustProxy: config.trustProxy === 'true' ? true : config.trustProxy === 'false' ? false : config.trustProxy,
    bodyLimit: 1_048_576,
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    // The web app serves /o/…/ and /o/… alike.
    routerOptions: { ignoreTrailingSlash: true },
    // Starting applies migrations (on PGlite, in this process): slower than
    // Fastify's 10 s default on a busy small machine; a stuck start still fails.
    pluginTimeout: 120_000,
  });
  // fastify-plugin: the app's decorators (database, …) are visible on the returned instance.
  await fastify.register(fp(app), options);
  await fastify.ready();
  return fastify;
}
