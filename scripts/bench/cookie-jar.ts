/**
 * The cookies a benchmark keeps between its requests, as a browser does. A
 * sign-in sets several (the session and the known-device cookie, in no order a
 * script may count on): each is kept under its own name, and a later one of
 * the same name replaces it.
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** Keeps every cookie a response set. */
  take(response: Response): void {
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair = ''] = setCookie.split(';');
      const at = pair.indexOf('=');
      if (at > 0) this.#cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
    }
  }

  /** One cookie as a `name=value` pair, or undefined if none of that name was set. */
  pair(name: string): string | undefined {
    const value = this.#cookies.get(name);
    return value === undefined ? undefined : `${name}=${value}`;
  }

  /** The `cookie` request header: every cookie kept, or none if none was set. */
  header(): { cookie: string } | Record<string, never> {
    if (this.#cookies.size === 0) return {};
    return { cookie: [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }
}

/** The session cookie's name when the app is served over http, as the benchmarks serve it (api/src/plugins/session.ts). */
export const SESSION_COOKIE = 'qicai_session';
