import { auditLog, withTenant } from '@qicai/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, expectNoErrors, TestApp } from './helper.ts';

const ORGANIZATION = `{
  organization {
    name slug timeZone defaultLocale memberCount viewerIsAdmin
    viewerMember { role }
    teams { colour name { zh en } mission { zh en } memberCount leads { displayName } }
  }
}`;

interface OrganizationData {
  organization: {
    name: string;
    memberCount: number;
    viewerIsAdmin: boolean;
    viewerMember: { role: string } | null;
    teams: {
      colour: string;
      name: { zh: string; en: string };
      mission: { zh: string; en: string };
      memberCount: number;
    }[];
  } | null;
}

describe('organizations', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await TestApp.start();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('creates an organization with exactly the seven colours; its creator is the admin', async () => {
    const owner = await testApp.signUp({ displayName: '李华' });
    const created = await owner.createOrganization('岳阳县七彩之光志愿者协会', 'yueyang-test');
    const result = await owner.gql<OrganizationData>(ORGANIZATION);
    expectNoErrors(result);
    const organization = result.data?.organization;
    expect(organization).toMatchObject({
      name: '岳阳县七彩之光志愿者协会',
      memberCount: 1,
      viewerIsAdmin: true,
      viewerMember: { role: 'ADMIN' },
    });
    expect(organization?.teams.map((team) => team.colour)).toEqual([
      'RED',
      'GREEN',
      'WHITE',
      'ORANGE',
      'PURPLE',
      'GOLD',
      'BLUE',
    ]);
    expect(organization?.teams[0]?.name).toEqual({ zh: '红色旗帜', en: 'Red Banner' });
    expect(organization?.teams[2]?.name).toEqual({ zh: '白色天使', en: 'White Angels' });
    expect(organization?.teams.every((team) => team.mission.zh.length > 0 && team.mission.en.length > 0)).toBe(true);

    const audit = await withTenant(testApp.database.db, { orgId: created.id, accountId: null }, (tx) =>
      tx.select({ action: auditLog.action }).from(auditLog),
    );
    expect(audit).toEqual([{ action: 'organization.created' }]);
  });

  it('shows the organization and its teams to the public, and nothing of its members', async () => {
    const owner = await testApp.signUp();
    const { slug } = await owner.createOrganization('公开协会', 'public-page-test');
    const publicView = await testApp.anonymous(slug).gql<OrganizationData>(ORGANIZATION);
    expectNoErrors(publicView);
    expect(publicView.data?.organization).toMatchObject({ name: '公开协会', viewerIsAdmin: false, viewerMember: null });
    expect(publicView.data?.organization?.teams).toHaveLength(7);

    const members = await testApp.anonymous(slug).gql(`{ organization { teams { members { nodes { id } } } } }`);
    expect(errorCode(members)).toBe('UNAUTHENTICATED');
    const outsider = (await testApp.signUp()).in(slug);
    expect(errorCode(await outsider.gql(`{ organization { teams { members { nodes { id } } } } }`))).toBe('NOT_FOUND');
  });

  it('answers null for an unknown organization', async () => {
    const result = await testApp.anonymous('no-such-org').gql<OrganizationData>(ORGANIZATION);
    expect(result).toEqual({ data: { organization: null } });
  });

  it('refuses a taken or malformed slug, and needs a signed-in person', async () => {
    const owner = await testApp.signUp();
    await owner.createOrganization('第一个', 'taken-slug');
    const taken = await owner.gql(
      `mutation { createOrganization(input: { name: "第二个", slug: "taken-slug" }) { id } }`,
    );
    expect(taken.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION', fields: { slug: 'TAKEN' } });
    const malformed = await owner.gql(
      `mutation { createOrganization(input: { name: "x", slug: "Not A Slug", timeZone: "Mars/Olympus" }) { id } }`,
    );
    expect(malformed.errors?.[0]?.extensions?.fields).toEqual({
      name: 'TOO_SHORT',
      slug: 'INVALID_SLUG',
      timeZone: 'INVALID_TIME_ZONE',
    });
    const anonymous = await testApp
      .anonymous()
      .gql(`mutation { createOrganization(input: { name: "匿名", slug: "anon-org" }) { id } }`);
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
  });

  it('lists the viewer’s organizations', async () => {
    const person = await testApp.signUp();
    await person.createOrganization('甲协会', 'org-jia');
    await person.createOrganization('乙协会', 'org-yi');
    const result = await person
      .in(null)
      .gql<{ viewer: { memberships: { organization: { slug: string }; member: { role: string } }[] } }>(
        `{ viewer { memberships { organization { slug } member { role } } } }`,
      );
    expect(result.data?.viewer.memberships).toEqual([
      { organization: { slug: 'org-jia' }, member: { role: 'ADMIN' } },
      { organization: { slug: 'org-yi' }, member: { role: 'ADMIN' } },
    ]);

    // Signing in answers with them too (the request began signed out).
    await person.gql('mutation { signOut }');
    const signedIn = await person.gql<{ signIn: { memberships: { organization: { slug: string } }[] } }>(
      `mutation ($input: SignInInput!) { signIn(input: $input) { memberships { organization { slug } } } }`,
      { input: { login: person.email ?? '', password: 'correct horse battery' } },
    );
    expect(signedIn.data?.signIn.memberships.map((membership) => membership.organization.slug)).toEqual([
      'org-jia',
      'org-yi',
    ]);
  });
});
