/**
 * Accounts and sessions: registering, signing in and out, and whom a request
 * acts for.
 */
import { pgError, PG_UNIQUE_VIOLATION, type Account, type Db } from '@qicai/db';
import { createHash, randomBytes } from 'node:crypto';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, FieldChecker, rateLimited, ValidationError } from '../../shared/errors.ts';
import { knownDeviceDelayMs, knownDeviceToken, readKnownDevice } from './known-devices.ts';
import { passwordProblem } from './password-strength.ts';
import { hashPassword, verifyDecoy, verifyPassword } from './passwords.ts';
import {
  channelOf,
  CODE_TTL_MINUTES,
  consumeCode,
  issueCode,
  sendAccountMessage,
  throttleSending,
} from './account-codes.ts';
import * as repository from './repository.ts';
import {
  DISPLAY_NAME_MAX_LENGTH,
  isEmail,
  MAINLAND_MOBILE,
  normalizeEmail,
  normalizePhone,
  parseLogin,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from './validation.ts';
import type { CodeSentParent, ViewerParent } from './mappers.ts';

/**
 * Sign-in guessing is throttled over this window: per login and address
 * together, per address alone, and per login from every address (guessing
 * spread over many addresses). A device the account signed in on before
 * (known-devices.ts) is held to none of these, which strangers can fill, but
 * to a growing delay after its own failures.
 */
const FAILURE_WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_LOGIN_AND_ADDRESS = 5;
const MAX_FAILURES_PER_ADDRESS = 30;
const MAX_FAILURES_PER_LOGIN = 100;

export interface RegisterInput {
  displayName: string;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  password: string;
  locale?: 'zh' | 'en' | null | undefined;
}

/**
 * Registration never says whether a login has an account (#17): it sends a
 * code to the phone or address given, and the account is made when the code
 * comes back (so its phone or email is verified from the start). A login that
 * already has an account is sent "you already have an account" instead; the
 * answer to the request is the same, and so is its cost (the password is
 * hashed either way, both are throttled alike).
 */
export async function startRegistration(ctx: RequestContext, input: RegisterInput): Promise<CodeSentParent> {
  const displayName = input.displayName.trim();
  const email = input.email?.trim() ? normalizeEmail(input.email) : null;
  const phone = input.phone?.trim() ? normalizePhone(input.phone) : null;
  new FieldChecker()
    .check(displayName.length > 0, 'displayName', 'REQUIRED')
    .check(displayName.length <= DISPLAY_NAME_MAX_LENGTH, 'displayName', 'TOO_LONG')
    .check(email !== null || phone !== null, 'email', 'EMAIL_OR_PHONE_REQUIRED')
    .check(email === null || phone === null, 'email', 'ONE_LOGIN_ONLY')
    .check(email === null || isEmail(email), 'email', 'INVALID_EMAIL')
    .check(phone === null || MAINLAND_MOBILE.test(phone), 'phone', 'INVALID_PHONE')
    .check(input.password.length >= PASSWORD_MIN_LENGTH, 'password', 'TOO_SHORT')
    .check(input.password.length <= PASSWORD_MAX_LENGTH, 'password', 'TOO_LONG')
    .throwIfAny();
  const passwordRefusal = passwordProblem(input.password, { phone, email, displayName });
  if (passwordRefusal) throw new ValidationError({ password: passwordRefusal });
  const recipient = phone ?? email ?? '';
  await throttleSending(ctx, recipient);

  const [existing, passwordHash] = await Promise.all([
    repository.findAccountByLogin(ctx.db, phone ? { kind: 'phone', phone } : { kind: 'email', email: recipient }),
    hashPassword(input.password),
  ]);
  const locale = input.locale ?? 'zh';
  if (existing) {
    await sendAccountMessage(ctx, {
      kind: 'ACCOUNT_EXISTS',
      recipient,
      locale: existing.locale ?? locale,
      values: { link: new URL('/forgot', ctx.config.publicUrl).toString() },
    });
  } else {
    const code = await issueCode(ctx, {
      purpose: 'REGISTER',
      recipient,
      accountId: null,
      registration: { displayName, passwordHash, locale: input.locale ?? null },
      ttlMinutes: CODE_TTL_MINUTES,
    });
    await sendAccountMessage(ctx, {
      kind: 'VERIFICATION_CODE',
      recipient,
      locale,
      values: { code, minutes: String(CODE_TTL_MINUTES) },
    });
  }
  return codeSent(recipient, CODE_TTL_MINUTES);
}

/** The code came back: the account is made, its login verified, and signed in. */
export async function confirmRegistration(
  ctx: RequestContext,
  input: { login: string; code: string },
): Promise<ViewerParent> {
  const recipient = loginRecipient(input.login);
  const used = await consumeCode(ctx, 'REGISTER', recipient, input.code);
  const registration = used.registration;
  if (!registration) throw new Error('registration code without its registration');
  const now = ctx.clock.now();
  const isPhone = channelOf(recipient) === 'SMS';
  let account: Account;
  try {
    account = await repository.insertAccount(ctx.db, {
      displayName: registration.displayName,
      email: isPhone ? null : recipient,
      phone: isPhone ? recipient : null,
      passwordHash: registration.passwordHash,
      locale: registration.locale,
      phoneVerifiedAt: isPhone ? now : null,
      emailVerifiedAt: isPhone ? null : now,
    });
  } catch (error) {
    // Registered meanwhile (two codes confirmed at once): the code no longer works, like any spent one.
    if (pgError(error)?.code === PG_UNIQUE_VIOLATION) {
      throw new AppError('INVALID_CODE', 'This code is wrong, or no longer works: ask for a new one.');
    }
    throw error;
  }
  ctx.knownDevice.remember(knownDeviceToken(ctx.config.appSecret, account.id));
  await startSession(ctx, account);
  return { account };
}

/** A phone or email as a code's recipient (VALIDATION if it is neither). */
export function loginRecipient(login: string): string {
  const parsed = parseLogin(login);
  const recipient = parsed.kind === 'email' ? parsed.email : parsed.phone;
  new FieldChecker()
    .check(
      parsed.kind === 'email' ? isEmail(parsed.email) : MAINLAND_MOBILE.test(parsed.phone),
      'login',
      parsed.kind === 'email' ? 'INVALID_EMAIL' : 'INVALID_PHONE',
    )
    .throwIfAny();
  return recipient;
}

/** 138****0001, w***@example.cn: enough to recognise one's own, not to learn someone else's. */
export function maskRecipient(recipient: string): string {
  if (channelOf(recipient) === 'SMS') return `${recipient.slice(0, 3)}****${recipient.slice(-4)}`;
  const [local = '', domain = ''] = recipient.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

export function codeSent(recipient: string, minutes: number): CodeSentParent {
  return { channel: channelOf(recipient), sentTo: maskRecipient(recipient), expiresInMinutes: minutes };
}

export async function signIn(ctx: RequestContext, input: { login: string; password: string }): Promise<ViewerParent> {
  const login = parseLogin(input.login);
  const loginValue = login.kind === 'email' ? login.email : login.phone;
  const pairKey = `login+ip:${loginValue}|${ctx.clientIp}`;
  const addressKey = `ip:${ctx.clientIp}`;
  const loginKey = `login:${loginValue}`;
  const device = readKnownDevice(ctx.config.appSecret, ctx.knownDevice.token);
  const deviceKey = device ? `device:${device.deviceId}` : null;

  const [account, failures] = await Promise.all([
    repository.findAccountByLogin(ctx.db, login),
    repository.countSignInFailures(
      ctx.db,
      [pairKey, addressKey, loginKey, ...(deviceKey ? [deviceKey] : [])],
      new Date(ctx.clock.now().getTime() - FAILURE_WINDOW_MS),
    ),
  ]);
  const knownDevice = deviceKey !== null && account?.id === device?.accountId;
  const failuresOf = (key: string) => failures.get(key)?.failures ?? 0;
  if (knownDevice) {
    const own = failures.get(deviceKey);
    const waitMs = own ? own.lastAt.getTime() + knownDeviceDelayMs(own.failures) - ctx.clock.now().getTime() : 0;
    if (waitMs > 0) throw rateLimited(Math.ceil(waitMs / 1000));
  } else if (
    failuresOf(pairKey) >= MAX_FAILURES_PER_LOGIN_AND_ADDRESS ||
    failuresOf(addressKey) >= MAX_FAILURES_PER_ADDRESS ||
    failuresOf(loginKey) >= MAX_FAILURES_PER_LOGIN
  ) {
    throw rateLimited(FAILURE_WINDOW_MS / 1000);
  }

  const passwordMatches = account
    ? await verifyPassword(account.passwordHash, input.password)
    : await verifyDecoy(input.password);
  if (!account || !passwordMatches) {
    await repository.recordSignInFailures(
      ctx.db,
      knownDevice ? [deviceKey] : [pairKey, addressKey, loginKey],
      ctx.clock.now(),
    );
    // The same answer whether the account exists or not.
    throw new AppError('INVALID_CREDENTIALS', 'Wrong login or password.');
  }

  await repository.clearSignInFailures(
    ctx.db,
    [pairKey, ...(deviceKey ? [deviceKey] : [])],
    new Date(ctx.clock.now().getTime() - 24 * 60 * 60 * 1000),
  );
  // Known from now on (for a year after its latest sign-in), under the same id if it was already.
  ctx.knownDevice.remember(
    knownDeviceToken(ctx.config.appSecret, account.id, knownDevice ? device?.deviceId : undefined),
  );
  await startSession(ctx, account);
  return { account };
}

export async function signOut(ctx: RequestContext): Promise<boolean> {
  if (ctx.session.token) await repository.deleteSession(ctx.db, hashSessionToken(ctx.session.token));
  ctx.session.end();
  return true;
}

export async function startSession(ctx: RequestContext, account: Account): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(ctx.clock.now().getTime() + ctx.config.sessionTtlDays * 24 * 60 * 60 * 1000);
  await repository.insertSession(ctx.db, {
    tokenHash: hashSessionToken(token),
    accountId: account.id,
    expiresAt,
    userAgent: ctx.userAgent?.slice(0, 300) ?? null,
  });
  ctx.session.start(token, expiresAt);
}

/** Only the hash of a session token is stored. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function accountForSessionToken(db: Db, token: string, now: Date): Promise<Account | undefined> {
  return repository.findSessionAccount(db, hashSessionToken(token), now);
}
