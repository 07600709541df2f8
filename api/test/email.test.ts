/**
 * Email through a real SMTP server in the test process (smtp-server): an
 * invitation, a password reset and an activity's reminder arrive in the
 * recipient's language, as text and HTML, with the right link; the reset link
 * works once and ends every other session.
 */
import { accounts } from '@qicai/db';
import { eq } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../src/modules/activities/reminders.ts';
import { deliverDueNotifications } from '../src/modules/notifications/outbox.ts';
import { activityOrganization, createActivity, localIn, SIGN_UP } from './activities-seed.ts';
import { movableClock } from './clock.ts';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';

const PASSWORD = '巴陵广场的晨练队 2026';
const NEW_PASSWORD = '南湖边新修的栈道 十一月';
const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { account { id } } }`;
const VIEWER = `{ viewer { account { id email emailVerified } } }`;
const FORGOT = `mutation ($login: String!) { requestPasswordReset(login: $login) { channel sentTo expiresInMinutes } }`;
const RESET = `mutation ($input: ResetPasswordInput!) { resetPassword(input: $input) { account { id } } }`;

/** The mail the server received, parsed, and a way to wait for the next one to an address. */
class Inbox {
  readonly mails: ParsedMail[] = [];
  private waiting: { to: string; resolve: (mail: ParsedMail) => void }[] = [];

  receive(mail: ParsedMail): void {
    this.mails.push(mail);
    const recipients = [mail.to].flat().flatMap((to) => to?.value.map((address) => address.address) ?? []);
    this.waiting = this.waiting.filter((waiter) => {
      if (!recipients.includes(waiter.to)) return true;
      waiter.resolve(mail);
      return false;
    });
  }

  /** The next mail to `to` from now on. */
  next(to: string): Promise<ParsedMail> {
    return new Promise((resolve) => this.waiting.push({ to, resolve }));
  }
}

describe('email through SMTP', () => {
  let smtp: SMTPServer;
  const inbox = new Inbox();
  let testApp: TestApp;
  const clock = movableClock();

  /** Addresses the server says do not exist (550 to RCPT TO). */
  const unknownMailboxes = new Set<string>();
  /** Addresses whose next mail the server defers (451 to DATA), as a greylisting server does. */
  const deferOnce = new Set<string>();
  /** The Message-ID of every mail the server was given, deferred or not. */
  const offered: string[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (unknownMailboxes.has(address.address)) {
          callback(Object.assign(new Error('5.1.1 No such mailbox'), { responseCode: 550 }));
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            offered.push(mail.messageId ?? '');
            const to = session.envelope.rcptTo.map((address) => address.address);
            const deferred = to.find((address) => deferOnce.has(address));
            if (deferred) {
              deferOnce.delete(deferred);
              callback(Object.assign(new Error('4.7.1 Greylisted, try again later'), { responseCode: 451 }));
              return;
            }
            inbox.receive(mail);
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    testApp = await TestApp.start(
      { SMTP_URL: `smtp://127.0.0.1:${String(port)}`, MAIL_FROM: '七彩志愿 <no-reply@qicai.example.cn>' },
      { delivery: 'configured', clock },
    );
  });
  afterAll(async () => {
    await testApp.close();
    await new Promise<void>((resolve) => {
      smtp.close(resolve);
    });
  });

  /** Registers by email in a language, the code read from the mail that arrived. */
  async function register(email: string, locale: 'zh' | 'en', displayName: string): Promise<Client> {
    const client = testApp.anonymous();
    const arriving = inbox.next(email);
    expectNoErrors(
      await client.gql(`mutation ($input: RegisterInput!) { startRegistration(input: $input) { sentTo } }`, {
        input: { displayName, email, password: PASSWORD, locale },
      }),
    );
    const mail = await arriving;
    const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1] ?? '';
    expectNoErrors(
      await client.gql(
        `mutation ($input: ConfirmRegistrationInput!) { confirmRegistration(input: $input) { account { id } } }`,
        {
          input: { login: email, code },
        },
      ),
    );
    return client;
  }

  it('sends an invitation in the organization’s language with its link, as text and HTML', async () => {
    const admin = await register('admin@qicai.example.cn', 'zh', '周丽华');
    expectNoErrors(
      await admin.gql(`mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { slug } }`, {
        input: { name: 'Yueyang Volunteers', slug: 'yueyang-en', defaultLocale: 'en' },
      }),
    );
    admin.org = 'yueyang-en';
    const arriving = inbox.next('wang.xiaohong@example.cn');
    const invited = await admin.gql<{ inviteMember: { link: string } }>(
      `mutation ($input: InviteMemberInput!) { inviteMember(input: $input) { link } }`,
      { input: { email: 'wang.xiaohong@example.cn', displayName: '王小红' } },
    );
    expectNoErrors(invited);
    const link = invited.data?.inviteMember.link ?? '';
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    const mail = await arriving;
    expect(mail.from?.text).toBe('"七彩志愿" <no-reply@qicai.example.cn>');
    expect(mail.subject).toBe('Yueyang Volunteers invites you to join');
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('the link works for 7 days');
    expect(mail.html).toContain(`<a href="${link}">`);
    expect(mail.headers.get('content-language')).toBe('en');
    expect(mail.messageId).toMatch(/^<qicai-account-message-[0-9a-f]{24}@qicai\.example\.cn>$/);

    // The same in Chinese for an association whose language is Chinese.
    expectNoErrors(
      await admin.gql(`mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { slug } }`, {
        input: { name: '岳阳县七彩之光志愿者协会', slug: 'yueyang-zh', defaultLocale: 'zh' },
      }),
    );
    admin.org = 'yueyang-zh';
    const arrivingZh = inbox.next('li.jianguo@example.cn');
    expectNoErrors(
      await admin.gql(`mutation ($input: InviteMemberInput!) { inviteMember(input: $input) { link } }`, {
        input: { email: 'li.jianguo@example.cn' },
      }),
    );
    const zh = await arrivingZh;
    expect(zh.subject).toBe('岳阳县七彩之光志愿者协会邀请您加入');
    expect(zh.text).toContain('7 天内有效');
  });

  it('sends a reset link in the account’s language; the link works once, for 30 minutes, and ends every other session', async () => {
    await register('chen.jing@example.cn', 'en', 'Chen Jing');
    const laptop = testApp.anonymous();
    expectNoErrors(await laptop.gql(SIGN_IN, { input: { login: 'chen.jing@example.cn', password: PASSWORD } }));
    clock.forward(2);

    const arriving = inbox.next('chen.jing@example.cn');
    const phone = testApp.anonymous();
    const asked = await phone.gql(FORGOT, { login: 'Chen.Jing@example.cn' });
    expect(asked.data).toEqual({
      requestPasswordReset: { channel: 'EMAIL', sentTo: 'c***@example.cn', expiresInMinutes: 30 },
    });
    const mail = await arriving;
    expect(mail.subject).toBe('Reset your Qicai password');
    const link = /(http\S+\/reset\/[A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1] ?? '';
    expect(link).toMatch(/^http:\/\/localhost:3000\/reset\/[A-Za-z0-9_-]{43}$/);
    expect(mail.text).toContain('30 minutes');
    expect(mail.html).toContain(`<a href="${link}">`);
    const token = link.split('/').pop() ?? '';

    expectNoErrors(await phone.gql(RESET, { input: { token, newPassword: NEW_PASSWORD } }));
    expect((await phone.gql<{ viewer: { account: { email: string } } }>(VIEWER)).data?.viewer.account.email).toBe(
      'chen.jing@example.cn',
    );
    expect((await laptop.gql<{ viewer: null }>(VIEWER)).data?.viewer).toBeNull();
    // Once only.
    expect(
      errorCode(await testApp.anonymous().gql(RESET, { input: { token, newPassword: '又一个新密码 岳阳楼记 背诵' } })),
    ).toBe('INVALID_CODE');
    expectNoErrors(
      await testApp.anonymous().gql(SIGN_IN, { input: { login: 'chen.jing@example.cn', password: NEW_PASSWORD } }),
    );
    expect(
      errorCode(
        await testApp.anonymous().gql(SIGN_IN, { input: { login: 'chen.jing@example.cn', password: PASSWORD } }),
      ),
    ).toBe('INVALID_CREDENTIALS');

    // A later link, used after its 30 minutes: refused.
    clock.forward(2);
    const late = inbox.next('chen.jing@example.cn');
    expectNoErrors(await testApp.anonymous().gql(FORGOT, { login: 'chen.jing@example.cn' }));
    const lateToken = /\/reset\/([A-Za-z0-9_-]+)/.exec((await late).text ?? '')?.[1] ?? '';
    clock.forward(31);
    expect(
      errorCode(
        await testApp
          .anonymous()
          .gql(RESET, { input: { token: lateToken, newPassword: '又一个新密码 岳阳楼记 背诵' } }),
      ),
    ).toBe('INVALID_CODE');
  });

  it('writes the reset mail in Chinese for a Chinese-speaking account', async () => {
    await register('zhao.min@example.cn', 'zh', '赵敏');
    clock.forward(2);
    const arriving = inbox.next('zhao.min@example.cn');
    expectNoErrors(await testApp.anonymous().gql(FORGOT, { login: 'zhao.min@example.cn' }));
    const mail = await arriving;
    expect(mail.subject).toBe('重置您的七彩密码');
    expect(mail.text).toContain('30 分钟内有效');
    expect(mail.headers.get('content-language')).toBe('zh-CN');
  });

  it('sends the day-before reminder of an activity by email, in the member’s language', async () => {
    const org = await activityOrganization(testApp, 1);
    const member = org.members[0];
    if (!member) throw new Error('no member');
    // The member gave an email as well as the phone the roster has.
    await testApp.database.db
      .update(accounts)
      .set({ email: 'wang.xiaohong@qicai.example.cn', locale: 'zh' })
      .where(eq(accounts.id, member.client.accountId ?? ''));
    const activity = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      title: '敬老院重阳探访',
      startsAt: localIn(20 * 60),
      endsAt: localIn(22 * 60),
    });
    expectNoErrors(await member.client.gql(SIGN_UP, { id: activity.id }));

    const arriving = inbox.next('wang.xiaohong@qicai.example.cn');
    expect(await sendDueReminders(testApp.database.db, { now: clock.now() })).toBeGreaterThanOrEqual(1);
    const run = await deliverDueNotifications(testApp.database.db, testApp.app.delivery, {
      log: testApp.app.log,
      now: clock.now(),
    });
    expect(run.retrying + run.gaveUp).toBe(0);
    const mail = await arriving;
    expect(mail.subject).toContain('明日活动提醒：敬老院重阳探访');
    expect(mail.text).toContain('提醒：活动“敬老院重阳探访”将于');
    expect(mail.html).toContain('敬老院重阳探访');
    expect(mail.headers.get('content-language')).toBe('zh-CN');
  });

  it('retries a mail the server defers, with the same Message-ID; gives up at once on a mailbox that does not exist', async () => {
    const org = await activityOrganization(testApp, 2);
    const [greylisted, unknown] = org.members;
    if (!greylisted || !unknown) throw new Error('two members expected');
    for (const [member, email] of [
      [greylisted, 'li.xiaomei@qicai.example.cn'],
      [unknown, 'no.such.person@qicai.example.cn'],
    ] as const) {
      await testApp.database.db
        .update(accounts)
        .set({ email, locale: 'zh' })
        .where(eq(accounts.id, member.client.accountId ?? ''));
    }
    deferOnce.add('li.xiaomei@qicai.example.cn');
    unknownMailboxes.add('no.such.person@qicai.example.cn');
    const activity = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '', title: '南湖环湖捡拾' });
    for (const member of [greylisted, unknown]) expectNoErrors(await member.client.gql(SIGN_UP, { id: activity.id }));
    expectNoErrors(
      await org.lead.gql(`mutation ($id: ID!) { cancelActivity(id: $id, reason: "湖区封闭") { id } }`, {
        id: activity.id,
      }),
    );
    const run = (now: Date) =>
      deliverDueNotifications(testApp.database.db, testApp.app.delivery, { log: testApp.app.log, now });
    offered.length = 0;
    // The SMS go to the log (no provider set); of the emails one is deferred, one refused for good.
    expect(await run(clock.now())).toEqual({ sent: 2, retrying: 1, gaveUp: 1 });
    expect(offered).toHaveLength(1);
    const arriving = inbox.next('li.xiaomei@qicai.example.cn');
    expect(await run(new Date(clock.now().getTime() + 31_000))).toEqual({ sent: 1, retrying: 0, gaveUp: 0 });
    const mail = await arriving;
    expect(mail.subject).toContain('活动已取消：南湖环湖捡拾');
    expect(mail.messageId).toMatch(/^<qicai-delivery-\d+@qicai\.example\.cn>$/);
    expect(offered).toEqual([mail.messageId, mail.messageId]);
    expect(inbox.mails.filter((received) => received.subject?.includes('南湖环湖捡拾'))).toHaveLength(1);
  });
});
