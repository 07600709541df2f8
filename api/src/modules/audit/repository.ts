import { accounts, auditLog, type AuditEntry, type Db } from '@qicai/db';
import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';

export interface AuditQuery {
  actorAccountId?: string | undefined;
  /** The action's prefix before its dot. */
  kind?: string | undefined;
  /** `YYYY-MM-DD`, inclusive, in `timeZone`. */
  from?: string | undefined;
  to?: string | undefined;
  timeZone: string;
}

/** A page of the organization's audit log, newest first (ids grow with time), after entry `afterId`. */
export async function pageAuditLog(
  db: Db,
  orgId: string,
  query: AuditQuery,
  options: { limit: number; afterId: number | undefined },
): Promise<AuditEntry[]> {
  const dayStart = (day: string) => sql`((${day}::date)::timestamp at time zone ${query.timeZone})`;
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.orgId, orgId),
        query.actorAccountId ? eq(auditLog.actorAccountId, query.actorAccountId) : undefined,
        query.kind ? sql`${auditLog.action} like ${`${query.kind.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`}` : undefined,
        query.from ? gte(auditLog.at, dayStart(query.from)) : undefined,
        query.to ? lt(auditLog.at, sql`${dayStart(query.to)} + interval '1 day'`) : undefined,
        options.afterId === undefined ? undefined : lt(auditLog.id, options.afterId),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(options.limit);
}

/** The accounts that acted in the organization's audit log, with their names (at most `limit`). */
export async function findAuditActors(
  db: Db,
  orgId: string,
  limit: number,
): Promise<{ accountId: string; name: string }[]> {
  const actors = db
    .selectDistinct({ accountId: auditLog.actorAccountId })
    .from(auditLog)
    .where(and(eq(auditLog.orgId, orgId), sql`${auditLog.actorAccountId} is not null`));
  return db
    .select({ accountId: accounts.id, name: accounts.displayName })
    .from(accounts)
    .where(inArray(accounts.id, sql`(${actors})`))
    .orderBy(accounts.displayName)
    .limit(limit);
}

export async function findAccountNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: accounts.id, name: accounts.displayName })
    .from(accounts)
    .where(inArray(accounts.id, ids));
  return new Map(rows.map((row) => [row.id, row.name]));
}
