import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { toClientError, type ClientError } from '../shared/errors.ts';

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

function errorBoundaryPlugin(app: FastifyInstance, _options: unknown, done: () => void) {
  app.setErrorHandler((error: FastifyError, request, reply) => sendClientError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendClientError(request, reply, Object.assign(new Error('no route'), { statusCode: 404 })),
  );
  done();
}

export default fp(errorBoundaryPlugin, { name: 'error-boundary' });
