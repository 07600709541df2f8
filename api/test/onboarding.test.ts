/**
 * A new association's checklist (issue 19, "Onboarding"): import the roster,
 * a lead for each team, the first activity, a display token — each ticked off
 * from the data as it happens, for the association's admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivity } from './activities-seed.ts';
import { expectNoErrors, TestApp, type Client } from './helper.ts';
import { applyImport, previewRoster, workbook } from './members-seed.ts';

const ONBOARDING = `{ organization { onboarding {
  rosterImported teams teamsWithLead activityScheduled displayTokenMade complete } } }`;

interface OnboardingData {
  rosterImported: boolean;
  teams: number;
  teamsWithLead: number;
  activityScheduled: boolean;
  displayTokenMade: boolean;
  complete: boolean;
}

async function onboarding(client: Client): Promise<OnboardingData | null> {
  const result = await client.gql<{ organization: { onboarding: OnboardingData | null } }>(ONBOARDING);
  expectNoErrors(result);
  return result.data?.organization.onboarding ?? null;
}

const SET_LEADS = `mutation ($input: SetTeamLeadsInput!) { setTeamLeads(input: $input) { id } }`;

describe('onboarding', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await TestApp.start();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('ticks each step off from the data as the admin does it, and shows an undone step again', async () => {
    const admin = await testApp.signUp({ displayName: '周丽华' });
    const { id: orgId } = await admin.createOrganization('平江县红烛志愿者协会');
    const teams = await admin.teams();
    expect(await onboarding(admin)).toEqual({
      rosterImported: false,
      teams: 7,
      teamsWithLead: 0,
      activityScheduled: false,
      displayTokenMade: false,
      complete: false,
    });

    // The roster, as an office keeps it.
    const preview = await previewRoster(
      admin,
      workbook([
        ['姓名', '手机号码', '所属队伍'],
        ['李建国', '13912340001', '红色旗帜'],
        ['王小红', '13912340002', '绿色卫士'],
        ['张卫东', '13912340003', '白色天使'],
        ['刘芳', '13912340004', '橙色救援'],
        ['陈志强', '13912340005', '紫色关怀'],
        ['赵丽', '13912340006', '金色童心'],
        ['孙明', '13912340007', '蓝色心语'],
      ]),
      '花名册.xlsx',
    );
    expect(await onboarding(admin)).toMatchObject({ rosterImported: false });
    expect(await applyImport(admin, preview.id)).toMatchObject({ status: 'APPLIED', createCount: 7 });
    expect(await onboarding(admin)).toMatchObject({ rosterImported: true, complete: false });

    // A lead for each team, one after another.
    const roster = await admin.gql<{ organization: { members: { nodes: { id: string; displayName: string }[] } } }>(
      `{ organization { members(first: 20) { nodes { id displayName } } } }`,
    );
    expectNoErrors(roster);
    const byName = new Map(roster.data?.organization.members.nodes.map((member) => [member.displayName, member.id]));
    const leads: [string, string][] = [
      ['RED', '李建国'],
      ['GREEN', '王小红'],
      ['WHITE', '张卫东'],
      ['ORANGE', '刘芳'],
      ['PURPLE', '陈志强'],
      ['GOLD', '赵丽'],
      ['BLUE', '孙明'],
    ];
    for (const [index, [colour, name]] of leads.entries()) {
      expectNoErrors(
        await admin.gql(SET_LEADS, { input: { teamId: teams[colour], memberIds: [byName.get(name) ?? ''] } }),
      );
      expect((await onboarding(admin))?.teamsWithLead).toBe(index + 1);
    }

    // A draft is not scheduled yet; a published activity is.
    await createActivity(admin, { teamId: teams['RED'] ?? '', title: '先锋课堂：垃圾分类进社区', publish: false });
    expect(await onboarding(admin)).toMatchObject({ activityScheduled: false });
    await createActivity(admin, { teamId: teams['RED'] ?? '', title: '先锋课堂：垃圾分类进社区' });
    expect(await onboarding(admin)).toMatchObject({
      activityScheduled: true,
      displayTokenMade: false,
      complete: false,
    });

    expectNoErrors(await admin.gql(`mutation { createDisplayToken(name: "一楼大厅") { displayToken { id } } }`));
    expect(await onboarding(admin)).toEqual({
      rosterImported: true,
      teams: 7,
      teamsWithLead: 7,
      activityScheduled: true,
      displayTokenMade: true,
      complete: true,
    });

    // A team left without a lead shows the step again.
    expectNoErrors(await admin.gql(SET_LEADS, { input: { teamId: teams['BLUE'], memberIds: [] } }));
    expect(await onboarding(admin)).toMatchObject({ teamsWithLead: 6, complete: false });

    // Only admins see it.
    const member = (await testApp.signUp()).in(admin.org);
    await testApp.addMember(orgId, member);
    expect(await onboarding(member)).toBeNull();
    expect(await onboarding(testApp.anonymous(admin.org ?? ''))).toBeNull();
  });

  it('counts members added by hand as a roster', async () => {
    const admin = await testApp.signUp({ displayName: '何秀英' });
    const { id: orgId } = await admin.createOrganization('华容县志愿者协会');
    const volunteer = (await testApp.signUp()).in(admin.org);
    await testApp.addMember(orgId, volunteer);
    expect(await onboarding(admin)).toMatchObject({ rosterImported: true, teamsWithLead: 0, complete: false });
  });
});
