/**
 * How GraphQL answers are written (issue 17): no schema hints in production,
 * and the GraphQL-over-HTTP media types.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * GraphQL's validation suggests names it knows ('Did you mean "organization"?'),
 * which maps the schema for anyone even with introspection off. Production
 * answers without them.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '');
}

/** The GraphQL-over-HTTP media type: its status codes tell request errors (4xx) from execution results. */
export const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json';

/**
 * Whether the client asks for application/graphql-response+json rather than
 * application/json: by the Accept header's quality values, then its order.
 * No Accept, or one that lists application/json or * / * first: application/json.
 */
export function wantsGraphQLResponse(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  if (!accept) return false;
  let best: { type: string; quality: number } | undefined;
  for (const part of accept.split(',')) {
    const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (![GRAPHQL_RESPONSE_TYPE, 'application/json', 'application/*', '*/*'].includes(type)) continue;
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const quality = q ? Number(q.slice(2)) : 1;
    if (quality > 0 && (!best || quality > best.quality)) best = { type, quality };
  }
  return best?.type === GRAPHQL_RESPONSE_TYPE;
}

/**
 * The status of a GraphQL answer. application/json: 200 whatever the errors,
 * as before. application/graphql-response+json: 400 for a request that never
 * ran (not JSON, not GraphQL, not valid, variables that do not fit; it has no
 * `data`), 200 once it ran, with or without errors.
 */
export function graphqlStatus(request: FastifyRequest | undefined, ran: boolean): number {
  return request && wantsGraphQLResponse(request) && !ran ? 400 : 200;
}

function isGraphQLRoute(request: FastifyRequest): boolean {
  return request.url === '/graphql' || request.url.startsWith('/graphql?');
}

function graphqlResponsesPlugin(app: FastifyInstance, _options: unknown, done: () => void) {
  // The spec allows `"extensions": null`; mercurius' body schema only an object.
  app.addHook('preValidation', (request, _reply, next) => {
    const body = request.body;
    if (request.method === 'POST' && isGraphQLRoute(request) && typeof body === 'object' && body !== null) {
      if ('extensions' in body && body.extensions === null) delete body.extensions;
    }
    next();
  });
  app.addHook('onSend', (request, reply, payload, next) => {
    const type = reply.getHeader('content-type');
    if (
      isGraphQLRoute(request) &&
      wantsGraphQLResponse(request) &&
      typeof type === 'string' &&
      type.startsWith('application/json')
    )
      reply.header('content-type', `${GRAPHQL_RESPONSE_TYPE}; charset=utf-8`);
    next(null, payload);
  });
  done();
}

export const graphqlResponses = fp(graphqlResponsesPlugin, { name: 'graphql-responses' });
