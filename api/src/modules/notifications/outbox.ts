/**
 * The outbox worker: sends due deliveries through a delivery adapter (SMS,
 * email), retrying failures with exponential backoff, after an SMS
 * provider's flow-control window, and never past the moment a message stops
 * being of use. Several API instances
 * may run it at once: each claims rows with FOR UPDATE SKIP LOCKED inside a
 * transaction, and a row is marked sent in the transaction that sent it, so
 * a crash mid-way leaves it due again (sent at least once, never lost).
 */
import { withTenant, type Db } from '@qicai/db';
import type { FastifyBaseLogger } from 'fastify';
import { renderMessage } from './messages.ts';
import { smsDueAt } from './quiet-hours.ts';
import * as repository from './repository.ts';
import { type DeliveryAdapter, DeliveryRateLimitedError, PermanentDeliveryError } from '../../shared/delivery.ts';
import { deliveryUsefulUntil, stillUseful } from './timeliness.ts';

/**
 * The default adapter: writes each message to the log and sends nothing. At
 * warn level, so that `pnpm start` (LOG_LEVEL=warn) shows a registration's
 * code to whoever is trying Qicai; a deployment sets SMS_PROVIDER and SMTP_URL.
 */
export function loggingDeliveryAdapter(log: FastifyBaseLogger): DeliveryAdapter {
  return {
    send(message) {
      log.warn(
        {
          channel: message.channel,
          recipient: message.recipient,
          kind: message.kind,
          text: message.text,
          idempotencyKey: message.idempotencyKey,
        },
        'message (not sent: log only)',
      );
      return Promise.resolve();
    },
  };
}

/** The idempotency key of a delivery (its outbox row), passed to the adapter with every attempt. */
export function deliveryIdempotencyKey(deliveryId: number): string {
  return `qicai-delivery-${String(deliveryId)}`;
}

export const MAX_DELIVERY_ATTEMPTS = 8;
const FIRST_RETRY_SECONDS = 30;
const LONGEST_RETRY_SECONDS = 3600;

/** After the n-th failed attempt: 30 s, 1 min, 2 min, … at most an hour; null: give up. */
export function retryDelaySeconds(failedAttempts: number): number | null {
  if (failedAttempts >= MAX_DELIVERY_ATTEMPTS) return null;
  return Math.min(FIRST_RETRY_SECONDS * 2 ** (failedAttempts - 1), LONGEST_RETRY_SECONDS);
}

/** When a failed delivery is tried again: after the backoff, and for an SMS not in quiet hours. */
function retryAt(delivery: repository.DueDelivery, afterBackoff: Date): Date {
  if (delivery.channel !== 'SMS') return afterBackoff;
  return smsDueAt(afterBackoff, delivery.quietHours ?? undefined, delivery.timeZone);
}

export interface OutboxRun {
  sent: number;
  /** Due again later: failed and to be retried, or held back with their number (the provider's flow control). */
  retrying: number;
  /** Given up: failed for good, out of attempts, or too late to be of use (timeliness.ts). */
  gaveUp: number;
}

const TOO_LATE = 'not sent: too late to be of use (the activity has started, or the answer is due)';

/**
 * Sends every due delivery once; returns what happened. A delivery is given
 * up rather than sent once it is too late to be of use (timeliness.ts), and
 * rather than retried when its retry would be. A provider's flow-control
 * answer for a number (DeliveryRateLimitedError) puts that delivery's next
 * attempt after the provider's window (not before its backoff), and holds
 * the other deliveries to the number due in this run until then without
 * calling the provider, so as not to be refused again and again.
 */
export async function deliverDueNotifications(
  db: Db,
  adapter: DeliveryAdapter,
  options: { log: FastifyBaseLogger; batchSize?: number; now: Date },
): Promise<OutboxRun> {
  const now = options.now;
  const batchSize = options.batchSize ?? 50;
  const run: OutboxRun = { sent: 0, retrying: 0, gaveUp: 0 };
  for (const orgId of await repository.findOrganizationsWithDueDeliveries(db, now)) {
    await withTenant(db, { orgId, accountId: null }, async (tx) => {
      const due = await repository.claimDueDeliveries(tx, orgId, now, batchSize);
      // Per number, when the provider takes messages to it again (learnt in this run).
      const heldUntil = new Map<string, Date>();
      for (const delivery of due) {
        const usefulUntil = deliveryUsefulUntil(delivery.kind, delivery.detail);
        const held = delivery.channel === 'SMS' ? heldUntil.get(delivery.recipient) : undefined;
        if (!stillUseful(usefulUntil, now) || held) {
          const nextAttemptAt = held ? retryAt(delivery, held) : null;
          const useful = nextAttemptAt !== null && stillUseful(usefulUntil, nextAttemptAt);
          await repository.postponeDelivery(tx, orgId, delivery.id, {
            reason: useful ? 'held back: the SMS provider limits messages to this number' : TOO_LATE,
            nextAttemptAt: useful ? nextAttemptAt : null,
            at: now,
          });
          if (useful) run.retrying++;
          else run.gaveUp++;
          continue;
        }
        try {
          const rendered = renderMessage(delivery.kind, delivery.detail, delivery);
          await adapter.send({
            channel: delivery.channel,
            recipient: delivery.recipient,
            kind: delivery.kind,
            locale: delivery.locale,
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            params: rendered.params,
            idempotencyKey: deliveryIdempotencyKey(delivery.id),
          });
          await repository.markDelivered(tx, orgId, delivery.id, now);
          run.sent++;
        } catch (error) {
          const delay = error instanceof PermanentDeliveryError ? null : retryDelaySeconds(delivery.attempts + 1);
          let waitSeconds = delay;
          if (error instanceof DeliveryRateLimitedError) {
            heldUntil.set(delivery.recipient, new Date(now.getTime() + error.retryAfterSeconds * 1000));
            if (waitSeconds !== null) waitSeconds = Math.max(waitSeconds, error.retryAfterSeconds);
          }
          let nextAttemptAt =
            waitSeconds === null ? null : retryAt(delivery, new Date(now.getTime() + waitSeconds * 1000));
          const message = error instanceof Error ? error.message : String(error);
          let recorded = message;
          if (nextAttemptAt !== null && !stillUseful(usefulUntil, nextAttemptAt)) {
            nextAttemptAt = null;
            recorded = `${message}; ${TOO_LATE}`;
          }
          await repository.markDeliveryFailed(tx, orgId, delivery.id, { error: recorded, nextAttemptAt, at: now });
          if (nextAttemptAt === null) run.gaveUp++;
          else run.retrying++;
          options.log.warn({ err: error, deliveryId: delivery.id, attempts: delivery.attempts + 1 }, 'delivery failed');
        }
      }
    });
  }
  return run;
}

/** How far behind the outbox is, across organizations (operators' metrics, plugins/metrics.ts). */
export function readOutboxBacklog(db: Db, now: Date): Promise<repository.OutboxBacklog> {
  return repository.outboxBacklog(db, now);
}
