/**
 * SQL of requests from the public. Every query filters on the organization;
 * row-level security additionally shows requests only to its members, so
 * the public paths (status, counts) go through the definer functions of
 * migration requests_rls.
 */
import {
  helpRequests,
  requestHistory,
  requestSubmissionAttempts,
  queryRows,
  type Db,
  type HelpRequest,
  type RequestCategory,
  type RequestHistoryEntry,
  type RequestStatus,
} from '@qicai/db';
import { and, asc, count, desc, eq, gt, inArray, isNotNull, lt, min, sql, type SQL } from 'drizzle-orm';

export const OPEN_STATUSES: RequestStatus[] = ['RECEIVED', 'ASSIGNED', 'IN_PROGRESS'];

/** Locks the submissions of one client address for this transaction, so concurrent ones count each other. */
export async function lockSubmissionKey(db: Db, key: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`request-submission:${key}`}))`);
}

export async function countSubmissions(
  db: Db,
  key: string,
  since: Date,
): Promise<{ submissions: number; oldest: Date | null }> {
  const [row] = await db
    .select({ submissions: count(), oldest: min(requestSubmissionAttempts.at) })
    .from(requestSubmissionAttempts)
    .where(and(eq(requestSubmissionAttempts.key, key), gt(requestSubmissionAttempts.at, since)));
  return { submissions: row?.submissions ?? 0, oldest: row?.oldest ?? null };
}

/** Records a submission and forgets this address' submissions older than the window. */
export async function recordSubmission(db: Db, key: string, at: Date, windowStart: Date): Promise<void> {
  await db
    .delete(requestSubmissionAttempts)
    .where(and(eq(requestSubmissionAttempts.key, key), lt(requestSubmissionAttempts.at, windowStart)));
  await db.insert(requestSubmissionAttempts).values({ key, at });
}

/**
 * The public insert: no RETURNING, since the submitter (not a member) may
 * add the row but not read it back.
 */
export async function insertSubmittedRequest(
  db: Db,
  values: {
    orgId: string;
    id: string;
    trackingCode: string;
    category: RequestCategory;
    place: string;
    description: string;
    contactPhone: string;
  },
): Promise<void> {
  await db.insert(helpRequests).values({ ...values, consentToContact: true, status: 'RECEIVED' });
  await db.insert(requestHistory).values({
    orgId: values.orgId,
    requestId: values.id,
    fromStatus: null,
    toStatus: 'RECEIVED',
  });
}

export async function findRequest(db: Db, orgId: string, id: string): Promise<HelpRequest | undefined> {
  const [row] = await db
    .select()
    .from(helpRequests)
    .where(and(eq(helpRequests.orgId, orgId), eq(helpRequests.id, id)));
  return row;
}

/** The request, locked until the transaction ends: state changes of one request queue here. */
export async function lockRequest(db: Db, orgId: string, id: string): Promise<HelpRequest | undefined> {
  const [row] = await db
    .select()
    .from(helpRequests)
    .where(and(eq(helpRequests.orgId, orgId), eq(helpRequests.id, id)))
    .for('update');
  return row;
}

export interface RequestListFilter {
  statuses?: RequestStatus[] | undefined;
  /** Only these teams' requests (a lead's); undefined: every request. */
  teamIds?: string[] | undefined;
  /** Open and due before this day (YYYY-MM-DD). */
  overdueBefore?: string | undefined;
  limit: number;
}

export async function listRequests(db: Db, orgId: string, filter: RequestListFilter): Promise<HelpRequest[]> {
  const conditions: SQL[] = [eq(helpRequests.orgId, orgId)];
  if (filter.statuses && filter.statuses.length > 0) conditions.push(inArray(helpRequests.status, filter.statuses));
  if (filter.teamIds) {
    if (filter.teamIds.length === 0) return [];
    conditions.push(inArray(helpRequests.teamId, filter.teamIds));
  }
  if (filter.overdueBefore) {
    conditions.push(
      inArray(helpRequests.status, OPEN_STATUSES),
      isNotNull(helpRequests.dueOn),
      lt(helpRequests.dueOn, filter.overdueBefore),
    );
  }
  return db
    .select()
    .from(helpRequests)
    .where(and(...conditions))
    .orderBy(desc(helpRequests.submittedAt), desc(helpRequests.id))
    .limit(filter.limit);
}

export async function updateRequest(
  db: Db,
  orgId: string,
  id: string,
  values: Partial<
    Pick<HelpRequest, 'status' | 'teamId' | 'dueOn' | 'declineReason' | 'feedback' | 'activityId' | 'closedAt'>
  >,
): Promise<HelpRequest> {
  const [row] = await db
    .update(helpRequests)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(helpRequests.orgId, orgId), eq(helpRequests.id, id)))
    .returning();
  if (!row) throw new Error('request vanished while locked');
  return row;
}

export async function insertHistory(
  db: Db,
  values: {
    orgId: string;
    requestId: string;
    fromStatus: RequestStatus;
    toStatus: RequestStatus;
    actorMemberId: string;
    note: string | null;
  },
): Promise<void> {
  await db.insert(requestHistory).values(values);
}

export async function findHistoryOfRequests(
  db: Db,
  orgId: string,
  requestIds: string[],
): Promise<RequestHistoryEntry[]> {
  return db
    .select()
    .from(requestHistory)
    .where(and(eq(requestHistory.orgId, orgId), inArray(requestHistory.requestId, requestIds)))
    .orderBy(asc(requestHistory.at), asc(requestHistory.id));
}

export interface PublicRequestStatus {
  id: string;
  category: RequestCategory;
  status: RequestStatus;
  submittedAt: Date;
  updatedAt: Date;
  dueOn: string | null;
  closedAt: Date | null;
  declineReason: string | null;
  feedback: string | null;
}

export interface PublicRequestChange {
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus;
  at: Date;
}

/** Timestamps as ISO 8601 text and dates as YYYY-MM-DD: both drivers then hand back the same strings. */
const iso = (column: string) => sql.raw(`to_json(${column}) #>> '{}' as ${column}`);

/** Through request_public_status(): only the public fields of the one request with this code. */
export async function findPublicStatus(db: Db, code: string): Promise<PublicRequestStatus | undefined> {
  const [row] = await queryRows<{
    id: string;
    category: RequestCategory;
    status: RequestStatus;
    submitted_at: string;
    updated_at: string;
    due_on: string | null;
    closed_at: string | null;
    decline_reason: string | null;
    feedback: string | null;
  }>(
    db,
    sql`select id, category, status, ${iso('submitted_at')}, ${iso('updated_at')}, due_on::text as due_on,
      ${iso('closed_at')}, decline_reason, feedback from request_public_status(${code})`,
  );
  if (!row) return undefined;
  return {
    id: row.id,
    category: row.category,
    status: row.status,
    submittedAt: new Date(row.submitted_at),
    updatedAt: new Date(row.updated_at),
    dueOn: row.due_on,
    closedAt: row.closed_at === null ? null : new Date(row.closed_at),
    declineReason: row.decline_reason,
    feedback: row.feedback,
  };
}

export async function findPublicHistory(db: Db, code: string): Promise<PublicRequestChange[]> {
  const rows = await queryRows<{ from_status: RequestStatus | null; to_status: RequestStatus; at: string }>(
    db,
    sql`select from_status, to_status, ${iso('at')} from request_public_history(${code})`,
  );
  return rows.map((row) => ({ fromStatus: row.from_status, toStatus: row.to_status, at: new Date(row.at) }));
}

export interface RequestCountsRow {
  received: number;
  inProgress: number;
  solved: number;
  declined: number;
  overdue: number;
}

/**
 * One statement over the organization's requests, through request_counts():
 * numbers only, so it serves the big screen (which has no member's sign-in)
 * as well as the home page. `today` is the organization's date.
 */
export async function countRequests(db: Db, today: string): Promise<RequestCountsRow> {
  const [row] = await queryRows<{
    received: number;
    in_progress: number;
    solved: number;
    declined: number;
    overdue: number;
  }>(db, sql`select * from request_counts(${today}::date)`);
  return {
    received: row?.received ?? 0,
    inProgress: row?.in_progress ?? 0,
    solved: row?.solved ?? 0,
    declined: row?.declined ?? 0,
    overdue: row?.overdue ?? 0,
  };
}
