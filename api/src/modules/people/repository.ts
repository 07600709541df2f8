import {
  accountCodes,
  accounts,
  sessions,
  signInFailures,
  type Account,
  type AccountCode,
  type AccountCodePurpose,
  type Db,
} from '@qicai/db';
import { and, count, desc, eq, gt, inArray, isNull, lt, max, ne, or, sql } from 'drizzle-orm';
import type { Login } from './validation.ts';

export async function findAccountByLogin(db: Db, login: Login): Promise<Account | undefined> {
  const [account] = await db
    .select()
    .from(accounts)
    .where(login.kind === 'email' ? eq(accounts.email, login.email) : eq(accounts.phone, login.phone));
  return account;
}

export async function insertAccount(
  db: Db,
  values: Pick<Account, 'displayName' | 'email' | 'phone' | 'passwordHash' | 'locale'> &
    Partial<Pick<Account, 'phoneVerifiedAt' | 'emailVerifiedAt'>>,
): Promise<Account> {
  const [account] = await db.insert(accounts).values(values).returning();
  if (!account) throw new Error('insert returned no account');
  return account;
}

export async function insertSession(
  db: Db,
  values: { tokenHash: string; accountId: string; expiresAt: Date; userAgent: string | null },
): Promise<void> {
  await db.insert(sessions).values(values);
}

/** The account behind an unexpired session. */
export async function findSessionAccount(db: Db, tokenHash: string, now: Date): Promise<Account | undefined> {
  const [row] = await db
    .select({ account: accounts })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
  return row?.account;
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** Failed sign-ins per key since `since` and the latest of them, in one statement for several keys. */
export async function countSignInFailures(
  db: Db,
  keys: string[],
  since: Date,
): Promise<Map<string, { failures: number; lastAt: Date }>> {
  const rows = await db
    .select({ key: signInFailures.key, failures: count(), lastAt: max(signInFailures.at) })
    .from(signInFailures)
    .where(and(inArray(signInFailures.key, keys), gt(signInFailures.at, since)))
    .groupBy(signInFailures.key);
  return new Map(rows.map((row) => [row.key, { failures: row.failures, lastAt: row.lastAt ?? since }]));
}

export async function recordSignInFailures(db: Db, keys: string[], at: Date): Promise<void> {
  await db.insert(signInFailures).values(keys.map((key) => ({ key, at })));
}

/** Forgets the failures of `keys` after a sign-in, and everyone's failures older than `before`. */
export async function clearSignInFailures(db: Db, keys: string[], before: Date): Promise<void> {
  await db.delete(signInFailures).where(or(inArray(signInFailures.key, keys), lt(signInFailures.at, before)));
}

export async function insertAccountCode(
  db: Db,
  values: Pick<
    AccountCode,
    'purpose' | 'recipient' | 'secretHash' | 'accountId' | 'registration' | 'expiresAt' | 'createdAt'
  >,
): Promise<AccountCode> {
  const [code] = await db.insert(accountCodes).values(values).returning();
  if (!code) throw new Error('insert returned no code');
  return code;
}

/** The latest code of a purpose sent to a recipient (an older one died when it was sent). */
export async function findLatestAccountCode(
  db: Db,
  purpose: AccountCodePurpose,
  recipient: string,
): Promise<AccountCode | undefined> {
  const [code] = await db
    .select()
    .from(accountCodes)
    .where(and(eq(accountCodes.purpose, purpose), eq(accountCodes.recipient, recipient)))
    .orderBy(desc(accountCodes.createdAt))
    .limit(1);
  return code;
}

export async function findAccountCodeBySecret(db: Db, secretHash: string): Promise<AccountCode | undefined> {
  const [code] = await db.select().from(accountCodes).where(eq(accountCodes.secretHash, secretHash));
  return code;
}

/** Counts a wrong try; false when the code had no tries left (or was used meanwhile). */
export async function countWrongCodeAttempt(db: Db, id: string, maxAttempts: number): Promise<boolean> {
  const rows = await db
    .update(accountCodes)
    .set({ attempts: sql`${accountCodes.attempts} + 1` })
    .where(and(eq(accountCodes.id, id), isNull(accountCodes.usedAt), lt(accountCodes.attempts, maxAttempts)))
    .returning({ id: accountCodes.id });
  return rows.length > 0;
}

/** Uses a code up, once: of two requests with the same code, one gets true. */
export async function useAccountCode(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(accountCodes)
    .set({ usedAt: now })
    .where(and(eq(accountCodes.id, id), isNull(accountCodes.usedAt)))
    .returning({ id: accountCodes.id });
  return rows.length > 0;
}

export async function findAccountById(db: Db, id: string): Promise<Account | undefined> {
  const [account] = await db.select().from(accounts).where(eq(accounts.id, id));
  return account;
}

export async function findAccountsByIds(db: Db, ids: string[]): Promise<Account[]> {
  if (ids.length === 0) return [];
  return db.select().from(accounts).where(inArray(accounts.id, ids));
}

export async function updateAccount(
  db: Db,
  id: string,
  values: Partial<Pick<Account, 'email' | 'phone' | 'passwordHash' | 'phoneVerifiedAt' | 'emailVerifiedAt'>>,
): Promise<Account> {
  const [account] = await db.update(accounts).set(values).where(eq(accounts.id, id)).returning();
  if (!account) throw new Error('no account updated');
  return account;
}

/** The account's unexpired sessions, newest first. */
export async function findSessionsOfAccount(db: Db, accountId: string, now: Date) {
  return db
    .select({
      tokenHash: sessions.tokenHash,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.accountId, accountId), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.createdAt));
}

/** Ends every session of the account but `keepTokenHash` (if given); returns how many ended. */
export async function deleteSessionsOfAccount(
  db: Db,
  accountId: string,
  keepTokenHash: string | null,
): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(and(eq(sessions.accountId, accountId), keepTokenHash ? ne(sessions.tokenHash, keepTokenHash) : undefined))
    .returning({ tokenHash: sessions.tokenHash });
  return rows.length;
}
