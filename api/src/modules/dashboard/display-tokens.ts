/**
 * Display tokens: an admin makes one for a wall screen, which then shows the
 * board without anyone's sign-in. The token is 32 random bytes, shown once;
 * only its SHA-256 is kept, so a copy of the database opens no screen.
 */
import { withTenant, type Db, type DisplayToken } from '@qicai/db';
import { createHash, randomBytes } from 'node:crypto';
import { requireAdmin, requireMember, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { FieldChecker, notFound } from '../../shared/errors.ts';
import * as repository from './repository.ts';

/** The cookie a wall screen keeps its token in (set by the board page from `?display=`). */
export const DISPLAY_COOKIE = 'qicai_display';
/** The header a client that is not a browser sends its token in. */
export const DISPLAY_HEADER = 'x-qicai-display';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The live display token of the organization that `token` is, or undefined (unknown, malformed or revoked). */
export async function resolveDisplayToken(db: Db, orgId: string, token: string): Promise<DisplayToken | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  return withTenant(db, { orgId, accountId: null }, (tx) =>
    repository.findLiveDisplayTokenByHash(tx, orgId, hashToken(token)),
  );
}

export async function listDisplayTokens(ctx: RequestContext): Promise<DisplayToken[]> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant((tx) => repository.listDisplayTokens(tx, admin.orgId));
}

export async function createDisplayToken(ctx: RequestContext, name: string) {
  const admin = await requireAdmin(ctx);
  const organization = requireOrganization(ctx);
  const trimmed = name.trim();
  new FieldChecker()
    .check(trimmed !== '', 'name', 'REQUIRED')
    .check(trimmed.length <= 60, 'name', 'TOO_LONG')
    .throwIfAny();
  const token = randomBytes(32).toString('base64url');
  const displayToken = await ctx.tenant(async (tx) => {
    const row = await repository.insertDisplayToken(tx, {
      orgId: admin.orgId,
      name: trimmed,
      tokenHash: hashToken(token),
      createdBy: admin.id,
    });
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'display_token.created',
      subjectType: 'display_token',
      subjectId: row.id,
      detail: { name: row.name },
    });
    return row;
  });
  const url = new URL(`/o/${organization.slug}/board?display=${token}`, ctx.config.publicUrl);
  return { displayToken, token, url: url.toString() };
}

/** Revokes a token; revoking one already revoked changes nothing. */
export async function revokeDisplayToken(ctx: RequestContext, id: string): Promise<DisplayToken> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant(async (tx) => {
    const revoked = await repository.revokeDisplayToken(tx, admin.orgId, id, admin.id);
    if (revoked) {
      await recordAudit(tx, ctx, admin.orgId, {
        action: 'display_token.revoked',
        subjectType: 'display_token',
        subjectId: revoked.id,
        detail: { name: revoked.name },
      });
      return revoked;
    }
    const existing = await repository.findDisplayToken(tx, admin.orgId, id);
    if (!existing) throw notFound('Display token');
    return existing;
  });
}

/**
 * Who may read the board: a display token of the named organization, or an
 * active member of it. Answers the organization's id.
 */
export async function requireBoardViewer(ctx: RequestContext): Promise<string> {
  const organization = requireOrganization(ctx);
  if (ctx.display) return organization.id;
  const member = await requireMember(ctx);
  return member.orgId;
}
