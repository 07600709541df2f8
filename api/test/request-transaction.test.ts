/**
 * A GraphQL query's reads share one transaction (plugins/graphql.ts): with a
 * pool of three connections only one request may hold one, and many
 * concurrent queries that also read outside it (the viewer's organizations)
 * all answer, and answer right. A mutation still runs in its own transactions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activityOrganization,
  createActivity,
  localIn,
  SIGN_UP,
  type ActivityOrganization,
} from './activities-seed.ts';
import { expectNoErrors, TestApp } from './helper.ts';

const QUERY = `query {
  viewer { memberships { organization { slug } member { displayName } } }
  organization { teams { colour leads { id } } }
  activities(first: 10) { nodes { id confirmedCount team { colour } viewerSignUp { status } } }
}`;

interface Answer {
  viewer: { memberships: { organization: { slug: string } }[] };
  organization: { teams: { colour: string; leads: { id: string }[] }[] };
  activities: { nodes: { id: string; confirmedCount: number; team: { colour: string }; viewerSignUp: unknown }[] };
}

describe('one transaction per GraphQL query', () => {
  let testApp: TestApp;
  let org: ActivityOrganization;
  let activityId: string;

  beforeAll(async () => {
    testApp = await TestApp.start({ DATABASE_POOL_SIZE: '3' });
    org = await activityOrganization(testApp, 4);
    activityId = (
      await createActivity(org.lead, { teamId: org.teams['RED'] ?? '', startsAt: localIn(600), endsAt: localIn(660) })
    ).id;
    for (const { client } of org.members.slice(0, 2)) expectNoErrors(await client.gql(SIGN_UP, { id: activityId }));
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('answers many concurrent queries from a pool of three, each the same as alone', async () => {
    const clients = [org.admin, org.lead, ...org.members.map((member) => member.client)];
    const alone = await org.admin.gql<Answer>(QUERY);
    expectNoErrors(alone);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) => {
        const client = clients[index % clients.length];
        if (!client) throw new Error('client');
        return client.gql<Answer>(QUERY);
      }),
    );
    for (const answer of answers) {
      expectNoErrors(answer);
      expect(answer.data?.viewer.memberships.map((membership) => membership.organization.slug)).toEqual([org.slug]);
      expect(answer.data?.organization.teams).toEqual(alone.data?.organization.teams);
      const activity = answer.data?.activities.nodes.find((node) => node.id === activityId);
      expect(activity).toMatchObject({ confirmedCount: 2, team: { colour: 'RED' } });
    }
    expect(alone.data?.organization.teams.find((team) => team.colour === 'RED')?.leads).toEqual([
      { id: org.leadMemberId },
    ]);
  });
});
