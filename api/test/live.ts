/**
 * Live views in tests: a big screen's WebSocket subscription, an app
 * listening on a free port, and whether the test Redis answers.
 */
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { TestApp } from './helper.ts';

type Message = { type: string; payload?: { data?: unknown; errors?: { extensions?: { code?: string } }[] } };

/**
 * Opens the GraphQL WebSocket to `baseUrl` (graphql-transport-ws) and sends one
 * subscription once the server has acknowledged the connection.
 */
export function subscribe(
  baseUrl: string,
  org: string | null,
  subscription: { query: string; variables?: Record<string, unknown> },
  headers: Record<string, string> = {},
) {
  const socket = new WebSocket(`${baseUrl}/graphql${org ? `?org=${org}` : ''}`, 'graphql-transport-ws', { headers });
  const messages: Message[] = [];
  const opened = new Promise<void>((resolve, reject) => {
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'connection_init' }));
    });
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as Message;
      messages.push(message);
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: subscription }));
        // Acknowledged: the server registers the subscription on its next turns (wait for that with
        // TestApp.subscribed, or publish until it is heard).
        resolve();
      }
    });
    socket.on('error', reject);
    socket.on('unexpected-response', (_request, response) => {
      reject(new Error(`refused: ${response.statusCode}`));
    });
  });
  /** The close code the server (or the network) closed it with. */
  const closed = new Promise<number>((resolve) => {
    socket.on('close', (code: number) => {
      resolve(code);
    });
  });
  return { socket, messages, opened, closed };
}

/** Subscribes to the big screen's changes; `events()` are the kinds heard so far. */
export function subscribeToBoard(baseUrl: string, org: string | null, headers: Record<string, string> = {}) {
  const subscription = subscribe(baseUrl, org, { query: `subscription { boardChanged { kind occurredAt } }` }, headers);
  const events = () =>
    subscription.messages
      .filter((message) => message.type === 'next')
      .map((message) => (message.payload?.data as { boardChanged: { kind: string } } | undefined)?.boardChanged.kind);
  return { ...subscription, events };
}

/** Listens on a free port of 127.0.0.1; the WebSocket base URL (`ws://…`). */
export async function listen(target: TestApp | FastifyInstance): Promise<string> {
  const app = target instanceof TestApp ? target.app : target;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('not listening');
  return `ws://127.0.0.1:${String(address.port)}`;
}

export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Whether Redis answers, asked once. */
export async function redisReachable(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
