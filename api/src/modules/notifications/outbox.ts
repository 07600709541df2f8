/**
 * The outbox worker: sends due deliveries through a delivery adapter (SMS,
 * email), retrying failures with exponential backoff. Several API instances
 * may run it at once: each claims rows with FOR UPDATE SKIP LOCKED inside a
 * transaction, and a row is marked sent in the transaction that sent it, so
 * a crash mid-way leaves it due again (sent at least once, never lost).
 */
import { withTenant, type Db } from '@qicai/db';
import type { FastifyBaseLogger } from 'fastify';
import { renderMessage } from './messages.ts';
import { smsDueAt } from './quiet-hours.ts';
import * as repository from './repository.ts';
import { PermanentDeliveryError, type DeliveryAdapter } from '../../shared/delivery.ts';

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
  retrying: number;
  gaveUp: number;
}

/** Sends every due delivery once; returns what happened. */
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
      for (const delivery of due) {
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
          await repository.markDelivered(tx, orgId, delivery.id);
          run.sent++;
        } catch (error) {
          const delay = error instanceof PermanentDeliveryError ? null : retryDelaySeconds(delivery.attempts + 1);
          await repository.markDeliveryFailed(tx, orgId, delivery.id, {
            error: error instanceof Error ? error.message : String(error),
            nextAttemptAt: delay === null ? null : retryAt(delivery, new Date(now.getTime() + delay * 1000)),
          });
          if (delay === null) run.gaveUp++;
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
