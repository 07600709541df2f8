/**
 * Sending a message someone is waiting for (a code, a reset link, an
 * invitation) while they wait: a few attempts close together, each with the
 * same idempotency key, instead of the outbox's hours of backoff. A code is
 * useless after ten minutes, so a durable queue retrying for a day would
 * only deliver stale codes; the person asks again instead (throttled), and
 * the request answers DELIVERY_FAILED when every attempt failed (RATE_LIMITED,
 * with when to ask again, when the provider's flow control refused the number).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type DeliveryAdapter,
  DeliveryRateLimitedError,
  type OutgoingMessage,
  PermanentDeliveryError,
} from '../shared/delivery.ts';

/** Waits before the 2nd and 3rd attempts. With DELIVERY_TIMEOUT_SECONDS=10, at most ~32 s in all. */
export const PROMPT_RETRY_DELAYS_MS = [500, 2000] as const;

export class DeliveryFailedError extends Error {
  override readonly name = 'DeliveryFailedError';
}

export async function sendPromptly(
  adapter: DeliveryAdapter,
  message: OutgoingMessage,
  options: { delaysMs?: readonly number[]; onFailure?: (error: unknown, attempt: number) => void } = {},
): Promise<void> {
  const delays = options.delaysMs ?? PROMPT_RETRY_DELAYS_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await adapter.send(message);
      return;
    } catch (error) {
      options.onFailure?.(error, attempt);
      // The provider holds this number back for a while: trying again in a second is refused again.
      if (error instanceof DeliveryRateLimitedError) throw error;
      const delay = delays[attempt - 1];
      if (error instanceof PermanentDeliveryError || delay === undefined) {
        throw new DeliveryFailedError(error instanceof Error ? error.message : String(error));
      }
      await sleep(delay);
    }
  }
}
