import type { Resolvers } from '../../__generated__/resolvers.ts';
import { requireOrganization } from '../../shared/access.ts';
import { ageOn } from './dates.ts';
import * as lifecycle from './lifecycle.ts';
import * as sponsorship from './service.ts';
import * as suggestions from './suggestions.ts';
import { localDateAt } from '../../kernel/time.ts';

export const resolvers: Resolvers = {
  Query: {
    child: (_root, { id }, ctx) => sponsorship.getChild(ctx, id),
    children: (_root, args, ctx) => sponsorship.listChildren(ctx, args),
    sponsor: (_root, { id }, ctx) => sponsorship.getSponsor(ctx, id),
    sponsors: (_root, args, ctx) => sponsorship.listSponsors(ctx, args),
    sponsorship: (_root, { id }, ctx) => lifecycle.getSponsorship(ctx, id),
    openProposals: (_root, _args, ctx) => lifecycle.listOpenProposals(ctx),
    sponsorSuggestions: (_root, { childId, first }, ctx) => suggestions.sponsorSuggestions(ctx, childId, first),
    childSuggestions: (_root, { sponsorId, first }, ctx) => suggestions.childSuggestions(ctx, sponsorId, first),
    batchSuggestion: (_root, _args, ctx) => suggestions.batchSuggestion(ctx),
    childExport: (_root, { id }, ctx) => sponsorship.exportChild(ctx, id),
    sponsorView: (_root, _args, ctx) => sponsorship.getSponsorView(ctx),
  },
  Mutation: {
    registerChild: (_root, { input }, ctx) => sponsorship.registerChild(ctx, input),
    updateChild: (_root, { input }, ctx) => sponsorship.updateChild(ctx, input),
    deleteChild: (_root, { id }, ctx) => sponsorship.deleteChild(ctx, id),
    createSponsor: (_root, { input }, ctx) => sponsorship.createSponsor(ctx, input),
    updateSponsor: (_root, { id, input }, ctx) => sponsorship.updateSponsor(ctx, id, input),
    inviteSponsorAccount: (_root, { sponsorId }, ctx) => sponsorship.inviteSponsorAccount(ctx, sponsorId),
    unlinkSponsorAccount: (_root, { sponsorId }, ctx) => sponsorship.unlinkSponsorAccount(ctx, sponsorId),
    claimSponsorInvitation: (_root, { code }, ctx) => sponsorship.claimSponsorInvitation(ctx, code),
    proposeSponsorship: (_root, { childId, sponsorId }, ctx) => lifecycle.proposeSponsorship(ctx, childId, sponsorId),
    confirmSponsorship: (_root, { id }, ctx) => lifecycle.confirmSponsorship(ctx, id),
    lapseSponsorship: (_root, { id }, ctx) => lifecycle.lapseSponsorship(ctx, id),
    endSponsorship: (_root, { input }, ctx) => lifecycle.endSponsorship(ctx, input),
    recordSupport: (_root, { input }, ctx) => lifecycle.recordSupport(ctx, input),
    recordVisit: (_root, { input }, ctx) => lifecycle.recordVisit(ctx, input),
    postSponsorshipUpdate: (_root, { input }, ctx) => lifecycle.postSponsorshipUpdate(ctx, input),
  },
  Organization: {
    sponsorshipCounts: (organization, _args, ctx) => sponsorship.sponsorshipCounts(ctx, organization),
  },
  Viewer: {
    sponsorOf: (viewer, _args, ctx) => sponsorship.viewerSponsorOf(ctx, viewer.account),
  },
  Child: {
    registeredAt: (child) => child.createdAt,
    consent: (child) => child,
    personal: (child, _args, ctx, info) => sponsorship.readChildPersonal(ctx, child, info),
  },
  ChildPersonal: {
    fullName: (child) => `${child.familyName}${child.givenName}`,
    age: (child, _args, ctx) =>
      ageOn(child.dateOfBirth, localDateAt(ctx.clock.now(), requireOrganization(ctx).timeZone)),
  },
  GuardianConsent: {
    givenOn: (child) => child.consentGivenOn,
    textVersion: (child) => child.consentTextVersion,
    recordedAt: (child) => child.consentRecordedAt,
  },
  ChildAuditEntry: {
    fields: (entry) => sponsorship.auditedFields(entry.detail),
  },
  Sponsor: {
    preferences: (sponsor) => sponsor,
    pledge: (sponsor) => sponsor,
    invitationExpiresAt: (sponsor, _args, ctx) =>
      sponsor.invitationExpiresAt && sponsor.invitationExpiresAt > ctx.clock.now() ? sponsor.invitationExpiresAt : null,
  },
  SponsorPreferences: {
    townships: (sponsor) => sponsor.preferredTownships,
    ageMin: (sponsor) => sponsor.preferredAgeMin,
    ageMax: (sponsor) => sponsor.preferredAgeMax,
    gender: (sponsor) => sponsor.preferredGender,
    greatestNeed: (sponsor) => sponsor.prefersGreatestNeed,
  },
  Pledge: {
    monthlyAmountFen: (sponsor) => sponsor.monthlyPledgeFen,
    goods: (sponsor) => sponsor.pledgedGoods,
  },
  Visit: {
    notes: (visit, _args, ctx) => sponsorship.readVisitNotes(ctx, visit),
  },
  SponsorView: {
    children: (parent, _args, ctx, info) => sponsorship.sponsorViewChildren(ctx, parent, info),
  },
  SponsorSelf: {
    pledge: (sponsor) => sponsor,
  },
  SponsoredChild: {
    id: (child) => child.sponsorshipId,
    age: (child, _args, ctx) =>
      ageOn(child.dateOfBirth, localDateAt(ctx.clock.now(), requireOrganization(ctx).timeZone)),
    since: (child, _args, ctx) => localDateAt(child.confirmedAt, requireOrganization(ctx).timeZone),
  },
};
