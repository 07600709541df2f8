import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import mqemitter, { type MQEmitter } from 'mqemitter';

/**
 * Live events (GraphQL subscriptions) go through one emitter. This one is in
 * the process: enough for one API instance. For several, swap it for a shared
 * one (mqemitter-redis has the same interface) here and nowhere else.
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
      publish(event: LiveEvent): void;
    };
  }
}

/** The topic of an organization's events of one kind about one subject. */
export function liveTopic(orgId: string, kind: string, subjectId: string): string {
  return `org:${orgId}:${kind}:${subjectId}`;
}

function pubsubPlugin(app: FastifyInstance, _options: unknown, done: () => void) {
  const emitter = mqemitter();
  app.decorate('liveEvents', {
    emitter,
    publish(event: LiveEvent) {
      emitter.emit(event, (error) => {
        if (error) app.log.error({ err: error, topic: event.topic }, 'live event not delivered');
      });
    },
  });
  app.addHook('onClose', (_instance, done) => {
    emitter.close(() => {
      done();
    });
  });
  done();
}

export default fp(pubsubPlugin, { name: 'pubsub' });
