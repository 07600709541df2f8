import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../config.ts';
import { isOwnHost, ownHostNames } from '../shared/own-addresses.ts';

/**
 * How the pages learn whose request it is: adapter-node's getClientAddress()
 * reads this header, which we set on every request handed to it from the
 * address Fastify derived (TRUST_PROXY) — whatever the browser sent under
 * that name is overwritten.
 */
const PAGE_ADDRESS_HEADER = 'x-qicai-page-client-address';

type NodeHandler = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

function isNodeHandler(value: unknown): value is NodeHandler {
  return typeof value === 'function';
}

/** Where the web app's server side reaches this API: this very server, over loopback. */
function ownApiUrl(config: Config): string {
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

/**
 * With HTTPS, the web app's server side still reaches the API over plain HTTP
 * on loopback — its certificate is one Node does not trust — through a
 * listener of its own that hands each request to this same Fastify.
 */
async function loopbackApiUrl(app: FastifyInstance): Promise<string> {
  const loopback = createServer((request, response) => {
    app.routing(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    loopback.once('error', reject);
    loopback.listen(0, '127.0.0.1', resolve);
  });
  app.addHook('onClose', async () => {
    await new Promise<void>((resolve) => {
      loopback.close(() => {
        resolve();
      });
    });
  });
  const address = loopback.address();
  if (!address || typeof address === 'string') throw new Error('the loopback listener has no port');
  return `http://127.0.0.1:${address.port}`;
}

/**
 * Where the web app's server side finds this API when both run in this
 * process (web/src/lib/server/api.ts reads it): a function taking the API's
 * path and the request, answering a Fetch `Response`. It hands the request to
 * this Fastify with `inject`, so it goes through the same routes and hooks as
 * one over the network (security headers, the signed client address, rate
 * limits), without a second trip through HTTP and the loopback interface.
 */
export const IN_PROCESS_API = Symbol.for('qicai.in-process-api');

export interface InProcessApiRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body: string | Uint8Array<ArrayBuffer>;
}

function inProcessApi(app: FastifyInstance) {
  return async (path: string, init: InProcessApiRequest): Promise<Response> => {
    // inject would serialise a bare Uint8Array as JSON: bytes go as a Buffer over the same memory.
    const payload =
      typeof init.body === 'string'
        ? init.body
        : Buffer.from(init.body.buffer, init.body.byteOffset, init.body.byteLength);
    const answer = await app.inject({ method: init.method, url: path, headers: init.headers, payload });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const each of value) headers.append(name, each);
      else if (value !== undefined) headers.set(name, String(value));
    }
    // The API answers text (GraphQL and its routes' JSON).
    return new Response(answer.statusCode === 204 ? null : answer.body, { status: answer.statusCode, headers });
  };
}

/**
 * The headers through which this server tells SvelteKit the origin a request
 * came to (adapter-node's PROTOCOL_HEADER and HOST_HEADER): set on every
 * request here, whatever the client sent in them.
 */
const ORIGIN_HOST_HEADER = 'x-qicai-origin-host';
const ORIGIN_PROTOCOL_HEADER = 'x-qicai-origin-protocol';

/**
 * The origin SvelteKit sees a request at, and so the only one its CSRF check
 * accepts form posts from: the address the browser used when that is one of
 * the machine's own (http://127.0.0.1:3000, http://192.168.1.20:3000 with
 * HOST=0.0.0.0), else PUBLIC_URL — never an origin the request names itself.
 */
function requestOrigin(
  config: Config,
  ownNames: ReadonlySet<string>,
  request: { headers: IncomingMessage['headers']; socket: IncomingMessage['socket'] },
): { host: string; protocol: string } {
  const host = request.headers.host;
  const protocol = 'encrypted' in request.socket ? 'https' : 'http';
  if (host && isOwnHost(host, ownNames, request.socket.localPort ?? config.port, protocol)) return { host, protocol };
  return { host: config.publicUrl.host, protocol: config.publicUrl.protocol.replace(':', '') };
}

/**
 * Serves the SvelteKit app (adapter-node's handler) beside /graphql, so the
 * pages and the API share one origin. Without a build, only the API runs.
 */
async function webPlugin(app: FastifyInstance, options: { config: Config }) {
  const { config } = options;
  const handlerFile = join(config.webBuildDir, 'handler.js');
  if (!existsSync(handlerFile)) {
    app.log.warn({ handlerFile }, 'no web build: serving the API only (pnpm build makes one)');
    return;
  }
  // adapter-node reads these when the handler is imported. An ORIGIN set by the operator wins (one
  // origin only); else each request's origin comes from the headers set below.
  process.env['PROTOCOL_HEADER'] = ORIGIN_PROTOCOL_HEADER;
  process.env['HOST_HEADER'] = ORIGIN_HOST_HEADER;
  const ownNames = new Set([config.publicUrl.hostname.toLowerCase(), ...ownHostNames(config.host)]);
  if (process.env['API_URL'] === undefined) {
    // This very process: in it, unless the pages' own requests are to go over the network anyway
    // (the benchmark compares both: scripts/bench/run.ts --web-api loopback).
    Reflect.set(globalThis, IN_PROCESS_API, inProcessApi(app));
    process.env['API_URL'] = config.https === 'off' ? ownApiUrl(config) : await loopbackApiUrl(app);
  }
  process.env['ADDRESS_HEADER'] = PAGE_ADDRESS_HEADER;
  // The key the pages sign the address they pass to the API with (one per process: the handler is imported once).
  process.env['WEB_FORWARDING_KEY'] ??= config.webForwardingKey;
  // A county roster file (.xlsx, ~31,000 rows) goes through a form action to the API: larger than adapter-node's 512 KB default.
  process.env['BODY_SIZE_LIMIT'] ??= '25M';
  const imported: unknown = await import(pathToFileURL(handlerFile).href);
  const handler =
    typeof imported === 'object' && imported !== null && 'handler' in imported ? imported.handler : undefined;
  if (!isNodeHandler(handler)) throw new Error(`${handlerFile} does not export a handler`);

  await app.register((pages, _options, registered) => {
    // SvelteKit reads request bodies itself (form actions): leave the stream untouched.
    pages.removeAllContentTypeParsers();
    pages.addContentTypeParser('*', (_request, _payload, parsed) => {
      parsed(null);
    });
    pages.route({
      method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url: '/*',
      handler: (request, reply) => {
        // Keep the headers the app's hooks set (security headers) on the hijacked response.
        for (const [name, value] of Object.entries(reply.getHeaders())) {
          if (value !== undefined) reply.raw.setHeader(name, value);
        }
        // The onSend hook that says so while draining (health.ts) does not run for a hijacked reply.
        if (app.draining.value) reply.raw.setHeader('connection', 'close');
        request.raw.headers[PAGE_ADDRESS_HEADER] = request.clientAddress;
        // Only the pages' own calls to the API carry a signed address (CLIENT_ADDRESS_HEADER); never one a browser sent.
        delete request.raw.headers['x-qicai-client-address'];
        const origin = requestOrigin(config, ownNames, request.raw);
        request.raw.headers[ORIGIN_HOST_HEADER] = origin.host;
        request.raw.headers[ORIGIN_PROTOCOL_HEADER] = origin.protocol;
        reply.hijack();
        handler(request.raw, reply.raw, () => {
          reply.raw.statusCode = 404;
          reply.raw.end('Not found');
        });
      },
    });
    registered();
  });
}

export default fp(webPlugin, { name: 'web', dependencies: ['security', 'client-address'] });
