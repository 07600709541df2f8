import postgres from 'postgres';
import { databaseFailure } from './errors.ts';

export interface WaitForPostgresOptions {
  /** Told of each failed try: what failed and how long until the next. */
  onRetry: (failure: { attempt: number; retryInMs: number; error: unknown }) => void;
  /** The longest pause between tries. */
  maxDelayMs?: number;
}

/**
 * Resolves once the PostgreSQL server at `url` answers, trying again with
 * backoff (0.5 s doubling to `maxDelayMs`) for as long as it refuses or does
 * not answer: an API started before its database waits for it instead of
 * exiting. Any other failure (a wrong password, no such database) is a
 * setting to fix and rejects at once.
 */
export async function waitForPostgres(url: string, options: WaitForPostgresOptions): Promise<void> {
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  for (let attempt = 1; ; attempt++) {
    const probe = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => undefined });
    try {
      await probe`select 1`;
      return;
    } catch (error) {
      if (databaseFailure(error) !== 'unavailable') throw error;
      const retryInMs = Math.min(500 * 2 ** (attempt - 1), maxDelayMs);
      options.onRetry({ attempt, retryInMs, error });
      await new Promise((resolve) => setTimeout(resolve, retryInMs));
    } finally {
      await probe.end({ timeout: 1 }).catch(() => undefined);
    }
  }
}
