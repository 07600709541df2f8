import type { Member } from '@qicai/db';
import type { MemberResolvers, Resolvers } from '../../__generated__/resolvers.ts';
import { requireNamedOrganization } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import * as imports from './imports.ts';
import * as joining from './joining.ts';
import { canSeeMember, canSeePersonal, viewerIsAdminOf } from './privacy.ts';
import * as members from './service.ts';
import * as teamMemberships from './team-memberships.ts';

/** A field only some viewers may see (privacy.ts); null for the others. */
function gated<Value>(
  allowed: (ctx: RequestContext, member: Member) => Promise<boolean>,
  read: (member: Member) => Value,
) {
  return async (member: Member, _args: unknown, ctx: RequestContext): Promise<Value | null> =>
    (await allowed(ctx, member)) ? read(member) : null;
}

const personal = <Value>(read: (member: Member) => Value) => gated(canSeePersonal, read);

const Member: MemberResolvers = {
  role: gated(canSeeMember, (member) => member.role),
  phone: personal((member) => member.phone),
  email: personal((member) => member.email),
  gender: personal((member) => member.gender),
  politicalStatus: personal((member) => member.politicalStatus),
  partyStage: personal((member) => member.partyStage),
  workUnit: personal((member) => member.workUnit),
  skills: personal((member) => member.skills),
  joinedOn: personal((member) => member.joinedOn),
  active: personal((member) => member.active),
  hasAccount: gated(viewerIsAdminOf, (member) => member.accountId !== null),
  viewerCanEdit: async (member, _args, ctx) =>
    (ctx.account !== null && member.accountId === ctx.account.id && member.active) ||
    (await viewerIsAdminOf(ctx, member)),
  viewerCanSeePersonal: (member, _args, ctx) => canSeePersonal(ctx, member),
};

export const resolvers: Resolvers = {
  Viewer: {
    memberships: (viewer, _args, ctx) => members.viewerMemberships(ctx, viewer.account),
  },
  Membership: {
    member: (membership) => membership,
  },
  Query: {
    invitation: (_root, { token }, ctx) => joining.previewInvitation(ctx, token),
  },
  Mutation: {
    createMember: (_root, { input }, ctx) => members.createMember(ctx, input),
    setTeamLeads: (_root, { input }, ctx) => teamMemberships.setTeamLeads(ctx, input),
    joinTeam: (_root, { teamId }, ctx) => teamMemberships.joinTeam(ctx, teamId),
    leaveTeam: (_root, { teamId }, ctx) => teamMemberships.leaveTeam(ctx, teamId),
    updateMember: (_root, { input }, ctx) => members.updateMember(ctx, input),
    setMemberRole: (_root, { input }, ctx) => members.setMemberRole(ctx, input),
    setMemberActive: (_root, { input }, ctx) => members.setMemberActive(ctx, input),
    inviteMember: (_root, { input }, ctx) => joining.inviteMember(ctx, input),
    revokeInvitation: (_root, { id }, ctx) => joining.revokeInvitation(ctx, id),
    acceptInvitation: (_root, { token }, ctx) => joining.acceptInvitation(ctx, token),
    requestToJoin: (_root, { input }, ctx) => joining.requestToJoin(ctx, input),
    decideJoinRequest: (_root, { input }, ctx) => joining.decideJoinRequest(ctx, input),
    applyRosterImport: (_root, { id }, ctx) => imports.applyRosterImport(ctx, id),
    exportRoster: (_root, { input }, ctx) => imports.exportRoster(ctx, input),
    bulkUpdateMembers: (_root, { input }, ctx) => members.bulkUpdateMembers(ctx, input),
  },
  Organization: {
    members: (organization, args, ctx) => {
      requireNamedOrganization(ctx, [organization.id]);
      return members.listRoster(ctx, args);
    },
    member: (organization, { id }, ctx) => {
      requireNamedOrganization(ctx, [organization.id]);
      return members.getMember(ctx, id);
    },
    skillSuggestions: (organization, _args, ctx) => {
      requireNamedOrganization(ctx, [organization.id]);
      return members.skillSuggestions(ctx);
    },
    invitations: (organization, _args, ctx) => {
      requireNamedOrganization(ctx, [organization.id]);
      return joining.listInvitations(ctx);
    },
    joinRequests: (organization, { status }, ctx) => {
      requireNamedOrganization(ctx, [organization.id]);
      return joining.listJoinRequests(ctx, status);
    },
    pendingJoinRequestCount: (organization, _args, ctx) => {
      requireNamedOrganization(ctx, [organization.id]);
      return joining.countPendingJoinRequests(ctx);
    },
    viewerJoinRequest: (organization, _args, ctx) =>
      ctx.organization?.id === organization.id ? joining.viewerJoinRequest(ctx) : null,
    rosterImport: (organization, { id }, ctx) => {
      requireNamedOrganization(ctx, [organization.id]);
      return imports.getRosterImport(ctx, id);
    },
    rosterImports: (organization, _args, ctx) => {
      requireNamedOrganization(ctx, [organization.id]);
      return imports.listRosterImports(ctx);
    },
  },
  Member,
  MemberConnection: {
    totalCount: (connection) => (connection.count ? connection.count() : null),
  },
  Invitation: {
    status: (invitation, _args, ctx) => joining.invitationStatus(invitation, ctx.clock.now()),
  },
  InvitationPreview: {
    displayName: (preview) => preview.invitation.displayName,
    status: (preview, _args, ctx) => joining.invitationStatus(preview.invitation, ctx.clock.now()),
    expiresAt: (preview) => preview.invitation.expiresAt,
  },
  JoinRequest: {
    displayName: (request) => request.account.displayName,
    phone: (request) => request.account.phone,
    email: (request) => request.account.email,
  },
  RosterImport: {
    rows: (rosterImport, args, ctx) => imports.pageImportRows(ctx, rosterImport, args),
    rejectedRowsFile: (rosterImport, { locale }, ctx) => imports.rejectedRowsFile(ctx, rosterImport, locale ?? 'zh'),
  },
  RosterImportRow: {
    problemDetails: (row) => imports.problemDetails(row),
  },
};
