/**
 * The audit view for admins: an approval of hours, a role change and a read
 * of a child's personal fields, each with who and when, filtered by person,
 * kind and period — and only field names, never a child's values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';
import { APPROVE, dataOf, outsideService, REPORT, type RecordData } from './hours-seed.ts';
import { SET_ROLE, signedInMember } from './members-seed.ts';
import { registerChild } from './sponsorship-seed.ts';

const AUDIT = `query ($filter: AuditLogFilter, $after: String) { organization {
  auditLog(first: 100, filter: $filter, after: $after) { nodes { id at action subjectType subjectId actorName actorAccountId fields }
    pageInfo { hasNextPage endCursor } }
  auditActors { accountId name } } }`;

interface AuditData {
  organization: {
    auditLog: {
      nodes: {
        id: string;
        at: string;
        action: string;
        subjectType: string;
        subjectId: string;
        actorName: string | null;
        actorAccountId: string | null;
        fields: string[];
      }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    auditActors: { accountId: string; name: string }[];
  };
}

describe('the audit view', () => {
  let testApp: TestApp;
  let admin: Client;
  let childId: string;
  let recordId: string;
  let memberId: string;
  let member: Client;

  beforeAll(async () => {
    testApp = await TestApp.start();
    admin = await testApp.signUp({ displayName: '周丽华', phone: '13800000001' });
    const organization = await admin.createOrganization();
    ({ client: member, memberId } = await signedInMember(testApp, admin, organization.id));
    const record = dataOf(
      await member.gql<{ reportServiceHours: RecordData }>(REPORT, {
        input: outsideService({ endedMinutesAgo: 120, minutes: 60 }),
      }),
    ).reportServiceHours;
    recordId = record.id;
    expectNoErrors(await admin.gql(APPROVE, { ids: [recordId] }));
    expectNoErrors(await admin.gql(SET_ROLE, { input: { memberId, role: 'ADMIN' } }));
    childId = await registerChild(admin, { familyName: '李', givenName: '小梅', guardianPhone: '13912345678' });
    expectNoErrors(
      await admin.gql(`query ($id: ID!) { child(id: $id) { personal { fullName guardianPhone township } } }`, {
        id: childId,
      }),
    );
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('shows an approval, a role change and a child read: who, what, when, field names only', async () => {
    const result = await admin.gql<AuditData>(AUDIT, {});
    const { nodes } = dataOf(result).organization.auditLog;
    const approval = nodes.find((entry) => entry.action === 'service_record.approved');
    expect(approval).toMatchObject({ subjectType: 'service_record', subjectId: recordId, actorName: '周丽华' });
    const roleChange = nodes.find((entry) => entry.action === 'member.role_changed');
    expect(roleChange).toMatchObject({ subjectId: memberId, actorName: '周丽华' });
    expect(roleChange?.fields).toEqual(expect.arrayContaining(['from', 'to']));
    const read = nodes.find((entry) => entry.action === 'child.personal_read');
    expect(read?.subjectId).toBe(childId);
    expect(read?.fields).toEqual(expect.arrayContaining(['familyName', 'givenName', 'guardianPhone', 'township']));
    // Newest first, and nothing of the child's values anywhere in the answer.
    expect(nodes.map((entry) => Number(entry.id))).toEqual(
      [...nodes.map((entry) => Number(entry.id))].sort((a, b) => b - a),
    );
    const text = JSON.stringify(result);
    for (const value of ['小梅', '13912345678', 'ADMIN"', 'MEMBER"']) expect(text).not.toContain(value);
    expect(new Date(read?.at ?? '').getTime()).toBeGreaterThan(0);
  });

  it('filters by person, kind and period', async () => {
    const all = dataOf(await admin.gql<AuditData>(AUDIT, {})).organization;
    const memberAccount = all.auditActors.find((actor) => actor.accountId === member.accountId);
    expect(memberAccount).toBeDefined();
    const byMember = dataOf(await admin.gql<AuditData>(AUDIT, { filter: { actorAccountId: member.accountId } }))
      .organization.auditLog.nodes;
    expect(byMember.length).toBeGreaterThan(0);
    expect(byMember.every((entry) => entry.actorAccountId === member.accountId)).toBe(true);
    const children = dataOf(await admin.gql<AuditData>(AUDIT, { filter: { kind: 'child' } })).organization.auditLog
      .nodes;
    expect(children.map((entry) => entry.action).sort()).toEqual(['child.personal_read', 'child.registered']);
    const today = all.auditLog.nodes[0]?.at.slice(0, 10) ?? '';
    const yesterdayOnly = dataOf(
      await admin.gql<AuditData>(AUDIT, { filter: { from: '2020-01-01', to: '2020-12-31' } }),
    ).organization.auditLog.nodes;
    expect(yesterdayOnly).toEqual([]);
    const around = dataOf(await admin.gql<AuditData>(AUDIT, { filter: { from: '2020-01-01', to: '2099-12-31' } }))
      .organization.auditLog.nodes;
    expect(around).toHaveLength(all.auditLog.nodes.length);
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await admin.gql(AUDIT, { filter: { kind: 'child%' } })).errors?.[0]?.extensions?.fields).toEqual({
      kind: 'INVALID_KIND',
    });
  });

  it('is for admins only', async () => {
    const { client } = await signedInMember(
      testApp,
      admin,
      (await admin.gql<{ organization: { id: string } }>(`{ organization { id } }`)).data?.organization.id ?? '',
    );
    expect(errorCode(await client.gql(AUDIT, {}))).toBe('FORBIDDEN');
  });
});
