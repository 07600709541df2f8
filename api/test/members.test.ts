/**
 * Members: profiles, who sees what (through every GraphQL path), the roster
 * list, and roles with the last-admin rule under concurrency.
 */
import { auditLog, members, withTenant } from '@qicai/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';
import { addRosterMember, SET_ROLE, signedInMember, UPDATE_MEMBER } from './members-seed.ts';

const PERSONAL = 'phone email gender politicalStatus partyStage workUnit skills joinedOn active';

describe('member profiles', () => {
  let testApp: TestApp;
  let admin: Client;
  let orgId: string;
  let teams: Record<string, string>;

  beforeAll(async () => {
    testApp = await TestApp.start();
    admin = await testApp.signUp({ displayName: '周丽华', phone: '13800000001' });
    orgId = (await admin.createOrganization()).id;
    teams = await admin.teams();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('gives the organization’s creator their account’s mobile number on the roster', async () => {
    const result = await admin.gql<{ organization: { viewerMember: { phone: string; role: string } } }>(
      `{ organization { viewerMember { phone role } } }`,
    );
    expect(result.data?.organization.viewerMember).toEqual({ phone: '13800000001', role: 'ADMIN' });
  });

  it('lets an admin add a member with a Chinese name of any length, and validates the phone', async () => {
    const longName = '阿卜杜热依木·买买提艾力·克里木江';
    const id = await addRosterMember(admin, {
      displayName: `  ${longName} `,
      phone: '+86 139-0000-0001',
      email: 'Abudu@Example.CN',
      gender: 'MALE',
      politicalStatus: 'CPC_MEMBER',
      workUnit: '县人民医院',
      skills: ['急救', ' 驾驶 ', '急救'],
      teamIds: [teams['WHITE'] ?? ''],
    });
    const result = await admin.gql<{ organization: { member: Record<string, unknown> } }>(
      `query ($id: ID!) { organization { member(id: $id) { displayName ${PERSONAL} teams { colour } hasAccount } } }`,
      { id },
    );
    expectNoErrors(result);
    expect(result.data?.organization.member).toMatchObject({
      displayName: longName,
      phone: '13900000001',
      email: 'abudu@example.cn',
      gender: 'MALE',
      politicalStatus: 'CPC_MEMBER',
      partyStage: null,
      workUnit: '县人民医院',
      skills: ['急救', '驾驶'],
      active: true,
      teams: [{ colour: 'WHITE' }],
      hasAccount: false,
    });

    const bad = await admin.gql(
      `mutation { createMember(input: { displayName: "", phone: "12345", email: "x@" }) { id } }`,
    );
    expect(bad.errors?.[0]?.extensions).toEqual({
      code: 'VALIDATION',
      fields: { displayName: 'REQUIRED', phone: 'INVALID_PHONE', email: 'INVALID_EMAIL' },
    });
    const taken = await admin.gql(
      `mutation { createMember(input: { displayName: "重号", phone: "13900000001" }) { id } }`,
    );
    expect(taken.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION', fields: { phone: 'TAKEN' } });
  });

  it('keeps phones unique per organization only: the same person may be on two rosters', async () => {
    const other = await testApp.signUp();
    await other.createOrganization('另一个协会');
    const id = await addRosterMember(other, { displayName: '同一人', phone: '13900000001' });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lets members edit their own profile, not another’s, and not what admins decide', async () => {
    const { client, memberId } = await signedInMember(testApp, admin, orgId);
    const own = await client.gql<{ updateMember: Record<string, unknown> }>(UPDATE_MEMBER, {
      input: {
        memberId,
        displayName: '欧阳娜娜',
        phone: '13900000002',
        gender: 'FEMALE',
        workUnit: '县教育局',
        skills: ['教学', '手语'],
      },
    });
    expectNoErrors(own);
    expect(own.data?.updateMember).toMatchObject({
      displayName: '欧阳娜娜',
      phone: '13900000002',
      gender: 'FEMALE',
      workUnit: '县教育局',
      skills: ['教学', '手语'],
    });
    const clear = await client.gql<{ updateMember: { workUnit: string | null } }>(UPDATE_MEMBER, {
      input: { memberId, workUnit: null },
    });
    expect(clear.data?.updateMember.workUnit).toBeNull();

    const status = await client.gql(UPDATE_MEMBER, { input: { memberId, politicalStatus: 'CPC_MEMBER' } });
    expect(errorCode(status)).toBe('FORBIDDEN');
    const stage = await client.gql(UPDATE_MEMBER, { input: { memberId, partyStage: 'ACTIVIST' } });
    expect(errorCode(stage)).toBe('FORBIDDEN');
    const someoneElse = await addRosterMember(admin, { displayName: '别人', phone: '13900000003' });
    const other = await client.gql(UPDATE_MEMBER, { input: { memberId: someoneElse, displayName: '改名' } });
    expect(errorCode(other)).toBe('FORBIDDEN');
    const taken = await client.gql(UPDATE_MEMBER, { input: { memberId, phone: '13900000003' } });
    expect(taken.errors?.[0]?.extensions?.fields).toEqual({ phone: 'TAKEN' });

    const byAdmin = await admin.gql<{ updateMember: { politicalStatus: string; partyStage: string | null } }>(
      UPDATE_MEMBER,
      {
        input: {
          memberId,
          politicalStatus: 'CYL_MEMBER',
          partyStage: 'ACTIVIST',
          teamIds: [teams['GOLD'], teams['RED']],
        },
      },
    );
    expectNoErrors(byAdmin);
    expect(byAdmin.data?.updateMember).toMatchObject({ politicalStatus: 'CYL_MEMBER', partyStage: 'ACTIVIST' });
    const audit = await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
      tx
        .select({ detail: auditLog.detail })
        .from(auditLog)
        .where(and(eq(auditLog.action, 'member.updated'), eq(auditLog.subjectId, memberId))),
    );
    expect(audit.at(-1)?.detail).toEqual({ fields: ['politicalStatus', 'partyStage', 'teams'] });

    // 发展对象 → 中共预备党员: joining the party ends the stage; a stage beside a party member is refused.
    const joined = await admin.gql<{ updateMember: { politicalStatus: string; partyStage: string | null } }>(
      UPDATE_MEMBER,
      { input: { memberId, politicalStatus: 'CPC_PROBATIONARY_MEMBER' } },
    );
    expectNoErrors(joined);
    expect(joined.data?.updateMember).toMatchObject({ politicalStatus: 'CPC_PROBATIONARY_MEMBER', partyStage: null });
    const refused = await admin.gql(UPDATE_MEMBER, { input: { memberId, partyStage: 'CANDIDATE' } });
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION', fields: { partyStage: 'NOT_ALLOWED' } });
    const both = await admin.gql(UPDATE_MEMBER, {
      input: { memberId, politicalStatus: 'CPC_MEMBER', partyStage: 'ACTIVIST' },
    });
    expect(both.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION', fields: { partyStage: 'NOT_ALLOWED' } });
  });
});

describe('privacy: phone and email for admins and the member’s leads only', () => {
  let testApp: TestApp;
  let admin: Client;
  let orgId: string;
  let teams: Record<string, string>;
  let subjectId: string;
  let redLead: Client;
  let blueLead: Client;
  let plainMember: Client;
  let subject: Client;

  const setLeads = (teamId: string, memberIds: string[]) =>
    admin.gql(`mutation ($input: SetTeamLeadsInput!) { setTeamLeads(input: $input) { id } }`, {
      input: { teamId, memberIds },
    });

  beforeAll(async () => {
    testApp = await TestApp.start();
    admin = await testApp.signUp();
    orgId = (await admin.createOrganization()).id;
    teams = await admin.teams();
    const subjectMember = await signedInMember(testApp, admin, orgId);
    subject = subjectMember.client;
    subjectId = subjectMember.memberId;
    expectNoErrors(
      await admin.gql(UPDATE_MEMBER, {
        input: { memberId: subjectId, phone: '13700000001', email: 'subject@example.cn', teamIds: [teams['RED']] },
      }),
    );
    const red = await signedInMember(testApp, admin, orgId);
    redLead = red.client;
    expectNoErrors(await setLeads(teams['RED'] ?? '', [red.memberId]));
    const blue = await signedInMember(testApp, admin, orgId);
    blueLead = blue.client;
    expectNoErrors(await setLeads(teams['BLUE'] ?? '', [blue.memberId]));
    plainMember = (await signedInMember(testApp, admin, orgId)).client;
  });
  afterAll(async () => {
    await testApp.close();
  });

  /** The subject's phone and email as a viewer sees them through one query. */
  type Seen = { phone: string | null; email: string | null; workUnit?: string | null } | undefined;
  const paths: { name: string; read: (viewer: Client) => Promise<Seen> }[] = [
    {
      name: 'organization.member',
      read: async (viewer) =>
        (
          await viewer.gql<{ organization: { member: Seen } }>(
            `query ($id: ID!) { organization { member(id: $id) { phone email } } }`,
            { id: subjectId },
          )
        ).data?.organization.member,
    },
    {
      name: 'organization.members (roster)',
      read: async (viewer) => {
        const result = await viewer.gql<{
          organization: { members: { nodes: (NonNullable<Seen> & { id: string })[] } };
        }>(`{ organization { members(first: 100) { nodes { id phone email } } } }`);
        return result.data?.organization.members.nodes.find((node) => node.id === subjectId);
      },
    },
    {
      name: 'team.members',
      read: async (viewer) => {
        const result = await viewer.gql<{ team: { members: { nodes: (NonNullable<Seen> & { id: string })[] } } }>(
          `query ($id: ID!) { team(id: $id) { members { nodes { id phone email } } } }`,
          { id: teams['RED'] },
        );
        return result.data?.team.members.nodes.find((node) => node.id === subjectId);
      },
    },
  ];

  for (const path of paths) {
    it(`${path.name}: admins and the member’s own lead see them; other leads and members do not`, async () => {
      const visible = { phone: '13700000001', email: 'subject@example.cn' };
      const hidden = { phone: null, email: null };
      expect(await path.read(admin)).toMatchObject(visible);
      expect(await path.read(redLead)).toMatchObject(visible);
      expect(await path.read(subject)).toMatchObject(visible);
      expect(await path.read(blueLead)).toMatchObject(hidden);
      expect(await path.read(plainMember)).toMatchObject(hidden);
    });
  }

  it('shows other members names, teams and roles, and none of the personal fields', async () => {
    const result = await plainMember.gql<{ organization: { member: Record<string, unknown> } }>(
      `query ($id: ID!) { organization { member(id: $id) { displayName role teams { colour } ${PERSONAL} hasAccount viewerCanSeePersonal } } }`,
      { id: subjectId },
    );
    expectNoErrors(result);
    expect(result.data?.organization.member).toMatchObject({
      role: 'MEMBER',
      teams: [{ colour: 'RED' }],
      phone: null,
      email: null,
      gender: null,
      politicalStatus: null,
      partyStage: null,
      workUnit: null,
      skills: null,
      joinedOn: null,
      active: null,
      hasAccount: null,
      viewerCanSeePersonal: false,
    });
  });

  it('does not let a member search the roster by phone, nor filter by what they cannot see', async () => {
    const byPhone = await plainMember.gql<{ organization: { members: { nodes: unknown[]; totalCount: number } } }>(
      `{ organization { members(search: "13700000001") { nodes { id } totalCount } } }`,
    );
    expect(byPhone.data?.organization.members).toEqual({ nodes: [], totalCount: 0 });
    const asAdmin = await admin.gql<{ organization: { members: { nodes: { id: string }[] } } }>(
      `{ organization { members(search: "1370000") { nodes { id } } } }`,
    );
    expect(asAdmin.data?.organization.members.nodes).toEqual([{ id: subjectId }]);
    const filtered = await plainMember.gql(
      `{ organization { members(filter: { politicalStatus: CPC_MEMBER }) { nodes { id } } } }`,
    );
    expect(errorCode(filtered)).toBe('FORBIDDEN');
  });

  it('shows nothing of the roster to outsiders', async () => {
    const outsider = (await testApp.signUp()).in(admin.org);
    expect(errorCode(await outsider.gql(`{ organization { members { nodes { id } } } }`))).toBe('NOT_FOUND');
    expect(
      errorCode(await outsider.gql(`query ($id: ID!) { organization { member(id: $id) { id } } }`, { id: subjectId })),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(await testApp.anonymous(admin.org ?? '').gql(`{ organization { members { nodes { id } } } }`)),
    ).toBe('UNAUTHENTICATED');
  });
});

describe('the roster list', () => {
  let testApp: TestApp;
  let admin: Client;
  let teams: Record<string, string>;
  const people = [
    {
      displayName: '张伟',
      phone: '13600000001',
      workUnit: '县人民医院',
      skills: ['急救'],
      politicalStatus: 'CPC_MEMBER' as const,
    },
    {
      displayName: '张秀英',
      phone: '13600000002',
      workUnit: '县教育局',
      skills: ['教学'],
      politicalStatus: 'MASSES' as const,
    },
    {
      displayName: '李娜',
      phone: '13600000003',
      workUnit: '县人民医院',
      skills: ['护理', '急救'],
      politicalStatus: 'MASSES' as const,
      partyStage: 'ACTIVIST' as const,
    },
    {
      displayName: '王强',
      phone: '13600000004',
      workUnit: '县司法局',
      skills: ['法律咨询'],
      politicalStatus: 'CPC_MEMBER' as const,
    },
  ];

  beforeAll(async () => {
    testApp = await TestApp.start();
    admin = await testApp.signUp({ displayName: '管理员' });
    await admin.createOrganization();
    teams = await admin.teams();
    for (const [index, person] of people.entries()) {
      await addRosterMember(admin, {
        ...person,
        teamIds: [index % 2 === 0 ? (teams['RED'] ?? '') : (teams['BLUE'] ?? '')],
      });
    }
    for (let index = 0; index < 30; index++) {
      await addRosterMember(admin, {
        displayName: `队员${String(index).padStart(2, '0')}`,
        phone: `1350000${String(index).padStart(4, '0')}`,
      });
    }
  });
  afterAll(async () => {
    await testApp.close();
  });

  const names = async (args: string) => {
    const result = await admin.gql<{
      organization: { members: { nodes: { displayName: string }[]; totalCount: number } };
    }>(`{ organization { members(${args}) { nodes { displayName } totalCount } } }`);
    expectNoErrors(result);
    return result.data?.organization.members;
  };

  it('searches names, phones, work units and skills', async () => {
    expect((await names('search: "张"'))?.nodes.map((node) => node.displayName)).toEqual(['张伟', '张秀英']);
    expect((await names('search: "136 0000 0003"'))?.nodes.map((node) => node.displayName)).toEqual(['李娜']);
    expect((await names('search: "人民医院"'))?.totalCount).toBe(2);
    expect((await names('search: "急救"'))?.nodes.map((node) => node.displayName)).toEqual(['张伟', '李娜']);
    expect((await names('search: "100%_"'))?.totalCount).toBe(0);
  });

  it('filters by team, 政治面貌, party stage, role, skill and status, and sorts', async () => {
    expect((await names(`filter: { teamId: "${teams['RED']}" }`))?.nodes.map((node) => node.displayName)).toEqual([
      '张伟',
      '李娜',
    ]);
    expect((await names('filter: { politicalStatus: CPC_MEMBER }'))?.nodes.map((node) => node.displayName)).toEqual([
      '张伟',
      '王强',
    ]);
    expect((await names('filter: { partyStage: ACTIVIST }'))?.nodes.map((node) => node.displayName)).toEqual(['李娜']);
    expect((await names('filter: { role: ADMIN }'))?.nodes.map((node) => node.displayName)).toEqual(['管理员']);
    expect((await names('filter: { skill: "护理" }'))?.nodes.map((node) => node.displayName)).toEqual(['李娜']);
    expect((await names('filter: { status: INACTIVE }'))?.totalCount).toBe(0);
    const descending = await names('sort: NAME_DESC, first: 3');
    expect(descending?.nodes.map((node) => node.displayName)).toEqual(['队员29', '队员28', '队员27']);
  });

  it('pages with cursors in every order, in a number of statements that does not grow with the page', async () => {
    const PAGE = `query ($first: Int!, $after: String, $sort: MemberSort) { organization { members(first: $first, after: $after, sort: $sort) {
      nodes { id displayName phone teams { colour } } pageInfo { hasNextPage endCursor } totalCount } } }`;
    type Page = {
      organization: {
        members: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string }; totalCount: number };
      };
    };
    for (const sort of ['NAME', 'NAME_DESC', 'JOINED_NEWEST', 'JOINED_OLDEST']) {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Awaited<ReturnType<typeof admin.gql<Page>>> = await admin.gql<Page>(PAGE, {
          first: 7,
          after,
          sort,
        });
        expectNoErrors(page);
        const connection = page.data?.organization.members;
        expect(connection?.totalCount).toBe(35);
        seen.push(...(connection?.nodes.map((node) => node.id) ?? []));
        if (!connection?.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      expect(seen, sort).toHaveLength(35);
      expect(new Set(seen).size, sort).toBe(35);
    }
    const wrongSort = await admin.gql<Page>(PAGE, { first: 2, sort: 'NAME' });
    const reused = await admin.gql(PAGE, {
      first: 2,
      sort: 'JOINED_NEWEST',
      after: wrongSort.data?.organization.members.pageInfo.endCursor,
    });
    expect(reused.errors?.[0]?.extensions?.fields).toEqual({ after: 'INVALID_CURSOR' });

    const statementsFor = async (first: number) => {
      const before = testApp.statements;
      expectNoErrors(await admin.gql(PAGE, { first }));
      return testApp.statements - before;
    };
    expect(await statementsFor(2)).toBe(await statementsFor(30));
  });

  it('keeps the lead check of a page of members to one statement for a lead', async () => {
    const lead = (
      await signedInMember(
        testApp,
        admin,
        (await admin.gql<{ organization: { id: string } }>(`{ organization { id } }`)).data?.organization.id ?? '',
      )
    ).client;
    const leadId = (
      await lead.gql<{ organization: { viewerMember: { id: string } } }>(`{ organization { viewerMember { id } } }`)
    ).data?.organization.viewerMember.id;
    expectNoErrors(
      await admin.gql(`mutation ($input: SetTeamLeadsInput!) { setTeamLeads(input: $input) { id } }`, {
        input: { teamId: teams['RED'], memberIds: [leadId] },
      }),
    );
    const statementsFor = async (first: number) => {
      const before = testApp.statements;
      const result = await lead.gql<{
        organization: { members: { nodes: { displayName: string; phone: string | null }[] } };
      }>(`query ($first: Int!) { organization { members(first: $first) { nodes { displayName phone email } } } }`, {
        first,
      });
      expectNoErrors(result);
      return { statements: testApp.statements - before, nodes: result.data?.organization.members.nodes ?? [] };
    };
    const small = await statementsFor(3);
    const large = await statementsFor(40);
    expect(small.statements).toBe(large.statements);
    // The red team's members (张伟, 李娜) show their phones to its lead; the others (the lead's own has none) do not.
    expect(
      large.nodes
        .filter((node) => node.phone !== null)
        .map((node) => node.displayName)
        .sort(),
    ).toEqual(['张伟', '李娜'].sort());
  });
});

describe('roles: the last admin', () => {
  let testApp: TestApp;
  let admin: Client;
  let orgId: string;

  beforeAll(async () => {
    testApp = await TestApp.start();
    admin = await testApp.signUp();
    orgId = (await admin.createOrganization()).id;
  });
  afterAll(async () => {
    await testApp.close();
  });

  const adminCount = async () => {
    const rows = await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
      tx
        .select({ id: members.id })
        .from(members)
        .where(and(eq(members.orgId, orgId), eq(members.role, 'ADMIN'), eq(members.active, true))),
    );
    return rows.length;
  };
  const ownId = async (client: Client) =>
    (await client.gql<{ organization: { viewerMember: { id: string } } }>(`{ organization { viewerMember { id } } }`))
      .data?.organization.viewerMember.id ?? '';

  it('cannot demote or deactivate the only admin', async () => {
    const id = await ownId(admin);
    expect(errorCode(await admin.gql(SET_ROLE, { input: { memberId: id, role: 'MEMBER' } }))).toBe('LAST_ADMIN');
    const deactivate = await admin.gql(
      `mutation ($input: SetMemberActiveInput!) { setMemberActive(input: $input) { id } }`,
      { input: { memberId: id, active: false } },
    );
    expect(errorCode(deactivate)).toBe('LAST_ADMIN');
    expect(await adminCount()).toBe(1);
  });

  it('lets admins make admins and take admin away; a lead goes back to LEAD', async () => {
    const { client, memberId } = await signedInMember(testApp, admin, orgId);
    const made = await admin.gql<{ setMemberRole: { role: string } }>(SET_ROLE, { input: { memberId, role: 'ADMIN' } });
    expect(made.data?.setMemberRole.role).toBe('ADMIN');
    const teams = await admin.teams();
    expectNoErrors(
      await client.gql(`mutation ($input: SetTeamLeadsInput!) { setTeamLeads(input: $input) { id } }`, {
        input: { teamId: teams['GREEN'], memberIds: [memberId] },
      }),
    );
    const demoted = await admin.gql<{ setMemberRole: { role: string } }>(SET_ROLE, {
      input: { memberId, role: 'MEMBER' },
    });
    expect(demoted.data?.setMemberRole.role).toBe('LEAD');
    expect(errorCode(await client.gql(SET_ROLE, { input: { memberId, role: 'ADMIN' } }))).toBe('FORBIDDEN');
    expect((await admin.gql(SET_ROLE, { input: { memberId, role: 'LEAD' } })).errors?.[0]?.extensions?.fields).toEqual({
      role: 'LEAD_BY_TEAM',
    });
  });

  it('leaves exactly one admin when two admins demote each other at the same moment', async () => {
    for (let round = 0; round < 6; round++) {
      const creator = await testApp.signUp();
      const organization = await creator.createOrganization();
      const creatorId = await ownId(creator);
      const other = await signedInMember(testApp, creator, organization.id, 'ADMIN');
      const results = await Promise.all([
        creator.gql(SET_ROLE, { input: { memberId: other.memberId, role: 'MEMBER' } }),
        other.client.gql(SET_ROLE, { input: { memberId: creatorId, role: 'MEMBER' } }),
      ]);
      const refused = results.map((result) => errorCode(result)).filter(Boolean);
      expect(refused, `round ${round}`).toHaveLength(1);
      expect(['FORBIDDEN', 'LAST_ADMIN']).toContain(refused[0]);
      const admins = await withTenant(testApp.database.db, { orgId: organization.id, accountId: null }, (tx) =>
        tx
          .select({ id: members.id })
          .from(members)
          .where(and(eq(members.orgId, organization.id), eq(members.role, 'ADMIN'), eq(members.active, true))),
      );
      expect(admins, `round ${round}`).toHaveLength(1);
    }
  });
});

describe('one account, several organizations', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await TestApp.start();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('keeps a separate profile and role in each', async () => {
    const person = await testApp.signUp({ phone: '13811112222' });
    const first = await testApp.signUp();
    const firstOrg = await first.createOrganization('甲协会');
    const second = await testApp.signUp();
    const secondOrg = await second.createOrganization('乙协会');
    await testApp.addMember(firstOrg.id, person, 'ADMIN');
    await testApp.addMember(secondOrg.id, person, 'MEMBER');
    const inFirst = await person
      .in(firstOrg.slug)
      .gql<{ organization: { viewerMember: { role: string } } }>(`{ organization { viewerMember { role } } }`);
    const inSecond = await person
      .in(secondOrg.slug)
      .gql<{ organization: { viewerMember: { role: string } } }>(`{ organization { viewerMember { role } } }`);
    expect(inFirst.data?.organization.viewerMember.role).toBe('ADMIN');
    expect(inSecond.data?.organization.viewerMember.role).toBe('MEMBER');
    const memberships = await person
      .in(null)
      .gql<{ viewer: { memberships: { organization: { slug: string } }[] } }>(
        `{ viewer { memberships { organization { slug } } } }`,
      );
    expect(memberships.data?.viewer.memberships.map((membership) => membership.organization.slug).sort()).toEqual(
      [firstOrg.slug, secondOrg.slug].sort(),
    );
  });
});

describe('members of another organization', () => {
  let testApp: TestApp;
  let outsider: Client;
  let victimSlug: string;
  const victim = { memberId: '', invitationId: '', requestId: '', importId: '' };

  beforeAll(async () => {
    testApp = await TestApp.start();
    const victimAdmin = await testApp.signUp();
    victimSlug = (await victimAdmin.createOrganization('受害协会')).slug;
    victim.memberId = await addRosterMember(victimAdmin, { displayName: '受害人', phone: '13600009999' });
    const invited = await victimAdmin.gql<{ inviteMember: { invitation: { id: string } } }>(
      `mutation { inviteMember(input: { email: "v@example.cn" }) { invitation { id } } }`,
    );
    victim.invitationId = invited.data?.inviteMember.invitation.id ?? '';
    const asker = (await testApp.signUp()).in(victimSlug);
    const asked = await asker.gql<{ requestToJoin: { id: string } }>(`mutation { requestToJoin(input: {}) { id } }`);
    victim.requestId = asked.data?.requestToJoin.id ?? '';
    outsider = await testApp.signUp();
    await outsider.createOrganization('另一个协会');
  });
  afterAll(async () => {
    await testApp.close();
  });

  const operations: { name: string; query: string; variables: () => Record<string, unknown> }[] = [
    {
      name: 'member',
      query: `query ($id: ID!) { organization { member(id: $id) { id phone } } }`,
      variables: () => ({ id: victim.memberId }),
    },
    {
      name: 'updateMember',
      query: `mutation ($id: ID!) { updateMember(input: { memberId: $id, displayName: "占领" }) { id } }`,
      variables: () => ({ id: victim.memberId }),
    },
    {
      name: 'setMemberRole',
      query: `mutation ($id: ID!) { setMemberRole(input: { memberId: $id, role: ADMIN }) { id } }`,
      variables: () => ({ id: victim.memberId }),
    },
    {
      name: 'setMemberActive',
      query: `mutation ($id: ID!) { setMemberActive(input: { memberId: $id, active: false }) { id } }`,
      variables: () => ({ id: victim.memberId }),
    },
    {
      name: 'inviteMember (their roster entry)',
      query: `mutation ($id: ID!) { inviteMember(input: { memberId: $id }) { link } }`,
      variables: () => ({ id: victim.memberId }),
    },
    {
      name: 'revokeInvitation',
      query: `mutation ($id: ID!) { revokeInvitation(id: $id) { id } }`,
      variables: () => ({ id: victim.invitationId }),
    },
    {
      name: 'decideJoinRequest',
      query: `mutation ($id: ID!) { decideJoinRequest(input: { id: $id, approve: true }) { id } }`,
      variables: () => ({ id: victim.requestId }),
    },
    {
      name: 'a malformed id',
      query: `mutation ($id: ID!) { updateMember(input: { memberId: $id, displayName: "x" }) { id } }`,
      variables: () => ({ id: 'not-a-uuid' }),
    },
  ];

  for (const operation of operations) {
    it(`${operation.name}: NOT_FOUND naming their own organization or the other`, async () => {
      expect(errorCode(await outsider.gql(operation.query, operation.variables()))).toBe('NOT_FOUND');
      expect(errorCode(await outsider.in(victimSlug).gql(operation.query, operation.variables()))).toBe('NOT_FOUND');
    });
  }
});
