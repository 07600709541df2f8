/**
 * Members: the roster, profiles (members edit their own, admins anyone's) and
 * roles, with the rule that an organization always keeps an active admin.
 */
import {
  pgError,
  PG_UNIQUE_VIOLATION,
  withTenant,
  type Account,
  type Gender,
  type Member,
  type MemberRole,
  type PartyStage,
  type PoliticalStatus,
  type Tx,
} from '@qicai/db';
import { requireAdmin, requireMember, requireOrganization } from '../../shared/access.ts';
import { recordAudit, recordAudits, type AuditEvent } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { clampPageSize, decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { AppError, FieldChecker, forbidden, notFound, ValidationError } from '../../shared/errors.ts';

import type { MemberConnectionParent } from './mappers.ts';
import {
  lengthOf,
  nameProblem,
  normalizeName,
  parseEmail,
  parseMobile,
  parseSkills,
  settleStage,
  stageAllowed,
  SUGGESTED_SKILLS,
  WORK_UNIT_MAX_LENGTH,
} from './profile.ts';
import { isUuid, requireId } from './ids.ts';
import * as repository from './repository.ts';
import { findMembersByIds, type RosterQuery, type RosterSort, type RosterStatus } from './repository.ts';
import { localDateAt } from '../../kernel/time.ts';
import { currentYearOf } from '../../shared/period.ts';
import * as memberships from './team-memberships-repository.ts';
import * as teamRepository from '../teams/repository.ts';
import { syncLeadRoles } from './team-memberships-repository.ts';

export interface RosterFilter {
  teamId?: string | null | undefined;
  politicalStatus?: PoliticalStatus | null | undefined;
  partyStage?: PartyStage | null | undefined;
  role?: MemberRole | null | undefined;
  status?: RosterStatus | null | undefined;
  skill?: string | null | undefined;
  ids?: readonly string[] | null | undefined;
}

/** How many members a selection (a filter by ids, a bulk change) may name. */
export const SELECTION_MAX = 1000;

export interface RosterArgs {
  search?: string | null | undefined;
  filter?: RosterFilter | null | undefined;
  sort?: RosterSort | null | undefined;
}

/**
 * The roster query a viewer may run. Admins search names, phones, work units
 * and skills and filter on anything; other members see active members and
 * search and filter by what they may see (names, teams, roles) — a phone
 * search would otherwise tell them whose number it is.
 */
export function rosterQueryFor(ctx: RequestContext, viewer: Member, args: RosterArgs): RosterQuery {
  const filter = args.filter ?? {};
  const admin = viewer.role === 'ADMIN';
  const status = filter.status ?? 'ACTIVE';
  const sort = args.sort ?? 'NAME';
  // Others' hours are the admins' to see (Member.minutesThisYear): an order by them would show them too.
  if (!admin && (sort === 'HOURS_THIS_YEAR' || sort === 'HOURS_THIS_YEAR_DESC')) {
    throw forbidden('Only an admin may sort the roster by hours.');
  }
  if (!admin && (status !== 'ACTIVE' || filter.politicalStatus || filter.partyStage || filter.skill)) {
    throw forbidden('Only an admin may filter the roster by status, 政治面貌, party stage or skill.');
  }
  if (filter.teamId) requireId(filter.teamId, 'Team');
  if (filter.ids && !admin) throw forbidden('Only an admin may pick members by id.');
  if (filter.ids && (filter.ids.length > SELECTION_MAX || !filter.ids.every(isUuid))) {
    throw new ValidationError({ ids: filter.ids.length > SELECTION_MAX ? 'TOO_MANY' : 'INVALID_ID' });
  }
  return {
    ids: filter.ids ? [...new Set(filter.ids)] : undefined,
    status,
    teamId: filter.teamId ?? undefined,
    politicalStatus: filter.politicalStatus ?? undefined,
    partyStage: filter.partyStage ?? undefined,
    role: filter.role ?? undefined,
    skill: filter.skill?.trim() || undefined,
    search: args.search?.trim().slice(0, 60) || undefined,
    searchAll: admin,
    sort,
    year: currentYearOf(ctx),
  };
}

function decodeRosterCursor(text: string, sort: RosterSort): { key: string; id: string } {
  const [cursorSort, key, id] = decodeCursor(text, ['string', 'string', 'string']);
  if (cursorSort !== sort) throw new ValidationError({ after: 'INVALID_CURSOR' });
  return { key, id };
}

/** A page of the roster, for the organization's members. */
export async function listRoster(
  ctx: RequestContext,
  args: RosterArgs & { first: number; after?: string | null | undefined },
): Promise<MemberConnectionParent> {
  const viewer = await requireMember(ctx);
  const query = rosterQueryFor(ctx, viewer, args);
  const first = clampPageSize(args.first);
  const after = args.after ? decodeRosterCursor(args.after, query.sort) : undefined;
  const rows = await ctx.tenant((tx) => repository.pageRoster(tx, viewer.orgId, query, { limit: first + 1, after }));
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor([query.sort, last.sortKey, last.id]) : null,
    },
    count: () => ctx.tenant((tx) => repository.countRoster(tx, viewer.orgId, query)),
  };
}

/** A member of the named organization; others' members and, for non-admins, inactive ones are NOT_FOUND. */
export async function getMember(ctx: RequestContext, memberId: string): Promise<Member> {
  const viewer = await requireMember(ctx);
  requireId(memberId, 'Member');
  const member = await ctx.tenant((tx) => repository.findMember(tx, viewer.orgId, memberId));
  if (!member || (!member.active && viewer.role !== 'ADMIN' && member.id !== viewer.id)) throw notFound('Member');
  return member;
}

export async function skillSuggestions(ctx: RequestContext): Promise<string[]> {
  const viewer = await requireMember(ctx);
  const inUse = await ctx.tenant((tx) => repository.findSkillsInUse(tx, viewer.orgId, 30));
  return [...new Set([...inUse, ...SUGGESTED_SKILLS])];
}

export interface ProfileInput {
  displayName?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  gender?: Gender | null | undefined;
  politicalStatus?: PoliticalStatus | null | undefined;
  partyStage?: PartyStage | null | undefined;
  workUnit?: string | null | undefined;
  skills?: readonly string[] | null | undefined;
  joinedOn?: string | null | undefined;
  teamIds?: readonly string[] | null | undefined;
}

type ProfileChanges = repository.MemberChanges;

/**
 * Checks a profile form and turns it into changes: a field left out is kept,
 * an optional one given as null or '' is cleared. All problems at once.
 */
function readProfile(input: ProfileInput, required: { phone: boolean }, today: string): ProfileChanges {
  const checker = new FieldChecker();
  const changes: ProfileChanges = {};
  if (input.displayName !== undefined) {
    const displayName = normalizeName(input.displayName ?? '');
    const problem = nameProblem(displayName);
    checker.check(problem === null, 'displayName', problem ?? '');
    changes.displayName = displayName;
  }
  if (input.phone !== undefined || required.phone) {
    const text = input.phone?.trim() ?? '';
    const phone = text ? parseMobile(text) : null;
    checker.check(text !== '' || !required.phone, 'phone', 'REQUIRED');
    checker.check(text === '' || phone !== null, 'phone', 'INVALID_PHONE');
    changes.phone = phone;
  }
  if (input.email !== undefined) {
    const text = input.email?.trim() ?? '';
    const email = text ? parseEmail(text) : null;
    checker.check(text === '' || email !== null, 'email', 'INVALID_EMAIL');
    changes.email = email;
  }
  if (input.gender !== undefined) changes.gender = input.gender;
  if (input.politicalStatus) changes.politicalStatus = input.politicalStatus;
  if (input.partyStage !== undefined) changes.partyStage = input.partyStage;
  if (changes.politicalStatus && changes.partyStage !== undefined) {
    checker.check(stageAllowed(changes.politicalStatus, changes.partyStage), 'partyStage', 'NOT_ALLOWED');
  }
  if (input.workUnit !== undefined) {
    const workUnit = normalizeName(input.workUnit ?? '');
    checker.check(lengthOf(workUnit) <= WORK_UNIT_MAX_LENGTH, 'workUnit', 'TOO_LONG');
    changes.workUnit = workUnit || null;
  }
  if (input.skills !== undefined) {
    const { skills, valid } = parseSkills(input.skills ?? []);
    checker.check(valid, 'skills', 'INVALID_SKILLS');
    changes.skills = skills;
  }
  if (input.joinedOn) {
    const joined = new Date(`${input.joinedOn}T00:00:00Z`);
    checker.check(!Number.isNaN(joined.getTime()) && input.joinedOn <= today, 'joinedOn', 'INVALID_DATE');
    changes.joinedOn = input.joinedOn;
  }
  checker.throwIfAny();
  return changes;
}

function phoneTaken(error: unknown): boolean {
  const pg = pgError(error);
  return pg?.code === PG_UNIQUE_VIOLATION && pg.constraint === 'members_org_phone_unique';
}

async function checkTeams(ctx: RequestContext, orgId: string, teamIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(teamIds)];
  if (!unique.every(isUuid)) throw new ValidationError({ teamIds: 'UNKNOWN_TEAM' });
  const found = await ctx.tenant((tx) => teamRepository.countTeams(tx, orgId, unique));
  if (found !== unique.length) throw new ValidationError({ teamIds: 'UNKNOWN_TEAM' });
  return unique;
}

/** An admin adds someone to the roster (without an account: they may be invited to sign in later). */
export async function createMember(
  ctx: RequestContext,
  input: ProfileInput & { displayName: string },
): Promise<Member> {
  const admin = await requireAdmin(ctx);
  const profile = readProfile(input, { phone: true }, localDateAt(ctx.clock.now(), requireOrganization(ctx).timeZone));
  const teamIds = input.teamIds ? await checkTeams(ctx, admin.orgId, input.teamIds) : [];
  try {
    return await ctx.tenant(async (tx) => {
      const member = await repository.insertMember(tx, {
        orgId: admin.orgId,
        displayName: profile.displayName ?? '',
        ...profile,
        role: 'MEMBER',
      });
      await memberships.setTeamsOfMembers(tx, admin.orgId, [{ memberId: member.id, teamIds }]);
      await recordAudit(tx, ctx, admin.orgId, {
        action: 'member.created',
        subjectType: 'member',
        subjectId: member.id,
      });
      return member;
    });
  } catch (error) {
    if (phoneTaken(error)) throw new ValidationError({ phone: 'TAKEN' });
    throw error;
  }
}

/** What a member may change of their own profile; the rest (政治面貌, join date, teams) is the admins'. */
const SELF_EDITABLE = new Set<keyof ProfileInput>(['displayName', 'phone', 'email', 'gender', 'workUnit', 'skills']);

/** Members edit their own profile; admins edit anyone's. */
export async function updateMember(ctx: RequestContext, input: ProfileInput & { memberId: string }): Promise<Member> {
  const viewer = await requireMember(ctx);
  requireId(input.memberId, 'Member');
  const isAdmin = viewer.role === 'ADMIN';
  if (!isAdmin && input.memberId !== viewer.id) throw forbidden('Members edit their own profile only.');
  const { memberId, teamIds: wantedTeams, ...fields } = input;
  if (!isAdmin) {
    const others = (Object.keys(fields) as (keyof typeof fields)[]).filter(
      (field) => fields[field] !== undefined && !SELF_EDITABLE.has(field),
    );
    if (others.length > 0 || wantedTeams) throw forbidden('Only an admin may change this.');
  }
  const changes = readProfile(
    fields,
    { phone: false },
    localDateAt(ctx.clock.now(), requireOrganization(ctx).timeZone),
  );
  const teamIds = wantedTeams ? await checkTeams(ctx, viewer.orgId, wantedTeams) : undefined;
  try {
    return await ctx.tenant(async (tx) => {
      const before = await repository.findMember(tx, viewer.orgId, memberId);
      if (!before) throw notFound('Member');
      const stage = settleStage(before, changes);
      if (stage === 'NOT_ALLOWED') throw new ValidationError({ partyStage: 'NOT_ALLOWED' });
      if (stage !== undefined) changes.partyStage = stage;
      const changed = (Object.keys(changes) as (keyof ProfileChanges)[]).filter(
        (field) => JSON.stringify(changes[field]) !== JSON.stringify(before[field]),
      );
      const member = changed.length > 0 ? await repository.updateMember(tx, viewer.orgId, memberId, changes) : before;
      if (teamIds) await memberships.setTeamsOfMembers(tx, viewer.orgId, [{ memberId, teamIds }]);
      if (changed.length > 0 || teamIds) {
        await recordAudit(tx, ctx, viewer.orgId, {
          action: 'member.updated',
          subjectType: 'member',
          subjectId: memberId,
          // Which fields, not their values: the audit log is not a second copy of personal data.
          detail: { fields: teamIds ? [...changed, 'teams'] : changed },
        });
      }
      return member;
    });
  } catch (error) {
    if (phoneTaken(error)) throw new ValidationError({ phone: 'TAKEN' });
    throw error;
  }
}

/**
 * THE rule: an organization always has an active admin. Called, after
 * `lockOrganizationAdmins`, by every change that could take the last one away.
 */
async function requireAnotherAdmin(tx: Tx, orgId: string, memberId: string) {
  if ((await repository.countActiveAdmins(tx, orgId, memberId)) === 0) {
    throw new AppError('LAST_ADMIN', 'The organization’s last admin cannot be demoted or removed.');
  }
}

/**
 * Runs a change to a member's role or activity under the organization's admin
 * lock, after checking (again, under the lock) that the viewer is still an
 * admin: two admins demoting each other at once leave one.
 */
async function changeStanding(
  ctx: RequestContext,
  memberId: string,
  change: (tx: Tx, member: Member) => Promise<Member>,
): Promise<Member> {
  const admin = await requireAdmin(ctx);
  requireId(memberId, 'Member');
  return ctx.tenant(async (tx) => {
    await repository.lockOrganizationAdmins(tx, admin.orgId);
    const actor = await repository.findMember(tx, admin.orgId, admin.id);
    if (!actor?.active || actor.role !== 'ADMIN') throw forbidden('Only an admin of this organization may do this.');
    const member = await repository.findMember(tx, admin.orgId, memberId);
    if (!member) throw notFound('Member');
    return change(tx, member);
  });
}

/** Makes a member an admin, or takes admin away (they go back to LEAD if they lead a team, else MEMBER). */
export async function setMemberRole(
  ctx: RequestContext,
  input: { memberId: string; role: MemberRole },
): Promise<Member> {
  if (input.role === 'LEAD') throw new ValidationError({ role: 'LEAD_BY_TEAM' });
  return changeStanding(ctx, input.memberId, async (tx, member) => {
    if (input.role === 'ADMIN') {
      if (!member.active) throw new ValidationError({ memberId: 'INACTIVE_MEMBER' });
      if (member.role === 'ADMIN') return member;
    } else {
      if (member.role !== 'ADMIN') return member;
      await requireAnotherAdmin(tx, member.orgId, member.id);
    }
    await repository.updateMember(tx, member.orgId, member.id, { role: input.role });
    if (input.role !== 'ADMIN') await syncLeadRoles(tx, member.orgId, [member.id]);
    await recordAudit(tx, ctx, member.orgId, {
      action: 'member.role_changed',
      subjectType: 'member',
      subjectId: member.id,
      detail: { from: member.role, to: input.role },
    });
    const after = await repository.findMember(tx, member.orgId, member.id);
    if (!after) throw notFound('Member');
    return after;
  });
}

/** Takes a member off the active roster (they keep their history and can be brought back), or back on. */
export async function setMemberActive(
  ctx: RequestContext,
  input: { memberId: string; active: boolean },
): Promise<Member> {
  return changeStanding(ctx, input.memberId, async (tx, member) => {
    if (member.active === input.active) return member;
    if (!input.active && member.role === 'ADMIN') await requireAnotherAdmin(tx, member.orgId, member.id);
    const updated = await repository.updateMember(tx, member.orgId, member.id, { active: input.active });
    await recordAudit(tx, ctx, member.orgId, {
      action: input.active ? 'member.reactivated' : 'member.deactivated',
      subjectType: 'member',
      subjectId: member.id,
    });
    return updated;
  });
}

export type BulkMemberAction = 'ADD_TO_TEAM' | 'REMOVE_FROM_TEAM' | 'SET_ROLE' | 'DEACTIVATE' | 'REACTIVATE';

export interface BulkUpdateInput {
  memberIds: readonly string[];
  action: BulkMemberAction;
  teamId?: string | null | undefined;
  role?: MemberRole | null | undefined;
}

/**
 * One change to many members (the roster table's selection), in one
 * transaction under the organization's admin lock, like `changeStanding`:
 * the acting admin is checked again under the lock, and after demoting or
 * deactivating the organization must still have an active admin, or nothing
 * changes (LAST_ADMIN). Two admins demoting each other's selections at once:
 * the second finds itself no longer an admin.
 */
export async function bulkUpdateMembers(
  ctx: RequestContext,
  input: BulkUpdateInput,
): Promise<{ changedCount: number; members: Member[] }> {
  const admin = await requireAdmin(ctx);
  const memberIds = [...new Set(input.memberIds)];
  const checker = new FieldChecker();
  checker.check(memberIds.length > 0, 'memberIds', 'REQUIRED');
  checker.check(memberIds.length <= SELECTION_MAX, 'memberIds', 'TOO_MANY');
  checker.check(memberIds.every(isUuid), 'memberIds', 'INVALID_ID');
  const byTeam = input.action === 'ADD_TO_TEAM' || input.action === 'REMOVE_FROM_TEAM';
  checker.check(!byTeam || (!!input.teamId && isUuid(input.teamId)), 'teamId', 'REQUIRED');
  checker.check(input.action !== 'SET_ROLE' || !!input.role, 'role', 'REQUIRED');
  checker.check(input.action !== 'SET_ROLE' || input.role !== 'LEAD', 'role', 'LEAD_BY_TEAM');
  checker.throwIfAny();
  const teamId = input.teamId ?? '';
  if (byTeam) await checkTeams(ctx, admin.orgId, [teamId]);
  return ctx.tenant(async (tx) => {
    await repository.lockOrganizationAdmins(tx, admin.orgId);
    const actor = await repository.findMember(tx, admin.orgId, admin.id);
    if (!actor?.active || actor.role !== 'ADMIN') throw forbidden('Only an admin of this organization may do this.');
    const found = await findMembersByIds(tx, admin.orgId, memberIds);
    if (found.length !== memberIds.length) throw notFound('Member');
    const events: AuditEvent[] = [];
    const audit = (ids: string[], action: string, detail?: Record<string, unknown>) => {
      for (const id of ids)
        events.push({ action, subjectType: 'member', subjectId: id, detail: { ...detail, bulk: true } });
    };
    switch (input.action) {
      case 'ADD_TO_TEAM':
        audit(await memberships.addMembersToTeam(tx, admin.orgId, teamId, memberIds), 'member.updated', {
          fields: ['teams'],
        });
        break;
      case 'REMOVE_FROM_TEAM':
        audit(await memberships.removeMembersFromTeam(tx, admin.orgId, teamId, memberIds), 'member.updated', {
          fields: ['teams'],
        });
        break;
      case 'SET_ROLE': {
        const role = input.role === 'ADMIN' ? 'ADMIN' : 'MEMBER';
        if (role === 'ADMIN' && found.some((member) => !member.active)) {
          throw new ValidationError({ memberIds: 'INACTIVE_MEMBER' });
        }
        const changed = await repository.setRoleOfMembers(tx, admin.orgId, memberIds, role);
        if (role !== 'ADMIN')
          await syncLeadRoles(
            tx,
            admin.orgId,
            changed.map((member) => member.id),
          );
        for (const member of changed) {
          events.push({
            action: 'member.role_changed',
            subjectType: 'member',
            subjectId: member.id,
            detail: { from: member.role, to: role, bulk: true },
          });
        }
        break;
      }
      case 'DEACTIVATE':
      case 'REACTIVATE': {
        const active = input.action === 'REACTIVATE';
        const changed = await repository.setActiveOfMembers(tx, admin.orgId, memberIds, active);
        audit(
          changed.map((member) => member.id),
          active ? 'member.reactivated' : 'member.deactivated',
        );
        break;
      }
    }
    if (input.action === 'SET_ROLE' || input.action === 'DEACTIVATE') {
      if ((await repository.countAllActiveAdmins(tx, admin.orgId)) === 0) {
        throw new AppError('LAST_ADMIN', 'The organization’s last admin cannot be demoted or removed.');
      }
    }
    await recordAudits(tx, ctx, admin.orgId, events);
    return { changedCount: events.length, members: await findMembersByIds(tx, admin.orgId, memberIds) };
  });
}

/**
 * The viewer's active memberships across organizations. Scoped to the account
 * itself rather than the request's: right after signing in, the request began
 * without one.
 */
export async function viewerMemberships(ctx: RequestContext, account: Account): Promise<Member[]> {
  return withTenant(ctx.db, { orgId: null, accountId: account.id }, (tx) =>
    repository.findMembershipsOfAccount(tx, account.id),
  );
}
