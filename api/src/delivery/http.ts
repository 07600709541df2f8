/**
 * The one HTTP call the SMS adapters make: a POST that gives up after a
 * timeout. A timeout or a refused connection is a failure the outbox retries
 * (the provider may or may not have sent it: see the idempotency keys).
 */
export interface HttpAnswer {
  status: number;
  body: string;
}

export async function postWithTimeout(
  url: string,
  init: { headers: Record<string, string>; body: string },
  timeoutMs: number,
): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: init.headers,
    body: init.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, body: await response.text() };
}

/** A body the provider sent, parsed; null when it is not JSON (a proxy's error page, a cut connection). */
export function parseJsonObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
