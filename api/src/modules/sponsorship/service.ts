/**
 * Sponsorship: the children registry (admins only), sponsors and the linking
 * of their accounts, the sponsor's own minimal view, a child's export and
 * deletion, and the programme's figures. The lifecycle of sponsorships is in
 * lifecycle.ts, matching in suggestions.ts.
 *
 * A child's personal fields are sensitive personal information of a minor:
 * every read and write of them is audited (personal-reads.ts for reads,
 * `recordAudit` beside each write), with field names and ids, never values.
 */
import {
  pgError,
  PG_CHECK_VIOLATION,
  PG_UNIQUE_VIOLATION,
  withTenant,
  type Account,
  type Child,
  type Organization,
  type Sponsor,
} from '@qicai/db';
import type { GraphQLResolveInfo } from 'graphql';
import { createHash, randomInt } from 'node:crypto';
import type { ResolversTypes } from '../../__generated__/resolvers.ts';
import {
  requireAccount,
  requireAdmin,
  requireMember,
  requireNamedOrganization,
  requireOrganization,
} from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { clampPageSize, decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { AppError, FieldChecker, notFound, ValidationError } from '../../shared/errors.ts';
import { findOrganizationsByIds } from '../organizations/repository.ts';

import { hasPersonalFields, type PersonalChild, type SponsoredChildRecord, type SponsorViewParent } from './mappers.ts';
import {
  ALL_PERSONAL_FIELDS,
  auditPersonalRead,
  childPersonalFieldsRead,
  selectedFields,
  sponsoredChildFieldsRead,
} from './personal-reads.ts';
import * as repository from './repository.ts';
import {
  checkChildPersonal,
  checkConsent,
  checkSponsor,
  type ChildPersonalInput,
  type ChildPersonalValues,
  type GuardianConsentInput,
  type SponsorInput,
} from './validation.ts';
import { localDateAt } from '../../kernel/time.ts';
import { findMembersByIds } from '../members/repository.ts';
import { findAccountsByIds } from '../people/repository.ts';

/** Today in the organization's time zone. */
export function organizationToday(ctx: RequestContext): string {
  return localDateAt(ctx.clock.now(), requireOrganization(ctx).timeZone);
}

/** The names of the personal fields that hold a value. */
function fieldsHeld(values: Partial<ChildPersonalValues>): string[] {
  return ALL_PERSONAL_FIELDS.filter((field) => {
    const value = values[field];
    return value !== null && value !== undefined;
  });
}

// Children

export async function getChild(ctx: RequestContext, id: string): Promise<Child> {
  const admin = await requireAdmin(ctx);
  const child = await ctx.tenant((tx) => repository.findChild(tx, admin.orgId, id));
  if (!child) throw notFound('Child');
  return child;
}

/**
 * A child's personal fields, for admins only, whatever path reached the child.
 * The read is written to the audit log, with the fields asked for, before
 * anything is returned.
 */
export async function readChildPersonal(
  ctx: RequestContext,
  child: Child,
  info: GraphQLResolveInfo,
): Promise<PersonalChild | null> {
  const admin = await requireAdmin(ctx);
  if (child.orgId !== admin.orgId) throw notFound('Child');
  if (!hasPersonalFields(child)) return null;
  await auditPersonalRead(ctx, [child.id], childPersonalFieldsRead(selectedFields(info)), 'child');
  return child;
}

export async function readVisitNotes(
  ctx: RequestContext,
  visit: { orgId: string; childId: string; notes: string | null },
): Promise<string | null> {
  const admin = await requireAdmin(ctx);
  if (visit.orgId !== admin.orgId) throw notFound('Visit');
  if (visit.notes === null) return null;
  await auditPersonalRead(ctx, [visit.childId], ['visit.notes'], 'visit');
  return visit.notes;
}

export async function listChildren(
  ctx: RequestContext,
  options: { filter?: repository.ChildFilter | null | undefined; first: number; after?: string | null | undefined },
): Promise<ResolversTypes['ChildConnection']> {
  const admin = await requireAdmin(ctx);
  const first = clampPageSize(options.first);
  const filter = options.filter ?? {};
  const after = options.after ? decodeCursor(options.after, ['string', 'string']) : undefined;
  if (after && Number.isNaN(new Date(after[0]).getTime())) {
    throw new AppError('VALIDATION', 'The cursor is not valid.', { fields: { after: 'INVALID_CURSOR' } });
  }
  const { rows, totalCount } = await ctx.tenant(async (tx) => ({
    rows: await repository.pageChildren(tx, admin.orgId, {
      filter,
      limit: first + 1,
      after: after && { createdAt: after[0], id: after[1] },
    }),
    totalCount: await repository.countChildren(tx, admin.orgId, filter),
  }));
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return {
    nodes,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    },
  };
}

/** Registers a child. No child is saved without the guardian's consent (rule 12): the input requires it and so does the table. */
export async function registerChild(
  ctx: RequestContext,
  input: { personal: ChildPersonalInput; consent: GuardianConsentInput },
): Promise<Child> {
  const admin = await requireAdmin(ctx);
  const today = organizationToday(ctx);
  const checker = new FieldChecker();
  const personal = checkChildPersonal(checker, input.personal, today);
  const consent = checkConsent(checker, input.consent, today);
  checker.throwIfAny();
  return ctx.tenant(async (tx) => {
    const child = await repository.insertChild(tx, admin.orgId, {
      ...personal,
      ...consent,
      consentRecordedBy: admin.id,
      consentRecordedAt: ctx.clock.now(),
      waitingSince: ctx.clock.now(),
    });
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'child.registered',
      subjectType: 'child',
      subjectId: child.id,
      detail: { fields: fieldsHeld(personal) },
    });
    return child;
  });
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export async function updateChild(
  ctx: RequestContext,
  input: { childId: string; personal: ChildPersonalInput; consent?: GuardianConsentInput | null | undefined },
): Promise<Child> {
  const admin = await requireAdmin(ctx);
  const today = organizationToday(ctx);
  const checker = new FieldChecker();
  const personal = checkChildPersonal(checker, input.personal, today);
  const consent = input.consent ? checkConsent(checker, input.consent, today) : undefined;
  checker.throwIfAny();
  return ctx.tenant(async (tx) => {
    const before = await repository.lockChild(tx, admin.orgId, input.childId);
    if (!before) throw notFound('Child');
    if (before.deletedAt) throw new AppError('WRONG_STATUS', 'The child’s record was deleted.');
    const changed = ALL_PERSONAL_FIELDS.filter((field) => !sameValue(before[field], personal[field]));
    if (changed.length === 0 && !consent) return before;
    const child = await repository.updateChild(tx, admin.orgId, before.id, {
      ...personal,
      ...(consent && { ...consent, consentRecordedBy: admin.id, consentRecordedAt: ctx.clock.now() }),
    });
    if (!child) throw notFound('Child');
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'child.updated',
      subjectType: 'child',
      subjectId: child.id,
      detail: { fields: changed, consentRenewed: consent !== undefined },
    });
    return child;
  });
}

/**
 * Deletes a child's record at the guardian's request (个人信息保护法 art. 47):
 * the personal fields are erased and so is free text about the child in its
 * sponsorships; an active sponsorship ends and proposals lapse. The row stays
 * as a tombstone, and the audit trail stays (it never held values).
 */
export async function deleteChild(ctx: RequestContext, id: string): Promise<Child> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant(async (tx) => {
    const child = await repository.lockChild(tx, admin.orgId, id);
    if (!child) throw notFound('Child');
    if (child.deletedAt) return child;
    const sponsorships = await repository.findSponsorshipsOf(tx, admin.orgId, 'child', [child.id]);
    const ended: string[] = [];
    for (const sponsorship of sponsorships.filter((row) => row.status === 'ACTIVE')) {
      await repository.updateSponsorship(tx, admin.orgId, sponsorship.id, {
        status: 'ENDED',
        endReason: 'RECORD_DELETED',
        closedAt: ctx.clock.now(),
        closedBy: admin.id,
      });
      ended.push(sponsorship.id);
    }
    const lapsed = await repository.lapseOpenProposalsOfChild(tx, admin.orgId, child.id, admin.id);
    await repository.eraseTextsAboutChild(tx, admin.orgId, child.id);
    const tombstone = await repository.anonymizeChild(tx, admin.orgId, child.id, ctx.clock.now());
    if (!tombstone) throw notFound('Child');
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'child.deleted',
      subjectType: 'child',
      subjectId: child.id,
      detail: {
        fields: [...fieldsHeld(child), 'visit.notes', 'update.body', 'support.description', 'sponsorship.endNote'],
        endedSponsorships: ended,
        lapsedProposals: lapsed,
      },
    });
    return tombstone;
  });
}

/**
 * Everything held about one child, for the guardian who asks (个人信息保护法
 * art. 45): the record, the consent, every sponsorship with its support,
 * visits and updates, and the audit trail. The export itself is audited.
 */
export async function exportChild(ctx: RequestContext, id: string): Promise<ResolversTypes['ChildExport']> {
  const admin = await requireAdmin(ctx);
  const organization = requireOrganization(ctx);
  const today = organizationToday(ctx);
  const document = await ctx.tenant(async (tx) => {
    const child = await repository.findChild(tx, admin.orgId, id);
    if (!child) throw notFound('Child');
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'child.exported',
      subjectType: 'child',
      subjectId: child.id,
      detail: { fields: hasPersonalFields(child) ? [...fieldsHeld(child), 'visit.notes', 'update.body'] : [] },
    });
    const sponsorships = await repository.findSponsorshipsOf(tx, admin.orgId, 'child', [child.id]);
    const sponsorshipIds = sponsorships.map((row) => row.id);
    const [sponsors, support, visits, updates, trail, consentMembers] = [
      await repository.findSponsorsByIds(tx, admin.orgId, [...new Set(sponsorships.map((row) => row.sponsorId))]),
      await repository.findSupportOfSponsorships(tx, admin.orgId, sponsorshipIds),
      await repository.findVisitsOfSponsorships(tx, admin.orgId, sponsorshipIds),
      await repository.findUpdatesOfSponsorships(tx, admin.orgId, sponsorshipIds),
      await repository.findAuditTrails(tx, admin.orgId, [child.id], 100_000),
      await findMembersByIds(tx, admin.orgId, [child.consentRecordedBy]),
    ];
    const volunteers = await repository.findVolunteersOfVisits(
      tx,
      admin.orgId,
      visits.map((visit) => visit.id),
    );
    const actors = await findAccountsByIds(tx, [
      ...new Set(trail.flatMap((entry) => (entry.actorAccountId ? [entry.actorAccountId] : []))),
    ]);
    const actorName = (accountId: string | null) => actors.find((account) => account.id === accountId)?.displayName;
    return {
      format: 'qicai.child-export/1',
      organization: { name: organization.name, slug: organization.slug },
      exportedAt: ctx.clock.now().toISOString(),
      exportedBy: admin.displayName,
      child: {
        id: child.id,
        status: child.status,
        registeredAt: child.createdAt.toISOString(),
        deletedAt: child.deletedAt?.toISOString() ?? null,
        personal: hasPersonalFields(child)
          ? Object.fromEntries(ALL_PERSONAL_FIELDS.map((field) => [field, child[field]]))
          : null,
        consent: {
          givenOn: child.consentGivenOn,
          textVersion: child.consentTextVersion,
          recordedAt: child.consentRecordedAt.toISOString(),
          recordedBy: consentMembers[0]?.displayName ?? null,
        },
      },
      sponsorships: sponsorships.map((sponsorship) => {
        const sponsor = sponsors.find((row) => row.id === sponsorship.sponsorId);
        return {
          id: sponsorship.id,
          status: sponsorship.status,
          sponsor: sponsor ? { name: sponsor.name, kind: sponsor.kind } : null,
          proposedAt: sponsorship.proposedAt.toISOString(),
          confirmedAt: sponsorship.confirmedAt?.toISOString() ?? null,
          closedAt: sponsorship.closedAt?.toISOString() ?? null,
          endReason: sponsorship.endReason,
          endNote: sponsorship.endNote,
          support: support
            .filter((record) => record.sponsorshipId === sponsorship.id)
            .map(({ kind, givenOn, amountFen, description }) => ({ kind, givenOn, amountFen, description })),
          visits: visits
            .filter((visit) => visit.sponsorshipId === sponsorship.id)
            .map((visit) => ({
              visitedOn: visit.visitedOn,
              volunteers: volunteers
                .filter((member) => member.visitId === visit.id)
                .map((member) => member.displayName),
              notes: visit.notes,
            })),
          updates: updates
            .filter((update) => update.sponsorshipId === sponsorship.id)
            .map(({ postedOn, body }) => ({ postedOn, body })),
        };
      }),
      auditTrail: trail.map((entry) => ({
        at: entry.at.toISOString(),
        action: entry.action,
        actor: actorName(entry.actorAccountId) ?? null,
        fields: auditedFields(entry.detail),
      })),
    };
  });
  return { fileName: `child-${id}-${today}.json`, json: JSON.stringify(document, null, 2) };
}

/** The field names an audit entry's detail lists. */
export function auditedFields(detail: Record<string, unknown>): string[] {
  const fields = detail['fields'];
  return Array.isArray(fields) ? fields.filter((field): field is string => typeof field === 'string') : [];
}

// Sponsors

export async function getSponsor(ctx: RequestContext, id: string): Promise<Sponsor> {
  const admin = await requireAdmin(ctx);
  const sponsor = await ctx.tenant((tx) => repository.findSponsor(tx, admin.orgId, id));
  if (!sponsor) throw notFound('Sponsor');
  return sponsor;
}

export async function listSponsors(
  ctx: RequestContext,
  options: { filter?: repository.SponsorFilter | null | undefined; first: number; after?: string | null | undefined },
): Promise<ResolversTypes['SponsorConnection']> {
  const admin = await requireAdmin(ctx);
  const first = clampPageSize(options.first);
  const filter = options.filter ?? {};
  const after = options.after ? decodeCursor(options.after, ['string', 'string']) : undefined;
  const { rows, totalCount } = await ctx.tenant(async (tx) => ({
    rows: await repository.pageSponsors(tx, admin.orgId, {
      filter,
      limit: first + 1,
      after: after && { name: after[0], id: after[1] },
    }),
    totalCount: await repository.countSponsors(tx, admin.orgId, filter),
  }));
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return {
    nodes,
    totalCount,
    pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor([last.name, last.id]) : null },
  };
}

/** Maps the database's refusals of a sponsor to field errors. */
function sponsorConstraintError(error: unknown): never {
  const pg = pgError(error);
  if (pg?.code === PG_UNIQUE_VIOLATION && pg.constraint === 'sponsors_org_member_unique') {
    throw new ValidationError({ memberId: 'TAKEN' });
  }
  if (pg?.code === PG_CHECK_VIOLATION && pg.constraint === 'sponsors_offer_covers_active') {
    throw new ValidationError({ childrenOffered: 'BELOW_SPONSORED' });
  }
  throw error;
}

export async function createSponsor(ctx: RequestContext, input: SponsorInput): Promise<Sponsor> {
  const admin = await requireAdmin(ctx);
  const values = checkSponsor(input);
  try {
    return await ctx.tenant(async (tx) => {
      let accountId: string | null = null;
      if (values.memberId) {
        const [member] = await findMembersByIds(tx, admin.orgId, [values.memberId]);
        if (!member) throw new ValidationError({ memberId: 'NOT_FOUND' });
        // A member's own account signs in to their sponsor view, unless it already does for another sponsor.
        if (member.accountId && !(await repository.findSponsorOfAccount(tx, admin.orgId, member.accountId))) {
          accountId = member.accountId;
        }
      }
      const sponsor = await repository.insertSponsor(tx, admin.orgId, { ...values, accountId });
      await recordAudit(tx, ctx, admin.orgId, {
        action: 'sponsor.created',
        subjectType: 'sponsor',
        subjectId: sponsor.id,
        detail: { accountLinked: accountId !== null },
      });
      return sponsor;
    });
  } catch (error) {
    return sponsorConstraintError(error);
  }
}

export async function updateSponsor(ctx: RequestContext, id: string, input: SponsorInput): Promise<Sponsor> {
  const admin = await requireAdmin(ctx);
  const values = checkSponsor(input);
  try {
    return await ctx.tenant(async (tx) => {
      const before = await repository.lockSponsor(tx, admin.orgId, id);
      if (!before) throw notFound('Sponsor');
      if (values.memberId && values.memberId !== before.memberId) {
        const [member] = await findMembersByIds(tx, admin.orgId, [values.memberId]);
        if (!member) throw new ValidationError({ memberId: 'NOT_FOUND' });
      }
      const counts = (await repository.countSponsorshipsOfSponsors(tx, admin.orgId, [before.id])).get(before.id);
      if ((values.childrenOffered ?? 1) < (counts?.active ?? 0)) {
        throw new ValidationError({ childrenOffered: 'BELOW_SPONSORED' });
      }
      const changed = (Object.keys(values) as (keyof typeof values)[]).filter(
        (field) => !sameValue(before[field], values[field]),
      );
      if (changed.length === 0) return before;
      const sponsor = await repository.updateSponsor(tx, admin.orgId, before.id, values);
      if (!sponsor) throw notFound('Sponsor');
      await recordAudit(tx, ctx, admin.orgId, {
        action: 'sponsor.updated',
        subjectType: 'sponsor',
        subjectId: sponsor.id,
        detail: { fields: changed },
      });
      return sponsor;
    });
  } catch (error) {
    return sponsorConstraintError(error);
  }
}

// Linking a sponsor's account: the admin makes a one-time code and gives it to
// the sponsor (in person, by phone or message); the sponsor signs in or
// registers and enters it. So only the person the admin chose, and who chose
// to, sees a child — a mistyped phone number cannot show a child to a stranger.

const INVITATION_DAYS = 14;
/** No 0/O, 1/I/L: read aloud or copied by hand without mistakes. 12 of these: about 59 bits. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 12;

function hashInvitationCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** The code as typed, without spaces or dashes, in capitals. */
export function normalizeInvitationCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export async function inviteSponsorAccount(
  ctx: RequestContext,
  sponsorId: string,
): Promise<ResolversTypes['SponsorInvitation']> {
  const admin = await requireAdmin(ctx);
  const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  const expiresAt = new Date(ctx.clock.now().getTime() + INVITATION_DAYS * 24 * 60 * 60 * 1000);
  const sponsor = await ctx.tenant(async (tx) => {
    const updated = await repository.updateSponsor(tx, admin.orgId, sponsorId, {
      invitationCodeHash: hashInvitationCode(code),
      invitationExpiresAt: expiresAt,
    });
    if (!updated) throw notFound('Sponsor');
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'sponsor.invited',
      subjectType: 'sponsor',
      subjectId: updated.id,
      detail: { expiresAt: expiresAt.toISOString() },
    });
    return updated;
  });
  return { sponsor, code: code.replace(/(.{4})(?=.)/g, '$1-'), expiresAt };
}

export async function unlinkSponsorAccount(ctx: RequestContext, sponsorId: string): Promise<Sponsor> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant(async (tx) => {
    const sponsor = await repository.updateSponsor(tx, admin.orgId, sponsorId, {
      accountId: null,
      invitationCodeHash: null,
      invitationExpiresAt: null,
    });
    if (!sponsor) throw notFound('Sponsor');
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'sponsor.account_unlinked',
      subjectType: 'sponsor',
      subjectId: sponsor.id,
    });
    return sponsor;
  });
}

const invitationInvalid = () =>
  new AppError('INVITATION_INVALID', 'This invitation code is not valid here, has expired or was used.');

export async function claimSponsorInvitation(ctx: RequestContext, code: string): Promise<SponsorViewParent> {
  const account = requireAccount(ctx);
  const organization = requireOrganization(ctx);
  const normalized = normalizeInvitationCode(code);
  if (normalized.length !== CODE_LENGTH) throw invitationInvalid();
  return ctx.tenant(async (tx) => {
    const sponsor = await repository.lockSponsorByInvitation(
      tx,
      organization.id,
      hashInvitationCode(normalized),
      ctx.clock.now(),
    );
    if (!sponsor) throw invitationInvalid();
    const current = await repository.findSponsorOfAccount(tx, organization.id, account.id);
    if (current && current.id !== sponsor.id) {
      throw new AppError('INVITATION_INVALID', 'This account is already linked to another sponsor here.');
    }
    const linked = await repository.updateSponsor(tx, organization.id, sponsor.id, {
      accountId: account.id,
      invitationCodeHash: null,
      invitationExpiresAt: null,
    });
    if (!linked) throw invitationInvalid();
    await recordAudit(tx, ctx, organization.id, {
      action: 'sponsor.account_linked',
      subjectType: 'sponsor',
      subjectId: sponsor.id,
    });
    return { sponsor: linked };
  });
}

// The sponsor's own view

/** The viewer's sponsor record in the named organization, or null. Membership is not needed: sponsors need not be members. */
export async function getSponsorView(ctx: RequestContext): Promise<SponsorViewParent | null> {
  const account = requireAccount(ctx);
  const organization = ctx.organization;
  if (!organization) return null;
  const sponsor = await ctx.tenant((tx) => repository.findSponsorOfAccount(tx, organization.id, account.id));
  return sponsor ? { sponsor } : null;
}

/**
 * The children a sponsor sponsors now, minimally: given name, age, grade,
 * needs (and the updates written for the sponsor). Nothing else of the child
 * leaves this function. The read is audited like an admin's.
 */
export async function sponsorViewChildren(
  ctx: RequestContext,
  parent: SponsorViewParent,
  info: GraphQLResolveInfo,
): Promise<SponsoredChildRecord[]> {
  const account = requireAccount(ctx);
  const { sponsor } = parent;
  if (sponsor.accountId !== account.id || sponsor.orgId !== ctx.organization?.id) throw notFound('Sponsor');
  const rows = await ctx.tenant((tx) => repository.findActiveSponsorshipsOfSponsor(tx, sponsor.orgId, sponsor.id));
  const records: SponsoredChildRecord[] = rows.flatMap(({ sponsorship, child }) =>
    hasPersonalFields(child) && sponsorship.confirmedAt
      ? [
          {
            sponsorshipId: sponsorship.id,
            childId: child.id,
            givenName: child.givenName,
            dateOfBirth: child.dateOfBirth,
            grade: child.grade,
            needs: child.needs,
            confirmedAt: sponsorship.confirmedAt,
          },
        ]
      : [],
  );
  await auditPersonalRead(
    ctx,
    records.map((record) => record.childId),
    sponsoredChildFieldsRead(selectedFields(info)),
    'sponsor_view',
  );
  return records;
}

/** The organizations where the account is linked to a sponsor. */
export async function viewerSponsorOf(ctx: RequestContext, account: Account): Promise<Organization[]> {
  const orgIds = await withTenant(ctx.db, { orgId: null, accountId: account.id }, (tx) =>
    repository.findOrganizationIdsSponsoredByAccount(tx, account.id),
  );
  if (orgIds.length === 0) return [];
  const organizations = await findOrganizationsByIds(ctx.db, orgIds);
  return orgIds.flatMap((orgId) => organizations.filter((organization) => organization.id === orgId));
}

/** The programme's figures for the organization's home page: counts only, for its members. */
export async function sponsorshipCounts(
  ctx: RequestContext,
  organization: Organization,
): Promise<ResolversTypes['SponsorshipCounts']> {
  requireNamedOrganization(ctx, [organization.id]);
  const member = await requireMember(ctx);
  return ctx.tenant((tx) => repository.sponsorshipCounts(tx, member.orgId));
}
