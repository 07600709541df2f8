/**
 * Joining an organization: an admin invites by phone or email (a link with a
 * single-use token that expires), or a person asks on the public page and an
 * admin approves or declines. Either way one account, which may already
 * belong to other organizations, becomes a member here.
 */
import { withTenant, type Account, type Invitation, type JoinRequestStatus, type Member, type Tx } from '@qicai/db';
import { createHash, randomBytes } from 'node:crypto';
import { requireAccount, requireAdmin, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, FieldChecker, notFound } from '../../shared/errors.ts';
import { notifyMembers } from '../notifications/service.ts';
import type { CreatedInvitationParent, InvitationPreviewParent, JoinRequestParent } from './mappers.ts';
import { lengthOf, nameProblem, normalizeName, parseEmail, parseMobile } from './profile.ts';
import { sendInBackground } from '../people/account-codes.ts';
import { requireId } from './ids.ts';
import * as repository from './repository.ts';
import { findAccountsByIds, findAccountById } from '../people/repository.ts';

/** How long an invitation link works. */
export const INVITATION_TTL_DAYS = 7;
export const JOIN_MESSAGE_MAX_LENGTH = 500;

/** Only the SHA-256 of an invitation token is stored, as for session tokens. */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type InvitationStatus = 'PENDING' | 'ACCEPTED' | 'EXPIRED' | 'REVOKED';

export function invitationStatus(invitation: Invitation, now: Date): InvitationStatus {
  if (invitation.acceptedAt) return 'ACCEPTED';
  if (invitation.revokedAt) return 'REVOKED';
  return invitation.expiresAt <= now ? 'EXPIRED' : 'PENDING';
}

export interface InviteInput {
  phone?: string | null | undefined;
  email?: string | null | undefined;
  displayName?: string | null | undefined;
  /** A roster entry (a member without an account) the invitation is for. */
  memberId?: string | null | undefined;
}

/**
 * An admin invites someone by phone or email; the answer carries the link,
 * which is shown only now. The link is also sent to the invited phone (SMS)
 * and email, in the organization's language (the invitee may have no account
 * yet): sent after the answer, so a slow gateway never holds the admin up,
 * and the admin can still pass the link on if it did not arrive.
 */
export async function inviteMember(ctx: RequestContext, input: InviteInput): Promise<CreatedInvitationParent> {
  const admin = await requireAdmin(ctx);
  const organization = requireOrganization(ctx);
  if (input.memberId) requireId(input.memberId, 'Member');
  const created = await createInvitation(ctx, admin, input);
  for (const recipient of [created.invitation.phone, created.invitation.email]) {
    if (!recipient) continue;
    sendInBackground(ctx, {
      kind: 'INVITATION',
      recipient,
      locale: organization.defaultLocale,
      values: { organization: organization.name, link: created.link, days: String(INVITATION_TTL_DAYS) },
    });
  }
  return created;
}

async function createInvitation(
  ctx: RequestContext,
  admin: Member,
  input: InviteInput,
): Promise<CreatedInvitationParent> {
  return ctx.tenant(async (tx) => {
    const target = input.memberId ? await repository.findMember(tx, admin.orgId, input.memberId) : undefined;
    if (input.memberId && !target) throw notFound('Member');
    const phoneText = input.phone?.trim() || target?.phone || '';
    const emailText = input.email?.trim() || target?.email || '';
    const phone = phoneText ? parseMobile(phoneText) : null;
    const email = emailText ? parseEmail(emailText) : null;
    const displayName = normalizeName(input.displayName ?? target?.displayName ?? '') || null;
    new FieldChecker()
      .check(
        phone !== null || email !== null || phoneText !== '' || emailText !== '',
        'phone',
        'EMAIL_OR_PHONE_REQUIRED',
      )
      .check(phoneText === '' || phone !== null, 'phone', 'INVALID_PHONE')
      .check(emailText === '' || email !== null, 'email', 'INVALID_EMAIL')
      .check(displayName === null || nameProblem(displayName) === null, 'displayName', 'TOO_LONG')
      .throwIfAny();

    // A number already on the roster: the invitation is for that entry, unless its person already signs in.
    const rosterEntry = target ?? (phone ? await repository.findMemberByPhone(tx, admin.orgId, phone) : undefined);
    if (rosterEntry?.accountId && rosterEntry.active) {
      throw new AppError('ALREADY_MEMBER', 'This person is already a member.');
    }

    const token = randomBytes(32).toString('base64url');
    const invitation = await repository.insertInvitation(tx, {
      orgId: admin.orgId,
      tokenHash: hashInvitationToken(token),
      phone,
      email,
      displayName,
      memberId: rosterEntry?.id ?? null,
      invitedByMemberId: admin.id,
      expiresAt: new Date(ctx.clock.now().getTime() + INVITATION_TTL_DAYS * 24 * 60 * 60 * 1000),
    });
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'invitation.created',
      subjectType: 'invitation',
      subjectId: invitation.id,
      detail: { memberId: invitation.memberId },
    });
    return { invitation, link: new URL(`/invite/${token}`, ctx.config.publicUrl).toString() };
  });
}

export async function listInvitations(ctx: RequestContext): Promise<Invitation[]> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant((tx) => repository.findInvitations(tx, admin.orgId, 200));
}

export async function revokeInvitation(ctx: RequestContext, id: string): Promise<Invitation> {
  const admin = await requireAdmin(ctx);
  requireId(id, 'Invitation');
  return ctx.tenant(async (tx) => {
    const invitation = await repository.revokeInvitation(tx, admin.orgId, id);
    if (invitation) {
      await recordAudit(tx, ctx, admin.orgId, {
        action: 'invitation.revoked',
        subjectType: 'invitation',
        subjectId: id,
      });
      return invitation;
    }
    const existing = await repository.findInvitation(tx, admin.orgId, id);
    if (!existing) throw notFound('Invitation');
    return existing;
  });
}

/** Looks an invitation up by the token in its link, in no organization: the token is the key. */
async function findByToken(ctx: RequestContext, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const tokenHash = hashInvitationToken(token);
  const invitation = await withTenant(ctx.db, { orgId: null, accountId: null }, (tx) =>
    repository.findInvitationByTokenHash(tx, tokenHash),
  );
  return invitation;
}

/** What the link shows before it is accepted: whether it still works (the organizations module adds whose it is). */
export async function previewInvitation(ctx: RequestContext, token: string): Promise<InvitationPreviewParent | null> {
  const invitation = await findByToken(ctx, token);
  return invitation ? { invitation } : null;
}

/** The phone and email an account has proven it receives (a code or link sent there came back). */
function verifiedLogins(account: Account): { phone: string | null; email: string | null } {
  return {
    phone: account.phoneVerifiedAt ? account.phone : null,
    email: account.emailVerifiedAt ? account.email : null,
  };
}

/**
 * Whether an invitation may be accepted by this account: it must have proven
 * the invited phone or the invited email. Holding the link is not enough (an
 * admin may pass it on, it may be forwarded), and an unproven phone is what
 * anyone can type at registration.
 */
export function invitationIsFor(invitation: Invitation, account: Account): boolean {
  const proven = verifiedLogins(account);
  return (
    (invitation.phone !== null && invitation.phone === proven.phone) ||
    (invitation.email !== null && invitation.email === proven.email)
  );
}

/**
 * Makes an account a member: the roster entry it was invited as (the
 * invitation was checked to be for it), or the one with the account's
 * verified phone; otherwise a new member. Only a verified phone links an
 * entry by its number: someone who registered another person's number could
 * otherwise take that person's entry (hours, teams) by being admitted. A
 * former member is made active again. Refuses someone already an active member.
 */
async function admitAccount(
  tx: Tx,
  orgId: string,
  account: Account,
  hint: { memberId?: string | null; phone?: string | null; email?: string | null; displayName?: string | null },
): Promise<Member> {
  const existing = await repository.findMemberOfAccount(tx, orgId, account.id);
  if (existing?.active) throw new AppError('ALREADY_MEMBER', 'You are already a member.');
  if (existing) return repository.updateMember(tx, orgId, existing.id, { active: true });

  const proven = verifiedLogins(account);
  const candidates = [
    hint.memberId ? await repository.findMember(tx, orgId, hint.memberId) : undefined,
    proven.phone ? await repository.findMemberByPhone(tx, orgId, proven.phone) : undefined,
  ];
  const entry = candidates.find((candidate) => candidate && !candidate.accountId);
  if (entry) {
    return repository.updateMember(tx, orgId, entry.id, {
      accountId: account.id,
      active: true,
      email: entry.email ?? account.email ?? hint.email ?? null,
    });
  }
  // A new roster entry: the account's verified number (or the one the admin invited) unless someone here has it.
  const phone = proven.phone ?? hint.phone ?? null;
  const phoneFree = phone ? !(await repository.findMemberByPhone(tx, orgId, phone)) : false;
  return repository.insertMember(tx, {
    orgId,
    accountId: account.id,
    displayName: hint.displayName ?? account.displayName,
    phone: phoneFree ? phone : null,
    email: account.email ?? hint.email ?? null,
    role: 'MEMBER',
  });
}

/** The signed-in person accepts an invitation: once, before it expires, unless it was revoked. */
export async function acceptInvitation(ctx: RequestContext, token: string): Promise<Member> {
  const account = requireAccount(ctx);
  const invitation = await findByToken(ctx, token);
  if (!invitation) throw notFound('Invitation');
  if (invitationStatus(invitation, ctx.clock.now()) === 'PENDING' && !invitationIsFor(invitation, account)) {
    throw new AppError(
      'INVITATION_NOT_FOR_YOU',
      'This invitation was sent to another phone or email: sign in with that one, or verify it on your account.',
    );
  }
  return withTenant(ctx.db, { orgId: invitation.orgId, accountId: account.id }, async (tx) => {
    const claimed = await repository.claimInvitation(tx, invitation.orgId, invitation.id, account.id, ctx.clock.now());
    if (!claimed) {
      const status = invitationStatus(invitation, ctx.clock.now());
      throw new AppError(
        status === 'EXPIRED' ? 'INVITATION_EXPIRED' : 'INVITATION_USED',
        status === 'EXPIRED' ? 'This invitation has expired.' : 'This invitation has been used or withdrawn.',
      );
    }
    const member = await admitAccount(tx, invitation.orgId, account, invitation);
    await recordAudit(tx, ctx, invitation.orgId, {
      action: 'invitation.accepted',
      subjectType: 'invitation',
      subjectId: invitation.id,
      detail: { memberId: member.id },
    });
    return member;
  });
}

/** A signed-in person who is not a member asks to join the named organization. Asking twice keeps the one request. */
export async function requestToJoin(
  ctx: RequestContext,
  input: { message?: string | null },
): Promise<JoinRequestParent> {
  const account = requireAccount(ctx);
  const organization = requireOrganization(ctx);
  const message = (input.message ?? '').trim();
  new FieldChecker().check(lengthOf(message) <= JOIN_MESSAGE_MAX_LENGTH, 'message', 'TOO_LONG').throwIfAny();
  const viewer = await ctx.viewerMember();
  if (viewer?.active) throw new AppError('ALREADY_MEMBER', 'You are already a member.');
  return ctx.tenant(async (tx) => {
    const created = await repository.insertJoinRequest(tx, { orgId: organization.id, accountId: account.id, message });
    const request = created ?? (await repository.findLatestJoinRequestOf(tx, organization.id, account.id));
    if (!request) throw new Error('join request neither made nor found');
    if (created) {
      await recordAudit(tx, ctx, organization.id, {
        action: 'join_request.created',
        subjectType: 'join_request',
        subjectId: request.id,
      });
    }
    return { ...request, account };
  });
}

/** The viewer's latest request to join the named organization, if any. */
export async function viewerJoinRequest(ctx: RequestContext): Promise<JoinRequestParent | null> {
  if (!ctx.account || !ctx.organization) return null;
  const account = ctx.account;
  const orgId = ctx.organization.id;
  const request = await ctx.tenant((tx) => repository.findLatestJoinRequestOf(tx, orgId, account.id));
  return request ? { ...request, account } : null;
}

export async function listJoinRequests(ctx: RequestContext, status: JoinRequestStatus): Promise<JoinRequestParent[]> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant(async (tx) => {
    const requests = await repository.findJoinRequests(tx, admin.orgId, status, 200);
    const accounts = await findAccountsByIds(tx, [...new Set(requests.map((request) => request.accountId))]);
    const byId = new Map(accounts.map((account) => [account.id, account]));
    return requests.flatMap((request) => {
      const account = byId.get(request.accountId);
      return account ? [{ ...request, account }] : [];
    });
  });
}

export async function countPendingJoinRequests(ctx: RequestContext): Promise<number> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant((tx) => repository.countPendingJoinRequests(tx, admin.orgId));
}

/** An admin approves (the person becomes a member) or declines a pending request; each request is decided once. */
export async function decideJoinRequest(
  ctx: RequestContext,
  input: { id: string; approve: boolean },
): Promise<JoinRequestParent> {
  const admin = await requireAdmin(ctx);
  const organization = requireOrganization(ctx);
  requireId(input.id, 'Join request');
  const decided = await ctx.tenant(async (tx) => {
    const decided = await repository.decideJoinRequest(tx, admin.orgId, input.id, {
      status: input.approve ? 'APPROVED' : 'DECLINED',
      decidedByMemberId: admin.id,
    });
    if (!decided) {
      if (!(await repository.findJoinRequest(tx, admin.orgId, input.id))) throw notFound('Join request');
      throw new AppError('ALREADY_DECIDED', 'This request has already been decided.');
    }
    const account = await findAccountById(tx, decided.accountId);
    if (!account) throw notFound('Account');
    let request = decided;
    if (input.approve) {
      const member = await admitAccount(tx, admin.orgId, account, {});
      request = await repository.setJoinRequestMember(tx, admin.orgId, decided.id, member.id);
      await notifyMembers(tx, admin.orgId, {
        at: ctx.clock.now(),
        memberIds: [member.id],
        kind: 'JOIN_REQUEST_DECIDED',
        activityId: null,
        detail: { title: organization.name, accepted: true },
      });
    }
    await recordAudit(tx, ctx, admin.orgId, {
      action: input.approve ? 'join_request.approved' : 'join_request.declined',
      subjectType: 'join_request',
      subjectId: decided.id,
      detail: { memberId: request.memberId },
    });
    return { ...request, account };
  });
  // Declined, the person is no member to notify: they are told at the logins they proved (their join
  // page says it too), in their language, once the decision is committed and answered.
  if (!input.approve) {
    const { account } = decided;
    const link = new URL(`/o/${organization.slug}`, ctx.config.publicUrl).toString();
    for (const recipient of [
      account.phoneVerifiedAt ? account.phone : null,
      account.emailVerifiedAt ? account.email : null,
    ]) {
      if (!recipient) continue;
      sendInBackground(ctx, {
        kind: 'JOIN_REQUEST_DECLINED',
        recipient,
        locale: account.locale ?? organization.defaultLocale,
        values: { organization: organization.name, link },
      });
    }
  }
  return decided;
}
