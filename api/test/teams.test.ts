import { auditLog, withTenant } from '@qicai/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';

const UPDATE_TEAM = `mutation ($input: UpdateTeamInput!) { updateTeam(input: $input) { id name { zh en } mission { zh en } } }`;
const SET_LEADS = `mutation ($input: SetTeamLeadsInput!) { setTeamLeads(input: $input) { id leads { id displayName } } }`;

describe('teams', () => {
  let testApp: TestApp;
  let admin: Client;
  let member: Client;
  let orgId: string;
  let teamIds: Record<string, string>;
  let memberId: string;

  beforeAll(async () => {
    testApp = await TestApp.start();
    admin = await testApp.signUp({ displayName: '管理员' });
    orgId = (await admin.createOrganization()).id;
    teamIds = await admin.teams();
    member = (await testApp.signUp({ displayName: '队员' })).in(admin.org);
    memberId = await testApp.addMember(orgId, member);
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('lets an admin rename a team and change its mission, and audits it', async () => {
    const result = await admin.gql<{ updateTeam: { name: { zh: string; en: string } } }>(UPDATE_TEAM, {
      input: {
        teamId: teamIds['RED'],
        name: { zh: ' 红旗先锋队 ', en: 'Red Flag Vanguard' },
        mission: { zh: '党课下乡', en: 'Lectures' },
      },
    });
    expectNoErrors(result);
    expect(result.data?.updateTeam).toMatchObject({
      name: { zh: '红旗先锋队', en: 'Red Flag Vanguard' },
      mission: { zh: '党课下乡', en: 'Lectures' },
    });
    const audit = await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, 'team.updated')),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.detail).toMatchObject({ before: { nameZh: '红色旗帜' }, after: { nameZh: '红旗先锋队' } });
  });

  it('refuses an empty or too long name, changing nothing', async () => {
    const result = await admin.gql(UPDATE_TEAM, {
      input: { teamId: teamIds['GREEN'], name: { zh: '', en: 'x'.repeat(61) } },
    });
    expect(result.errors?.[0]?.extensions).toEqual({
      code: 'VALIDATION',
      fields: { 'name.zh': 'REQUIRED', 'name.en': 'TOO_LONG' },
    });
    const team = await admin.gql<{ team: { name: { zh: string } } }>(
      `query ($id: ID!) { team(id: $id) { name { zh } } }`,
      { id: teamIds['GREEN'] },
    );
    expect(team.data?.team.name.zh).toBe('绿色卫士');
  });

  it('does not let a member or a lead edit teams', async () => {
    const asMember = await member.gql(UPDATE_TEAM, {
      input: { teamId: teamIds['WHITE'], name: { zh: '改名', en: 'Renamed' } },
    });
    expect(errorCode(asMember)).toBe('FORBIDDEN');
    const leads = await member.gql(SET_LEADS, { input: { teamId: teamIds['WHITE'], memberIds: [memberId] } });
    expect(errorCode(leads)).toBe('FORBIDDEN');
    const view = await member.gql<{ team: { viewerCanEdit: boolean } }>(
      `query ($id: ID!) { team(id: $id) { viewerCanEdit } }`,
      {
        id: teamIds['WHITE'],
      },
    );
    expect(view.data?.team.viewerCanEdit).toBe(false);
  });

  it('sets leads: they join the team and become LEAD; replaced leads go back to MEMBER', async () => {
    const set = await admin.gql<{ setTeamLeads: { leads: { id: string }[] } }>(SET_LEADS, {
      input: { teamId: teamIds['GOLD'], memberIds: [memberId] },
    });
    expectNoErrors(set);
    expect(set.data?.setTeamLeads.leads.map((lead) => lead.id)).toEqual([memberId]);
    const role = () =>
      member.gql<{ organization: { viewerMember: { role: string } } }>(`{ organization { viewerMember { role } } }`);
    expect((await role()).data?.organization.viewerMember.role).toBe('LEAD');

    const cleared = await admin.gql<{ setTeamLeads: { leads: unknown[] } }>(SET_LEADS, {
      input: { teamId: teamIds['GOLD'], memberIds: [] },
    });
    expect(cleared.data?.setTeamLeads.leads).toEqual([]);
    expect((await role()).data?.organization.viewerMember.role).toBe('MEMBER');
    // Still a member of the team.
    const gold = await member.gql<{ team: { viewerIsMember: boolean } }>(
      `query ($id: ID!) { team(id: $id) { viewerIsMember } }`,
      { id: teamIds['GOLD'] },
    );
    expect(gold.data?.team.viewerIsMember).toBe(true);
  });

  it('lets members join and leave teams, and counts them', async () => {
    const count = async () =>
      (
        await member.gql<{ team: { memberCount: number; viewerIsMember: boolean } }>(
          `query ($id: ID!) { team(id: $id) { memberCount viewerIsMember } }`,
          {
            id: teamIds['BLUE'],
          },
        )
      ).data?.team;
    expect(await count()).toEqual({ memberCount: 0, viewerIsMember: false });
    expectNoErrors(await member.gql(`mutation ($id: ID!) { joinTeam(teamId: $id) { id } }`, { id: teamIds['BLUE'] }));
    expectNoErrors(await member.gql(`mutation ($id: ID!) { joinTeam(teamId: $id) { id } }`, { id: teamIds['BLUE'] }));
    expect(await count()).toEqual({ memberCount: 1, viewerIsMember: true });
    expectNoErrors(await member.gql(`mutation ($id: ID!) { leaveTeam(teamId: $id) { id } }`, { id: teamIds['BLUE'] }));
    expect(await count()).toEqual({ memberCount: 0, viewerIsMember: false });
  });

  it('pages through a team’s members, leads first, in a fixed number of statements', async () => {
    const teamId = teamIds['PURPLE'];
    const joined: string[] = [];
    for (let i = 0; i < 12; i++) {
      const person = (await testApp.signUp()).in(admin.org);
      joined.push(await testApp.addMember(orgId, person));
      expectNoErrors(await person.gql(`mutation ($id: ID!) { joinTeam(teamId: $id) { id } }`, { id: teamId }));
    }
    expectNoErrors(await admin.gql(SET_LEADS, { input: { teamId, memberIds: [joined[7]] } }));

    const PAGE = `query ($id: ID!, $first: Int!, $after: String) {
      team(id: $id) { members(first: $first, after: $after) { nodes { id displayName teams { colour } } pageInfo { hasNextPage endCursor } } }
    }`;
    type Page = {
      team: { members: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    };
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof member.gql<Page>>> = await member.gql<Page>(PAGE, {
        id: teamId,
        first: 5,
        after,
      });
      expectNoErrors(page);
      const members = page.data?.team.members;
      seen.push(...(members?.nodes.map((node) => node.id) ?? []));
      if (!members?.pageInfo.hasNextPage) break;
      after = members.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect(seen[0]).toBe(joined[7]);

    const statementsFor = async (first: number) => {
      const before = testApp.statements;
      expectNoErrors(await member.gql(PAGE, { id: teamId, first }));
      return testApp.statements - before;
    };
    expect(await statementsFor(2)).toBe(await statementsFor(12));
  });
});
