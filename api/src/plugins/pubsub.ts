import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { EventEmitter } from 'node:events';
import mqemitter, { type MQEmitter } from 'mqemitter';
import mqemitterRedis from 'mqemitter-redis';
import type { Config } from '../config.ts';
import type { LiveEvent } from '../shared/live.ts';

/**
 * Live events (GraphQL subscriptions) go through one emitter. Without
 * REDIS_URL it is in the process: enough for one API instance. With it,
 * mqemitter-redis (the same interface) publishes each event on a Redis
 * channel named by its topic and every instance subscribed to that topic gets
 * it, so a check-in made through one instance reaches a big screen connected
 * to another.
 */

declare module 'fastify' {
  interface FastifyInstance {
    liveEvents: {
      emitter: MQEmitter;
      /** Where events go: 'redis' across instances, 'memory' in this process only. */
      transport: 'redis' | 'memory';
      publish(event: LiveEvent): void;
      /** Resolves when the transport answers (Redis: PING); rejects otherwise. In memory: always. */
      ping(): Promise<void>;
      /**
       * Called when live events flow again after an outage (Redis reachable again): events published
       * meanwhile were dropped, so whoever was listening has missed some.
       */
      onResumed(listener: () => void): void;
    };
  }
}

/** How long closing waits for Redis to say goodbye before the connections are cut. */
const CLOSE_TIMEOUT_MS = 2000;

/** How long a readiness probe waits for Redis to answer PING. */
const PING_TIMEOUT_MS = 1000;

/** An outage is reported once a minute, however many reconnects and events it costs. */
const OUTAGE_LOG_INTERVAL_MS = 60_000;

interface SharedEmitter {
  emitter: MQEmitter;
  /** Told when Redis is reachable again after an outage. */
  resumed: EventEmitter;
  /** Logs a live event that could not be published, at most once a minute with how many were lost. */
  dropped(error: Error): void;
  /** Resolves when Redis answers PING; rejects when it is unreachable (the readiness check). */
  ping(): Promise<void>;
  close(done: () => void): void;
}

function redisEmitter(app: FastifyInstance, url: string): SharedEmitter {
  const connection = (offlineQueue: boolean) =>
    new Redis(url, {
      // Reconnect with backoff, up to 5 s between tries, for as long as it takes.
      retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
      maxRetriesPerRequest: null,
      lazyConnect: false,
      // Publishing while Redis is down fails at once (the event is dropped and counted), so nothing piles
      // up in memory; subscribing waits in the queue and ioredis resubscribes every channel on reconnect.
      enableOfflineQueue: offlineQueue,
    });
  const subConn = connection(true);
  const pubConn = connection(false);
  const emitter = mqemitterRedis({ subConn, pubConn });
  const resumed = new EventEmitter();
  // Sockets still closing while the app shuts down unsubscribe after the connection has quit, and
  // writing to it then fails outside any callback: once closing, a listener is only removed here.
  let closing = false;
  let lastOutageLog = -Infinity;
  let droppedSinceLog = 0;
  let down = false;
  const reportOutage = (error: Error) => {
    down = true;
    // A Redis outage reports every reconnect attempt and every event: log one a minute, not hundreds.
    // An interval, not a time of day: the monotonic clock, not the app's Clock.
    if (performance.now() - lastOutageLog < OUTAGE_LOG_INTERVAL_MS) return;
    lastOutageLog = performance.now();
    app.log.error(
      { err: error, droppedEvents: droppedSinceLog },
      'live events: Redis unreachable, retrying; live events are dropped meanwhile',
    );
    droppedSinceLog = 0;
  };
  // Every error source: both connections, and mqemitter-redis' own `state`, which re-emits theirs (and
  // its publish failures) as 'error': unheard, that event would be an uncaught exception and end the process.
  subConn.on('error', reportOutage);
  pubConn.on('error', reportOutage);
  // mqemitter-redis' types leave `state` out; should a release drop it, fail at start, not at the first outage.
  if (!('state' in emitter && emitter.state instanceof EventEmitter))
    throw new Error('mqemitter-redis no longer has `state`: its errors would go unheard');
  emitter.state.on('error', reportOutage);
  const reportBack = () => {
    if (!down || subConn.status !== 'ready' || pubConn.status !== 'ready') return;
    down = false;
    app.log.info({ droppedEvents: droppedSinceLog }, 'live events: Redis reachable again');
    droppedSinceLog = 0;
    resumed.emit('resumed');
  };
  // A connection lost without an error (a blip the server never saw coming) loses events all the same.
  const lost = () => {
    if (!closing) down = true;
  };
  subConn.on('close', lost);
  pubConn.on('close', lost);
  subConn.on('ready', reportBack);
  pubConn.on('ready', reportBack);
  const removeListener = emitter.removeListener.bind(emitter);
  emitter.removeListener = (topic, listener, callback) => {
    if (closing) callback?.();
    else removeListener(topic, listener, callback);
  };
  return {
    emitter,
    resumed,
    dropped(error) {
      droppedSinceLog++;
      reportOutage(error);
    },
    async ping() {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          pubConn.ping(),
          new Promise((_resolve, reject) => {
            timer = setTimeout(() => {
              reject(new Error('Redis did not answer PING in time'));
            }, PING_TIMEOUT_MS);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
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
        if (!error) return;
        if (shared) shared.dropped(error);
        else app.log.error({ err: error, topic: event.topic }, 'live event not delivered');
      });
    },
    ping: () => shared?.ping() ?? Promise.resolve(),
    // In memory, events are never interrupted.
    onResumed: (listener) => {
      shared?.resumed.on('resumed', listener);
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
