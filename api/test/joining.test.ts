/**
 * Joining: invitations (single use, expiring, only their hash stored) and
 * requests to join from the public page.
 */
import { invitations, queryRows, withTenant } from '@qicai/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';
import { addRosterMember } from './members-seed.ts';
import { testClock } from './clock.ts';

const INVITE = `mutation ($input: InviteMemberInput!) { inviteMember(input: $input) { link invitation { id status member { id } } } }`;
const ACCEPT = `mutation ($token: String!) { acceptInvitation(token: $token) { organization { slug } member { id displayName phone role } } }`;
const PREVIEW = `query ($token: String!) { invitation(token: $token) { organizationName organizationSlug displayName status } }`;

function tokenOf(link: string): string {
  return new URL(link).pathname.split('/').pop() ?? '';
}

describe('invitations', () => {
  let testApp: TestApp;
  let admin: Client;
  let orgId: string;
  let slug: string;

  const invite = async (input: Record<string, unknown>) => {
    const result = await admin.gql<{
      inviteMember: { link: string; invitation: { id: string; member: { id: string } | null } };
    }>(INVITE, { input });
    expectNoErrors(result);
    const created = result.data?.inviteMember;
    if (!created) throw new Error('no invitation');
    return { ...created, token: tokenOf(created.link) };
  };

  beforeAll(async () => {
    testApp = await TestApp.start();
    admin = await testApp.signUp();
    const organization = await admin.createOrganization('邀请测试协会');
    orgId = organization.id;
    slug = organization.slug;
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('invites by phone; the person registers, accepts and becomes a member, once', async () => {
    const { link, token } = await invite({ phone: '13912345678', displayName: '赵新来' });
    expect(link).toMatch(/^http:\/\/localhost:3000\/invite\/[A-Za-z0-9_-]{43}$/);

    const preview = await testApp.anonymous().gql(PREVIEW, { token });
    expect(preview.data).toEqual({
      invitation: {
        organizationName: '邀请测试协会',
        organizationSlug: slug,
        displayName: '赵新来',
        status: 'PENDING',
      },
    });

    const person = await testApp.signUp({ phone: '13912345678', displayName: '赵新来' });
    const accepted = await person.gql<{ acceptInvitation: { member: { phone: string; role: string } } }>(ACCEPT, {
      token,
    });
    expectNoErrors(accepted);
    expect(accepted.data?.acceptInvitation).toMatchObject({
      organization: { slug },
      member: { displayName: '赵新来', phone: '13912345678', role: 'MEMBER' },
    });

    const again = await (await testApp.signUp()).gql(ACCEPT, { token });
    expect(errorCode(again)).toBe('INVITATION_USED');
    expect(
      (await testApp.anonymous().gql<{ invitation: { status: string } }>(PREVIEW, { token })).data?.invitation.status,
    ).toBe('ACCEPTED');
  });

  it('is accepted once when the invited person opens the link on several devices at once; nobody else may', async () => {
    const { token } = await invite({ email: 'shared-link@example.cn' });
    const invited = await testApp.signUp({ email: 'shared-link@example.cn', password: '湘江边的志愿者 2026 早春' });
    const devices = await Promise.all(
      [0, 1, 2].map(async () => {
        const device = testApp.anonymous();
        expectNoErrors(
          await device.gql(`mutation ($input: SignInInput!) { signIn(input: $input) { account { id } } }`, {
            input: { login: 'shared-link@example.cn', password: '湘江边的志愿者 2026 早春' },
          }),
        );
        return device;
      }),
    );
    // Someone the link was forwarded to, signed in as themselves, cannot use it.
    const forwardedTo = await testApp.signUp();
    expect(errorCode(await forwardedTo.gql(ACCEPT, { token }))).toBe('INVITATION_NOT_FOR_YOU');
    const results = await Promise.all([invited, ...devices].map((device) => device.gql(ACCEPT, { token })));
    expect(results.filter((result) => !result.errors)).toHaveLength(1);
    expect(results.filter((result) => errorCode(result) === 'INVITATION_USED')).toHaveLength(3);
  });

  it('links a roster entry (imported, no account) to the account that accepts', async () => {
    const memberId = await addRosterMember(admin, { displayName: '钱花名册', phone: '13955556666' });
    const { token, invitation } = await invite({ memberId });
    expect(invitation.member?.id).toBe(memberId);
    // Invited by the entry's number: someone signed in with another login may not take the entry.
    const stranger = await testApp.signUp({ email: 'qian@example.cn', displayName: 'Qian' });
    expect(errorCode(await stranger.gql(ACCEPT, { token }))).toBe('INVITATION_NOT_FOR_YOU');
    const person = await testApp.signUp({ phone: '13955556666', displayName: 'Qian' });
    const accepted = await person.gql<{ acceptInvitation: { member: { id: string; displayName: string } } }>(ACCEPT, {
      token,
    });
    expectNoErrors(accepted);
    expect(accepted.data?.acceptInvitation.member).toMatchObject({ id: memberId, displayName: '钱花名册' });
    const again = await admin.gql(INVITE, { input: { memberId } });
    expect(errorCode(again)).toBe('ALREADY_MEMBER');
  });

  it('expires', async () => {
    const { token, invitation } = await invite({ phone: '13977778888' });
    await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
      tx
        .update(invitations)
        .set({ expiresAt: new Date(testClock.now().getTime() - 1000) })
        .where(sql`${invitations.id} = ${invitation.id}`),
    );
    const person = await testApp.signUp({ phone: '13977778888' });
    expect(errorCode(await person.gql(ACCEPT, { token }))).toBe('INVITATION_EXPIRED');
    expect(
      (await testApp.anonymous().gql<{ invitation: { status: string } }>(PREVIEW, { token })).data?.invitation.status,
    ).toBe('EXPIRED');
    const roster = await admin.gql<{ organization: { members: { nodes: unknown[] } } }>(
      `{ organization { members(search: "13977778888") { nodes { id } } } }`,
    );
    expect(roster.data?.organization.members.nodes).toEqual([]);
  });

  it('can be revoked, and then no longer works', async () => {
    const { token, invitation } = await invite({ email: 'revoked@example.cn' });
    const revoked = await admin.gql<{ revokeInvitation: { status: string } }>(
      `mutation ($id: ID!) { revokeInvitation(id: $id) { status } }`,
      { id: invitation.id },
    );
    expect(revoked.data?.revokeInvitation.status).toBe('REVOKED');
    expect(errorCode(await (await testApp.signUp()).gql(ACCEPT, { token }))).toBe('INVITATION_USED');
  });

  it('stores only the token’s hash', async () => {
    const { token } = await invite({ email: 'hash@example.cn' });
    const rows = await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
      queryRows<{ token_hash: string }>(tx, sql`select token_hash from invitations`),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.token_hash.includes(token) || token.includes(row.token_hash))).toBe(false);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.token_hash))).toBe(true);
  });

  it('answers null for an unknown token, and only admins invite', async () => {
    expect((await testApp.anonymous().gql(PREVIEW, { token: 'x'.repeat(43) })).data).toEqual({ invitation: null });
    const member = (await testApp.signUp()).in(slug);
    await testApp.addMember(orgId, member);
    expect(errorCode(await member.gql(INVITE, { input: { phone: '13900001111' } }))).toBe('FORBIDDEN');
    expect(errorCode(await member.gql(`{ organization { invitations { id } } }`))).toBe('FORBIDDEN');
    const invalid = await admin.gql(INVITE, { input: { phone: '123', email: 'nope' } });
    expect(invalid.errors?.[0]?.extensions?.fields).toEqual({ phone: 'INVALID_PHONE', email: 'INVALID_EMAIL' });
  });
});

describe('requests to join', () => {
  let testApp: TestApp;
  let admin: Client;
  let slug: string;

  const REQUEST = `mutation ($input: RequestToJoinInput!) { requestToJoin(input: $input) { id status message } }`;
  const DECIDE = `mutation ($input: DecideJoinRequestInput!) { decideJoinRequest(input: $input) { id status member { id displayName } } }`;
  const QUEUE = `{ organization { pendingJoinRequestCount joinRequests { id displayName phone email message } } }`;

  beforeAll(async () => {
    testApp = await TestApp.start();
    admin = await testApp.signUp();
    slug = (await admin.createOrganization('申请测试协会')).slug;
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('lets a person ask on the public page; the admin approves; the person is a member in both organizations', async () => {
    const person = (await testApp.signUp({ displayName: '孙申请', phone: '13822223333' })).in(slug);
    const elsewhere = await person.in(null).createOrganization('自己的协会');
    person.org = slug;

    const asked = await person.gql<{ requestToJoin: { id: string; status: string } }>(REQUEST, {
      input: { message: '我是县医院的护士，想加入白色天使。' },
    });
    expectNoErrors(asked);
    const twice = await person.gql<{ requestToJoin: { id: string } }>(REQUEST, { input: { message: '再问一次' } });
    expect(twice.data?.requestToJoin.id).toBe(asked.data?.requestToJoin.id);

    const queue = await admin.gql<{ organization: { pendingJoinRequestCount: number; joinRequests: unknown[] } }>(
      QUEUE,
    );
    expect(queue.data?.organization).toEqual({
      pendingJoinRequestCount: 1,
      joinRequests: [
        {
          id: asked.data?.requestToJoin.id,
          displayName: '孙申请',
          phone: '13822223333',
          email: null,
          message: '我是县医院的护士，想加入白色天使。',
        },
      ],
    });

    const approved = await admin.gql<{ decideJoinRequest: { status: string; member: { displayName: string } } }>(
      DECIDE,
      {
        input: { id: asked.data?.requestToJoin.id, approve: true },
      },
    );
    expectNoErrors(approved);
    expect(approved.data?.decideJoinRequest).toMatchObject({ status: 'APPROVED', member: { displayName: '孙申请' } });
    const decidedAgain = await admin.gql(DECIDE, { input: { id: asked.data?.requestToJoin.id, approve: false } });
    expect(errorCode(decidedAgain)).toBe('ALREADY_DECIDED');

    const memberships = await person
      .in(null)
      .gql<{ viewer: { memberships: { organization: { slug: string } }[] } }>(
        `{ viewer { memberships { organization { slug } } } }`,
      );
    expect(memberships.data?.viewer.memberships.map((membership) => membership.organization.slug).sort()).toEqual(
      [elsewhere.slug, slug].sort(),
    );
    expect(errorCode(await person.gql(REQUEST, { input: {} }))).toBe('ALREADY_MEMBER');
  });

  it('lets the admin decline; the person sees it, is told at their proven login, and may ask again', async () => {
    const person = (await testApp.signUp({ displayName: '钟婉清', phone: '13822224444' })).in(slug);
    const asked = await person.gql<{ requestToJoin: { id: string } }>(REQUEST, { input: { message: '' } });
    const declined = await admin.gql<{ decideJoinRequest: { status: string; member: null } }>(DECIDE, {
      input: { id: asked.data?.requestToJoin.id, approve: false },
    });
    expect(declined.data?.decideJoinRequest).toMatchObject({ status: 'DECLINED', member: null });
    const own = await person.gql<{ organization: { viewerJoinRequest: { status: string }; viewerMember: null } }>(
      `{ organization { viewerJoinRequest { status } viewerMember { id } } }`,
    );
    expect(own.data?.organization).toEqual({ viewerJoinRequest: { status: 'DECLINED' }, viewerMember: null });
    // No member to notify: an account message to the phone they proved, after the answer.
    await expect.poll(() => testApp.sent.latest('13822224444', 'JOIN_REQUEST_DECLINED')).toBeDefined();
    const told = testApp.sent.latest('13822224444', 'JOIN_REQUEST_DECLINED');
    expect(told).toMatchObject({ channel: 'SMS', locale: 'zh', params: { organization: '申请测试协会' } });
    expect(told?.text).toContain(`申请测试协会未通过您在七彩提交的入会申请`);
    expect(told?.text).toContain(`/o/${slug}`);
    expect(testApp.sent.all.filter((message) => message.kind === 'JOIN_REQUEST_DECLINED')).toHaveLength(1);
    const again = await person.gql<{ requestToJoin: { id: string; status: string } }>(REQUEST, { input: {} });
    expect(again.data?.requestToJoin.status).toBe('PENDING');
    expect(again.data?.requestToJoin.id).not.toBe(asked.data?.requestToJoin.id);
  });

  it('approves a request once when two admins approve it at the same moment', async () => {
    const second = (await testApp.signUp()).in(slug);
    const orgId =
      (await admin.gql<{ organization: { id: string } }>(`{ organization { id } }`)).data?.organization.id ?? '';
    await testApp.addMember(orgId, second, 'ADMIN');
    const person = (await testApp.signUp()).in(slug);
    const asked = await person.gql<{ requestToJoin: { id: string } }>(REQUEST, { input: {} });
    const results = await Promise.all(
      [admin, second].map((client) =>
        client.gql(DECIDE, { input: { id: asked.data?.requestToJoin.id, approve: true } }),
      ),
    );
    expect(results.filter((result) => !result.errors)).toHaveLength(1);
    expect(results.map(errorCode).filter(Boolean)).toEqual(['ALREADY_DECIDED']);
  });

  it('needs a signed-in person, and only admins see and decide requests', async () => {
    expect(errorCode(await testApp.anonymous(slug).gql(REQUEST, { input: {} }))).toBe('UNAUTHENTICATED');
    const person = (await testApp.signUp()).in(slug);
    const asked = await person.gql<{ requestToJoin: { id: string } }>(REQUEST, { input: {} });
    expect(errorCode(await person.gql(QUEUE))).toBe('NOT_FOUND');
    expect(errorCode(await person.gql(DECIDE, { input: { id: asked.data?.requestToJoin.id, approve: true } }))).toBe(
      'NOT_FOUND',
    );
  });
});
