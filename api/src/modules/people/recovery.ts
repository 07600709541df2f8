/**
 * Getting back into an account and keeping it one's own: a forgotten
 * password (a code by SMS, a link by email), changing the password, the
 * email and the phone when signed in, and one's sessions. Every change of
 * a password ends the account's other sessions; a reset ends all of them
 * (whoever knew the old password is out) and signs this one in.
 */
import { pgError, PG_UNIQUE_VIOLATION, type Account, type AccountCode } from '@qicai/db';
import { requireAccount } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, FieldChecker, ValidationError } from '../../shared/errors.ts';
import {
  channelOf,
  CODE_TTL_MINUTES,
  consumeCode,
  consumeLinkToken,
  issueCode,
  issueLinkToken,
  RESET_TTL_MINUTES,
  sendAccountMessage,
  sendInBackground,
  throttleSending,
} from './account-codes.ts';
import type { AccountSessionParent, CodeSentParent, ViewerParent } from './mappers.ts';
import { passwordProblem } from './password-strength.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import * as repository from './repository.ts';
import { codeSent, hashSessionToken, loginRecipient, startSession } from './service.ts';
import {
  isEmail,
  MAINLAND_MOBILE,
  normalizeEmail,
  normalizePhone,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from './validation.ts';

const invalidCode = () => new AppError('INVALID_CODE', 'This code is wrong, or no longer works: ask for a new one.');

function checkNewPassword(password: string, account: Account): void {
  new FieldChecker()
    .check(password.length >= PASSWORD_MIN_LENGTH, 'newPassword', 'TOO_SHORT')
    .check(password.length <= PASSWORD_MAX_LENGTH, 'newPassword', 'TOO_LONG')
    .throwIfAny();
  const problem = passwordProblem(password, account);
  if (problem) throw new ValidationError({ newPassword: problem });
}

/**
 * Forgot password. The same answer whether an account has the login or not,
 * in the same time: the message is sent after the answer (sendInBackground),
 * and only to an account's own phone or address (a number with no account is
 * not texted: nobody there asked for Qicai).
 */
export async function requestPasswordReset(ctx: RequestContext, login: string): Promise<CodeSentParent> {
  const recipient = loginRecipient(login);
  await throttleSending(ctx, recipient);
  const isPhone = channelOf(recipient) === 'SMS';
  const account = await repository.findAccountByLogin(
    ctx.db,
    isPhone ? { kind: 'phone', phone: recipient } : { kind: 'email', email: recipient },
  );
  if (account) {
    const locale = account.locale ?? 'zh';
    if (isPhone) {
      const code = await issueCode(ctx, {
        purpose: 'RESET_PASSWORD',
        recipient,
        accountId: account.id,
        ttlMinutes: RESET_TTL_MINUTES,
      });
      sendInBackground(ctx, {
        kind: 'PASSWORD_RESET_CODE',
        recipient,
        locale,
        values: { code, minutes: String(RESET_TTL_MINUTES) },
      });
    } else {
      const token = await issueLinkToken(ctx, { recipient, accountId: account.id, ttlMinutes: RESET_TTL_MINUTES });
      sendInBackground(ctx, {
        kind: 'PASSWORD_RESET_LINK',
        recipient,
        locale,
        values: {
          link: new URL(`/reset/${token}`, ctx.config.publicUrl).toString(),
          minutes: String(RESET_TTL_MINUTES),
        },
      });
    }
  }
  return codeSent(recipient, RESET_TTL_MINUTES);
}

/** A new password by the code or the link: the proof of the phone or address verifies it too. */
export async function resetPassword(
  ctx: RequestContext,
  input: { login?: string | null; code?: string | null; token?: string | null; newPassword: string },
): Promise<ViewerParent> {
  // The account the code is for, its password checked before the code is used up (a weak one can be retried).
  let account: Account | undefined;
  const check = async (code: AccountCode) => {
    account = code.accountId ? await repository.findAccountById(ctx.db, code.accountId) : undefined;
    // The login moved to another account since (or the account is gone): the code is spent for nothing.
    if (!account || (account.phone !== code.recipient && account.email !== code.recipient)) throw invalidCode();
    checkNewPassword(input.newPassword, account);
  };
  let used: AccountCode;
  if (input.token) used = await consumeLinkToken(ctx, input.token, check);
  else if (input.login && input.code)
    used = await consumeCode(ctx, 'RESET_PASSWORD', loginRecipient(input.login), input.code, check);
  else throw new ValidationError({ code: 'REQUIRED' });
  if (!account) throw invalidCode();
  const now = ctx.clock.now();
  const updated = await repository.updateAccount(ctx.db, account.id, {
    passwordHash: await hashPassword(input.newPassword),
    ...(account.phone === used.recipient ? { phoneVerifiedAt: account.phoneVerifiedAt ?? now } : {}),
    ...(account.email === used.recipient ? { emailVerifiedAt: account.emailVerifiedAt ?? now } : {}),
  });
  await repository.deleteSessionsOfAccount(ctx.db, account.id, null);
  await startSession(ctx, updated);
  return { account: updated };
}

/** Checks the signed-in account's password (throttled like a sign-in); INVALID_CREDENTIALS if wrong. */
async function requirePassword(ctx: RequestContext, account: Account, password: string): Promise<void> {
  const key = `account-password:${account.id}`;
  const failures = await repository.countSignInFailures(
    ctx.db,
    [key],
    new Date(ctx.clock.now().getTime() - 15 * 60_000),
  );
  if ((failures.get(key)?.failures ?? 0) >= 5)
    throw new AppError('RATE_LIMITED', 'Too many attempts; try again later.', { retryAfterSeconds: 900 });
  if (!(await verifyPassword(account.passwordHash, password))) {
    await repository.recordSignInFailures(ctx.db, [key], ctx.clock.now());
    throw new AppError('INVALID_CREDENTIALS', 'Wrong password.');
  }
}

export async function changePassword(
  ctx: RequestContext,
  input: { currentPassword: string; newPassword: string },
): Promise<ViewerParent> {
  const account = requireAccount(ctx);
  await requirePassword(ctx, account, input.currentPassword);
  checkNewPassword(input.newPassword, account);
  const updated = await repository.updateAccount(ctx.db, account.id, {
    passwordHash: await hashPassword(input.newPassword),
  });
  await repository.deleteSessionsOfAccount(
    ctx.db,
    account.id,
    ctx.session.token ? hashSessionToken(ctx.session.token) : null,
  );
  return { account: updated };
}

/** A code to a new address; an address another account has is told so instead, with the same answer. */
export async function requestEmailChange(
  ctx: RequestContext,
  input: { email: string; password: string },
): Promise<CodeSentParent> {
  const account = requireAccount(ctx);
  const email = normalizeEmail(input.email);
  new FieldChecker().check(isEmail(email), 'email', 'INVALID_EMAIL').throwIfAny();
  await requirePassword(ctx, account, input.password);
  await throttleSending(ctx, email);
  const holder = await repository.findAccountByLogin(ctx.db, { kind: 'email', email });
  if (holder && holder.id !== account.id) {
    await sendAccountMessage(ctx, {
      kind: 'ACCOUNT_EXISTS',
      recipient: email,
      locale: holder.locale ?? 'zh',
      values: { link: new URL('/forgot', ctx.config.publicUrl).toString() },
    });
  } else {
    const code = await issueCode(ctx, {
      purpose: 'VERIFY_EMAIL',
      recipient: email,
      accountId: account.id,
      ttlMinutes: CODE_TTL_MINUTES,
    });
    await sendAccountMessage(ctx, {
      kind: 'VERIFICATION_CODE',
      recipient: email,
      locale: account.locale ?? 'zh',
      values: { code, minutes: String(CODE_TTL_MINUTES) },
    });
  }
  return codeSent(email, CODE_TTL_MINUTES);
}

/**
 * A code to a phone to add it, change to it, or verify the account's own
 * unverified one. A phone another account has verified is told so instead
 * (same answer); one another account holds unverified (registered before
 * codes existed, perhaps by someone else) can be claimed: the code proves it.
 */
export async function requestPhoneVerification(ctx: RequestContext, phoneText: string): Promise<CodeSentParent> {
  const account = requireAccount(ctx);
  const phone = normalizePhone(phoneText);
  new FieldChecker().check(MAINLAND_MOBILE.test(phone), 'phone', 'INVALID_PHONE').throwIfAny();
  await throttleSending(ctx, phone);
  const holder = await repository.findAccountByLogin(ctx.db, { kind: 'phone', phone });
  if (holder && holder.id !== account.id && holder.phoneVerifiedAt) {
    await sendAccountMessage(ctx, {
      kind: 'ACCOUNT_EXISTS',
      recipient: phone,
      locale: holder.locale ?? 'zh',
      values: { link: new URL('/forgot', ctx.config.publicUrl).toString() },
    });
  } else {
    const code = await issueCode(ctx, {
      purpose: 'VERIFY_PHONE',
      recipient: phone,
      accountId: account.id,
      ttlMinutes: CODE_TTL_MINUTES,
    });
    await sendAccountMessage(ctx, {
      kind: 'VERIFICATION_CODE',
      recipient: phone,
      locale: account.locale ?? 'zh',
      values: { code, minutes: String(CODE_TTL_MINUTES) },
    });
  }
  return codeSent(phone, CODE_TTL_MINUTES);
}

async function confirmLogin(
  ctx: RequestContext,
  purpose: 'VERIFY_PHONE' | 'VERIFY_EMAIL',
  input: { login: string; code: string },
): Promise<ViewerParent> {
  const account = requireAccount(ctx);
  const recipient = loginRecipient(input.login);
  const used = await consumeCode(ctx, purpose, recipient, input.code);
  if (used.accountId !== account.id) throw invalidCode();
  const now = ctx.clock.now();
  try {
    if (purpose === 'VERIFY_PHONE') {
      // An unverified holder of the number loses it (the check constraint keeps its email as its login);
      // one with no other login keeps it, and this account cannot take it.
      const holder = await repository.findAccountByLogin(ctx.db, { kind: 'phone', phone: recipient });
      if (holder && holder.id !== account.id) {
        if (holder.phoneVerifiedAt || !holder.email) throw invalidCode();
        await repository.updateAccount(ctx.db, holder.id, { phone: null, phoneVerifiedAt: null });
        await repository.deleteSessionsOfAccount(ctx.db, holder.id, null);
      }
      return {
        account: await repository.updateAccount(ctx.db, account.id, { phone: recipient, phoneVerifiedAt: now }),
      };
    }
    return { account: await repository.updateAccount(ctx.db, account.id, { email: recipient, emailVerifiedAt: now }) };
  } catch (error) {
    if (pgError(error)?.code === PG_UNIQUE_VIOLATION) throw invalidCode();
    throw error;
  }
}

export const confirmPhone = (ctx: RequestContext, input: { login: string; code: string }) =>
  confirmLogin(ctx, 'VERIFY_PHONE', input);
export const confirmEmailChange = (ctx: RequestContext, input: { login: string; code: string }) =>
  confirmLogin(ctx, 'VERIFY_EMAIL', input);

export async function listSessions(ctx: RequestContext, account: Account): Promise<AccountSessionParent[]> {
  const current = ctx.session.token ? hashSessionToken(ctx.session.token) : null;
  const rows = await repository.findSessionsOfAccount(ctx.db, account.id, ctx.clock.now());
  return rows.map((row) => ({
    startedAt: row.createdAt,
    expiresAt: row.expiresAt,
    userAgent: row.userAgent,
    current: row.tokenHash === current,
  }));
}

export async function signOutEverywhere(ctx: RequestContext, includingThisSession: boolean): Promise<number> {
  const account = requireAccount(ctx);
  const current = ctx.session.token ? hashSessionToken(ctx.session.token) : null;
  const ended = await repository.deleteSessionsOfAccount(ctx.db, account.id, includingThisSession ? null : current);
  if (includingThisSession) ctx.session.end();
  return ended;
}
