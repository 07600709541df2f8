import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import mqemitter, { type MQEmitter } from 'mqemitter';
import mqemitterRedis from 'mqemitter-redis';
import type { Config } from '../config.ts';

/**
 * Live events (GraphQL subscriptions) go through one emitter. Without
 * REDIS_URL it is in the process: enough for one API instance. With it,
 * mqemitter-redis (the same interface) publishes each event on a Redis
 * channel named by its topic and every instance subscribed to that topic gets
 * it, so a check-in made through one instance reaches a big screen connected
 * to another.
 */
export interface LiveEvent {
  /** Always begins with the organization (`org:<id>:…`), so no event reaches another organization's subscribers. */
  topic: string;
  payload: unknown;
}

declare module 'fastify' {
  interface FastifyInstance {
    liveEvents: {
      emitter: MQEmitter;
      /** Where events go: 'redis' across instances, 'memory' in this process only. */
      transport: 'redis' | 'memory';
      publish(event: LiveEvent): void;
    };
  }
}

/** The topic of an organization's events of one kind about one subject. */
export function liveTopic(orgId: string, kind: string, subjectId: string): string {
  return `org:${orgId}:${kind}:${subjectId}`;
}

/** How long closing waits for Redis to say goodbye before the connections are cut. */
const CLOSE_TIMEOUT_MS = 2000;

function redisEmitter(app: FastifyInstance, url: string): { emitter: MQEmitter; close(done: () => void): void } {
  const connection = () =>
    new Redis(url, {
      // Reconnect with backoff, up to 5 s between tries; events published meanwhile wait in the offline queue.
      retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
      maxRetriesPerRequest: null,
      lazyConnect: false,
    });
  const subConn = connection();
  const pubConn = connection();
  const emitter = mqemitterRedis({ subConn, pubConn });
  let lastErrorLog = -Infinity;
  const logError = (error: Error) => {
    // A Redis outage reports every reconnect attempt: log one a minute, not hundreds.
    // An interval, not a time of day: the monotonic clock, not the app's Clock.
    if (performance.now() - lastErrorLog < 60_000) return;
    lastErrorLog = performance.now();
    app.log.error({ err: error }, 'live events: Redis unreachable, retrying');
  };
  subConn.on('error', logError);
  pubConn.on('error', logError);
  // Sockets still closing while the app shuts down unsubscribe after the connection has quit, and
  // writing to it then fails outside any callback: once closing, a listener is only removed here.
  let closing = false;
  const removeListener = emitter.removeListener.bind(emitter);
  emitter.removeListener = (topic, listener, callback) => {
    if (closing) callback?.();
    else removeListener(topic, listener, callback);
  };
  return {
    emitter,
    close(done) {
      closing = true;
      // Not emitter.close(): it quits both connections without catching, and a QUIT cut short by the
      // server (or an unsubscribe of a socket closing at the same moment) would become an unhandled rejection.
      const quit = (connection: Redis) =>
        Promise.race([
          connection.quit().catch(() => 'closed'),
          new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref()),
        ]).finally(() => {
          connection.disconnect();
        });
      void Promise.all([quit(subConn), quit(pubConn)]).then(() => {
        done();
      });
    },
  };
}

function pubsubPlugin(app: FastifyInstance, options: { config: Config }, done: () => void) {
  const redisUrl = options.config.redisUrl;
  const shared = redisUrl ? redisEmitter(app, redisUrl) : undefined;
  const emitter = shared?.emitter ?? mqemitter();
  app.decorate('liveEvents', {
    emitter,
    transport: shared ? 'redis' : 'memory',
    publish(event: LiveEvent) {
      emitter.emit(event, (error) => {
        if (error) app.log.error({ err: error, topic: event.topic }, 'live event not delivered');
      });
    },
  });
  app.addHook('onClose', (_instance, closed) => {
    if (shared) shared.close(closed);
    else
      emitter.close(() => {
        closed();
      });
  });
  done();
}

export default fp(pubsubPlugin, { name: 'pubsub' });
