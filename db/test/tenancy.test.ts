import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  members,
  organizations,
  pgError,
  queryRows,
  teams,
  withTenant,
  type Database,
} from '../src/index.ts';
import { createTestDatabase, postgresReachable, type TestDatabase } from '../src/testing.ts';

const drivers = ['pglite', ...((await postgresReachable()) ? ['postgres' as const] : [])] as const;

describe.each(drivers)('tenancy on %s', (driver) => {
  let testDb: TestDatabase;
  let database: Database;
  const orgA = crypto.randomUUID();
  const orgB = crypto.randomUUID();

  /** Creates an organization with one team and one member, acting as that organization. */
  async function seedOrganization(orgId: string, slug: string) {
    await withTenant(database.db, { orgId, accountId: null }, async (tx) => {
      await tx.insert(organizations).values({ id: orgId, slug, name: `Org ${slug}` });
      await tx
        .insert(teams)
        .values({ orgId, colour: 'RED', nameZh: '红', nameEn: 'Red', missionZh: '', missionEn: '' });
      await tx.insert(members).values({ orgId, displayName: `member of ${slug}` });
      await tx.insert(auditLog).values({ orgId, action: 'seed', subjectType: 'organization', subjectId: orgId });
    });
  }

  beforeAll(async () => {
    testDb = await createTestDatabase(driver);
    database = await testDb.open();
    await seedOrganization(orgA, 'org-a');
    await seedOrganization(orgB, 'org-b');
  }, 60_000);

  afterAll(async () => {
    await testDb.drop();
  });

  it('applies every migration', async () => {
    const rows = await queryRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        'accounts',
        'audit_log',
        'members',
        'organizations',
        'sessions',
        'team_memberships',
        'teams',
      ]),
    );
  });

  it('shows only the organization that is set', async () => {
    const seen = await withTenant(database.db, { orgId: orgA, accountId: null }, async (tx) => ({
      teams: await tx.select({ orgId: teams.orgId }).from(teams),
      members: await tx.select({ orgId: members.orgId }).from(members),
      audit: await tx.select({ orgId: auditLog.orgId }).from(auditLog),
    }));
    expect(seen.teams).toEqual([{ orgId: orgA }]);
    expect(seen.members).toEqual([{ orgId: orgA }]);
    expect(seen.audit).toEqual([{ orgId: orgA }]);
  });

  it('cannot change or add rows of another organization', async () => {
    const updated = await withTenant(database.db, { orgId: orgA, accountId: null }, (tx) =>
      tx
        .update(teams)
        .set({ nameEn: 'taken over' })
        .where(sql`${teams.orgId} = ${orgB}`)
        .returning({ id: teams.id }),
    );
    expect(updated).toEqual([]);

    const insertIntoB = withTenant(database.db, { orgId: orgA, accountId: null }, (tx) =>
      tx.insert(members).values({ orgId: orgB, displayName: 'intruder' }),
    );
    await expect(insertIntoB).rejects.toSatisfy((error) => pgError(error)?.code === '42501');

    const bTeams = await withTenant(database.db, { orgId: orgB, accountId: null }, (tx) =>
      tx.select({ nameEn: teams.nameEn }).from(teams),
    );
    expect(bTeams).toEqual([{ nameEn: 'Red' }]);
  });

  it('shows nothing when no organization is set', async () => {
    const counts = await withTenant(database.db, { orgId: null, accountId: null }, async (tx) => {
      const result = await queryRows<{ teams: number; members: number; memberships: number; audit: number }>(
        tx,
        sql`
        select (select count(*)::int from teams) as teams, (select count(*)::int from members) as members,
               (select count(*)::int from team_memberships) as memberships, (select count(*)::int from audit_log) as audit`,
      );
      return result[0];
    });
    expect(counts).toEqual({ teams: 0, members: 0, memberships: 0, audit: 0 });
    // Outside any tenant transaction, too.
    const outside = await database.db.select().from(members);
    expect(outside).toEqual([]);
  });

  it('runs as a role that is not a superuser, cannot bypass RLS and owns no table', async () => {
    const [role] = await queryRows<{ name: string; superuser: boolean; bypass: boolean; owned: number }>(
      database.db,
      sql`
      select current_user as name, rolsuper as superuser, rolbypassrls as bypass,
             (select count(*)::int from pg_tables where schemaname = 'public' and tableowner = current_user) as owned
      from pg_roles where rolname = current_user`,
    );
    expect(role).toEqual({ name: 'qicai_app', superuser: false, bypass: false, owned: 0 });
  });

  it('has row-level security enabled and forced on every table with an org_id', async () => {
    const tables = await queryRows<{ table: string; enabled: boolean; forced: boolean; policies: number }>(
      database.db,
      sql`
      select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
             (select count(*)::int from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname) as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped)
      order by 1`,
    );
    expect(tables.length).toBeGreaterThanOrEqual(4);
    for (const table of tables) {
      expect(table, table.table).toMatchObject({ enabled: true, forced: true });
      expect(table.policies, table.table).toBeGreaterThan(0);
    }
  });

  it('keeps the audit log append-only', async () => {
    const update = withTenant(database.db, { orgId: orgA, accountId: null }, (tx) =>
      tx.update(auditLog).set({ action: 'forged' }),
    );
    await expect(update).rejects.toSatisfy((error) => pgError(error)?.code === '42501');
    const remove = withTenant(database.db, { orgId: orgA, accountId: null }, (tx) => tx.delete(auditLog));
    await expect(remove).rejects.toSatisfy((error) => pgError(error)?.code === '42501');
  });

  it('keeps every team: the application cannot delete one', async () => {
    const remove = withTenant(database.db, { orgId: orgA, accountId: null }, (tx) => tx.delete(teams));
    await expect(remove).rejects.toSatisfy((error) => pgError(error)?.code === '42501');
  });
});
