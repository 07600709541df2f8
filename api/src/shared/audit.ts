import { auditLog, type Tx } from '@qicai/db';
import type { RequestContext } from './context.ts';

export interface AuditEvent {
  /** What happened, as `<subject>.<verb>`: `team.updated`, `organization.created`. */
  action: string;
  subjectType: string;
  subjectId: string;
  detail?: Record<string, unknown>;
}

/** Appends to the organization's audit log, in the caller's transaction so it commits with the change. */
export async function recordAudit(tx: Tx, ctx: RequestContext, orgId: string, event: AuditEvent): Promise<void> {
  await tx.insert(auditLog).values({
    orgId,
    actorAccountId: ctx.account?.id ?? null,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    detail: event.detail ?? {},
  });
}

/** Appends several events at once (a bulk change: one per member), in the caller's transaction. */
export async function recordAudits(tx: Tx, ctx: RequestContext, orgId: string, events: AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.insert(auditLog).values(
    events.map((event) => ({
      orgId,
      actorAccountId: ctx.account?.id ?? null,
      action: event.action,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      detail: event.detail ?? {},
    })),
  );
}
