/**
 * Protection of minors' data (rule 12): a member, a team lead, the sponsor of
 * another child, a member of another organization and someone signed out each
 * try every path the schema offers to a child's personal fields, and are all
 * refused. Every admin read leaves an audit entry, and the audit log cannot be
 * changed by the application.
 */
import { auditLog, pgError, withTenant } from '@qicai/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';
import {
  childInput,
  CONSENT,
  createSponsor,
  linkSponsorAccount,
  propose,
  registerChild,
  sponsor,
  sponsorshipOrganization,
  stringsIn,
  type SponsorshipOrg,
} from './sponsorship-seed.ts';

/** Values only child C holds: none may reach anyone but an admin (or, the given name, C's own sponsor). */
const SECRETS = {
  familyName: '司马',
  givenName: '保密',
  village: '秘密村',
  township: '秘境镇',
  school: '秘密小学',
  needs: '秘密需求',
  guardianName: '秘密监护人',
  guardianRelation: '外婆',
  guardianPhone: '13611112222',
};
const VISIT_NOTES = '秘密家访笔记';
const UPDATE_BODY = '秘密近况';

const PERSONAL = `personal { familyName givenName fullName gender dateOfBirth age township village school grade circumstances circumstanceNote needs guardianName guardianRelation guardianPhone }`;

interface Probe {
  /** The root field it goes through. */
  root: string;
  query: string;
  variables: () => Record<string, unknown>;
}

describe('protection of minors’ data', () => {
  let testApp: TestApp;
  let org: SponsorshipOrg;
  /** C: the child whose data is protected, sponsored by S1, with a visit and an update. */
  const ids = { child: '', sponsor: '', sponsorship: '', waitingChild: '', proposal: '', freeSponsor: '' };
  /** `codes`: the refusals expected; undefined among them where the probe may act in the caller's own organization. */
  let others: { name: string; client: Client; codes: (string | undefined)[] }[];

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await sponsorshipOrganization(testApp);
    ids.child = await registerChild(org.admin, { ...SECRETS, circumstances: ['ORPHANED'] });
    ids.sponsor = await createSponsor(org.admin, { childrenOffered: 3 });
    ids.sponsorship = await sponsor(org.admin, ids.child, ids.sponsor);
    expectNoErrors(
      await org.admin.gql(`mutation ($input: RecordVisitInput!) { recordVisit(input: $input) { id } }`, {
        input: {
          sponsorshipId: ids.sponsorship,
          visitedOn: '2026-10-01',
          volunteerIds: [org.adminMemberId],
          notes: VISIT_NOTES,
        },
      }),
    );
    expectNoErrors(
      await org.admin.gql(
        `mutation ($input: PostSponsorshipUpdateInput!) { postSponsorshipUpdate(input: $input) { id } }`,
        { input: { sponsorshipId: ids.sponsorship, body: UPDATE_BODY } },
      ),
    );
    ids.waitingChild = await registerChild(org.admin);
    ids.proposal = await propose(org.admin, ids.waitingChild, await createSponsor(org.admin));
    ids.freeSponsor = await createSponsor(org.admin, { childrenOffered: 5 });
    await registerChild(org.admin);

    const member = (await testApp.signUp({ displayName: '队员' })).in(org.slug);
    await testApp.addMember(org.orgId, member, 'MEMBER');
    const lead = (await testApp.signUp({ displayName: '队长' })).in(org.slug);
    await testApp.addMember(org.orgId, lead, 'LEAD');
    // The sponsor of another child: signed in, linked, not a member.
    const otherSponsor = (await testApp.signUp({ displayName: '另一位爱心人士' })).in(org.slug);
    const otherSponsorId = await createSponsor(org.admin, { kind: 'INDIVIDUAL', name: '另一位爱心人士' });
    await sponsor(org.admin, await registerChild(org.admin, { givenName: '别人' }), otherSponsorId);
    await linkSponsorAccount(org.admin, otherSponsorId, otherSponsor);
    // The admin of another organization, naming their own and then this one.
    const outsider = await testApp.signUp({ displayName: '外人' });
    await outsider.createOrganization('另一个协会');

    const refused = ['FORBIDDEN', 'NOT_FOUND'];
    others = [
      { name: 'a member', client: member, codes: refused },
      { name: 'a team lead', client: lead, codes: refused },
      { name: 'the sponsor of another child', client: otherSponsor, codes: refused },
      // In their own organization they may list and create (finding nothing of this one).
      { name: 'an admin of another organization, naming theirs', client: outsider, codes: ['NOT_FOUND', undefined] },
      {
        name: 'an admin of another organization, naming this one',
        client: outsider.in(org.slug),
        codes: ['NOT_FOUND'],
      },
      { name: 'someone signed out', client: testApp.anonymous(org.slug), codes: ['UNAUTHENTICATED'] },
    ];
  });
  afterAll(async () => {
    await testApp.close();
  });

  /** Every operation whose answer can hold a child's personal fields, with C's ids. */
  const probes: Probe[] = [
    {
      root: 'child',
      query: `query ($id: ID!) { child(id: $id) { id ${PERSONAL} } }`,
      variables: () => ({ id: ids.child }),
    },
    { root: 'children', query: `{ children { nodes { id ${PERSONAL} } } }`, variables: () => ({}) },
    {
      root: 'sponsor',
      query: `query ($id: ID!) { sponsor(id: $id) { sponsorships { child { ${PERSONAL} } timeline { visit { notes } update { body } } } } }`,
      variables: () => ({ id: ids.sponsor }),
    },
    {
      root: 'sponsors',
      query: `{ sponsors { nodes { sponsorships { child { ${PERSONAL} } } } } }`,
      variables: () => ({}),
    },
    {
      root: 'sponsorship',
      query: `query ($id: ID!) { sponsorship(id: $id) { child { ${PERSONAL} } timeline { visit { notes } update { body } } } }`,
      variables: () => ({ id: ids.sponsorship }),
    },
    {
      root: 'openProposals',
      query: `{ openProposals { child { ${PERSONAL} } } }`,
      variables: () => ({}),
    },
    {
      root: 'sponsorSuggestions',
      query: `query ($id: ID!) { sponsorSuggestions(childId: $id) { reasons { code township circumstances } sponsor { sponsorships { child { ${PERSONAL} } } } } }`,
      variables: () => ({ id: ids.waitingChild }),
    },
    {
      root: 'childSuggestions',
      query: `query ($id: ID!) { childSuggestions(sponsorId: $id) { reasons { township } child { ${PERSONAL} } } }`,
      variables: () => ({ id: ids.freeSponsor }),
    },
    {
      root: 'batchSuggestion',
      query: `{ batchSuggestion { pairs { reasons { township } child { ${PERSONAL} } sponsor { sponsorships { child { ${PERSONAL} } } } } } }`,
      variables: () => ({}),
    },
    {
      root: 'childExport',
      query: `query ($id: ID!) { childExport(id: $id) { json } }`,
      variables: () => ({ id: ids.child }),
    },
    {
      root: 'sponsorView',
      query: `{ sponsorView { children { id givenName age grade needs since updates { body } } } }`,
      variables: () => ({}),
    },
    {
      root: 'registerChild',
      query: `mutation ($input: RegisterChildInput!) { registerChild(input: $input) { id } }`,
      variables: () => ({ input: { personal: childInput(), consent: CONSENT } }),
    },
    {
      root: 'updateChild',
      query: `mutation ($input: UpdateChildInput!) { updateChild(input: $input) { ${PERSONAL} } }`,
      variables: () => ({ input: { childId: ids.child, personal: childInput({ ...SECRETS, needs: '改掉' }) } }),
    },
    {
      root: 'deleteChild',
      query: `mutation ($id: ID!) { deleteChild(id: $id) { id ${PERSONAL} } }`,
      variables: () => ({ id: ids.child }),
    },
    {
      root: 'createSponsor',
      query: `mutation { createSponsor(input: { kind: COMPANY, name: "闯入" }) { sponsorships { child { ${PERSONAL} } } } }`,
      variables: () => ({}),
    },
    {
      root: 'updateSponsor',
      query: `mutation ($id: ID!) { updateSponsor(id: $id, input: { kind: COMPANY, name: "改名", childrenOffered: 3 }) { sponsorships { child { ${PERSONAL} } } } }`,
      variables: () => ({ id: ids.sponsor }),
    },
    {
      root: 'inviteSponsorAccount',
      query: `mutation ($id: ID!) { inviteSponsorAccount(sponsorId: $id) { code sponsor { sponsorships { child { ${PERSONAL} } } } } }`,
      variables: () => ({ id: ids.sponsor }),
    },
    {
      root: 'unlinkSponsorAccount',
      query: `mutation ($id: ID!) { unlinkSponsorAccount(sponsorId: $id) { sponsorships { child { ${PERSONAL} } } } }`,
      variables: () => ({ id: ids.sponsor }),
    },
    {
      root: 'claimSponsorInvitation',
      query: `mutation { claimSponsorInvitation(code: "ABCD-EFGH-JKMN") { children { givenName needs } } }`,
      variables: () => ({}),
    },
    {
      root: 'proposeSponsorship',
      query: `mutation ($child: ID!, $sponsor: ID!) { proposeSponsorship(childId: $child, sponsorId: $sponsor) { child { ${PERSONAL} } } }`,
      variables: () => ({ child: ids.waitingChild, sponsor: ids.freeSponsor }),
    },
    {
      root: 'confirmSponsorship',
      query: `mutation ($id: ID!) { confirmSponsorship(id: $id) { child { ${PERSONAL} } } }`,
      variables: () => ({ id: ids.proposal }),
    },
    {
      root: 'lapseSponsorship',
      query: `mutation ($id: ID!) { lapseSponsorship(id: $id) { child { ${PERSONAL} } } }`,
      variables: () => ({ id: ids.proposal }),
    },
    {
      root: 'endSponsorship',
      query: `mutation ($id: ID!) { endSponsorship(input: { id: $id, reason: OTHER }) { child { ${PERSONAL} } } }`,
      variables: () => ({ id: ids.sponsorship }),
    },
    {
      root: 'recordVisit',
      query: `mutation ($id: ID!, $member: ID!) { recordVisit(input: { sponsorshipId: $id, visitedOn: "2026-10-02", volunteerIds: [$member], notes: "闯入" }) { notes } }`,
      variables: () => ({ id: ids.sponsorship, member: org.adminMemberId }),
    },
    {
      root: 'postSponsorshipUpdate',
      query: `mutation ($id: ID!) { postSponsorshipUpdate(input: { sponsorshipId: $id, body: "闯入" }) { body } }`,
      variables: () => ({ id: ids.sponsorship }),
    },
  ];

  it('probes every root field from which the schema reaches a child’s data', async () => {
    const result = await org.admin.gql<{ __schema: { types: IntrospectedType[] } }>(INTROSPECTION);
    expectNoErrors(result);
    const types = new Map((result.data?.__schema.types ?? []).map((type) => [type.name, type]));
    const sensitive = new Set([
      'ChildPersonal',
      'SponsoredChild',
      'Visit',
      'SponsorshipUpdate',
      'ChildExport',
      'MatchReason',
    ]);
    const reaches = (typeName: string, seen = new Set<string>()): boolean => {
      if (sensitive.has(typeName)) return true;
      if (seen.has(typeName)) return false;
      seen.add(typeName);
      return (types.get(typeName)?.fields ?? []).some((field) => reaches(namedType(field.type), seen));
    };
    const roots = ['Query', 'Mutation'].flatMap((root) =>
      (types.get(root)?.fields ?? []).filter((field) => reaches(namedType(field.type))).map((field) => field.name),
    );
    expect(roots.length).toBeGreaterThan(20);
    expect(probes.map((probe) => probe.root).sort()).toEqual([...roots].sort());
  });

  it('refuses every one of them: nothing personal of the child reaches anyone but an admin', async () => {
    for (const { name, client, codes } of others) {
      for (const probe of probes) {
        const result = await client.gql(probe.query, probe.variables());
        const seen = stringsIn(result.data).join('\n');
        for (const [field, secret] of Object.entries({ ...SECRETS, VISIT_NOTES, UPDATE_BODY })) {
          expect(seen, `${name} / ${probe.root} / ${field}`).not.toContain(secret);
        }
        if (probe.root === 'sponsorView' && name === 'the sponsor of another child') {
          // Their own child, minimally; not C.
          expectNoErrors(result);
          continue;
        }
        if (probe.root === 'sponsorView' || probe.root === 'claimSponsorInvitation') {
          const code = errorCode(result);
          expect(code === undefined ? result.data : code, `${name} / ${probe.root}`).toSatisfy(
            (outcome) =>
              outcome === 'UNAUTHENTICATED' ||
              outcome === 'INVITATION_INVALID' ||
              (typeof outcome === 'object' && outcome !== null && stringsIn(outcome).length === 0),
          );
          continue;
        }
        expect(codes, `${name} / ${probe.root}: ${JSON.stringify(result.errors)}`).toContain(errorCode(result));
      }
    }
  });

  it('changed nothing', async () => {
    const result = await org.admin.gql<{
      child: { status: string; personal: Record<string, unknown>; sponsorships: { status: string }[] };
      sponsorship: { status: string; timeline: unknown[] };
      openProposals: { id: string }[];
    }>(
      `query ($id: ID!, $sponsorship: ID!) { child(id: $id) { status personal { needs guardianPhone } sponsorships { status } }
        sponsorship(id: $sponsorship) { status timeline { kind } } openProposals { id } }`,
      { id: ids.child, sponsorship: ids.sponsorship },
    );
    expectNoErrors(result);
    expect(result.data?.child).toEqual({
      status: 'SPONSORED',
      personal: { needs: SECRETS.needs, guardianPhone: SECRETS.guardianPhone },
      sponsorships: [{ status: 'ACTIVE' }],
    });
    expect(result.data?.sponsorship.timeline).toHaveLength(2);
    expect(result.data?.openProposals).toEqual([{ id: ids.proposal }]);
  });

  it('audits every admin read, with the fields read and never their values', async () => {
    const readsOf = (childId: string) =>
      withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
        tx
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.subjectType, 'child'), eq(auditLog.subjectId, childId)))
          .orderBy(auditLog.id),
      );
    const reads: {
      query: string;
      variables?: Record<string, unknown>;
      child: () => string;
      action: string;
      fields: string[];
    }[] = [
      {
        query: `query ($id: ID!) { child(id: $id) { personal { fullName guardianPhone } } }`,
        variables: { id: ids.child },
        child: () => ids.child,
        action: 'child.personal_read',
        fields: ['familyName', 'givenName', 'guardianPhone'],
      },
      {
        query: `{ children { nodes { personal { village } } } }`,
        child: () => ids.child,
        action: 'child.personal_read',
        fields: ['village'],
      },
      {
        query: `query ($id: ID!) { sponsorship(id: $id) { child { personal { ...Needs } } timeline { visit { notes } } } } fragment Needs on ChildPersonal { needs age }`,
        variables: { id: ids.sponsorship },
        child: () => ids.child,
        action: 'child.personal_read',
        fields: ['dateOfBirth', 'needs', 'visit.notes'],
      },
      {
        query: `query ($id: ID!) { sponsor(id: $id) { sponsorships { child { personal { school } } } } }`,
        variables: { id: ids.sponsor },
        child: () => ids.child,
        action: 'child.personal_read',
        fields: ['school'],
      },
      {
        query: `{ openProposals { child { personal { givenName } } } }`,
        child: () => ids.waitingChild,
        action: 'child.personal_read',
        fields: ['givenName'],
      },
      {
        query: `query ($id: ID!) { sponsorSuggestions(childId: $id) { fit } }`,
        variables: { id: ids.waitingChild },
        child: () => ids.waitingChild,
        action: 'child.personal_read',
        fields: ['circumstances', 'dateOfBirth', 'gender', 'township'],
      },
      {
        query: `query ($id: ID!) { childSuggestions(sponsorId: $id) { fit } }`,
        variables: { id: ids.freeSponsor },
        child: () => ids.waitingChild,
        action: 'child.personal_read',
        fields: ['circumstances', 'dateOfBirth', 'gender', 'township'],
      },
      {
        query: `query ($id: ID!) { childExport(id: $id) { fileName } }`,
        variables: { id: ids.child },
        child: () => ids.child,
        action: 'child.exported',
        fields: [
          ...Object.keys(SECRETS),
          'circumstances',
          'dateOfBirth',
          'gender',
          'grade',
          'visit.notes',
          'update.body',
        ],
      },
    ];
    for (const read of reads) {
      const before = await readsOf(read.child());
      expectNoErrors(await org.admin.gql(read.query, read.variables ?? {}));
      // One entry per round of resolvers: the visit's notes are read a round after the child.
      const added = (await readsOf(read.child())).slice(before.length);
      expect(added.length, read.query).toBeGreaterThan(0);
      for (const entry of added) {
        expect(entry).toMatchObject({ action: read.action, actorAccountId: org.admin.accountId });
      }
      const fields = new Set(added.flatMap((entry) => (entry.detail['fields'] as string[] | undefined) ?? []));
      expect([...fields].sort(), read.query).toEqual([...read.fields].sort());
    }
    // The batch suggestion audits the children it pairs.
    const batch = await org.admin.gql<{ batchSuggestion: { pairs: { child: { id: string } }[] } }>(
      `{ batchSuggestion { pairs { child { id } } } }`,
    );
    const paired = batch.data?.batchSuggestion.pairs[0]?.child.id ?? '';
    expect(paired).not.toBe('');
    expect((await readsOf(paired)).at(-1)?.detail).toEqual({
      fields: ['circumstances', 'dateOfBirth', 'gender', 'township'],
      via: ['matching'],
    });

    const all = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx.select().from(auditLog),
    );
    const text = JSON.stringify(all);
    for (const secret of [...Object.values(SECRETS), VISIT_NOTES, UPDATE_BODY]) expect(text).not.toContain(secret);
  });

  it('keeps the audit log append-only for the application role', async () => {
    const update = withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx.update(auditLog).set({ action: 'forged' }).where(eq(auditLog.subjectId, ids.child)),
    );
    await expect(update).rejects.toSatisfy((error) => pgError(error)?.code === '42501');
    const remove = withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx.delete(auditLog).where(eq(auditLog.subjectId, ids.child)),
    );
    await expect(remove).rejects.toSatisfy((error) => pgError(error)?.code === '42501');
  });
});

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}

interface IntrospectedType {
  name: string;
  fields: { name: string; type: TypeRef }[] | null;
}

function namedType(type: TypeRef): string {
  return type.name ?? (type.ofType ? namedType(type.ofType) : '');
}

const INTROSPECTION = `{ __schema { types { name fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`;
