import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../config.ts';

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
  // adapter-node reads these when the handler is imported.
  process.env['ORIGIN'] ??= config.publicUrl.origin;
  process.env['API_URL'] ??= ownApiUrl(config);
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
        request.raw.headers[PAGE_ADDRESS_HEADER] = request.clientAddress;
        // Only the pages' own calls to the API carry a signed address (CLIENT_ADDRESS_HEADER); never one a browser sent.
        delete request.raw.headers['x-qicai-client-address'];
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
