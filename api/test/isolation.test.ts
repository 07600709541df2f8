/**
 * Tenancy through the API: a member of one organization, naming their own
 * organization or the other one, reaches nothing of the other by id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';

describe('organizations are isolated', () => {
  let testApp: TestApp;
  let outsider: Client;
  let victim: { slug: string; teamId: string; memberId: string };

  beforeAll(async () => {
    testApp = await TestApp.start();
    const victimAdmin = await testApp.signUp();
    const victimOrg = await victimAdmin.createOrganization('受害协会', 'victim-org');
    const teams = await victimAdmin.teams();
    victim = { slug: victimOrg.slug, teamId: teams['RED'] ?? '', memberId: '' };
    const victimMember = await testApp.signUp();
    victim.memberId = await testApp.addMember(victimOrg.id, victimMember);

    // An admin of their own organization: the strongest outsider.
    outsider = await testApp.signUp();
    await outsider.createOrganization('另一个协会', 'outsider-org');
  });
  afterAll(async () => {
    await testApp.close();
  });

  /** Every operation that takes an id, with another organization's ids. */
  const operations: { name: string; query: string; variables: () => Record<string, unknown> }[] = [
    // A team's name is public (the public page shows it); its members are not.
    {
      name: 'team (members)',
      query: `query ($id: ID!) { team(id: $id) { id members { nodes { id } } } }`,
      variables: () => ({ id: victim.teamId }),
    },
    {
      name: 'updateTeam',
      query: `mutation ($id: ID!) { updateTeam(input: { teamId: $id, name: { zh: "占领", en: "Taken" } }) { id } }`,
      variables: () => ({ id: victim.teamId }),
    },
    {
      name: 'setTeamLeads',
      query: `mutation ($id: ID!, $members: [ID!]!) { setTeamLeads(input: { teamId: $id, memberIds: $members }) { id } }`,
      variables: () => ({ id: victim.teamId, members: [] }),
    },
    {
      name: 'joinTeam',
      query: `mutation ($id: ID!) { joinTeam(teamId: $id) { id } }`,
      variables: () => ({ id: victim.teamId }),
    },
    {
      name: 'leaveTeam',
      query: `mutation ($id: ID!) { leaveTeam(teamId: $id) { id } }`,
      variables: () => ({ id: victim.teamId }),
    },
  ];

  for (const operation of operations) {
    it(`${operation.name}: NOT_FOUND naming their own organization`, async () => {
      expect(errorCode(await outsider.gql(operation.query, operation.variables()))).toBe('NOT_FOUND');
    });
    it(`${operation.name}: NOT_FOUND naming the other organization`, async () => {
      const result = await outsider.in(victim.slug).gql(operation.query, operation.variables());
      expect(errorCode(result)).toBe('NOT_FOUND');
    });
  }

  it('cannot make another organization’s member a lead of their own team', async () => {
    const ownTeams = await outsider.teams();
    const result = await outsider.gql(
      `mutation ($id: ID!, $members: [ID!]!) { setTeamLeads(input: { teamId: $id, memberIds: $members }) { id } }`,
      { id: ownTeams['RED'], members: [victim.memberId] },
    );
    expect(errorCode(result)).toBe('NOT_FOUND');
  });

  it('left the other organization unchanged', async () => {
    const result = await testApp
      .anonymous(victim.slug)
      .gql<{ organization: { teams: { name: { zh: string }; memberCount: number }[] } }>(
        `{ organization { teams { name { zh } memberCount } } }`,
      );
    expectNoErrors(result);
    expect(result.data?.organization.teams[0]).toEqual({ name: { zh: '红色旗帜' }, memberCount: 0 });
  });
});
