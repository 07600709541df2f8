/**
 * The outbox worker: sends due deliveries through a delivery adapter (SMS,
 * email), retrying failures with exponential backoff. Several API instances
 * may run it at once: each claims rows with FOR UPDATE SKIP LOCKED inside a
 * transaction, and a row is marked sent in the transaction that sent it, so
 * a crash mid-way leaves it due again (sent at least once, never lost).
 */
import { withTenant, type Db, type DeliveryChannel, type NotificationDetail, type NotificationKind } from '@qicai/db';
import type { FastifyBaseLogger } from 'fastify';
import * as repository from './repository.ts';

export interface OutgoingMessage {
  channel: DeliveryChannel;
  /** A mobile number or an email address. */
  recipient: string;
  kind: NotificationKind;
  text: string;
  /**
   * The same for every attempt at one delivery, different for every delivery: a gateway that takes an
   * idempotency key (most SMS and email APIs do) drops a resend after a crash between sending and
   * marking the row sent. The outbox is at-least-once; with this key, delivered once.
   */
  idempotencyKey: string;
}

/** Sends one message; throws if it could not. A real gateway (SMS, SMTP) implements this. */
export interface DeliveryAdapter {
  send(message: OutgoingMessage): Promise<void>;
}

/** The default adapter: writes each message to the log and sends nothing. */
export function loggingDeliveryAdapter(log: FastifyBaseLogger): DeliveryAdapter {
  return {
    send(message) {
      log.info(
        { channel: message.channel, kind: message.kind, text: message.text, idempotencyKey: message.idempotencyKey },
        'notification (not sent: log only)',
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

function formatTime(iso: string, locale: 'zh' | 'en', timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone,
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** The text of a message, in the organization's language and time zone. */
export function renderMessage(
  kind: NotificationKind,
  detail: NotificationDetail,
  context: { locale: 'zh' | 'en'; timeZone: string; organizationName: string },
): string {
  const when = formatTime(detail.startsAt, context.locale, context.timeZone);
  const title = detail.title;
  if (context.locale === 'zh') {
    const prefix = `【${context.organizationName}】`;
    switch (kind) {
      case 'ACTIVITY_CANCELLED':
        return `${prefix}您报名的活动“${title}”（${when}）已取消。${detail.reason ? `原因：${detail.reason}` : ''}`;
      case 'ACTIVITY_MOVED':
        return `${prefix}您报名的活动“${title}”改期至 ${when}，地点：${detail.placeName}。`;
      case 'WAITLIST_PROMOTED':
        return `${prefix}活动“${title}”（${when}）有名额空出，您已从候补转为正式报名。`;
      case 'ACTIVITY_REMINDER':
        return `${prefix}提醒：活动“${title}”将于 ${when} 在 ${detail.placeName} 开始。`;
      case 'SPOT_CHECK_REQUESTED':
        return `${prefix}请通过系统打卡${title ? `（${title}）` : ''}：打开七彩，点“随机打卡”。`;
    }
  }
  const prefix = `[${context.organizationName}]`;
  switch (kind) {
    case 'ACTIVITY_CANCELLED':
      return `${prefix} “${title}” (${when}) is cancelled.${detail.reason ? ` Reason: ${detail.reason}` : ''}`;
    case 'ACTIVITY_MOVED':
      return `${prefix} “${title}” has moved to ${when}, at ${detail.placeName}.`;
    case 'WAITLIST_PROMOTED':
      return `${prefix} A place freed up: you now have a place at “${title}” (${when}).`;
    case 'ACTIVITY_REMINDER':
      return `${prefix} Reminder: “${title}” starts ${when} at ${detail.placeName}.`;
    case 'SPOT_CHECK_REQUESTED':
      return `${prefix} Please check in${title ? ` (${title})` : ''}: open Qicai and tap “Spot check”.`;
  }
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
          await adapter.send({
            channel: delivery.channel,
            recipient: delivery.recipient,
            kind: delivery.kind,
            text: renderMessage(delivery.kind, delivery.detail, delivery),
            idempotencyKey: deliveryIdempotencyKey(delivery.id),
          });
          await repository.markDelivered(tx, orgId, delivery.id);
          run.sent++;
        } catch (error) {
          const delay = retryDelaySeconds(delivery.attempts + 1);
          await repository.markDeliveryFailed(tx, orgId, delivery.id, {
            error: error instanceof Error ? error.message : String(error),
            nextAttemptAt: delay === null ? null : new Date(now.getTime() + delay * 1000),
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
