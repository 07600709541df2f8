/**
 * Live updates in the browser: a GraphQL subscription over the API's
 * WebSocket (the graphql-transport-ws protocol), signed in by the cookies
 * the browser sends with it (session, or a wall screen's display token),
 * reconnecting when the connection drops: with backoff (1 s doubling to
 * 30 s, with jitter so a room of screens does not reconnect in step), at
 * once when the browser says it is online again, and when the server's
 * keep-alive pings stop arriving (a connection that died silently). A close
 * with 1012 (service restart) is the server asking for it — it is draining
 * for a restart, or its live events were interrupted (Redis away) — and is
 * answered within a second, to another instance behind the load balancer.
 * Events sent while the socket was closed are lost: `onStatus(true)` after a
 * reconnection is the moment to read everything afresh.
 */

export interface LiveSubscription {
  close(): void;
}

export interface LiveOptions {
  /** The organization's slug: browsers cannot set headers on a WebSocket. */
  org: string;
  query: string;
  variables: Record<string, unknown>;
  onData: (data: unknown) => void;
  onStatus?: (connected: boolean) => void;
}

/** The close code of a server asking its clients to reconnect (api/src/plugins/graphql.ts). */
const RECONNECT_CLOSE_CODE = 1012;

/** The server pings every 30 s; this long without a word, the connection is taken as dead. */
const SILENCE_LIMIT_MS = 75_000;

export function subscribeLive(options: LiveOptions): LiveSubscription {
  let socket: WebSocket | undefined;
  let closed = false;
  let retry = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastHeard = Date.now();

  const connect = () => {
    lastHeard = Date.now();
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(
      `${scheme}://${location.host}/graphql?org=${encodeURIComponent(options.org)}`,
      'graphql-transport-ws',
    );
    socket.addEventListener('open', () => {
      socket?.send(JSON.stringify({ type: 'connection_init' }));
    });
    socket.addEventListener('message', (event: MessageEvent<string>) => {
      lastHeard = Date.now();
      const message = JSON.parse(event.data) as { type: string; payload?: { data?: unknown } };
      if (message.type === 'connection_ack') {
        retry = 1000;
        options.onStatus?.(true);
        socket?.send(
          JSON.stringify({
            id: '1',
            type: 'subscribe',
            payload: { query: options.query, variables: options.variables },
          }),
        );
      } else if (message.type === 'next' && message.payload?.data) {
        options.onData(message.payload.data);
      } else if (message.type === 'ping') {
        socket?.send(JSON.stringify({ type: 'pong' }));
      }
    });
    socket.addEventListener('close', (event) => {
      options.onStatus?.(false);
      if (closed) return;
      clearTimeout(timer);
      if (event.code === RECONNECT_CLOSE_CODE) {
        // Spread over a second, so a room of screens does not arrive at the next instance at once.
        retry = 1000;
        timer = setTimeout(connect, Math.random() * 1000);
        return;
      }
      timer = setTimeout(connect, retry * (0.75 + Math.random() * 0.5));
      retry = Math.min(retry * 2, 30_000);
    });
  };
  connect();

  const isOpenOrOpening = () => socket?.readyState === WebSocket.OPEN || socket?.readyState === WebSocket.CONNECTING;
  const onOffline = () => {
    // The socket may not notice for a long while: say so now, and start over when the network is back.
    socket?.close();
  };
  const onOnline = () => {
    if (closed || isOpenOrOpening()) return;
    clearTimeout(timer);
    retry = 1000;
    connect();
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  const watchdog = setInterval(() => {
    if (socket?.readyState === WebSocket.OPEN && Date.now() - lastHeard > SILENCE_LIMIT_MS) socket.close();
  }, 10_000);

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(watchdog);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      socket?.close();
    },
  };
}
