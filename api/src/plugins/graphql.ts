import { holdTenantTransaction, withTenant, type HeldTenantTransaction, type TimeBudget, type Tx } from '@qicai/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';
import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  NoSchemaIntrospectionCustomRule,
  OperationTypeNode,
  type DocumentNode,
} from 'graphql';
import mercurius, { type IResolvers } from 'mercurius';
import fastifyWebsocket from '@fastify/websocket';
import type { VerifyClientCallbackAsync, WebSocket } from 'ws';
import type { Config } from '../config.ts';
import { loadTypeDefs, modules } from '../modules/index.ts';
import { graphqlResponses, graphqlStatus, withoutSuggestions } from './graphql-responses.ts';
import { DISPLAY_COOKIE, DISPLAY_HEADER, resolveDisplayToken } from '../modules/dashboard/display-tokens.ts';
import { findOrganizationBySlug } from '../modules/organizations/repository.ts';
import { SLUG_PATTERN } from '../modules/organizations/service.ts';
import { KNOWN_DEVICE_DAYS, knownDeviceCookieName } from '../modules/people/known-devices.ts';

import { accountForSessionToken, hashSessionToken } from '../modules/people/service.ts';
import type { RequestContext } from '../shared/context.ts';
import { AppError, toClientError } from '../shared/errors.ts';
import {
  assertAffordable,
  assertDocumentWithinLimits,
  assertShortEnough,
  assertSubscriptionShortEnough,
  assertSubscriptionWithinLimits,
  assertWithinShape,
  requestedOperationName,
} from './query-limits.ts';
import { findMemberOfAccount, findViewerInScope } from '../modules/members/repository.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The open GraphQL WebSockets (live subscriptions), from their connection_init until they close. */
    liveSockets: Set<WebSocket>;
  }
}

/**
 * The close code a WebSocket is closed with when this instance stops or its
 * live events were interrupted (RFC 6455's 1012, service restart): the
 * client reconnects — to another instance, behind a load balancer — and reads
 * its figures afresh, since what happened meanwhile was not sent to it.
 */
export const RECONNECT_CLOSE_CODE = 1012;

/** Closes every live WebSocket with RECONNECT_CLOSE_CODE (draining, or live events resumed after an outage). */
export function askLiveClientsToReconnect(app: FastifyInstance, reason: string): number {
  const sockets = [...app.liveSockets];
  for (const socket of sockets) socket.close(RECONNECT_CLOSE_CODE, reason);
  return sockets.length;
}

/** The header a client names the organization with, by its slug. */
export const ORGANIZATION_HEADER = 'x-qicai-org';

/** The largest WebSocket message: a document within MAX_TOKENS (query-limits.ts) fits many times over. */
export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;

/** Deep enough for every screen; stops a query nesting members → teams → members … without end. */
const MAX_QUERY_DEPTH = 8;

/** Merges the modules' resolvers (or loaders) type by type; scalars are taken whole. */
function mergeByType(parts: object[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [typeName, fields] of Object.entries(part)) {
      const existing = merged[typeName];
      merged[typeName] =
        fields instanceof GraphQLScalarType || typeof fields !== 'object' || fields === null
          ? fields
          : { ...(typeof existing === 'object' ? existing : {}), ...fields };
    }
  }
  return merged;
}

type LoaderFunction = (queries: { obj: unknown; params: unknown }[], ctx: RequestContext) => Promise<unknown[]>;
type LoaderDefinition = LoaderFunction | { loader: LoaderFunction; opts?: unknown };

/**
 * The modules' loaders as resolvers that batch by tick: the calls of one
 * field's loader made in the same tick of one request (or subscription event)
 * become one call with all their parents, in order. This is what mercurius'
 * own `loaders` option does, less its per-request cache, which keys every call
 * by serialising the whole parent object: profiled at 2–3 ms of CPU per list
 * of 50 activities, to save calls that never repeat. Without a cache every
 * call reads fresh data, as subscriptions need.
 */
function batchedLoaders(loaders: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const pending = new WeakMap<object, Map<string, Batch>>();
  interface Batch {
    queries: { obj: unknown; params: unknown }[];
    settle: { resolve: (value: unknown) => void; reject: (error: unknown) => void }[];
  }
  const run = (loader: LoaderFunction, batch: Batch, ctx: RequestContext) => {
    loader(batch.queries, ctx).then(
      (results) => {
        batch.settle.forEach(({ resolve }, index) => {
          resolve(results[index]);
        });
      },
      (error: unknown) => {
        for (const { reject } of batch.settle) reject(error);
      },
    );
  };
  return Object.fromEntries(
    Object.entries(loaders).map(([typeName, fields]) => [
      typeName,
      Object.fromEntries(
        Object.entries(fields as Record<string, LoaderDefinition>).map(([fieldName, definition]) => {
          const loader = typeof definition === 'function' ? definition : definition.loader;
          const key = `${typeName}.${fieldName}`;
          const resolve = (obj: unknown, params: unknown, ctx: RequestContext) =>
            new Promise((resolveOne, rejectOne) => {
              let batches = pending.get(ctx);
              if (!batches) {
                batches = new Map();
                pending.set(ctx, batches);
              }
              let batch = batches.get(key);
              if (!batch) {
                const started: Batch = { queries: [], settle: [] };
                batch = started;
                batches.set(key, started);
                const ofContext = batches;
                process.nextTick(() => {
                  ofContext.delete(key);
                  run(loader, started, ctx);
                });
              }
              batch.queries.push({ obj, params });
              batch.settle.push({ resolve: resolveOne, reject: rejectOne });
            });
          return [fieldName, resolve];
        }),
      ),
    ]),
  );
}

/**
 * How many requests may hold a pooled connection for a shared transaction at
 * once. Two connections always stay free for everything else: a request that
 * holds one and also reads outside it (an organization, an account) can then
 * always get another, so the pool never deadlocks. PGlite is one connection,
 * which a held transaction would lock for every other request: none there.
 */
const freeSharedTransactions = new WeakMap<FastifyInstance, { free: number }>();
function sharedTransactionSlots(app: FastifyInstance): { free: number } {
  let slots = freeSharedTransactions.get(app);
  if (!slots) {
    slots = { free: Math.max(0, app.database.connections - 2) };
    freeSharedTransactions.set(app, slots);
  }
  return slots;
}

/** The request's transaction a unit of work runs in, for units of work it starts in turn (see `tenant`). */
const openTransaction = new AsyncLocalStorage<{ scope: object; tx: Tx; open: boolean }>();

/** A document whose operations only read: its resolvers may share one transaction. */
function onlyQueries(document: DocumentNode): boolean {
  return document.definitions.every(
    (definition) => definition.kind !== Kind.OPERATION_DEFINITION || definition.operation === OperationTypeNode.QUERY,
  );
}

/**
 * The context of a request (GraphQL, and the few routes beside it, such as the
 * roster file upload) — or, with no reply, of a WebSocket for
 * subscriptions: signed in by the session cookie sent when the socket
 * connects, for the organization named by the header or, since browsers
 * cannot set headers on a WebSocket, by `?org=<slug>` in its address.
 */
export async function buildContext(
  app: FastifyInstance,
  config: Config,
  request: FastifyRequest,
  reply: FastifyReply | null,
  options: { forGraphQL?: boolean } = {},
): Promise<RequestContext> {
  const db = app.database.db;
  const token = app.sessionCookie.read(request);
  const slugHeader = request.headers[ORGANIZATION_HEADER];
  const slugQuery =
    !reply && typeof request.query === 'object' && request.query !== null && 'org' in request.query
      ? request.query.org
      : undefined;
  const slugText = typeof slugHeader === 'string' ? slugHeader : slugQuery;
  const slug = typeof slugText === 'string' && SLUG_PATTERN.test(slugText) ? slugText : undefined;

  // A bomb is refused before anything else, the database untouched (query-limits.ts).
  if (options.forGraphQL && reply) {
    const source = documentOf(request);
    if (source !== undefined) {
      const { variables, operationName } = parametersOf(request);
      if (assertDocumentWithinLimits(app.graphql.schema, source, variables, operationName)) costChecked.add(request);
    }
  }
  // A WebSocket's context lives as long as the socket: only requests have a deadline.
  const budget = reply ? request.timeBudget : undefined;
  const slots = sharedTransactionSlots(app);
  let sharing = false;
  let shared: HeldTenantTransaction | null = null;
  const endSharedTransaction = async () => {
    if (!sharing) return;
    sharing = false;
    const held = shared;
    shared = null;
    try {
      await held?.end();
    } finally {
      slots.free++;
    }
  };
  const startSharing = (reply: FastifyReply) => {
    slots.free--;
    sharing = true;
    // Should the request end without reaching the GraphQL hook (an error, a closed connection).
    reply.raw.once('close', () => {
      endSharedTransaction().catch((error: unknown) => {
        app.log.error({ err: error }, 'could not end a shared read transaction');
      });
    });
  };

  // The session's account, the organization and the viewer's membership of it: found by the first two
  // statements of one transaction (see `TenantLookup`), not by statements of their own before it. For a
  // GraphQL request that transaction is held, to be the one its resolvers share should it be a query
  // (`preExecution` ends it otherwise, before a mutation's own transactions).
  let viewer: Awaited<ReturnType<typeof findViewerInScope>> = {
    account: null,
    organization: null,
    member: null,
    ledTeamIds: [],
  };
  if (token || slug) {
    const lookup = {
      sessionTokenHash: token ? hashSessionToken(token) : null,
      organizationSlug: slug ?? null,
      now: app.clock.now(),
    };
    if (options.forGraphQL && reply && slots.free > 0) {
      startSharing(reply);
      shared = holdTenantTransaction(db, lookup, budget);
      viewer = await shared.run(findViewerInScope);
    } else {
      viewer = await withTenant(db, lookup, findViewerInScope, budget);
    }
  }
  const { account, organization } = viewer;
  if (token && !account && reply) app.sessionCookie.clear(reply);
  const displayText = request.headers[DISPLAY_HEADER] ?? request.cookies[DISPLAY_COOKIE];
  const displayToken =
    organization && typeof displayText === 'string'
      ? await resolveDisplayToken(db, organization.id, displayText)
      : undefined;

  const scope = { orgId: organization?.id ?? null, accountId: account?.id ?? null };
  const tenantWithin =
    (limit: TimeBudget | undefined): RequestContext['tenant'] =>
    (work) => {
      // Called from within another unit of work of this request: it joins that transaction rather than
      // wait for a second connection while holding one (enough such requests at once would exhaust the pool).
      const outer = openTransaction.getStore();
      if (outer?.scope === scope && outer.open) return work(outer.tx);
      if (sharing) {
        shared ??= holdTenantTransaction(db, scope, limit);
        return shared.run(work);
      }
      return withTenant(
        db,
        scope,
        (tx) => {
          const frame = { scope, tx, open: true };
          return openTransaction
            .run(frame, () => work(tx))
            .finally(() => {
              frame.open = false;
            });
        },
        limit,
      );
    };
  const { member, ledTeamIds } = viewer;
  let abandoned: AbortSignal | undefined;
  return {
    config,
    clock: app.clock,
    db,
    account,
    organization,
    display: displayToken ? { tokenId: displayToken.id } : null,
    tenant: tenantWithin(budget),
    tenantWithoutDeadline: tenantWithin(undefined),
    shareTransaction: () => {
      if (sharing) return true;
      if (!reply || slots.free === 0) return false;
      startSharing(reply);
      return true;
    },
    endSharedTransaction,
    viewerMember: () => Promise.resolve(member),
    viewerLedTeamIds: () => Promise.resolve(ledTeamIds),
    work: (name, input) => app.workers.run(name, input, (abandoned ??= abandonment(reply))),
    publish: (event) => {
      app.liveEvents.publish(event);
    },
    delivery: app.delivery,
    log: request.log,
    clientIp: request.clientAddress,
    userAgent: request.headers['user-agent'],
    knownDevice: knownDeviceCookie(config, request, reply),
    session: {
      token,
      start: (newToken, expiresAt) => {
        if (reply) app.sessionCookie.set(reply, newToken, expiresAt);
      },
      end: () => {
        if (reply) app.sessionCookie.clear(reply);
      },
    },
  };
}

/** Requests whose operation's cost was checked before their context was made (see buildContext). */
const costChecked = new WeakSet<FastifyRequest>();

/** A request's variables (JSON in a GET's address) and operation name, as mercurius will read them. */
function parametersOf(request: FastifyRequest): {
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
} {
  const { body, query } = request;
  const parameters: unknown = typeof body === 'object' && body !== null ? body : query;
  if (typeof parameters !== 'object' || parameters === null) return { variables: undefined, operationName: undefined };
  const given = 'variables' in parameters ? parameters.variables : undefined;
  let variables: unknown = given;
  if (typeof given === 'string') {
    try {
      variables = JSON.parse(given);
    } catch {
      variables = undefined;
    }
  }
  const operationName = 'operationName' in parameters ? parameters.operationName : undefined;
  return {
    variables: typeof variables === 'object' && variables !== null ? (variables as Record<string, unknown>) : undefined,
    operationName: typeof operationName === 'string' ? operationName : undefined,
  };
}

/** The GraphQL document a request sends: `query` of its JSON body or of its address, or an application/graphql body. */
function documentOf(request: FastifyRequest): string | undefined {
  const { body, query } = request;
  if (typeof body === 'string') return body;
  const fromBody = typeof body === 'object' && body !== null && 'query' in body ? body.query : undefined;
  if (typeof fromBody === 'string') return fromBody;
  const fromAddress = typeof query === 'object' && query !== null && 'query' in query ? query.query : undefined;
  return typeof fromAddress === 'string' ? fromAddress : undefined;
}

/** Aborted when the client goes away before its answer was sent (the socket closed first). */
function abandonment(reply: FastifyReply | null): AbortSignal | undefined {
  if (!reply) return undefined;
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** The known-device cookie of people/known-devices.ts: httpOnly, SameSite=Lax, Secure over https. */
function knownDeviceCookie(
  config: Config,
  request: FastifyRequest,
  reply: FastifyReply | null,
): RequestContext['knownDevice'] {
  const secure = config.publicUrl.protocol === 'https:';
  const name = knownDeviceCookieName(secure);
  return {
    token: request.cookies[name] ?? null,
    remember: (token) => {
      reply?.setCookie(name, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        maxAge: KNOWN_DEVICE_DAYS * 24 * 60 * 60,
      });
    },
  };
}

/**
 * A browser sends its cookies with a WebSocket to any site that asks
 * (cross-site WebSocket hijacking): only this site's pages may open one.
 * Clients that are not browsers send no Origin.
 */
function isSameOriginSocket(origin: string | undefined, host: string | undefined, config: Config): boolean {
  if (!origin) return true;
  try {
    const url = new URL(origin);
    return url.host === host || url.origin === config.publicUrl.origin;
  } catch {
    return false;
  }
}

/**
 * A WebSocket is authenticated when it connects, before any subscription:
 * it names one organization (`?org=<slug>`, or the header) and is either
 * signed in as an active member of it (the session cookie) or a wall screen
 * with a live display token of it (the qicai_display cookie or the
 * X-Qicai-Display header). Anything else is refused with 401, so an anonymous
 * socket never holds a connection open.
 */
async function socketIsAuthorized(app: FastifyInstance, request: IncomingMessage): Promise<boolean> {
  const db = app.database.db;
  const url = new URL(request.url ?? '/', 'http://socket.invalid');
  const slugHeader = request.headers[ORGANIZATION_HEADER];
  const slug = url.searchParams.get('org') ?? (typeof slugHeader === 'string' ? slugHeader : null);
  if (!slug || !SLUG_PATTERN.test(slug)) return false;
  const cookies = request.headers.cookie ? app.parseCookie(request.headers.cookie) : {};
  const organization = await findOrganizationBySlug(db, slug);
  if (!organization) return false;
  const display = request.headers[DISPLAY_HEADER] ?? cookies[DISPLAY_COOKIE];
  if (typeof display === 'string' && (await resolveDisplayToken(db, organization.id, display))) return true;
  const session = cookies[app.sessionCookie.name];
  const account = session ? await accountForSessionToken(db, session, app.clock.now()) : undefined;
  if (!account) return false;
  const member = await withTenant(db, { orgId: organization.id, accountId: account.id }, (tx) =>
    findMemberOfAccount(tx, organization.id, account.id),
  );
  return member?.active === true;
}

/**
 * What a client may see of an error: coded errors as they are, GraphQL's own
 * errors about the request (syntax, validation, variables), database errors
 * by what they say of the input or the server (see `toClientError`), and for
 * anything else a bare INTERNAL — the real error (SQL, parameters, stack)
 * only in the log.
 */
function toGraphQLClientErrors(error: GraphQLError, log: FastifyInstance['log']): GraphQLError[] {
  const original = error.originalError;
  if (original instanceof AppError) return [error];
  const nested = original && 'errors' in original && Array.isArray(original.errors) ? original.errors : undefined;
  if (nested) {
    // mercurius' own checks before execution (validation, query depth): about the request, safe to show.
    return nested.map((inner: unknown) =>
      inner instanceof GraphQLError && typeof inner.extensions.code === 'string'
        ? inner
        : inner instanceof GraphQLError
          ? new GraphQLError(inner.message, { nodes: inner.nodes, extensions: { code: 'GRAPHQL_VALIDATION' } })
          : new GraphQLError(inner instanceof Error ? inner.message : 'Invalid request.', {
              extensions: { code: 'GRAPHQL_VALIDATION' },
            }),
    );
  }
  if (!original || (original instanceof GraphQLError && !original.originalError)) {
    // Written by graphql-js (a variable of the wrong type, a scalar's own message): about the request.
    return [new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION' } })];
  }
  const client = toClientError(original);
  if (client.serverFault) log.error({ err: original, path: error.path }, 'error while resolving');
  else log.info({ err: original, path: error.path, code: client.extensions.code }, 'request refused while resolving');
  return [new GraphQLError(client.message, { path: error.path, nodes: error.nodes, extensions: client.extensions })];
}

async function graphqlPlugin(app: FastifyInstance, options: { config: Config }) {
  const { config } = options;
  const liveSockets = new Set<WebSocket>();
  app.decorate('liveSockets', liveSockets);
  // Events published while Redis was away never reached these sockets: their clients read afresh on reconnecting.
  app.liveEvents.onResumed(() => {
    const closed = askLiveClientsToReconnect(app, 'live events resumed');
    if (closed > 0) app.log.info({ sockets: closed }, 'live events resumed: live clients asked to reconnect');
  });
  await app.register(graphqlResponses);
  const verifyClient: VerifyClientCallbackAsync = (info, next) => {
    if (!isSameOriginSocket(info.origin, info.req.headers.host, config)) {
      next(false, 403);
      return;
    }
    socketIsAuthorized(app, info.req).then(
      (authorized) => {
        next(authorized, 401);
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'could not authenticate a WebSocket');
        next(false, 500);
      },
    );
  };
  // Registered here rather than by mercurius (which does so only when no one has) for a smaller message
  // limit than its 1 MiB: mercurius parses a subscription's document before any hook can count its
  // tokens, and a megabyte of GraphQL is a tenth of a second of parsing. A larger message closes the
  // socket (1009) unread; the web app's subscriptions are a few hundred bytes.
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_SOCKET_MESSAGE_BYTES, verifyClient } });
  await app.register(mercurius, {
    schema: loadTypeDefs(),
    resolvers: mergeByType([
      ...modules.map((module) => module.resolvers),
      batchedLoaders(mergeByType(modules.map((module) => module.loaders ?? {}))),
    ]) as IResolvers,
    context: (request, reply) => buildContext(app, config, request, reply, { forGraphQL: true }),
    subscription: {
      emitter: app.liveEvents.emitter,
      verifyClient,
      context: (socket, request) => {
        liveSockets.add(socket);
        socket.once('close', () => {
          liveSockets.delete(socket);
        });
        return buildContext(app, config, request, null);
      },
      keepAlive: 30_000,
    },
    // Errors before execution (the context, the body) go to the app's error boundary (plugins/errors.ts):
    // mercurius' own handler would build the context again, and a failure there reached Fastify's default.
    errorHandler: false,
    queryDepth: MAX_QUERY_DEPTH,
    // A query seen twice is compiled (graphql-jit) instead of interpreted: the same few queries come again and again.
    jit: 1,
    allowBatchedQueries: false,
    graphiql: config.env === 'development',
    validationRules: config.env === 'production' ? [NoSchemaIntrospectionCustomRule] : [],
    errorFormatter: (execution, ctx) => {
      // A subscription's context has no reply of its own.
      const log = (ctx.reply as FastifyReply | undefined)?.log ?? app.log;
      const errors = execution.errors.flatMap((error) =>
        toGraphQLClientErrors(error, log).map((clientError) => {
          const json = clientError.toJSON();
          return config.env === 'production' ? { ...json, message: withoutSuggestions(json.message) } : json;
        }),
      );
      app.metrics?.countErrors(errors.map((error) => error.extensions?.['code']));
      // application/json responses are 200 whatever the errors (GraphQL over HTTP); for
      // application/graphql-response+json, a request that never ran is 400 and has no `data`.
      const statusCode = graphqlStatus((ctx.reply as FastifyReply | undefined)?.request, execution.data !== undefined);
      return statusCode === 200
        ? { statusCode, response: { data: execution.data ?? null, errors } }
        : { statusCode, response: { errors } };
    },
  });
  // What one operation may ask for (query-limits.ts): checked as early as each can be.
  app.graphql.addHook('preParsing', (_schema, source) => {
    assertShortEnough(source);
    return Promise.resolve();
  });
  // The same for a subscription sent over the WebSocket, which mercurius parses before this hook and
  // neither validates nor runs through the hooks above.
  app.graphql.addHook('preSubscriptionParsing', (_schema, source) => {
    assertSubscriptionShortEnough(source);
    return Promise.resolve();
  });
  app.graphql.addHook('preSubscriptionExecution', (schema, document) => {
    assertSubscriptionWithinLimits(schema, document, config.env === 'production');
    return Promise.resolve();
  });
  // Which operation a request runs, for the metrics: at validation, the first time a text is seen (a failure
  // is named too), and before every execution (a text seen before skips validation).
  const noteOperation = (context: { reply?: FastifyReply | undefined }, document: DocumentNode) => {
    const reply = context.reply;
    if (reply) app.metrics?.noteOperation(reply.request, document, requestedOperationName(reply));
  };
  app.graphql.addHook('preValidation', (schema, document, context) => {
    noteOperation(context, document);
    assertWithinShape(schema, document);
    return Promise.resolve();
  });
  // A query's resolvers read in one transaction, committed before the answer is sent.
  app.graphql.addHook('preExecution', (schema, document, context, variables) => {
    noteOperation(context, document);
    // The cost depends on the variables (`first: $first`): checked before every execution (query-limits.ts),
    // unless it was before the request's context was made. A socket's operation has no reply of its own.
    const reply = context.reply as FastifyReply | undefined;
    if (reply === undefined || !costChecked.has(reply.request)) {
      assertAffordable(schema, document, variables, requestedOperationName(context.reply));
    }
    if (onlyQueries(document)) {
      context.shareTransaction();
      return Promise.resolve();
    }
    // A mutation's units of work run in transactions of their own: the one the context was found in ends.
    return context.endSharedTransaction();
  });
  app.graphql.addHook('onResolution', (_execution, context) => context.endSharedTransaction());
}

export default fp(graphqlPlugin, {
  name: 'graphql',
  dependencies: ['error-boundary', 'database', 'session', 'security', 'pubsub', 'metrics', 'workers', 'delivery'],
});
