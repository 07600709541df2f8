import { teams, type Db, type Team, type TeamColour } from '@qicai/db';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { isAnyOf } from '../../shared/sql.ts';

export async function findTeamsOfOrganizations(db: Db, orgIds: string[]): Promise<Team[]> {
  // The colour enum is declared in the article's order, so ordering by it gives red … blue.
  return db.select().from(teams).where(inArray(teams.orgId, orgIds)).orderBy(asc(teams.colour));
}

export async function findTeamById(db: Db, orgId: string, id: string): Promise<Team | undefined> {
  const [team] = await db
    .select()
    .from(teams)
    .where(and(eq(teams.orgId, orgId), eq(teams.id, id)));
  return team;
}

export async function findTeamByColour(db: Db, orgId: string, colour: TeamColour): Promise<Team | undefined> {
  const [team] = await db
    .select()
    .from(teams)
    .where(and(eq(teams.orgId, orgId), eq(teams.colour, colour)));
  return team;
}

export async function insertTeams(db: Db, values: (typeof teams.$inferInsert)[]): Promise<Team[]> {
  return db.insert(teams).values(values).returning();
}

export async function updateTeam(
  db: Db,
  orgId: string,
  id: string,
  changes: Partial<Pick<Team, 'nameZh' | 'nameEn' | 'missionZh' | 'missionEn'>>,
): Promise<Team | undefined> {
  const [team] = await db
    .update(teams)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(teams.orgId, orgId), eq(teams.id, id)))
    .returning();
  return team;
}

/** Which of these ids are teams of the organization. */
export async function countTeams(db: Db, orgId: string, teamIds: string[]): Promise<number> {
  if (teamIds.length === 0) return 0;
  const [row] = await db
    .select({ teams: count() })
    .from(teams)
    .where(and(eq(teams.orgId, orgId), inArray(teams.id, teamIds)));
  return row?.teams ?? 0;
}

export async function findTeamsByIds(db: Db, orgId: string, ids: string[]): Promise<Team[]> {
  return db
    .select()
    .from(teams)
    .where(and(eq(teams.orgId, orgId), isAnyOf(teams.id, ids)));
}
