/**
 * The roster table: its columns (hours this year, last service) as privacy
 * allows, sorting by work unit through every page, a selection by ids (and
 * exported), and bulk changes — all or nothing, audited, with the last-admin
 * rule kept under concurrent requests.
 */
import { auditLog, members, withTenant } from '@qicai/db';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVE, dataOf, ENTER, outsideService, type RecordData } from './hours-seed.ts';
import { errorCode, expectNoErrors, TestApp, type Client, type GraphQLResponse } from './helper.ts';
import { signedInMember } from './members-seed.ts';

const BULK = `mutation ($input: BulkUpdateMembersInput!) {
  bulkUpdateMembers(input: $input) { changedCount members { id role active teams { colour } } } }`;

interface BulkData {
  bulkUpdateMembers: {
    changedCount: number;
    members: { id: string; role: string; active: boolean; teams: { colour: string }[] }[];
  };
}

interface RosterPage {
  organization: {
    members: {
      nodes: { id: string; workUnit: string | null }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴'];
const UNITS = ['县人民医院', '县教育局', '荣家湾镇政府', '县公安局', '县财政局', null];

/** `count` roster members (no accounts), straight into the table as an import would leave them. */
async function seedRoster(testApp: TestApp, orgId: string, count: number): Promise<string[]> {
  const rows = Array.from({ length: count }, (_unused, index) => ({
    orgId,
    displayName: `${SURNAMES[index % SURNAMES.length]}${String.fromCodePoint(0x4e00 + ((index * 37) % 2000))}${index}`,
    phone: String(13_600_000_000 + index),
    workUnit: UNITS[index % UNITS.length] ?? null,
    joinedOn: `20${String(10 + (index % 15)).padStart(2, '0')}-0${1 + (index % 9)}-1${index % 10}`,
    role: 'MEMBER' as const,
  }));
  const inserted = await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
    tx.insert(members).values(rows).returning({ id: members.id }),
  );
  return inserted.map((row) => row.id);
}

function data<Data>(result: GraphQLResponse<Data>): Data {
  expectNoErrors(result);
  if (!result.data) throw new Error('no data');
  return result.data;
}

const ownId = async (client: Client) =>
  data(await client.gql<{ organization: { viewerMember: { id: string } } }>(`{ organization { viewerMember { id } } }`))
    .organization.viewerMember.id;

describe('the roster table', () => {
  let testApp: TestApp;
  let admin: Client;
  let orgId: string;
  let teams: Record<string, string>;
  let ids: string[];

  beforeAll(async () => {
    testApp = await TestApp.start();
    admin = await testApp.signUp({ displayName: '周丽华', phone: '13800000001' });
    orgId = (await admin.createOrganization()).id;
    teams = await admin.teams();
    ids = await seedRoster(testApp, orgId, 240);
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('sorts by work unit across every page (keyset), members without one first', async () => {
    const seen: { id: string; workUnit: string | null }[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: RosterPage = data(
        await admin.gql<RosterPage>(
          `query ($after: String) { organization { members(first: 100, after: $after, sort: WORK_UNIT_DESC) {
            nodes { id workUnit } pageInfo { hasNextPage endCursor } } } }`,
          { after },
        ),
      );
      seen.push(...result.organization.members.nodes);
      if (!result.organization.members.pageInfo.hasNextPage) break;
      after = result.organization.members.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(241);
    expect(new Set(seen.map((member) => member.id)).size).toBe(241);
    const keys = seen.map((member) => member.workUnit ?? '');
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    expect(keys.at(-1)).toBe('');
  });

  it('shows hours this year and the last service to admins, and to other members nothing', async () => {
    const memberId = ids[0] ?? '';
    // Entered by an admin and approved, as the hours module keeps its yearly rollup.
    const entered = dataOf(
      await admin.gql<{ enterServiceHours: RecordData }>(ENTER, {
        memberId,
        input: outsideService({ endedMinutesAgo: 60, minutes: 90 }),
      }),
    ).enterServiceHours;
    if (entered.status !== 'APPROVED') expectNoErrors(await admin.gql(APPROVE, { ids: [entered.id] }));
    const servedOn = entered.serviceDate;
    const query = `query ($ids: [ID!]) { organization { members(filter: { ids: $ids }) {
      totalCount nodes { id minutesThisYear lastServedOn } } } }`;
    const seenByAdmin = data(
      await admin.gql<{
        organization: { members: { totalCount: number; nodes: { id: string; minutesThisYear: number | null }[] } };
      }>(query, { ids: [memberId, ids[1]] }),
    );
    expect(seenByAdmin.organization.members.totalCount).toBe(2);
    expect(seenByAdmin.organization.members.nodes).toContainEqual({
      id: memberId,
      minutesThisYear: 90,
      lastServedOn: servedOn,
    });
    expect(seenByAdmin.organization.members.nodes).toContainEqual({
      id: ids[1],
      minutesThisYear: 0,
      lastServedOn: null,
    });
    // An ordinary member may not pick by id, and sees no one's figures.
    const { client, memberId: ownMemberId } = await signedInMember(testApp, admin, orgId);
    expect(errorCode(await client.gql(query, { ids: [memberId] }))).toBe('FORBIDDEN');
    const listed = data(
      await client.gql<{
        organization: { members: { nodes: { id: string; minutesThisYear: number | null }[] } };
      }>(`{ organization { members(first: 50) { nodes { id minutesThisYear lastServedOn } } } }`),
    );
    const others = listed.organization.members.nodes.filter((node) => node.id !== ownMemberId);
    expect(others.length).toBeGreaterThan(40);
    expect(others.filter((node) => node.minutesThisYear !== null)).toEqual([]);
    const own = data(
      await client.gql<{ organization: { viewerMember: { minutesThisYear: number | null } } }>(
        `{ organization { viewerMember { minutesThisYear } } }`,
      ),
    );
    expect(own.organization.viewerMember.minutesThisYear).toBe(0);
  });

  it('sorts by hours this year across every page, for admins only', async () => {
    // Three members' service this year, entered by the admin (approved, as the yearly rollup keeps it).
    const served = { [ids[200] ?? '']: 240, [ids[201] ?? '']: 30, [ids[202] ?? '']: 135 };
    for (const [memberId, minutes] of Object.entries(served)) {
      const entered = dataOf(
        await admin.gql<{ enterServiceHours: RecordData }>(ENTER, {
          memberId,
          input: outsideService({ endedMinutesAgo: 120, minutes }),
        }),
      ).enterServiceHours;
      if (entered.status !== 'APPROVED') expectNoErrors(await admin.gql(APPROVE, { ids: [entered.id] }));
    }
    interface HoursPage {
      organization: {
        members: {
          totalCount: number;
          nodes: { id: string; minutesThisYear: number }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      };
    }
    const everyPage = async (sort: string) => {
      const seen: { id: string; minutesThisYear: number }[] = [];
      let after: string | null = null;
      let totalCount = 0;
      for (let page = 0; page < 10; page++) {
        const result: HoursPage = data(
          await admin.gql<HoursPage>(
            `query ($after: String, $sort: MemberSort) { organization { members(first: 60, after: $after, sort: $sort) {
              totalCount nodes { id minutesThisYear } pageInfo { hasNextPage endCursor } } } }`,
            { after, sort },
          ),
        );
        totalCount = result.organization.members.totalCount;
        seen.push(...result.organization.members.nodes);
        if (!result.organization.members.pageInfo.hasNextPage) break;
        after = result.organization.members.pageInfo.endCursor;
      }
      return { seen, totalCount };
    };
    const most = await everyPage('HOURS_THIS_YEAR_DESC');
    expect(most.seen).toHaveLength(most.totalCount);
    expect(new Set(most.seen.map((member) => member.id)).size).toBe(most.totalCount);
    const minutes = most.seen.map((member) => member.minutesThisYear);
    expect(minutes).toEqual([...minutes].sort((a, b) => b - a));
    const position = (id: string | undefined) => most.seen.findIndex((member) => member.id === id);
    expect(position(ids[200])).toBeLessThan(position(ids[202]));
    expect(position(ids[202])).toBeLessThan(position(ids[201]));
    expect(most.seen.find((member) => member.id === ids[200])?.minutesThisYear).toBe(240);
    expect(minutes.at(-1)).toBe(0);

    const fewest = await everyPage('HOURS_THIS_YEAR');
    expect(fewest.seen.map((member) => member.minutesThisYear)).toEqual([...minutes].reverse());
    expect(fewest.seen.at(-1)?.id).toBe(most.seen[0]?.id);

    // Others' hours are for admins: a member may not learn them from the order either.
    const { client } = await signedInMember(testApp, admin, orgId);
    expect(
      errorCode(await client.gql(`{ organization { members(first: 5, sort: HOURS_THIS_YEAR_DESC) { totalCount } } }`)),
    ).toBe('FORBIDDEN');
  });

  it('exports exactly the selection', async () => {
    const selection = ids.slice(10, 17);
    const result = data(
      await admin.gql<{ exportRoster: { rowCount: number } }>(
        `mutation ($input: ExportRosterInput!) { exportRoster(input: $input) { rowCount } }`,
        { input: { format: 'CSV', filter: { ids: selection } } },
      ),
    );
    expect(result.exportRoster.rowCount).toBe(7);
  });

  it('adds a selection to a team and takes it out again, keeping the team’s lead', async () => {
    const selection = ids.slice(20, 70);
    const added = data(
      await admin.gql<BulkData>(BULK, {
        input: { memberIds: selection, action: 'ADD_TO_TEAM', teamId: teams['GREEN'] },
      }),
    );
    expect(added.bulkUpdateMembers.changedCount).toBe(50);
    expect(
      added.bulkUpdateMembers.members.every((member) => member.teams.some((team) => team.colour === 'GREEN')),
    ).toBe(true);
    // Again: nothing changes.
    const again = data(
      await admin.gql<BulkData>(BULK, {
        input: { memberIds: selection, action: 'ADD_TO_TEAM', teamId: teams['GREEN'] },
      }),
    );
    expect(again.bulkUpdateMembers.changedCount).toBe(0);
    expectNoErrors(
      await admin.gql(`mutation ($input: SetTeamLeadsInput!) { setTeamLeads(input: $input) { id } }`, {
        input: { teamId: teams['GREEN'], memberIds: [selection[0]] },
      }),
    );
    const removed = data(
      await admin.gql<BulkData>(BULK, {
        input: { memberIds: selection, action: 'REMOVE_FROM_TEAM', teamId: teams['GREEN'] },
      }),
    );
    expect(removed.bulkUpdateMembers.changedCount).toBe(49);
    const stillIn = removed.bulkUpdateMembers.members.filter((member) =>
      member.teams.some((team) => team.colour === 'GREEN'),
    );
    expect(stillIn.map((member) => member.id)).toEqual([selection[0]]);
    const audited = await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
      tx
        .select({ action: auditLog.action, detail: auditLog.detail })
        .from(auditLog)
        .where(and(eq(auditLog.orgId, orgId), inArray(auditLog.subjectId, selection))),
    );
    expect(audited.filter((entry) => entry.action === 'member.updated')).toHaveLength(99);
    expect(audited[0]?.detail).toEqual({ fields: ['teams'], bulk: true });
  });

  it('refuses an unknown team, a member of another organization and a selection too large, changing nothing', async () => {
    const other = await testApp.signUp();
    await other.createOrganization('另一个协会');
    const foreignId = await ownId(other);
    expect(errorCode(await admin.gql(BULK, { input: { memberIds: [ids[0], foreignId], action: 'DEACTIVATE' } }))).toBe(
      'NOT_FOUND',
    );
    const unknownTeam = await admin.gql(BULK, {
      input: { memberIds: [ids[0]], action: 'ADD_TO_TEAM', teamId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknownTeam.errors?.[0]?.extensions?.fields).toEqual({ teamIds: 'UNKNOWN_TEAM' });
    const tooMany = await admin.gql(BULK, {
      input: {
        memberIds: Array.from(
          { length: 1001 },
          (_unused, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
        ),
        action: 'DEACTIVATE',
      },
    });
    expect(tooMany.errors?.[0]?.extensions?.fields).toEqual({ memberIds: 'TOO_MANY' });
    const active = await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
      tx
        .select({ id: members.id })
        .from(members)
        .where(and(eq(members.id, ids[0] ?? ''), eq(members.active, true))),
    );
    expect(active).toHaveLength(1);
  });

  it('deactivates a selection and brings it back; an ordinary member may not', async () => {
    const selection = ids.slice(100, 130);
    const { client } = await signedInMember(testApp, admin, orgId);
    expect(errorCode(await client.gql(BULK, { input: { memberIds: selection, action: 'DEACTIVATE' } }))).toBe(
      'FORBIDDEN',
    );
    const off = data(await admin.gql<BulkData>(BULK, { input: { memberIds: selection, action: 'DEACTIVATE' } }));
    expect(off.bulkUpdateMembers.changedCount).toBe(30);
    expect(off.bulkUpdateMembers.members.every((member) => !member.active)).toBe(true);
    const on = data(await admin.gql<BulkData>(BULK, { input: { memberIds: selection, action: 'REACTIVATE' } }));
    expect(on.bulkUpdateMembers.changedCount).toBe(30);
  });
});

describe('bulk role changes and the last admin', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await TestApp.start();
  });
  afterAll(async () => {
    await testApp.close();
  });

  const activeAdmins = (orgId: string) =>
    withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
      tx
        .select({ id: members.id })
        .from(members)
        .where(and(eq(members.orgId, orgId), eq(members.role, 'ADMIN'), eq(members.active, true))),
    );

  it('makes a selection admins and demotes it, audited with from and to; a selection of every admin is refused whole', async () => {
    const creator = await testApp.signUp();
    const organization = await creator.createOrganization();
    const creatorId = await ownId(creator);
    const seeded = await seedRoster(testApp, organization.id, 5);
    const made = data(
      await creator.gql<BulkData>(BULK, { input: { memberIds: seeded, action: 'SET_ROLE', role: 'ADMIN' } }),
    );
    expect(made.bulkUpdateMembers.changedCount).toBe(5);
    expect(await activeAdmins(organization.id)).toHaveLength(6);
    const everyone = [creatorId, ...seeded];
    const refused = await creator.gql(BULK, { input: { memberIds: everyone, action: 'SET_ROLE', role: 'MEMBER' } });
    expect(errorCode(refused)).toBe('LAST_ADMIN');
    expect(errorCode(await creator.gql(BULK, { input: { memberIds: everyone, action: 'DEACTIVATE' } }))).toBe(
      'LAST_ADMIN',
    );
    expect(await activeAdmins(organization.id)).toHaveLength(6);
    const demoted = data(
      await creator.gql<BulkData>(BULK, { input: { memberIds: seeded, action: 'SET_ROLE', role: 'MEMBER' } }),
    );
    expect(demoted.bulkUpdateMembers.members.map((member) => member.role)).toEqual(seeded.map(() => 'MEMBER'));
    const audited = await withTenant(testApp.database.db, { orgId: organization.id, accountId: null }, (tx) =>
      tx
        .select({ detail: auditLog.detail })
        .from(auditLog)
        .where(and(eq(auditLog.orgId, organization.id), eq(auditLog.action, 'member.role_changed'))),
    );
    expect(audited).toHaveLength(10);
    expect(audited.map((entry) => entry.detail)).toContainEqual({ from: 'ADMIN', to: 'MEMBER', bulk: true });
    expect(errorCode(await creator.gql(BULK, { input: { memberIds: seeded, action: 'SET_ROLE', role: 'LEAD' } }))).toBe(
      'VALIDATION',
    );
  });

  it('leaves an admin when two admins demote or deactivate each other’s selections at the same moment', async () => {
    for (let round = 0; round < 6; round++) {
      const creator = await testApp.signUp();
      const organization = await creator.createOrganization();
      const creatorId = await ownId(creator);
      const second = await signedInMember(testApp, creator, organization.id, 'ADMIN');
      const third = await signedInMember(testApp, creator, organization.id, 'ADMIN');
      const action = round % 2 === 0 ? { action: 'SET_ROLE', role: 'MEMBER' } : { action: 'DEACTIVATE' };
      const results = await Promise.all([
        creator.gql(BULK, { input: { memberIds: [second.memberId, third.memberId], ...action } }),
        second.client.gql(BULK, { input: { memberIds: [creatorId, third.memberId], ...action } }),
        third.client.gql(BULK, { input: { memberIds: [creatorId, second.memberId], ...action } }),
      ]);
      const refused = results.map((result) => errorCode(result)).filter(Boolean);
      expect(refused, `round ${round}`).toHaveLength(2);
      for (const code of refused) expect(['FORBIDDEN', 'LAST_ADMIN']).toContain(code);
      expect(await activeAdmins(organization.id), `round ${round}`).toHaveLength(1);
    }
  });
});
