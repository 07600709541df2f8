/**
 * The audit view for admins: the organization's audit log, filtered by
 * person, kind and period. Entries hold the names of fields, never their
 * values (the writers keep it so: recordAudit, personal-reads.ts); what an
 * entry shows is only those names and the keys of its particulars.
 */
import type { AuditEntry } from '@qicai/db';
import { requireAdmin, requireOrganization } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { clampPageSize, decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { ValidationError } from '../../shared/errors.ts';
import * as repository from './repository.ts';

export interface AuditLogArgs {
  first: number;
  after?: string | null | undefined;
  filter?: {
    actorAccountId?: string | null | undefined;
    kind?: string | null | undefined;
    from?: string | null | undefined;
    to?: string | null | undefined;
  } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KIND = /^[a-z_]{1,40}$/;

export async function listAuditLog(
  ctx: RequestContext,
  args: AuditLogArgs,
): Promise<{ nodes: AuditEntry[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> {
  const admin = await requireAdmin(ctx);
  const filter = args.filter ?? {};
  if (filter.actorAccountId && !UUID.test(filter.actorAccountId))
    throw new ValidationError({ actorAccountId: 'INVALID_ID' });
  if (filter.kind && !KIND.test(filter.kind)) throw new ValidationError({ kind: 'INVALID_KIND' });
  if (filter.from && filter.to && filter.from > filter.to) throw new ValidationError({ to: 'BEFORE_FROM' });
  const first = clampPageSize(args.first);
  const afterId = args.after ? decodeCursor(args.after, ['number'])[0] : undefined;
  const rows = await ctx.tenant((tx) =>
    repository.pageAuditLog(
      tx,
      admin.orgId,
      {
        actorAccountId: filter.actorAccountId ?? undefined,
        kind: filter.kind ?? undefined,
        from: filter.from ?? undefined,
        to: filter.to ?? undefined,
        timeZone: requireOrganization(ctx).timeZone,
      },
      { limit: first + 1, afterId },
    ),
  );
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return { nodes, pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor([last.id]) : null } };
}

export async function listAuditActors(ctx: RequestContext): Promise<{ accountId: string; name: string }[]> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant((tx) => repository.findAuditActors(tx, admin.orgId, 500));
}

/**
 * What an entry tells of its particulars: the field names it lists, then the
 * names (never the values) of its other keys — `from` and `to` of a role change.
 */
export function entryFields(detail: Record<string, unknown>): string[] {
  const listed = Array.isArray(detail['fields'])
    ? detail['fields'].filter((field): field is string => typeof field === 'string')
    : [];
  const others = Object.keys(detail).filter((key) => key !== 'fields');
  return [...new Set([...listed, ...others])];
}
