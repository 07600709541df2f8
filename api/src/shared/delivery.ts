/**
 * The port every delivery adapter (api/src/delivery/: SMTP, Alibaba Cloud and
 * Tencent Cloud SMS, the log) implements, and what it is given to send: the
 * outbox (notifications) and account messages (people) send through it.
 */
import type { DeliveryChannel, NotificationKind } from '@qicai/db';

/**
 * Messages to an account rather than to a member of an organization: the
 * person may have no account yet (a registration code, an invitation), be
 * locked out of it (a password reset), or not be a member (a declined request
 * to join). Their texts are the people and
 * members modules' own (people/account-messages.ts).
 */
export type AccountMessageKind =
  | 'VERIFICATION_CODE'
  | 'ACCOUNT_EXISTS'
  | 'PASSWORD_RESET_CODE'
  | 'PASSWORD_RESET_LINK'
  | 'INVITATION'
  /** A request to join declined: the person is no member to notify (an approval is JOIN_REQUEST_DECIDED). */
  | 'JOIN_REQUEST_DECLINED';

/** Every kind a delivery adapter may be asked to send; an SMS template id is configured per kind. */
export type MessageKind = NotificationKind | AccountMessageKind;

export interface OutgoingMessage {
  channel: DeliveryChannel;
  /** A mobile number or an email address. */
  recipient: string;
  kind: MessageKind;
  /** The recipient's language: the texts below are already in it. */
  locale: 'zh' | 'en';
  /** An email's subject (SMS: unused). */
  subject: string;
  /** Plain text: an email's text part, and what the log adapter writes. */
  text: string;
  /** An email's HTML part. */
  html: string;
  /**
   * An SMS template's parameters: Alibaba Cloud fills `${name}` by name, Tencent
   * Cloud fills `{1}`, `{2}`, … with the values in this order (README, SMS templates).
   */
  params: Record<string, string>;
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

/**
 * A failure that sending again cannot cure (a number the provider refuses, no
 * template for the kind, a signature the provider rejects): the outbox gives
 * up on it at once instead of retrying for hours.
 */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}

/**
 * The provider's flow control (限流) refused a message to this number: it
 * would refuse again until its window ends (`retryAfterSeconds`). Not a
 * broken gateway: the outbox waits for the window instead of its backoff,
 * and holds every other message to the number until then; a person waiting
 * for a code is told when to ask again (RATE_LIMITED) at once.
 */
export class DeliveryRateLimitedError extends Error {
  override readonly name = 'DeliveryRateLimitedError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
