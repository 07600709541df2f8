/**
 * Live updates in the browser: a GraphQL subscription over the API's
 * WebSocket (the graphql-transport-ws protocol), signed in by the session
 * cookie the browser sends with it, reconnecting when the connection drops.
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

export function subscribeLive(options: LiveOptions): LiveSubscription {
  let socket: WebSocket | undefined;
  let closed = false;
  let retry = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = () => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(
      `${scheme}://${location.host}/graphql?org=${encodeURIComponent(options.org)}`,
      'graphql-transport-ws',
    );
    socket.addEventListener('open', () => {
      socket?.send(JSON.stringify({ type: 'connection_init' }));
    });
    socket.addEventListener('message', (event: MessageEvent<string>) => {
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
    socket.addEventListener('close', () => {
      options.onStatus?.(false);
      if (closed) return;
      timer = setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30_000);
    });
  };
  connect();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
