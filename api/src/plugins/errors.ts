import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { toClientError, unavailable, type ClientError } from '../shared/errors.ts';

/**
 * The error boundary of every route — /graphql when a request fails before
 * its resolvers run (its context, its body, the rate limit), the upload
 * routes, hooks: whatever escapes reaches the client as
 * `{ errors: [{ message, extensions: { code } }] }` with a human message and
 * the status of its code, and the whole error goes to the log with the
 * request id. Nothing of Fastify's default body (its `message` would carry
 * SQL) is ever sent.
 */
export function sendClientError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const errors = describe(error);
  const [client] = errors;
  if (!client) throw new Error('no error to describe');
  if (client.serverFault) request.log.error({ err: error, code: client.extensions.code }, 'request failed');
  else request.log.info({ err: error, code: client.extensions.code }, 'request refused');
  // A 429 carries its own Retry-After (set by the rate limiter); a 503 tells clients when to come back.
  if (client.statusCode === 503 && !reply.hasHeader('retry-after')) void reply.header('retry-after', '5');
  const body = { errors: errors.map(({ message, extensions }) => ({ message, extensions })) };
  // GraphQL's answers always have `data`; null: nothing was executed.
  return reply.code(client.statusCode).send(request.url.startsWith('/graphql') ? { data: null, ...body } : body);
}

/** mercurius' checks before execution (syntax, validation, depth) throw one error listing GraphQL's own. */
function describe(error: unknown): ClientError[] {
  const nested: unknown[] =
    error instanceof Error && 'errors' in error && Array.isArray(error.errors) ? error.errors : [];
  if (nested.length > 0) {
    // About the request itself (graphql-js' validation and variable coercion, mercurius' depth limit): safe to show.
    return nested.map((inner) => ({
      statusCode: 400,
      message: inner instanceof Error ? inner.message : 'Invalid request.',
      extensions: { code: 'GRAPHQL_VALIDATION' },
      serverFault: false,
    }));
  }
  return [toClientError(error)];
}

/**
 * Every request has a deadline: past it, it is answered UNAVAILABLE rather
 * than left waiting (a pool with no free connection, a statement stuck on a
 * lock). The work itself is not cancelled — its statements run under the
 * statement timeout (see withTenant) — so a write answered this way may
 * still have been made.
 */
function addRequestDeadline(app: FastifyInstance, deadlineMs: number) {
  const timers = new WeakMap<FastifyRequest, NodeJS.Timeout>();
  const clear = (request: FastifyRequest) => {
    clearTimeout(timers.get(request));
    timers.delete(request);
  };
  app.addHook('onRequest', (request, reply, next) => {
    const timer = setTimeout(() => {
      timers.delete(request);
      // Sent already, or handed to another handler (the web app's pages hijack their replies).
      if (reply.sent) return;
      request.log.warn({ deadlineMs }, 'request deadline passed');
      sendClientError(request, reply, unavailable());
    }, deadlineMs);
    timer.unref();
    timers.set(request, timer);
    next();
  });
  app.addHook('onResponse', (request, _reply, next) => {
    clear(request);
    next();
  });
  app.addHook('onRequestAbort', (request, next) => {
    clear(request);
    next();
  });
}

function errorBoundaryPlugin(app: FastifyInstance, options: { config: Config }, done: () => void) {
  app.setErrorHandler((error: FastifyError, request, reply) => sendClientError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendClientError(request, reply, Object.assign(new Error('no route'), { statusCode: 404 })),
  );
  addRequestDeadline(app, options.config.requestDeadlineMs);
  done();
}

export default fp(errorBoundaryPlugin, { name: 'error-boundary' });
