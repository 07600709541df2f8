import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { TimeBudget } from '@qicai/db';
import type { Config } from '../config.ts';
import { GraphQLError } from 'graphql';
import { toClientError, unavailable, type ClientError } from '../shared/errors.ts';
import { graphqlStatus, withoutSuggestions } from './graphql-responses.ts';

/**
 * The error boundary of every route — /graphql when a request fails before
 * its resolvers run (its context, its body, the rate limit), the upload
 * routes, hooks: whatever escapes reaches the client as
 * `{ errors: [{ message, extensions: { code } }] }` with a human message and
 * the status of its code, and the whole error goes to the log with the
 * request id. Nothing of Fastify's default body (its `message` would carry
 * SQL) is ever sent.
 */
function sendClientError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
  production: boolean,
): FastifyReply {
  const errors = describe(error, production);
  const [client] = errors;
  if (!client) throw new Error('no error to describe');
  request.server.metrics?.countErrors(errors.map((error) => error.extensions.code));
  if (client.serverFault) request.log.error({ err: error, code: client.extensions.code }, 'request failed');
  else request.log.info({ err: error, code: client.extensions.code }, 'request refused');
  // A 429 carries its own Retry-After (set by the rate limiter); a 503 tells clients when to come back.
  if (client.statusCode === 503 && !reply.hasHeader('retry-after')) void reply.header('retry-after', '5');
  const body = { errors: errors.map(({ message, extensions }) => ({ message, extensions })) };
  if (!request.url.startsWith('/graphql')) return reply.code(client.statusCode).send(body);
  // A GraphQL request refused before it ran (validation, cost): application/json answers it 200 with
  // `data: null`; application/graphql-response+json 400 without `data` (GraphQL over HTTP).
  if (client.extensions.code === 'GRAPHQL_VALIDATION' || client.extensions.code === 'QUERY_TOO_COSTLY') {
    const statusCode = graphqlStatus(request, false);
    return reply.code(statusCode).send(statusCode === 200 ? { data: null, ...body } : body);
  }
  // GraphQL's answers always have `data`; null: nothing was executed.
  return reply.code(client.statusCode).send({ data: null, ...body });
}

/** mercurius' checks before execution (syntax, validation, depth) throw one error listing GraphQL's own. */
function describe(error: unknown, production: boolean): ClientError[] {
  const nested: unknown[] =
    error instanceof Error && 'errors' in error && Array.isArray(error.errors) ? error.errors : [];
  if (nested.length > 0) {
    // About the request itself (graphql-js' validation and variable coercion, mercurius' depth limit, the
    // cost limits' QUERY_TOO_COSTLY with what they measured): safe to show, without schema hints in production.
    return nested.map((inner) => {
      const message = inner instanceof Error ? inner.message : 'Invalid request.';
      const coded = inner instanceof GraphQLError && inner.extensions['code'] === 'QUERY_TOO_COSTLY';
      return {
        statusCode: 400,
        message: production ? withoutSuggestions(message) : message,
        extensions: coded ? { ...inner.extensions, code: 'QUERY_TOO_COSTLY' } : { code: 'GRAPHQL_VALIDATION' },
        serverFault: false,
      };
    });
  }
  return [toClientError(error)];
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The request's deadline as a time budget: its transactions run within what
     * is left of it, and are cancelled when it passes (see `withTenant`).
     */
    timeBudget: TimeBudget;
  }
}

/**
 * Every request has a deadline: past it, it is answered UNAVAILABLE rather
 * than left waiting (a pool with no free connection, a statement stuck on a
 * lock), and its work is stopped: the statement a transaction of it is
 * running is cancelled and the transaction rolled back, no transaction of it
 * begins any more, and each transaction's statement timeout is no longer than
 * what is left (see `withTenant`). A write answered this way has therefore
 * not been made — unless its transaction was committing as the deadline
 * passed. Work that is not SQL (a PDF in a worker thread) ends as the client
 * leaves (see plugins/workers.ts).
 */
function addRequestDeadline(app: FastifyInstance, deadlineMs: number) {
  const timers = new WeakMap<FastifyRequest, NodeJS.Timeout>();
  const clear = (request: FastifyRequest) => {
    clearTimeout(timers.get(request));
    timers.delete(request);
  };
  // Set for each request in onRequest, the first hook, before anything reads it.
  const budgets = new WeakMap<FastifyRequest, TimeBudget>();
  app.decorateRequest('timeBudget', {
    getter(this: FastifyRequest) {
      const budget = budgets.get(this);
      if (!budget) throw new Error('a time budget is read before onRequest set it');
      return budget;
    },
  });
  app.addHook('onRequest', (request, reply, next) => {
    const controller = new AbortController();
    const endsAt = performance.now() + deadlineMs;
    budgets.set(request, { signal: controller.signal, remainingMs: () => endsAt - performance.now() });
    const timer = setTimeout(() => {
      timers.delete(request);
      controller.abort(unavailable());
      // Sent already, or handed to another handler (the web app's pages hijack their replies).
      if (reply.sent) return;
      request.log.warn({ deadlineMs }, 'request deadline passed');
      sendClientError(request, reply, unavailable(), false);
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
  const production = options.config.env === 'production';
  app.setErrorHandler((error: FastifyError, request, reply) => sendClientError(request, reply, error, production));
  app.setNotFoundHandler((request, reply) =>
    sendClientError(request, reply, Object.assign(new Error('no route'), { statusCode: 404 }), production),
  );
  addRequestDeadline(app, options.config.requestDeadlineMs);
  done();
}

export default fp(errorBoundaryPlugin, { name: 'error-boundary' });
