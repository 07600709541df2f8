/**
 * Sponsorship through the API: the registry and its consent rule, the
 * lifecycle of a sponsorship, support and follow-up, the sponsor's account
 * and minimal view, export and deletion of a child.
 */
import { auditLog, children, pgError, queryRows, withTenant } from '@qicai/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateIn } from './clock.ts';
import { errorCode, expectNoErrors, TestApp } from './helper.ts';
import {
  bornYearsAgo,
  CHILD_FIELDS,
  childInput,
  CONSENT,
  createSponsor,
  propose,
  registerChild,
  sponsor,
  sponsorshipOrganization,
  stringsIn,
  type SponsorshipOrg,
} from './sponsorship-seed.ts';

const REGISTER = `mutation ($input: RegisterChildInput!) { registerChild(input: $input) { ${CHILD_FIELDS} } }`;
const CHILD = `query ($id: ID!) { child(id: $id) { ${CHILD_FIELDS} } }`;

describe('sponsorship', () => {
  let testApp: TestApp;
  let org: SponsorshipOrg;

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await sponsorshipOrganization(testApp);
  });
  afterAll(async () => {
    await testApp.close();
  });

  /** The audit entries about a child, oldest first. */
  const auditOf = (childId: string) =>
    withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.subjectType, 'child'), eq(auditLog.subjectId, childId)))
        .orderBy(auditLog.id),
    );

  const childCount = async () =>
    (
      await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
        queryRows<{ n: number }>(tx, sql`select count(*)::int as n from children`),
      )
    )[0]?.n;

  describe('the registry', () => {
    it('registers a child with the guardian’s consent and audits the write with field names only', async () => {
      const input = {
        personal: childInput({ familyName: '王', givenName: '小芳', guardianPhone: '0730-8881234' }),
        consent: CONSENT,
      };
      const result = await org.admin.gql<{
        registerChild: { id: string; status: string; personal: Record<string, unknown> };
      }>(REGISTER, { input });
      expectNoErrors(result);
      const child = result.data?.registerChild;
      expect(child).toMatchObject({
        status: 'WAITING',
        personal: { fullName: '王小芳', givenName: '小芳', age: 9, grade: 3, guardianPhone: '07308881234' },
      });
      const consent = await org.admin.gql<{
        child: { consent: { givenOn: string; textVersion: string; recordedBy: { id: string } } };
      }>(`query ($id: ID!) { child(id: $id) { consent { givenOn textVersion recordedBy { id } } } }`, {
        id: child?.id,
      });
      expect(consent.data?.child.consent).toEqual({
        givenOn: CONSENT.givenOn,
        textVersion: 'v1',
        recordedBy: { id: org.adminMemberId },
      });

      const entries = await auditOf(child?.id ?? '');
      expect(entries.map((entry) => entry.action)).toEqual(['child.registered', 'child.personal_read']);
      expect(entries[0]?.detail['fields']).toContain('guardianPhone');
      expect(JSON.stringify(entries)).not.toContain('小芳');
      expect(JSON.stringify(entries)).not.toContain('8881234');
    });

    it('saves no child without a recorded consent', async () => {
      const before = await childCount();
      const missing = await org.admin.gql(
        `mutation ($personal: ChildPersonalInput!) { registerChild(input: { personal: $personal }) { id } }`,
        { personal: childInput() },
      );
      expect(errorCode(missing)).toBe('GRAPHQL_VALIDATION');

      const empty = await org.admin.gql(REGISTER, {
        input: { personal: childInput(), consent: { givenOn: '2099-01-01', textVersion: '  ' } },
      });
      expect(empty.errors?.[0]?.extensions).toEqual({
        code: 'VALIDATION',
        fields: { 'consent.givenOn': 'IN_FUTURE', 'consent.textVersion': 'REQUIRED' },
      });
      expect(await childCount()).toBe(before);

      // Nor can anything below the API: the table requires the consent.
      const direct = withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
        tx.execute(
          sql`insert into children (org_id, family_name, given_name, gender, date_of_birth, township, village, circumstances, needs, guardian_name, guardian_relation, guardian_phone)
              values (${org.orgId}, '李', '四', 'MALE', '2016-01-01', '新墙镇', '青山村', '{POVERTY}', '书包', '李父', '父亲', '13900000001')`,
        ),
      );
      await expect(direct).rejects.toSatisfy((error) => pgError(error)?.code === '23502');
      expect(await childCount()).toBe(before);
    });

    it('says what is wrong with each field', async () => {
      const result = await org.admin.gql(REGISTER, {
        input: {
          personal: {
            ...childInput({
              familyName: ' ',
              dateOfBirth: bornYearsAgo(19),
              grade: 13,
              circumstances: ['OTHER'],
              guardianPhone: '12345',
            }),
            gender: null,
          },
          consent: { givenOn: '', textVersion: 'v1' },
        },
      });
      expect(result.errors?.[0]?.extensions).toEqual({
        code: 'VALIDATION',
        fields: {
          'personal.familyName': 'REQUIRED',
          'personal.gender': 'REQUIRED',
          'personal.dateOfBirth': 'NOT_A_MINOR',
          'personal.grade': 'OUT_OF_RANGE',
          'personal.circumstanceNote': 'REQUIRED',
          'personal.guardianPhone': 'INVALID_PHONE',
          'consent.givenOn': 'REQUIRED',
        },
      });
      const badDate = await org.admin.gql(REGISTER, {
        input: { personal: childInput({ dateOfBirth: '2020-02-30' }), consent: CONSENT },
      });
      expect(badDate.errors?.[0]?.extensions?.fields).toEqual({ 'personal.dateOfBirth': 'INVALID_DATE' });
    });

    it('updates a child, auditing the names of the fields that changed and a renewed consent', async () => {
      const id = await registerChild(org.admin, { needs: '书包' });
      const result = await org.admin.gql<{ updateChild: { personal: { needs: string; grade: number } } }>(
        `mutation ($input: UpdateChildInput!) { updateChild(input: $input) { personal { needs grade } } }`,
        {
          input: {
            childId: id,
            personal: childInput({ needs: '书包、冬衣', grade: 4 }),
            consent: { givenOn: localDateIn(0), textVersion: 'v2' },
          },
        },
      );
      expectNoErrors(result);
      expect(result.data?.updateChild.personal).toEqual({ needs: '书包、冬衣', grade: 4 });
      const update = (await auditOf(id)).find((entry) => entry.action === 'child.updated');
      expect(update?.detail).toEqual({ fields: ['givenName', 'grade', 'needs'], consentRenewed: true });
    });

    it('filters the registry by status, circumstance and place, and pages through it', async () => {
      const local = await sponsorshipOrganization(testApp, '筛选测试协会');
      const orphan = await registerChild(local.admin, { circumstances: ['ORPHANED', 'POVERTY'], village: '枫树村' });
      await registerChild(local.admin, { circumstances: ['LEFT_BEHIND'], township: '筻口镇' });
      const third = await registerChild(local.admin, { circumstances: ['DISABILITY'] });
      await sponsor(local.admin, third, await createSponsor(local.admin));
      const LIST = `query ($filter: ChildFilter, $first: Int, $after: String) {
        children(filter: $filter, first: $first, after: $after) { totalCount nodes { id status } pageInfo { hasNextPage endCursor } }
      }`;
      type List = {
        children: {
          totalCount: number;
          nodes: { id: string; status: string }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
      const list = async (filter: Record<string, unknown>) =>
        (await local.admin.gql<List>(LIST, { filter })).data?.children;
      expect((await list({ circumstance: 'ORPHANED' }))?.nodes.map((node) => node.id)).toEqual([orphan]);
      expect((await list({ place: '枫树' }))?.nodes.map((node) => node.id)).toEqual([orphan]);
      expect((await list({ place: '筻口' }))?.totalCount).toBe(1);
      expect((await list({ status: 'SPONSORED' }))?.nodes).toEqual([{ id: third, status: 'SPONSORED' }]);
      expect((await list({ status: 'WAITING' }))?.totalCount).toBe(2);

      const first = await local.admin.gql<List>(LIST, { first: 2 });
      expect(first.data?.children.pageInfo.hasNextPage).toBe(true);
      const second = await local.admin.gql<List>(LIST, { first: 2, after: first.data?.children.pageInfo.endCursor });
      const seen = [...(first.data?.children.nodes ?? []), ...(second.data?.children.nodes ?? [])].map(
        (node) => node.id,
      );
      expect(new Set(seen).size).toBe(3);
      expect(seen[0]).toBe(third);
    });

    it('lists children and sponsors in a number of statements that does not grow with the page', async () => {
      const local = await sponsorshipOrganization(testApp, '语句计数协会');
      const sponsorId = await createSponsor(local.admin, { childrenOffered: 10 });
      for (let i = 0; i < 8; i++) {
        const id = await registerChild(local.admin);
        if (i % 2 === 0) await sponsor(local.admin, id, sponsorId);
      }
      const PAGE = `query ($first: Int!) { children(first: $first) { nodes { id status personal { fullName age }
        activeSponsorship { sponsor { name activeCount } } totals { moneyFen } consent { recordedBy { displayName } } } } }`;
      const statementsFor = async (first: number) => {
        const before = testApp.statements;
        const result = await local.admin.gql<{ children: { nodes: unknown[] } }>(PAGE, { first });
        expectNoErrors(result);
        expect(result.data?.children.nodes).toHaveLength(first);
        return testApp.statements - before;
      };
      expect(await statementsFor(2)).toBe(await statementsFor(8));

      const SPONSORS = `query ($first: Int!) { sponsors(first: $first) { nodes { id name activeCount proposedCount
        account { id } member { id } totals { moneyFen } sponsorships { status child { personal { givenName } } } } } }`;
      for (let i = 0; i < 6; i++) await createSponsor(local.admin);
      const sponsorStatementsFor = async (first: number) => {
        const before = testApp.statements;
        const result = await local.admin.gql<{ sponsors: { nodes: unknown[] } }>(SPONSORS, { first });
        expectNoErrors(result);
        expect(result.data?.sponsors.nodes).toHaveLength(first);
        return testApp.statements - before;
      };
      expect(await sponsorStatementsFor(2)).toBe(await sponsorStatementsFor(7));
    });
  });

  describe('the lifecycle', () => {
    const STATUS = `query ($id: ID!) { child(id: $id) { status sponsorships { id status endReason } } }`;
    type Status = { child: { status: string; sponsorships: { id: string; status: string; endReason: string }[] } };
    const statusOf = async (id: string) => (await org.admin.gql<Status>(STATUS, { id })).data?.child;

    it('proposes, confirms (the other proposals lapse), ends with a reason; the child waits again or leaves', async () => {
      const childId = await registerChild(org.admin);
      const first = await createSponsor(org.admin);
      const second = await createSponsor(org.admin);
      const firstProposal = await propose(org.admin, childId, first);
      const secondProposal = await propose(org.admin, childId, second);
      expect((await statusOf(childId))?.status).toBe('PROPOSED');
      expect(errorCode(await org.admin.gql(PROPOSE_AGAIN, { childId, sponsorId: first }))).toBe('ALREADY_PROPOSED');

      const confirmed = await org.admin.gql<{ confirmSponsorship: { status: string; confirmedBy: { id: string } } }>(
        `mutation ($id: ID!) { confirmSponsorship(id: $id) { status confirmedBy { id } } }`,
        { id: secondProposal },
      );
      expect(confirmed.data?.confirmSponsorship).toEqual({ status: 'ACTIVE', confirmedBy: { id: org.adminMemberId } });
      const afterConfirm = await statusOf(childId);
      expect(afterConfirm?.status).toBe('SPONSORED');
      expect(afterConfirm?.sponsorships.find((row) => row.id === firstProposal)?.status).toBe('LAPSED');
      expect(errorCode(await org.admin.gql(CONFIRM_AGAIN, { id: firstProposal }))).toBe('ALREADY_SPONSORED');
      expect(errorCode(await org.admin.gql(PROPOSE_AGAIN, { childId, sponsorId: first }))).toBe('ALREADY_SPONSORED');

      const ended = await org.admin.gql(END, { input: { id: secondProposal, reason: 'SPONSOR_WITHDREW' } });
      expectNoErrors(ended);
      expect((await statusOf(childId))?.status).toBe('WAITING');
      expect(errorCode(await org.admin.gql(END, { input: { id: secondProposal, reason: 'OTHER' } }))).toBe(
        'WRONG_STATUS',
      );

      const third = await createSponsor(org.admin);
      const again = await sponsor(org.admin, childId, third);
      expectNoErrors(await org.admin.gql(END, { input: { id: again, reason: 'CHILD_MOVED', note: '随父母进城' } }));
      expect(await statusOf(childId)).toMatchObject({ status: 'ENDED' });
      expect(errorCode(await org.admin.gql(PROPOSE_AGAIN, { childId, sponsorId: first }))).toBe('WRONG_STATUS');
    });

    it('lets a proposal lapse, and refuses what the lifecycle does not allow', async () => {
      const childId = await registerChild(org.admin);
      const proposal = await propose(org.admin, childId, await createSponsor(org.admin));
      const lapsed = await org.admin.gql<{ lapseSponsorship: { status: string; closedAt: string } }>(
        `mutation ($id: ID!) { lapseSponsorship(id: $id) { status closedAt } }`,
        { id: proposal },
      );
      expect(lapsed.data?.lapseSponsorship.status).toBe('LAPSED');
      expect((await statusOf(childId))?.status).toBe('WAITING');
      expect(errorCode(await org.admin.gql(CONFIRM_AGAIN, { id: proposal }))).toBe('WRONG_STATUS');
      expect(errorCode(await org.admin.gql(END, { input: { id: proposal, reason: 'RECORD_DELETED' } }))).toBe(
        'VALIDATION',
      );
    });

    it('never proposes against a sponsor’s hard preferences', async () => {
      const boy = await registerChild(org.admin, { gender: 'MALE', dateOfBirth: bornYearsAgo(13), township: '筻口镇' });
      const picky = await createSponsor(org.admin, {
        preferredGender: 'FEMALE',
        preferredAgeMin: 8,
        preferredAgeMax: 12,
        preferredTownships: ['新墙镇'],
      });
      const result = await org.admin.gql(PROPOSE_AGAIN, { childId: boy, sponsorId: picky });
      expect(result.errors?.[0]?.extensions).toEqual({
        code: 'PREFERENCE_MISMATCH',
        conflicts: ['REGION', 'AGE', 'GENDER'],
      });
    });
  });

  describe('support and follow-up', () => {
    it('records support, visits and updates: a timeline, and totals per sponsorship, child and sponsor', async () => {
      const childId = await registerChild(org.admin);
      const sponsorId = await createSponsor(org.admin, { childrenOffered: 2 });
      const sponsorshipId = await sponsor(org.admin, childId, sponsorId);
      const other = await sponsor(org.admin, await registerChild(org.admin), sponsorId);

      const SUPPORT = `mutation ($input: RecordSupportInput!) { recordSupport(input: $input) { id kind amountFen description recordedBy { id } } }`;
      expectNoErrors(
        await org.admin.gql(SUPPORT, {
          input: { sponsorshipId, kind: 'MONEY', givenOn: '2026-09-01', amountFen: 30_000 },
        }),
      );
      expectNoErrors(
        await org.admin.gql(SUPPORT, {
          input: { sponsorshipId, kind: 'GOODS', givenOn: '2026-10-15', description: '冬衣两件', amountFen: 25_000 },
        }),
      );
      expectNoErrors(
        await org.admin.gql(SUPPORT, {
          input: { sponsorshipId: other, kind: 'MONEY', givenOn: '2026-09-01', amountFen: 10_000 },
        }),
      );
      const invalid = await org.admin.gql(SUPPORT, {
        input: { sponsorshipId, kind: 'MONEY', givenOn: '2099-01-01' },
      });
      expect(invalid.errors?.[0]?.extensions).toEqual({
        code: 'VALIDATION',
        fields: { givenOn: 'IN_FUTURE', amountFen: 'REQUIRED' },
      });
      const goods = await org.admin.gql(SUPPORT, { input: { sponsorshipId, kind: 'GOODS', givenOn: '2026-10-01' } });
      expect(goods.errors?.[0]?.extensions?.fields).toEqual({ description: 'REQUIRED' });

      const visit = await org.admin.gql<{ recordVisit: { volunteers: { id: string }[]; notes: string } }>(
        `mutation ($input: RecordVisitInput!) { recordVisit(input: $input) { volunteers { id } notes } }`,
        {
          input: {
            sponsorshipId,
            visitedOn: '2026-10-20',
            volunteerIds: [org.adminMemberId],
            notes: '孩子精神不错，作业认真。',
          },
        },
      );
      expectNoErrors(visit);
      expect(visit.data?.recordVisit).toEqual({
        volunteers: [{ id: org.adminMemberId }],
        notes: '孩子精神不错，作业认真。',
      });
      expectNoErrors(
        await org.admin.gql(
          `mutation ($input: PostSponsorshipUpdateInput!) { postSponsorshipUpdate(input: $input) { id } }`,
          { input: { sponsorshipId, postedOn: '2026-11-01', body: '期中考试数学进步了。' } },
        ),
      );

      const timeline = await org.admin.gql<{
        sponsorship: {
          totals: Record<string, unknown>;
          timeline: { kind: string; on: string }[];
          child: { totals: { moneyFen: number } };
          sponsor: { totals: { moneyFen: number; goodsCount: number } };
        };
      }>(
        `query ($id: ID!) { sponsorship(id: $id) {
          totals { moneyFen goodsCount goodsValueFen visitCount lastSupportOn }
          timeline { kind on support { amountFen } visit { notes } update { body } }
          child { totals { moneyFen } } sponsor { totals { moneyFen goodsCount } } } }`,
        { id: sponsorshipId },
      );
      expectNoErrors(timeline);
      expect(timeline.data?.sponsorship.timeline.map((entry) => [entry.kind, entry.on])).toEqual([
        ['UPDATE', '2026-11-01'],
        ['VISIT', '2026-10-20'],
        ['SUPPORT', '2026-10-15'],
        ['SUPPORT', '2026-09-01'],
      ]);
      expect(timeline.data?.sponsorship.totals).toEqual({
        moneyFen: 30_000,
        goodsCount: 1,
        goodsValueFen: 25_000,
        visitCount: 1,
        lastSupportOn: '2026-10-15',
      });
      expect(timeline.data?.sponsorship.child.totals.moneyFen).toBe(30_000);
      expect(timeline.data?.sponsorship.sponsor.totals).toEqual({ moneyFen: 40_000, goodsCount: 1 });

      // Writing and reading visit notes are both audited against the child.
      const actions = (await auditOf(childId)).map((entry) => [entry.action, entry.detail['fields']]);
      expect(actions).toContainEqual(['visit.recorded', ['visit.notes']]);
      expect(actions).toContainEqual(['update.posted', ['update.body']]);
      expect(actions).toContainEqual(['child.personal_read', ['visit.notes']]);
    });

    it('records nothing against a proposal', async () => {
      const proposal = await propose(org.admin, await registerChild(org.admin), await createSponsor(org.admin));
      const result = await org.admin.gql(
        `mutation ($input: RecordSupportInput!) { recordSupport(input: $input) { id } }`,
        { input: { sponsorshipId: proposal, kind: 'MONEY', givenOn: '2026-09-01', amountFen: 100 } },
      );
      expect(errorCode(result)).toBe('WRONG_STATUS');
    });

    it('shows members the programme’s figures on the home page', async () => {
      const local = await sponsorshipOrganization(testApp, '统计测试协会');
      const sponsorId = await createSponsor(local.admin, { childrenOffered: 2 });
      const sponsored = await sponsor(local.admin, await registerChild(local.admin), sponsorId);
      await registerChild(local.admin);
      await propose(local.admin, await registerChild(local.admin), sponsorId);
      expectNoErrors(
        await local.admin.gql(`mutation ($input: RecordSupportInput!) { recordSupport(input: $input) { id } }`, {
          input: { sponsorshipId: sponsored, kind: 'MONEY', givenOn: '2026-09-01', amountFen: 50_000 },
        }),
      );
      const member = (await testApp.signUp()).in(local.slug);
      await testApp.addMember(local.orgId, member);
      const counts = await member.gql<{ organization: { sponsorshipCounts: Record<string, number> } }>(
        `{ organization { sponsorshipCounts { waitingChildren proposedChildren sponsoredChildren activeSponsors supportMoneyFen supportGoodsCount } } }`,
      );
      expect(counts.data?.organization.sponsorshipCounts).toEqual({
        waitingChildren: 1,
        proposedChildren: 1,
        sponsoredChildren: 1,
        activeSponsors: 1,
        supportMoneyFen: 50_000,
        supportGoodsCount: 0,
      });
      expect(
        errorCode(
          await testApp.anonymous(local.slug).gql(`{ organization { sponsorshipCounts { waitingChildren } } }`),
        ),
      ).toBe('UNAUTHENTICATED');
    });
  });

  describe('the sponsor’s account and view', () => {
    const VIEW = `{ sponsorView { sponsor { name childrenOffered } children { id givenName age grade needs since updates { body } totals { moneyFen } } } }`;
    type View = {
      sponsorView: {
        sponsor: { name: string };
        children: { id: string; givenName: string; age: number; grade: number; needs: string }[];
      } | null;
    };

    it('links an account by a one-time code; the sponsor sees their children minimally, and only active ones', async () => {
      const sponsorId = await createSponsor(org.admin, { name: '刘爱华', kind: 'INDIVIDUAL', childrenOffered: 2 });
      const childId = await registerChild(org.admin, { familyName: '赵', givenName: '小明', gender: 'MALE' });
      const sponsorshipId = await sponsor(org.admin, childId, sponsorId);
      await propose(org.admin, await registerChild(org.admin, { givenName: '待定' }), sponsorId);
      expectNoErrors(
        await org.admin.gql(
          `mutation ($input: PostSponsorshipUpdateInput!) { postSponsorshipUpdate(input: $input) { id } }`,
          { input: { sponsorshipId, body: '小明当上了班长。' } },
        ),
      );

      const person = await testApp.signUp({ displayName: '刘爱华' });
      const asSponsor = person.in(org.slug);
      expect((await asSponsor.gql<View>(VIEW)).data?.sponsorView).toBeNull();

      const invitation = await org.admin.gql<{
        inviteSponsorAccount: { code: string; sponsor: { invitationExpiresAt: string } };
      }>(`mutation ($id: ID!) { inviteSponsorAccount(sponsorId: $id) { code sponsor { invitationExpiresAt } } }`, {
        id: sponsorId,
      });
      expectNoErrors(invitation);
      const code = invitation.data?.inviteSponsorAccount.code ?? '';
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      const CLAIM = `mutation ($code: String!) { claimSponsorInvitation(code: $code) { sponsor { name } } }`;
      expect(errorCode(await asSponsor.gql(CLAIM, { code: 'AAAA-BBBB-CCCC' }))).toBe('INVITATION_INVALID');
      // Typed loosely (lower case, spaces) it still counts.
      expectNoErrors(await asSponsor.gql(CLAIM, { code: code.toLowerCase().replace(/-/g, ' ') }));
      expect(errorCode(await (await testApp.signUp()).in(org.slug).gql(CLAIM, { code }))).toBe('INVITATION_INVALID');

      const view = await asSponsor.gql<View>(VIEW);
      expectNoErrors(view);
      expect(view.data?.sponsorView?.sponsor.name).toBe('刘爱华');
      expect(view.data?.sponsorView?.children).toEqual([
        {
          id: sponsorshipId,
          givenName: '小明',
          age: 9,
          grade: 3,
          needs: '学习用品和冬衣',
          since: localDateIn(0),
          updates: [{ body: '小明当上了班长。' }],
          totals: { moneyFen: 0 },
        },
      ]);
      // Nothing else of the child: not the family name, the village, the guardian.
      const seen = stringsIn(view).join(' ');
      for (const hidden of ['赵', '青山村', '新墙镇', '李奶奶', '13900000000', childId])
        expect(seen).not.toContain(hidden);
      // Audited like an admin's read, with the fields the sponsor saw.
      const read = (await auditOf(childId)).filter((entry) => entry.actorAccountId === person.accountId);
      expect(read.map((entry) => entry.detail)).toEqual([
        { fields: ['dateOfBirth', 'givenName', 'grade', 'needs', 'update.body'], via: ['sponsor_view'] },
      ]);

      const sponsorOf = await person.gql<{ viewer: { sponsorOf: { slug: string }[]; memberships: unknown[] } }>(
        `{ viewer { sponsorOf { slug } memberships { member { id } } } }`,
      );
      expect(sponsorOf.data?.viewer).toEqual({ sponsorOf: [{ slug: org.slug }], memberships: [] });

      const unlinked = await org.admin.gql(`mutation ($id: ID!) { unlinkSponsorAccount(sponsorId: $id) { id } }`, {
        id: sponsorId,
      });
      expectNoErrors(unlinked);
      expect((await asSponsor.gql<View>(VIEW)).data?.sponsorView).toBeNull();
    });

    it('links a member’s own account when the sponsor is that member', async () => {
      const person = await testApp.signUp({ displayName: '志愿者甲' });
      const memberId = await testApp.addMember(org.orgId, person);
      const sponsorId = await createSponsor(org.admin, { kind: 'INDIVIDUAL', name: '志愿者甲', memberId });
      const result = await org.admin.gql<{ sponsor: { member: { id: string }; account: { id: string } } }>(
        `query ($id: ID!) { sponsor(id: $id) { member { id } account { id } } }`,
        { id: sponsorId },
      );
      expect(result.data?.sponsor).toEqual({ member: { id: memberId }, account: { id: person.accountId } });
      const again = await org.admin.gql(`mutation ($input: SponsorInput!) { createSponsor(input: $input) { id } }`, {
        input: { kind: 'INDIVIDUAL', name: '重复', memberId },
      });
      expect(again.errors?.[0]?.extensions).toEqual({ code: 'VALIDATION', fields: { memberId: 'TAKEN' } });
    });

    it('refuses to offer fewer places than the children already sponsored', async () => {
      const sponsorId = await createSponsor(org.admin, { childrenOffered: 2 });
      await sponsor(org.admin, await registerChild(org.admin), sponsorId);
      await sponsor(org.admin, await registerChild(org.admin), sponsorId);
      const result = await org.admin.gql(
        `mutation ($id: ID!, $input: SponsorInput!) { updateSponsor(id: $id, input: $input) { id } }`,
        { id: sponsorId, input: { kind: 'PARTY_ORGANIZATION', name: '改少', childrenOffered: 1 } },
      );
      expect(result.errors?.[0]?.extensions).toEqual({
        code: 'VALIDATION',
        fields: { childrenOffered: 'BELOW_SPONSORED' },
      });
    });
  });

  describe('a guardian’s requests', () => {
    it('exports everything held about a child, and audits the export', async () => {
      const childId = await registerChild(org.admin, { familyName: '周', givenName: '导出', village: '桃花村' });
      const sponsorshipId = await sponsor(org.admin, childId, await createSponsor(org.admin, { name: '导出党支部' }));
      expectNoErrors(
        await org.admin.gql(`mutation ($input: RecordVisitInput!) { recordVisit(input: $input) { id } }`, {
          input: { sponsorshipId, visitedOn: '2026-10-01', volunteerIds: [org.adminMemberId], notes: '家访记录' },
        }),
      );
      const result = await org.admin.gql<{ childExport: { fileName: string; json: string } }>(
        `query ($id: ID!) { childExport(id: $id) { fileName json } }`,
        { id: childId },
      );
      expectNoErrors(result);
      expect(result.data?.childExport.fileName).toBe(`child-${childId}-${localDateIn(0)}.json`);
      const document = JSON.parse(result.data?.childExport.json ?? '{}') as {
        child: { personal: Record<string, unknown>; consent: { textVersion: string } };
        sponsorships: { sponsor: { name: string }; visits: { notes: string; volunteers: string[] }[] }[];
        auditTrail: { action: string }[];
      };
      expect(document.child.personal).toMatchObject({ familyName: '周', givenName: '导出', village: '桃花村' });
      expect(document.child.consent.textVersion).toBe('v1');
      expect(document.sponsorships[0]).toMatchObject({
        sponsor: { name: '导出党支部' },
        visits: [{ notes: '家访记录', volunteers: ['管理员'] }],
      });
      expect(document.auditTrail.map((entry) => entry.action)).toEqual(
        expect.arrayContaining(['child.exported', 'visit.recorded', 'child.registered']),
      );
    });

    it('deletes a child: a tombstone and the audit trail remain, no personal field anywhere', async () => {
      const marks = {
        familyName: '欧阳',
        givenName: '删除测试',
        village: '独一无二村',
        township: '唯一镇',
        school: '唯一小学',
        needs: '独特需求甲乙丙',
        circumstanceNote: '特殊情况说明丁戊',
        guardianName: '监护人己庚',
        guardianRelation: '姑姑',
        guardianPhone: '13712345678',
      };
      const childId = await registerChild(org.admin, { ...marks, circumstances: ['OTHER', 'POVERTY'] });
      const sponsorId = await createSponsor(org.admin);
      const sponsorshipId = await sponsor(org.admin, childId, sponsorId);
      const visitNotes = '家访备注壬癸';
      const updateBody = '近况正文子丑';
      const goods = '给删除测试的冬衣寅卯';
      for (const [mutation, input] of [
        [
          'recordVisit(input: $input) { id }',
          { sponsorshipId, visitedOn: '2026-10-01', volunteerIds: [org.adminMemberId], notes: visitNotes },
        ],
        ['postSponsorshipUpdate(input: $input) { id }', { sponsorshipId, body: updateBody }],
        [
          'recordSupport(input: $input) { id }',
          { sponsorshipId, kind: 'GOODS', givenOn: '2026-10-02', description: goods },
        ],
        [
          'recordSupport(input: $input) { id }',
          { sponsorshipId, kind: 'MONEY', givenOn: '2026-10-03', amountFen: 20_000 },
        ],
      ] as const) {
        const type = mutation.startsWith('recordVisit')
          ? 'RecordVisitInput'
          : mutation.startsWith('post')
            ? 'PostSponsorshipUpdateInput'
            : 'RecordSupportInput';
        expectNoErrors(await org.admin.gql(`mutation ($input: ${type}!) { ${mutation} }`, { input }));
      }
      expectNoErrors(await org.admin.gql(CHILD, { id: childId }));
      const trailBefore = (await auditOf(childId)).length;

      const deleted = await org.admin.gql<{ deleteChild: { status: string; deletedAt: string; personal: null } }>(
        `mutation ($id: ID!) { deleteChild(id: $id) { status deletedAt personal { fullName } } }`,
        { id: childId },
      );
      expectNoErrors(deleted);
      expect(deleted.data?.deleteChild).toMatchObject({ status: 'ENDED', personal: null });
      expect(deleted.data?.deleteChild.deletedAt).toBeTruthy();

      // Every row of every table the organization can see, as text: none holds a personal value.
      const everything = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, async (tx) => {
        const tables = await queryRows<{ name: string }>(
          tx,
          sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
        );
        const texts: string[] = [];
        for (const { name } of tables) {
          const rows = await queryRows<{ row: string }>(tx, sql`select t::text as row from ${sql.identifier(name)} t`);
          texts.push(...rows.map((row) => row.row));
        }
        return { tables: tables.map((table) => table.name), text: texts.join('\n') };
      });
      expect(everything.tables).toEqual(expect.arrayContaining(['children', 'audit_log', 'sponsorship_visits']));
      for (const value of [...Object.values(marks), visitNotes, updateBody, goods]) {
        expect(everything.text, value).not.toContain(value);
      }

      // The tombstone, the trail (one entry more: the deletion), the money given, the sponsorship ended.
      const [tombstone] = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
        tx.select().from(children).where(eq(children.id, childId)),
      );
      expect(tombstone).toMatchObject({
        status: 'ENDED',
        familyName: null,
        guardianPhone: null,
        consentTextVersion: 'v1',
      });
      const trail = await auditOf(childId);
      expect(trail).toHaveLength(trailBefore + 1);
      expect(trail.at(-1)?.action).toBe('child.deleted');
      const after = await org.admin.gql<{
        sponsorship: { status: string; endReason: string; totals: { moneyFen: number; goodsCount: number } };
        child: { auditTrail: { action: string; fields: string[] }[] };
      }>(
        `query ($id: ID!, $child: ID!) { sponsorship(id: $id) { status endReason totals { moneyFen goodsCount } }
          child(id: $child) { auditTrail { action fields } } }`,
        { id: sponsorshipId, child: childId },
      );
      expectNoErrors(after);
      expect(after.data?.sponsorship).toEqual({
        status: 'ENDED',
        endReason: 'RECORD_DELETED',
        totals: { moneyFen: 20_000, goodsCount: 1 },
      });
      expect(after.data?.child.auditTrail[0]?.action).toBe('child.deleted');
      expect(errorCode(await org.admin.gql(PROPOSE_AGAIN, { childId, sponsorId }))).toBe('WRONG_STATUS');
    });
  });
});

const PROPOSE_AGAIN = `mutation ($childId: ID!, $sponsorId: ID!) { proposeSponsorship(childId: $childId, sponsorId: $sponsorId) { id } }`;
const CONFIRM_AGAIN = `mutation ($id: ID!) { confirmSponsorship(id: $id) { id } }`;
const END = `mutation ($input: EndSponsorshipInput!) { endSponsorship(input: $input) { id status } }`;
