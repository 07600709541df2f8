/**
 * The web app's server side talks to the API over GraphQL, on behalf of the
 * person whose request it is serving: their cookie and address go along, and
 * the session cookie the API sets comes back to their browser.
 */
import { env } from '$env/dynamic/private';
import { createHmac } from 'node:crypto';
import { error, redirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import type { TypedDocumentString } from '$lib/graphql/__generated__/operations';
import { ApiError } from './api-error';

export { ApiError };

interface GraphQLResponseBody<Data> {
  data?: Data | null;
  errors?: {
    message: string;
    extensions?: { code?: string; fields?: Record<string, string>; [name: string]: unknown };
  }[];
}

export interface Api {
  /** Runs an operation; `org` names the organization (its slug). Throws ApiError on any GraphQL error. */
  request<Data, Variables>(
    document: TypedDocumentString<Data, Variables>,
    variables: Variables,
    org?: string,
  ): Promise<Data>;
  /** Sends a file to one of the API's upload routes (e.g. /imports/roster); answers its `data`. Throws ApiError. */
  upload<Data>(path: string, file: File, org: string): Promise<Data>;
}

/**
 * The browser's address, signed so the API believes it from us and from no
 * one else (api/src/plugins/client-address.ts checks it; the API serving these
 * pages sets WEB_FORWARDING_KEY, `pnpm dev` gives both processes the same).
 * Without a key the API counts our requests as our own address.
 */
function signedClientAddress(address: string): Record<string, string> {
  const key = env['WEB_FORWARDING_KEY'];
  if (!key) return {};
  return {
    'x-qicai-client-address': `${address} ${createHmac('sha256', key).update(address).digest('base64url')}`,
  };
}

function apiUrl(): string {
  return env['API_URL'] ?? 'http://127.0.0.1:3000';
}

/**
 * The API of this very process, when it serves these pages (api/src/plugins/web.ts, IN_PROCESS_API):
 * a request to it goes straight to its router, without a second trip through HTTP and loopback.
 */
type InProcessApi = (
  path: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string | Uint8Array<ArrayBuffer> },
) => Promise<Response>;

function isInProcessApi(value: unknown): value is InProcessApi {
  return typeof value === 'function';
}

const inProcessApi: unknown = Reflect.get(globalThis, Symbol.for('qicai.in-process-api'));

/** POSTs to one of the API's paths: in this process if it is here, else over HTTP at API_URL. */
function post(
  path: string,
  headers: Record<string, string>,
  body: string | Uint8Array<ArrayBuffer>,
): Promise<Response> {
  if (isInProcessApi(inProcessApi)) return inProcessApi(path, { method: 'POST', headers, body });
  return fetch(`${apiUrl()}${path}`, { method: 'POST', headers, body });
}

/** Passes the API's Set-Cookie headers on to the browser. */
function relaySetCookies(setCookies: string[], cookies: Cookies): void {
  for (const header of setCookies) {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const separator = pair.indexOf('=');
    const name = pair.slice(0, separator);
    const value = decodeURIComponent(pair.slice(separator + 1));
    const options: Parameters<Cookies['set']>[2] = { path: '/' };
    for (const attribute of attributes) {
      const [key = '', attributeValue = ''] = attribute.split('=');
      switch (key.toLowerCase()) {
        case 'path':
          options.path = attributeValue;
          break;
        case 'expires':
          options.expires = new Date(attributeValue);
          break;
        case 'max-age':
          options.maxAge = Number(attributeValue);
          break;
        case 'httponly':
          options.httpOnly = true;
          break;
        case 'secure':
          options.secure = true;
          break;
        case 'samesite':
          options.sameSite =
            attributeValue.toLowerCase() === 'strict'
              ? 'strict'
              : attributeValue.toLowerCase() === 'none'
                ? 'none'
                : 'lax';
          break;
      }
    }
    options.httpOnly ??= false;
    options.secure ??= false;
    if (options.expires && options.expires.getTime() <= Date.now()) cookies.delete(name, options);
    else cookies.set(name, value, options);
  }
}

export function createApi(event: Pick<RequestEvent, 'request' | 'cookies' | 'getClientAddress'>): Api {
  /** The person's cookie, address and browser, passed on to the API. */
  function forwardedHeaders(org: string | undefined): Record<string, string> {
    const headers: Record<string, string> = signedClientAddress(event.getClientAddress());
    const cookie = event.request.headers.get('cookie');
    if (cookie) headers['cookie'] = cookie;
    const userAgent = event.request.headers.get('user-agent');
    if (userAgent) headers['user-agent'] = userAgent;
    if (org) headers['x-qicai-org'] = org;
    return headers;
  }

  async function readAnswer<Data>(response: Response): Promise<Data> {
    relaySetCookies(response.headers.getSetCookie(), event.cookies);
    const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
    if (!isJson) throw new ApiError('INTERNAL', `API answered ${response.status}`);
    const body = (await response.json()) as GraphQLResponseBody<Data>;
    const [first] = body.errors ?? [];
    if (first) {
      const numbers = Object.fromEntries(
        Object.entries(first.extensions ?? {}).filter(
          (entry): entry is [string, number] => typeof entry[1] === 'number',
        ),
      );
      throw new ApiError(first.extensions?.code ?? 'INTERNAL', first.message, first.extensions?.fields, numbers);
    }
    if (!response.ok || !body.data) throw new ApiError('INTERNAL', `API answered ${response.status} without data`);
    return body.data;
  }

  async function request<Data, Variables>(
    document: TypedDocumentString<Data, Variables>,
    variables: Variables,
    org?: string,
  ): Promise<Data> {
    const response = await post(
      '/graphql',
      { 'content-type': 'application/json', ...forwardedHeaders(org) },
      JSON.stringify({ query: document.toString(), variables }),
    );
    return readAnswer<Data>(response);
  }

  async function upload<Data>(path: string, file: File, org: string): Promise<Data> {
    const response = await post(
      path,
      {
        'content-type': 'application/octet-stream',
        'x-file-name': encodeURIComponent(file.name),
        ...forwardedHeaders(org),
      },
      new Uint8Array(await file.arrayBuffer()),
    );
    return readAnswer<Data>(response);
  }
  return { request, upload };
}

/** Turns an API error met while loading a page into the right response: sign-in, 404, 403 or 500. */
export function failLoad(cause: unknown, url: URL): never {
  if (cause instanceof ApiError) {
    if (cause.code === 'UNAUTHENTICATED')
      redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
    if (cause.code === 'NOT_FOUND') error(404, { message: cause.message, code: cause.code });
    if (cause.code === 'FORBIDDEN') error(403, { message: cause.message, code: cause.code });
  }
  throw cause;
}

/** A path on this site to go to after signing in, or null if `next` is not one (no open redirects). */
export function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : null;
}
