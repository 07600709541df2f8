/**
 * The seven teams: reading them, editing them (admins), choosing their leads
 * (admins) and joining or leaving them (members).
 */
import { TEAM_COLOURS, type Team, type TeamColour, type Tx } from '@qicai/db';
import type { MercuriusContext } from 'mercurius';
import { requireAdmin, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { FieldChecker, notFound } from '../../shared/errors.ts';
import { oncePerRequest } from '../../shared/loaders.ts';
import { DEFAULT_TEAMS } from './defaults.ts';
import * as repository from './repository.ts';

export const TEAM_NAME_MAX = { zh: 40, en: 60 } as const;
export const TEAM_MISSION_MAX = { zh: 500, en: 1000 } as const;

/** Creates the seven teams of a new organization, with the default names and missions. */
export async function createDefaultTeams(tx: Tx, orgId: string): Promise<Team[]> {
  return repository.insertTeams(
    tx,
    TEAM_COLOURS.map((colour) => ({ orgId, colour, ...DEFAULT_TEAMS[colour] })),
  );
}

const teamsOfRequests = new WeakMap<object, Promise<Team[]>>();

/**
 * The teams of the request's organization, red to blue: the organization's
 * list and every activity's team take them from one read per HTTP request.
 */
export function teamsOfOrganization(ctx: MercuriusContext): Promise<Team[]> {
  const orgId = requireOrganization(ctx).id;
  return oncePerRequest(teamsOfRequests, ctx, () =>
    ctx.tenant((tx) => repository.findTeamsOfOrganizations(tx, [orgId])),
  );
}

/** A team of the named organization; NOT_FOUND for any other id (row-level security hides other organizations' teams). */
export async function getTeam(ctx: RequestContext, teamId: string): Promise<Team> {
  const organization = requireOrganization(ctx);
  const team = await ctx.tenant((tx) => repository.findTeamById(tx, organization.id, teamId));
  if (!team) throw notFound('Team');
  return team;
}

export async function getTeamByColour(ctx: RequestContext, orgId: string, colour: TeamColour): Promise<Team> {
  const team = await ctx.tenant((tx) => repository.findTeamByColour(tx, orgId, colour));
  if (!team) throw notFound('Team');
  return team;
}

export interface UpdateTeamInput {
  teamId: string;
  name?: { zh: string; en: string } | null | undefined;
  mission?: { zh: string; en: string } | null | undefined;
}

export async function updateTeam(ctx: RequestContext, input: UpdateTeamInput): Promise<Team> {
  const admin = await requireAdmin(ctx);
  const name = input.name && { zh: input.name.zh.trim(), en: input.name.en.trim() };
  const mission = input.mission && { zh: input.mission.zh.trim(), en: input.mission.en.trim() };
  new FieldChecker()
    .check(!name || name.zh.length > 0, 'name.zh', 'REQUIRED')
    .check(!name || name.en.length > 0, 'name.en', 'REQUIRED')
    .check(!name || name.zh.length <= TEAM_NAME_MAX.zh, 'name.zh', 'TOO_LONG')
    .check(!name || name.en.length <= TEAM_NAME_MAX.en, 'name.en', 'TOO_LONG')
    .check(!mission || mission.zh.length <= TEAM_MISSION_MAX.zh, 'mission.zh', 'TOO_LONG')
    .check(!mission || mission.en.length <= TEAM_MISSION_MAX.en, 'mission.en', 'TOO_LONG')
    .throwIfAny();

  return ctx.tenant(async (tx) => {
    const before = await repository.findTeamById(tx, admin.orgId, input.teamId);
    if (!before) throw notFound('Team');
    const changes = {
      ...(name && { nameZh: name.zh, nameEn: name.en }),
      ...(mission && { missionZh: mission.zh, missionEn: mission.en }),
    };
    if (Object.keys(changes).length === 0) return before;
    const team = await repository.updateTeam(tx, admin.orgId, input.teamId, changes);
    if (!team) throw notFound('Team');
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'team.updated',
      subjectType: 'team',
      subjectId: team.id,
      detail: {
        before: {
          nameZh: before.nameZh,
          nameEn: before.nameEn,
          missionZh: before.missionZh,
          missionEn: before.missionEn,
        },
        after: changes,
      },
    });
    return team;
  });
}
