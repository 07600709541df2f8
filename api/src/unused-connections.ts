/**
 * The connections that keep a closing server open though no request is on them. Node's
 * `server.close()` closes the idle keep-alive connections once, when it is called: one whose
 * request was in flight then, answered without `Connection: close`, stays open afterwards. And
 * Node 20 does not count a connection that has sent nothing as idle at all — a browser's
 * speculative preconnect opens one and may leave it silent — so a drain waited for it until its
 * timeout (`connectionTimeout`, a minute): nodejs/node#63452, fixed by nodejs/node#63470 in later
 * Node releases. A drain closes both kinds, again and again until the server has closed.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/** A real client sends its request at once; one silent this long after connecting is a preconnect. */
const SILENT_FOR_MS = 500;

/** Per server: each connection that has not begun a request, with when it was accepted. */
const unusedConnections = new WeakMap<Server, Map<Socket, number>>();

/** Starts keeping track of `server`'s connections that have not begun a request. */
export function trackUnusedConnections(server: Server): void {
  const unused = new Map<Socket, number>();
  unusedConnections.set(server, unused);
  // Over HTTPS, the request's socket is the TLS one, made after the handshake.
  const accepted = 'setSecureContext' in server ? 'secureConnection' : 'connection';
  server.on(accepted, (socket: Socket) => {
    unused.set(socket, performance.now());
    socket.once('close', () => unused.delete(socket));
  });
  const used = (request: IncomingMessage) => unused.delete(request.socket);
  server.on('request', used);
  server.on('upgrade', used);
}

/** Closes the idle connections, and those silent since they were accepted (none of a request's bytes read). */
export function closeQuietConnections(server: Server): void {
  server.closeIdleConnections();
  const now = performance.now();
  for (const [socket, acceptedAt] of unusedConnections.get(server) ?? []) {
    const silent = socket instanceof TLSSocket || socket.bytesRead === 0;
    if (silent && now - acceptedAt >= SILENT_FOR_MS) socket.destroy();
  }
}
