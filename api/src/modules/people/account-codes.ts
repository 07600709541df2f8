/**
 * One-time codes and links to a phone or an address: made, sent, checked.
 * - 6 digits, random; a reset link's token 32 random bytes.
 * - Stored only as an HMAC keyed with APP_SECRET over the purpose, the
 *   recipient and the secret: a leaked table gives no code away (a plain
 *   hash of six digits is undone by trying the million of them).
 * - Short-lived (CODE_TTL_MINUTES; a password reset RESET_TTL_MINUTES),
 *   single use, only the latest per purpose and recipient counts, and dead
 *   after MAX_CODE_ATTEMPTS wrong tries.
 * - Sending is throttled per recipient (1 a minute, 5 an hour, 10 a day: the
 *   SMS providers' own limits for codes, delivery/sms-rules.ts) and per client
 *   address (20 an hour), whether the login has an account or not.
 */
import type { AccountCode, AccountCodePurpose } from '@qicai/db';
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { DeliveryFailedError, sendPromptly } from '../../delivery/prompt.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, rateLimited } from '../../shared/errors.ts';

import { accountMessage, type Locale } from './account-messages.ts';
import * as repository from './repository.ts';
import { type AccountMessageKind, DeliveryRateLimitedError } from '../../shared/delivery.ts';

export const CODE_TTL_MINUTES = 10;
export const RESET_TTL_MINUTES = 30;
export const MAX_CODE_ATTEMPTS = 5;

const MINUTE = 60_000;
const PER_RECIPIENT: readonly { windowMs: number; max: number }[] = [
  { windowMs: MINUTE, max: 1 },
  { windowMs: 60 * MINUTE, max: 5 },
  { windowMs: 24 * 60 * MINUTE, max: 10 },
];
const PER_ADDRESS = { windowMs: 60 * MINUTE, max: 20 };

export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

export function secretHash(appSecret: string, purpose: AccountCodePurpose, recipient: string, secret: string): string {
  return createHmac('sha256', appSecret).update(`${purpose}\n${recipient}\n${secret}`).digest('hex');
}

/**
 * Refuses (RATE_LIMITED) when the recipient or the address has been sent too
 * much, else counts this sending. The same for a login with or without an
 * account, so the answer tells nothing.
 */
export async function throttleSending(ctx: RequestContext, recipient: string): Promise<void> {
  const now = ctx.clock.now().getTime();
  const recipientKey = `code-to:${recipient}`;
  const addressKey = `code-from:${ctx.clientIp}`;
  for (const limit of PER_RECIPIENT) {
    const counts = await repository.countSignInFailures(ctx.db, [recipientKey], new Date(now - limit.windowMs));
    const sent = counts.get(recipientKey);
    if (sent && sent.failures >= limit.max) {
      throw rateLimited(Math.max(1, Math.ceil((sent.lastAt.getTime() + limit.windowMs - now) / 1000)));
    }
  }
  const fromAddress = await repository.countSignInFailures(ctx.db, [addressKey], new Date(now - PER_ADDRESS.windowMs));
  if ((fromAddress.get(addressKey)?.failures ?? 0) >= PER_ADDRESS.max) throw rateLimited(PER_ADDRESS.windowMs / 1000);
  // Kept with the sign-in failures (which a successful sign-in clears of rows a day old: the longest window).
  await repository.recordSignInFailures(ctx.db, [recipientKey, addressKey], ctx.clock.now());
}

/** The channel a login is reached on. */
export function channelOf(recipient: string): 'SMS' | 'EMAIL' {
  return recipient.includes('@') ? 'EMAIL' : 'SMS';
}

/** Sends an account message now, retrying briefly (delivery/prompt.ts); DELIVERY_FAILED if it could not. */
export async function sendAccountMessage(
  ctx: RequestContext,
  input: { kind: AccountMessageKind; recipient: string; locale: Locale; values: Record<string, string> },
): Promise<void> {
  const message = accountMessage({
    ...input,
    channel: channelOf(input.recipient),
    idempotencyKey: `qicai-account-message-${randomBytes(12).toString('hex')}`,
  });
  try {
    await sendPromptly(ctx.delivery, message);
  } catch (error) {
    if (error instanceof DeliveryFailedError) {
      throw new AppError('DELIVERY_FAILED', 'The message could not be sent; try again in a minute.');
    }
    // The SMS provider's flow control holds this number back: the person is told when to ask again.
    if (error instanceof DeliveryRateLimitedError) throw rateLimited(error.retryAfterSeconds);
    throw error;
  }
}

/**
 * Sends an account message after the request has answered (retrying briefly
 * all the same): where sending to an existing account but not to a login
 * without one would otherwise make the answer slower for the one.
 */
export function sendInBackground(
  ctx: RequestContext,
  input: { kind: AccountMessageKind; recipient: string; locale: Locale; values: Record<string, string> },
): void {
  sendAccountMessage(ctx, input).catch((error: unknown) => {
    ctx.log.warn({ err: error, kind: input.kind }, 'account message not sent');
  });
}

/** Makes a code (or link token) for a recipient and stores its HMAC; returns the secret to send. */
export async function issueCode(
  ctx: RequestContext,
  input: {
    purpose: AccountCodePurpose;
    recipient: string;
    accountId: string | null;
    registration?: AccountCode['registration'];
    secret?: string;
    ttlMinutes: number;
  },
): Promise<string> {
  const secret = input.secret ?? newCode();
  const now = ctx.clock.now();
  await repository.insertAccountCode(ctx.db, {
    purpose: input.purpose,
    recipient: input.recipient,
    secretHash: secretHash(ctx.config.appSecret, input.purpose, input.recipient, secret),
    accountId: input.accountId,
    registration: input.registration ?? null,
    expiresAt: new Date(now.getTime() + input.ttlMinutes * MINUTE),
    createdAt: now,
  });
  return secret;
}

const invalidCode = () => new AppError('INVALID_CODE', 'This code is wrong, or no longer works: ask for a new one.');

/**
 * Uses up the latest code of a purpose sent to a recipient if `code` is it
 * and it still works; INVALID_CODE otherwise (wrong, expired, used, too
 * many tries: one answer, so nothing is learnt from which).
 */
export async function consumeCode(
  ctx: RequestContext,
  purpose: AccountCodePurpose,
  recipient: string,
  code: string,
  /** Runs once the code is known right, before it is used up: a refusal here (a weak password) leaves it usable. */
  beforeUse?: (code: AccountCode) => Promise<void>,
): Promise<AccountCode> {
  const latest = await repository.findLatestAccountCode(ctx.db, purpose, recipient);
  const now = ctx.clock.now();
  if (!latest || latest.usedAt || latest.expiresAt <= now || latest.attempts >= MAX_CODE_ATTEMPTS) throw invalidCode();
  const given = Buffer.from(secretHash(ctx.config.appSecret, purpose, recipient, code.trim()), 'hex');
  const stored = Buffer.from(latest.secretHash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) {
    await repository.countWrongCodeAttempt(ctx.db, latest.id, MAX_CODE_ATTEMPTS);
    throw invalidCode();
  }
  await beforeUse?.(latest);
  if (!(await repository.useAccountCode(ctx.db, latest.id, now))) throw invalidCode();
  return latest;
}

/** A link's token is looked up by its HMAC alone (the link carries no recipient): bound to this constant instead. */
const LINK_RECIPIENT = 'link';

/** Makes a reset link's token for an account's address; returns the token to put in the link. */
export async function issueLinkToken(
  ctx: RequestContext,
  input: { recipient: string; accountId: string; ttlMinutes: number },
): Promise<string> {
  const token = newLinkToken();
  const now = ctx.clock.now();
  await repository.insertAccountCode(ctx.db, {
    purpose: 'RESET_PASSWORD',
    recipient: input.recipient,
    secretHash: secretHash(ctx.config.appSecret, 'RESET_PASSWORD', LINK_RECIPIENT, token),
    accountId: input.accountId,
    registration: null,
    expiresAt: new Date(now.getTime() + input.ttlMinutes * MINUTE),
    createdAt: now,
  });
  return token;
}

/** Uses up a reset link's token, once, within its time; INVALID_CODE otherwise. */
export async function consumeLinkToken(
  ctx: RequestContext,
  token: string,
  beforeUse?: (code: AccountCode) => Promise<void>,
): Promise<AccountCode> {
  if (!/^[A-Za-z0-9_-]{40,60}$/.test(token)) throw invalidCode();
  const found = await repository.findAccountCodeBySecret(
    ctx.db,
    secretHash(ctx.config.appSecret, 'RESET_PASSWORD', LINK_RECIPIENT, token),
  );
  const now = ctx.clock.now();
  if (!found || found.usedAt || found.expiresAt <= now) throw invalidCode();
  await beforeUse?.(found);
  if (!(await repository.useAccountCode(ctx.db, found.id, now))) throw invalidCode();
  return found;
}
