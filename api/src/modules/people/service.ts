/**
 * Accounts and sessions: registering, signing in and out, and whom a request
 * acts for.
 */
import { pgError, PG_UNIQUE_VIOLATION, withTenant, type Account, type Db, type Member } from '@qicai/db';
import { createHash, randomBytes } from 'node:crypto';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, FieldChecker, rateLimited, ValidationError } from '../../shared/errors.ts';
import { passwordProblem } from './password-strength.ts';
import { hashPassword, verifyDecoy, verifyPassword } from './passwords.ts';
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
import type { ViewerParent } from './mappers.ts';

/** Sign-in guessing is throttled per login and per address over this window. */
const FAILURE_WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_LOGIN = 5;
const MAX_FAILURES_PER_ADDRESS = 30;

export interface RegisterInput {
  displayName: string;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  password: string;
  locale?: 'zh' | 'en' | null | undefined;
}

export async function register(ctx: RequestContext, input: RegisterInput): Promise<ViewerParent> {
  const displayName = input.displayName.trim();
  const email = input.email?.trim() ? normalizeEmail(input.email) : null;
  const phone = input.phone?.trim() ? normalizePhone(input.phone) : null;
  new FieldChecker()
    .check(displayName.length > 0, 'displayName', 'REQUIRED')
    .check(displayName.length <= DISPLAY_NAME_MAX_LENGTH, 'displayName', 'TOO_LONG')
    .check(email !== null || phone !== null, 'email', 'EMAIL_OR_PHONE_REQUIRED')
    .check(email === null || isEmail(email), 'email', 'INVALID_EMAIL')
    .check(phone === null || MAINLAND_MOBILE.test(phone), 'phone', 'INVALID_PHONE')
    .check(input.password.length >= PASSWORD_MIN_LENGTH, 'password', 'TOO_SHORT')
    .check(input.password.length <= PASSWORD_MAX_LENGTH, 'password', 'TOO_LONG')
    .throwIfAny();
  const passwordRefusal = passwordProblem(input.password, { phone, email, displayName });
  if (passwordRefusal) throw new ValidationError({ password: passwordRefusal });

  const passwordHash = await hashPassword(input.password);
  let account: Account;
  try {
    account = await repository.insertAccount(ctx.db, {
      displayName,
      email,
      phone,
      passwordHash,
      locale: input.locale ?? null,
    });
  } catch (error) {
    const pg = pgError(error);
    if (pg?.code === PG_UNIQUE_VIOLATION && pg.constraint === 'accounts_email_unique') {
      throw new ValidationError({ email: 'TAKEN' });
    }
    if (pg?.code === PG_UNIQUE_VIOLATION && pg.constraint === 'accounts_phone_unique') {
      throw new ValidationError({ phone: 'TAKEN' });
    }
    throw error;
  }
  await startSession(ctx, account);
  return { account };
}

export async function signIn(ctx: RequestContext, input: { login: string; password: string }): Promise<ViewerParent> {
  const login = parseLogin(input.login);
  const loginKey = `login:${login.kind === 'email' ? login.email : login.phone}`;
  const addressKey = `ip:${ctx.clientIp}`;

  const failures = await repository.countSignInFailures(
    ctx.db,
    [loginKey, addressKey],
    new Date(Date.now() - FAILURE_WINDOW_MS),
  );
  if (
    (failures.get(loginKey) ?? 0) >= MAX_FAILURES_PER_LOGIN ||
    (failures.get(addressKey) ?? 0) >= MAX_FAILURES_PER_ADDRESS
  ) {
    throw rateLimited(FAILURE_WINDOW_MS / 1000);
  }

  const account = await repository.findAccountByLogin(ctx.db, login);
  const passwordMatches = account
    ? await verifyPassword(account.passwordHash, input.password)
    : await verifyDecoy(input.password);
  if (!account || !passwordMatches) {
    await repository.recordSignInFailures(ctx.db, [loginKey, addressKey]);
    // The same answer whether the account exists or not.
    throw new AppError('INVALID_CREDENTIALS', 'Wrong login or password.');
  }

  await repository.clearSignInFailures(ctx.db, loginKey, new Date(Date.now() - 24 * 60 * 60 * 1000));
  await startSession(ctx, account);
  return { account };
}

export async function signOut(ctx: RequestContext): Promise<boolean> {
  if (ctx.session.token) await repository.deleteSession(ctx.db, hashSessionToken(ctx.session.token));
  ctx.session.end();
  return true;
}

async function startSession(ctx: RequestContext, account: Account): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ctx.config.sessionTtlDays * 24 * 60 * 60 * 1000);
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

export async function accountForSessionToken(db: Db, token: string): Promise<Account | undefined> {
  return repository.findSessionAccount(db, hashSessionToken(token));
}

/**
 * The viewer's active memberships across organizations. Scoped to the account
 * itself rather than the request's: right after signing in, the request began
 * without one.
 */
export async function viewerMemberships(ctx: RequestContext, account: Account): Promise<Member[]> {
  return withTenant(ctx.db, { orgId: null, accountId: account.id }, (tx) =>
    repository.findMembershipsOfAccount(tx, account.id),
  );
}
