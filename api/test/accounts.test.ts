/**
 * Accounts and their logins (issues 17 and 18): registration by code, phones
 * that link roster entries only once verified, the takeover of a roster
 * entry by someone who registered another person's number refused, password
 * recovery by SMS code, password changes and one's sessions.
 */
import { accountCodes, accounts, members, withTenant } from '@qicai/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/modules/people/passwords.ts';
import { movableClock } from './clock.ts';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';
import { addRosterMember } from './members-seed.ts';

const START = `mutation ($input: RegisterInput!) { startRegistration(input: $input) { channel sentTo expiresInMinutes } }`;
const CONFIRM = `mutation ($input: ConfirmRegistrationInput!) { confirmRegistration(input: $input) { account { id phone phoneVerified } } }`;
const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { account { id } } }`;
const VIEWER = `{ viewer { account { id phone phoneVerified email emailVerified } } }`;
const ACCEPT = `mutation ($token: String!) { acceptInvitation(token: $token) { member { id } } }`;
const INVITE = `mutation ($input: InviteMemberInput!) { inviteMember(input: $input) { link } }`;
const FORGOT = `mutation ($login: String!) { requestPasswordReset(login: $login) { channel sentTo expiresInMinutes } }`;
const RESET = `mutation ($input: ResetPasswordInput!) { resetPassword(input: $input) { account { id } } }`;
const REQUEST_PHONE = `mutation ($phone: String!) { requestPhoneVerification(phone: $phone) { sentTo } }`;
const CONFIRM_PHONE = `mutation ($input: ConfirmCodeInput!) { confirmPhone(input: $input) { account { phone phoneVerified } } }`;
const SESSIONS = `{ viewer { sessions { startedAt userAgent current } } }`;

const PASSWORD = '洞庭湖边的志愿者 2026';
const NEW_PASSWORD = '君山岛上的银针茶 十月';

describe('registration by code', () => {
  let testApp: TestApp;
  const clock = movableClock();
  beforeAll(async () => {
    testApp = await TestApp.start({}, { clock });
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('sends a code, makes the account verified when it comes back, and takes each code once', async () => {
    const client = testApp.anonymous();
    const started = await client.gql(START, {
      input: { displayName: '周建华', phone: '139 0730 1234', password: PASSWORD, locale: 'zh' },
    });
    expect(started.data).toEqual({
      startRegistration: { channel: 'SMS', sentTo: '139****1234', expiresInMinutes: 10 },
    });
    const message = testApp.sent.latest('13907301234');
    expect(message).toMatchObject({
      channel: 'SMS',
      kind: 'VERIFICATION_CODE',
      locale: 'zh',
      params: { minutes: '10' },
    });
    const code = message?.params['code'] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    expect(message?.text).toContain(code);
    // Nothing signs in before the code, and no account exists yet.
    expect((await client.gql<{ viewer: null }>(VIEWER)).data?.viewer).toBeNull();
    expect(await testApp.database.db.select().from(accounts).where(eq(accounts.phone, '13907301234'))).toEqual([]);
    // Only a hash of the code is stored.
    const stored = await testApp.database.db
      .select()
      .from(accountCodes)
      .where(eq(accountCodes.recipient, '13907301234'));
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(code);

    const wrong = code === '000000' ? '000001' : '000000';
    expect(errorCode(await client.gql(CONFIRM, { input: { login: '13907301234', code: wrong } }))).toBe('INVALID_CODE');
    const confirmed = await client.gql<{ confirmRegistration: { account: { phone: string; phoneVerified: boolean } } }>(
      CONFIRM,
      { input: { login: '13907301234', code } },
    );
    expectNoErrors(confirmed);
    expect(confirmed.data?.confirmRegistration.account).toMatchObject({ phone: '13907301234', phoneVerified: true });
    expect(errorCode(await testApp.anonymous().gql(CONFIRM, { input: { login: '13907301234', code } }))).toBe(
      'INVALID_CODE',
    );
  });

  it('lets a code die after five wrong tries or ten minutes, and throttles codes per number', async () => {
    const client = testApp.anonymous();
    expectNoErrors(
      await client.gql(START, { input: { displayName: '刘芳', phone: '13607305678', password: PASSWORD } }),
    );
    const code = testApp.sent.code('13607305678');
    const wrong = code === '111111' ? '222222' : '111111';
    for (let i = 0; i < 5; i++) await client.gql(CONFIRM, { input: { login: '13607305678', code: wrong } });
    expect(errorCode(await client.gql(CONFIRM, { input: { login: '13607305678', code } }))).toBe('INVALID_CODE');

    // A new code within the minute: refused; after it, sent, and it too expires after ten minutes.
    expect(
      errorCode(await client.gql(START, { input: { displayName: '刘芳', phone: '13607305678', password: PASSWORD } })),
    ).toBe('RATE_LIMITED');
    clock.forward(1.5);
    expectNoErrors(
      await client.gql(START, { input: { displayName: '刘芳', phone: '13607305678', password: PASSWORD } }),
    );
    const second = testApp.sent.code('13607305678');
    clock.forward(10.5);
    expect(errorCode(await client.gql(CONFIRM, { input: { login: '13607305678', code: second } }))).toBe(
      'INVALID_CODE',
    );
  });

  it('throttles codes per number (5 an hour, 10 a day) and per client address (20 an hour), saying how long to wait', async () => {
    const client = testApp.anonymous();
    const start = (phone: string, address: string) =>
      client.gql(START, { input: { displayName: '黄晓燕', phone, password: PASSWORD } }, {}, address);
    const waitOf = (result: Awaited<ReturnType<typeof start>>) => {
      expect(errorCode(result)).toBe('RATE_LIMITED');
      const extensions: Record<string, unknown> = { ...result.errors?.[0]?.extensions };
      return Number(extensions['retryAfterSeconds']);
    };
    // One number, a code every 90 seconds: five in the hour, the sixth refused until the hour is over.
    for (let i = 0; i < 5; i++) {
      expectNoErrors(await start('１３６０７３０１１１１', '10.9.0.1'));
      clock.forward(1.5);
    }
    const hourly = waitOf(await start('13607301111', '10.9.0.1'));
    expect(hourly).toBeGreaterThan(50 * 60);
    expect(hourly).toBeLessThanOrEqual(60 * 60);
    clock.forward(61);
    for (let i = 0; i < 5; i++) {
      expectNoErrors(await start('13607301111', '10.9.0.1'));
      clock.forward(1.5);
    }
    clock.forward(61);
    // Ten in the day: the eleventh waits for the day's end, whatever the hour says.
    expect(waitOf(await start('13607301111', '10.9.0.1'))).toBeGreaterThan(20 * 3600);

    // One address, twenty numbers in the hour; the twenty-first refused, whatever the number; another address goes on.
    clock.forward(1);
    for (let i = 0; i < 20; i++) expectNoErrors(await start(`1360731${String(i).padStart(4, '0')}`, '10.9.0.2'));
    expect(waitOf(await start('13607319999', '10.9.0.2'))).toBe(3600);
    expectNoErrors(await start('13607319999', '10.9.0.3'));
  });

  it('answers a registered number exactly as a free one, and tells its owner instead of sending a code', async () => {
    await testApp.signUp({ phone: '13707309999' });
    clock.forward(2);
    const taken = await testApp
      .anonymous()
      .gql(START, { input: { displayName: '冒名者', phone: '13707309999', password: PASSWORD } });
    const free = await testApp
      .anonymous()
      .gql(START, { input: { displayName: '新人', phone: '13707308888', password: PASSWORD } });
    expect(taken.data).toEqual({ startRegistration: { channel: 'SMS', sentTo: '137****9999', expiresInMinutes: 10 } });
    expect(free.data).toEqual({ startRegistration: { channel: 'SMS', sentTo: '137****8888', expiresInMinutes: 10 } });
    expect(testApp.sent.latest('13707309999')).toMatchObject({ kind: 'ACCOUNT_EXISTS' });
    expect(testApp.sent.latest('13707309999')?.text).toContain('/forgot');
    expect(testApp.sent.latest('13707308888')).toMatchObject({ kind: 'VERIFICATION_CODE' });
  });
});

describe('verified phones and roster entries', () => {
  let testApp: TestApp;
  let admin: Client;
  let orgId: string;
  let slug: string;
  const clock = movableClock();

  beforeAll(async () => {
    testApp = await TestApp.start({}, { clock });
    admin = await testApp.signUp({ displayName: '管理员周丽华' });
    const organization = await admin.createOrganization('岳阳县七彩之光志愿者协会');
    orgId = organization.id;
    slug = organization.slug;
  });
  afterAll(async () => {
    await testApp.close();
  });

  /**
   * An account as accounts were before codes existed: a phone typed at
   * registration, never proven (here someone else's), and an email of its own.
   */
  async function unverifiedAccount(phone: string, email: string): Promise<Client> {
    await testApp.database.db
      .insert(accounts)
      .values({ displayName: '冒名者', phone, email, passwordHash: await hashPassword(PASSWORD) });
    const client = testApp.anonymous();
    expectNoErrors(await client.gql(SIGN_IN, { input: { login: email, password: PASSWORD } }));
    return client;
  }

  const rosterEntry = (memberId: string) =>
    withTenant(testApp.database.db, { orgId, accountId: null }, async (tx) => {
      const [row] = await tx.select().from(members).where(eq(members.id, memberId));
      return row;
    });

  it('an unverified phone never links a roster entry: not through a join request, not through an invitation to that number', async () => {
    const entryId = await addRosterMember(admin, { displayName: '王秀英', phone: '13874001111' });
    const impostor = (await unverifiedAccount('13874001111', 'impostor1@example.cn')).in(slug);
    const viewer = await impostor.gql<{ viewer: { account: { phoneVerified: boolean } } }>(VIEWER);
    expect(viewer.data?.viewer.account.phoneVerified).toBe(false);

    // An invitation to the number: the impostor holds the number unproven and may not accept it.
    const invited = await admin.gql<{ inviteMember: { link: string } }>(INVITE, { input: { memberId: entryId } });
    const token = new URL(invited.data?.inviteMember.link ?? 'http://x/').pathname.split('/').pop() ?? '';
    expect(errorCode(await impostor.gql(ACCEPT, { token }))).toBe('INVITATION_NOT_FOR_YOU');

    // A join request approved: a member of its own, never the entry with that number.
    const asked = await impostor.gql<{ requestToJoin: { id: string } }>(
      `mutation { requestToJoin(input: { message: "我是王秀英" }) { id } }`,
    );
    expectNoErrors(asked);
    const decided = await admin.gql<{ decideJoinRequest: { member: { id: string } } }>(
      `mutation ($id: ID!) { decideJoinRequest(input: { id: $id, approve: true }) { member { id } } }`,
      { id: asked.data?.requestToJoin.id },
    );
    expectNoErrors(decided);
    expect(decided.data?.decideJoinRequest.member.id).not.toBe(entryId);
    expect((await rosterEntry(entryId))?.accountId).toBeNull();
  });

  it('refuses the takeover: the real owner proves the number, the impostor loses it, and the entry is the owner’s', async () => {
    const entryId = await addRosterMember(admin, { displayName: '李建国', phone: '13874002222' });
    const impostor = await unverifiedAccount('13874002222', 'impostor2@example.cn');
    const invited = await admin.gql<{ inviteMember: { link: string } }>(INVITE, { input: { memberId: entryId } });
    const token = new URL(invited.data?.inviteMember.link ?? 'http://x/').pathname.split('/').pop() ?? '';
    // The invitation went to the number, to its real owner.
    expect(testApp.sent.latest('13874002222', 'INVITATION')?.text).toContain(`/invite/${token}`);

    // The owner registers with an email (the number is held), then proves the number with a code.
    const owner = await testApp.signUp({ displayName: '李建国', email: 'lijianguo@example.cn' });
    expectNoErrors(await owner.gql(REQUEST_PHONE, { phone: '13874002222' }));
    const code = testApp.sent.code('13874002222');
    const confirmed = await owner.gql<{ confirmPhone: { account: { phone: string; phoneVerified: boolean } } }>(
      CONFIRM_PHONE,
      { input: { login: '13874002222', code } },
    );
    expectNoErrors(confirmed);
    expect(confirmed.data?.confirmPhone.account).toEqual({ phone: '13874002222', phoneVerified: true });
    // The impostor's account keeps its email, loses the number and its sessions.
    expect((await impostor.gql<{ viewer: null }>(VIEWER)).data?.viewer).toBeNull();
    const [impostorRow] = await testApp.database.db
      .select()
      .from(accounts)
      .where(eq(accounts.email, 'impostor2@example.cn'));
    expect(impostorRow?.phone).toBeNull();

    const accepted = await owner.gql<{ acceptInvitation: { member: { id: string } } }>(ACCEPT, { token });
    expectNoErrors(accepted);
    expect(accepted.data?.acceptInvitation.member.id).toBe(entryId);
    expect((await rosterEntry(entryId))?.accountId).toBe(owner.accountId);
  });

  it('refuses a number another account has verified (its owner is told), with the same answer', async () => {
    await testApp.signUp({ phone: '13874003333' });
    const other = await testApp.signUp({ email: 'someone.else@example.cn' });
    clock.forward(2);
    const answer = await other.gql(REQUEST_PHONE, { phone: '13874003333' });
    expect(answer.data).toEqual({ requestPhoneVerification: { sentTo: '138****3333' } });
    expect(testApp.sent.latest('13874003333')?.kind).toBe('ACCOUNT_EXISTS');
    expect(errorCode(await other.gql(CONFIRM_PHONE, { input: { login: '13874003333', code: '123456' } }))).toBe(
      'INVALID_CODE',
    );
  });
});

describe('password recovery by SMS code, password changes and sessions', () => {
  let testApp: TestApp;
  const clock = movableClock();
  beforeAll(async () => {
    testApp = await TestApp.start({}, { clock });
  });
  afterAll(async () => {
    await testApp.close();
  });

  const signIn = async (
    login: string,
    password: string,
    userAgent = 'Mozilla/5.0 (Linux; Android 14; HUAWEI Mate 60)',
  ) => {
    const client = testApp.anonymous();
    const result = await client.gql(SIGN_IN, { input: { login, password } }, { 'user-agent': userAgent });
    return { client, result };
  };

  it('answers an unknown number as a known one and texts nothing there', async () => {
    const before = testApp.sent.all.length;
    const unknown = await testApp.anonymous().gql(FORGOT, { login: '13500001111' });
    expect(unknown.data).toEqual({
      requestPasswordReset: { channel: 'SMS', sentTo: '135****1111', expiresInMinutes: 30 },
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(testApp.sent.all.length).toBe(before);
  });

  it('resets by a code sent to the phone, ending every other session; a refused password leaves the code usable', async () => {
    await testApp.signUp({ displayName: '陈静', phone: '13500002222', password: PASSWORD });
    const other = await signIn('13500002222', PASSWORD);
    expectNoErrors(other.result);
    // Registered a while ago (codes to one number are a minute apart at least).
    clock.forward(2);

    const forgetful = testApp.anonymous();
    const asked = await forgetful.gql(FORGOT, { login: '135 0000 2222' });
    expect(asked.data).toEqual({
      requestPasswordReset: { channel: 'SMS', sentTo: '135****2222', expiresInMinutes: 30 },
    });
    await new Promise((resolve) => setImmediate(resolve));
    const message = testApp.sent.latest('13500002222', 'PASSWORD_RESET_CODE');
    expect(message?.locale).toBe('zh');
    const code = message?.params['code'] ?? '';

    expect(testApp.sent.latest('13500002222', 'PASSWORD_RESET_CODE')?.text).toContain('30 分钟');
    const weak = await forgetful.gql(RESET, { input: { login: '13500002222', code, newPassword: '12345678' } });
    expect(weak.errors?.[0]?.extensions?.fields).toEqual({ newPassword: 'WEAK_PASSWORD' });
    // A refused password leaves the code usable: the good one goes through, and signs in.
    expectNoErrors(await forgetful.gql(RESET, { input: { login: '13500002222', code, newPassword: NEW_PASSWORD } }));
    expect((await forgetful.gql<{ viewer: { account: { phone: string } } }>(VIEWER)).data?.viewer.account.phone).toBe(
      '13500002222',
    );
    expect((await other.client.gql<{ viewer: null }>(VIEWER)).data?.viewer).toBeNull();
  });

  it('resets with a good password the first time, and the code does not work twice', async () => {
    await testApp.signUp({ displayName: '赵敏', phone: '13500003333', password: PASSWORD });
    const other = await signIn('13500003333', PASSWORD);
    clock.forward(2);
    const forgetful = testApp.anonymous();
    expectNoErrors(await forgetful.gql(FORGOT, { login: '13500003333' }));
    await new Promise((resolve) => setImmediate(resolve));
    const code = testApp.sent.code('13500003333');
    expectNoErrors(await forgetful.gql(RESET, { input: { login: '13500003333', code, newPassword: NEW_PASSWORD } }));
    expect((await forgetful.gql<{ viewer: { account: { phone: string } } }>(VIEWER)).data?.viewer.account.phone).toBe(
      '13500003333',
    );
    expect((await other.client.gql<{ viewer: null }>(VIEWER)).data?.viewer).toBeNull();
    expect(errorCode((await signIn('13500003333', PASSWORD)).result)).toBe('INVALID_CREDENTIALS');
    expectNoErrors((await signIn('13500003333', NEW_PASSWORD)).result);
    expect(
      errorCode(
        await testApp
          .anonymous()
          .gql(RESET, { input: { login: '13500003333', code, newPassword: '另一个新密码 湘江 北去' } }),
      ),
    ).toBe('INVALID_CODE');
  });

  it('lists the sessions, changes the password keeping this one, and signs out everywhere', async () => {
    const me = await testApp.signUp({ displayName: '黄磊', email: 'huanglei@example.cn', password: PASSWORD });
    const phone = await signIn(
      'huanglei@example.cn',
      PASSWORD,
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) MicroMessenger/8.0',
    );
    const laptop = await signIn('huanglei@example.cn', PASSWORD, 'Mozilla/5.0 (Windows NT 10.0) Chrome/131');
    const listed = await phone.client.gql<{ viewer: { sessions: { userAgent: string | null; current: boolean }[] } }>(
      SESSIONS,
    );
    expect(listed.data?.viewer.sessions).toHaveLength(3);
    expect(
      listed.data?.viewer.sessions.filter((session) => session.current).map((session) => session.userAgent),
    ).toEqual(['Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) MicroMessenger/8.0']);

    const wrong = await phone.client.gql(
      `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { account { id } } }`,
      {
        input: { currentPassword: 'not my password', newPassword: NEW_PASSWORD },
      },
    );
    expect(errorCode(wrong)).toBe('INVALID_CREDENTIALS');
    expectNoErrors(
      await phone.client.gql(
        `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { account { id } } }`,
        {
          input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
        },
      ),
    );
    expect((await me.gql<{ viewer: null }>(VIEWER)).data?.viewer).toBeNull();
    expect((await laptop.client.gql<{ viewer: null }>(VIEWER)).data?.viewer).toBeNull();
    expect((await phone.client.gql<{ viewer: { sessions: unknown[] } }>(SESSIONS)).data?.viewer.sessions).toHaveLength(
      1,
    );

    const again = await signIn('huanglei@example.cn', NEW_PASSWORD);
    const ended = await phone.client.gql<{ signOutEverywhere: number }>(
      `mutation { signOutEverywhere(includingThisSession: true) }`,
    );
    expect(ended.data?.signOutEverywhere).toBe(2);
    expect((await again.client.gql<{ viewer: null }>(VIEWER)).data?.viewer).toBeNull();
    expect((await phone.client.gql<{ viewer: null }>(VIEWER)).data?.viewer).toBeNull();
  });
});
