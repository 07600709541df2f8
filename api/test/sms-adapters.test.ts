/**
 * The SMS adapters against a local HTTP server standing in for each
 * provider: the request is checked as the provider documents it (endpoint,
 * every parameter, the signature recomputed here from the documented
 * algorithm, not with the adapter's code), and the outbox's retries and
 * idempotency keys hold when the provider answers errors or hangs.
 */
import { notificationDeliveries, withTenant } from '@qicai/db';
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliyunSmsAdapter } from '../src/delivery/aliyun-sms.ts';
import { tencentSmsAdapter } from '../src/delivery/tencent-sms.ts';
import { deliverDueNotifications } from '../src/modules/notifications/outbox.ts';
import {
  activityOrganization,
  createActivity,
  localIn,
  SIGN_UP,
  type ActivityOrganization,
} from './activities-seed.ts';
import { testClock } from './clock.ts';
import { ALIYUN_OK, FakeSmsProvider, TENCENT_OK } from './fake-sms.ts';
import { errorCode, expectNoErrors, TestApp } from './helper.ts';
import { loadConfig } from '../src/config.ts';
import { logOnlyNotice } from '../src/plugins/delivery.ts';
import { DeliveryRateLimitedError, type OutgoingMessage, PermanentDeliveryError } from '../src/shared/delivery.ts';

const CODE_MESSAGE: OutgoingMessage = {
  channel: 'SMS',
  recipient: '13711112222',
  kind: 'VERIFICATION_CODE',
  locale: 'zh',
  subject: '七彩 验证码',
  text: '【七彩志愿】您的验证码为 493817，10 分钟内有效。',
  html: '',
  params: { code: '493817', minutes: '10' },
  idempotencyKey: 'qicai-account-message-0f8e2b1c',
};

/** RFC 3986 by bytes: everything but A–Z a–z 0–9 - _ . ~ as %XX (upper case), as Alibaba Cloud's signature documents. */
function rfc3986(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) => {
      const character = String.fromCharCode(byte);
      return /[A-Za-z0-9\-_.~]/.test(character) ? character : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** Parses a form body by hand (application/x-www-form-urlencoded with %20 for spaces). */
function formFields(body: string): Map<string, string> {
  return new Map(
    body.split('&').map((pair) => {
      const [name = '', value = ''] = pair.split('=');
      return [decodeURIComponent(name), decodeURIComponent(value)];
    }),
  );
}

function expectedAliyunSignature(fields: Map<string, string>, secret: string): string {
  const canonical = [...fields]
    .filter(([name]) => name !== 'Signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
    .join('&');
  const stringToSign = `POST&${rfc3986('/')}&${rfc3986(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

describe('Alibaba Cloud SMS (dysmsapi SendSms)', () => {
  let fake: FakeSmsProvider;
  beforeAll(async () => {
    fake = await FakeSmsProvider.start(ALIYUN_OK);
  });
  afterAll(async () => {
    await fake.close();
  });

  const adapter = (templates: Record<string, string> = { VERIFICATION_CODE: 'SMS_465391022' }, timeoutMs = 2000) =>
    aliyunSmsAdapter(
      {
        accessKeyId: 'LTAI5tQicaiTestKeyId',
        accessKeySecret: 'qicai-test-access-key-secret',
        signName: '七彩志愿',
        region: 'cn-hangzhou',
        templates,
        endpoint: fake.url,
        timeoutMs,
      },
      testClock,
    );

  it('posts the documented parameters, signed with HMAC-SHA1 over the percent-encoded canonical query', async () => {
    fake.requests.length = 0;
    const before = testClock.now();
    await adapter().send(CODE_MESSAGE);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
    const fields = formFields(request?.body ?? '');
    expect([...fields.keys()].sort()).toEqual(
      [
        'AccessKeyId',
        'Action',
        'Format',
        'OutId',
        'PhoneNumbers',
        'RegionId',
        'SignName',
        'Signature',
        'SignatureMethod',
        'SignatureNonce',
        'SignatureVersion',
        'TemplateCode',
        'TemplateParam',
        'Timestamp',
        'Version',
      ].sort(),
    );
    expect(
      Object.fromEntries([...fields].filter(([name]) => !['Signature', 'SignatureNonce', 'Timestamp'].includes(name))),
    ).toEqual({
      AccessKeyId: 'LTAI5tQicaiTestKeyId',
      Action: 'SendSms',
      Format: 'JSON',
      OutId: 'qicai-account-message-0f8e2b1c',
      PhoneNumbers: '13711112222',
      RegionId: 'cn-hangzhou',
      SignName: '七彩志愿',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_465391022',
      TemplateParam: '{"code":"493817","minutes":"10"}',
      Version: '2017-05-25',
    });
    const timestamp = fields.get('Timestamp') ?? '';
    expect(timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Math.abs(new Date(timestamp).getTime() - before.getTime())).toBeLessThan(2000);
    expect(fields.get('SignatureNonce')).toMatch(/^[0-9a-f-]{36}$/);
    expect(fields.get('Signature')).toBe(expectedAliyunSignature(fields, 'qicai-test-access-key-secret'));
    // The body's own encoding is RFC 3986 too: the sign name's UTF-8 bytes, a space as %20, never +.
    expect(request?.body).toContain(`SignName=${rfc3986('七彩志愿')}`);
  });

  it("cuts a parameter to the providers' 35 characters and signs what it sends", async () => {
    fake.requests.length = 0;
    const title = '岳阳县七彩之光志愿者协会红色旗帜志愿服务队送党课下乡暨新时代文明实践活动（第三期）';
    await adapter({ ACTIVITY_CANCELLED: 'SMS_465391023' }).send({
      ...CODE_MESSAGE,
      kind: 'ACTIVITY_CANCELLED',
      params: { title, time: '12月5日 09:00' },
    });
    const fields = formFields(fake.requests[0]?.body ?? '');
    const params = JSON.parse(fields.get('TemplateParam') ?? '{}') as Record<string, string>;
    expect(Array.from(params['title'] ?? '')).toHaveLength(35);
    expect(params['title']?.endsWith('…')).toBe(true);
    expect(params['time']).toBe('12月5日 09:00');
    expect(fields.get('Signature')).toBe(expectedAliyunSignature(fields, 'qicai-test-access-key-secret'));
  });

  it('refuses for good a kind without a template, and a number the provider calls illegal; retries a flow-control answer', async () => {
    fake.requests.length = 0;
    await expect(adapter({}).send(CODE_MESSAGE)).rejects.toBeInstanceOf(PermanentDeliveryError);
    expect(fake.requests).toHaveLength(0);
    fake.answer({ status: 200, body: JSON.stringify({ Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' }) });
    await expect(adapter().send(CODE_MESSAGE)).rejects.toBeInstanceOf(PermanentDeliveryError);
    fake.answer({
      status: 200,
      body: JSON.stringify({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控' }),
    });
    const limited = adapter().send(CODE_MESSAGE);
    await expect(limited).rejects.toThrow(/isv\.BUSINESS_LIMIT_CONTROL/);
    await expect(limited).rejects.not.toBeInstanceOf(PermanentDeliveryError);
  });

  it('reads the flow-control window from the answer: a minute, an hour, the last 24 hours', async () => {
    for (const [message, seconds] of [
      ['触发分钟级流控Permits:1', 60],
      ['触发小时级流控Permits:5', 3600],
      ['触发天级流控Permits:10', 24 * 3600],
    ] as const) {
      fake.answer({
        status: 200,
        body: JSON.stringify({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: message, RequestId: '8E7A2B1C' }),
      });
      const refused: unknown = await adapter()
        .send(CODE_MESSAGE)
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DeliveryRateLimitedError);
      expect((refused as DeliveryRateLimitedError).retryAfterSeconds).toBe(seconds);
    }
  });
});

/** TC3-HMAC-SHA256 as Tencent Cloud documents it, from the request as it arrived. */
function expectedTencentAuthorization(
  request: { headers: Record<string, string | string[] | undefined>; body: string },
  secretId: string,
  secretKey: string,
): string {
  const header = (name: string) => String(request.headers[name] ?? '');
  const timestamp = Number(header('x-tc-timestamp'));
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const hash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  const canonicalRequest =
    'POST\n/\n\n' +
    `content-type:${header('content-type')}\nhost:${header('host')}\nx-tc-action:${header('x-tc-action').toLowerCase()}\n\n` +
    'content-type;host;x-tc-action\n' +
    hash(request.body);
  const scope = `${date}/sms/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${String(timestamp)}\n${scope}\n${hash(canonicalRequest)}`;
  const secretDate = createHmac('sha256', `TC3${secretKey}`).update(date).digest();
  const secretService = createHmac('sha256', secretDate).update('sms').digest();
  const secretSigning = createHmac('sha256', secretService).update('tc3_request').digest();
  const signature = createHmac('sha256', secretSigning).update(stringToSign).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=content-type;host;x-tc-action, Signature=${signature}`;
}

describe('Tencent Cloud SMS (SendSms 2021-01-11)', () => {
  let fake: FakeSmsProvider;
  beforeAll(async () => {
    fake = await FakeSmsProvider.start(TENCENT_OK);
  });
  afterAll(async () => {
    await fake.close();
  });
  const adapter = () =>
    tencentSmsAdapter(
      {
        secretId: 'AKIDqicaiTestSecretId',
        secretKey: 'qicai-test-secret-key',
        sdkAppId: '1400787878',
        signName: '七彩志愿',
        region: 'ap-guangzhou',
        templates: { VERIFICATION_CODE: '1893461' },
        endpoint: fake.url,
        timeoutMs: 2000,
      },
      testClock,
    );

  it('posts the documented JSON with the X-TC headers, signed with TC3-HMAC-SHA256', async () => {
    await adapter().send(CODE_MESSAGE);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/');
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request?.headers['host']).toBe(new URL(fake.url).host);
    expect(request?.headers['x-tc-action']).toBe('SendSms');
    expect(request?.headers['x-tc-version']).toBe('2021-01-11');
    expect(request?.headers['x-tc-region']).toBe('ap-guangzhou');
    expect(Math.abs(Number(request?.headers['x-tc-timestamp']) * 1000 - testClock.now().getTime())).toBeLessThan(3000);
    expect(JSON.parse(request?.body ?? '{}')).toEqual({
      PhoneNumberSet: ['+8613711112222'],
      SmsSdkAppId: '1400787878',
      SignName: '七彩志愿',
      TemplateId: '1893461',
      TemplateParamSet: ['493817', '10'],
      SessionContext: 'qicai-account-message-0f8e2b1c',
    });
    expect(request?.headers['authorization']).toBe(
      expectedTencentAuthorization(
        request ?? { headers: {}, body: '' },
        'AKIDqicaiTestSecretId',
        'qicai-test-secret-key',
      ),
    );
  });

  it("reads a failure from the number's status or the call's error, permanent or not", async () => {
    fake.answer({
      status: 200,
      body: JSON.stringify({
        Response: {
          SendStatusSet: [{ Code: 'LimitExceeded.PhoneNumberThirtySecondLimit', Message: '30秒内' }],
          RequestId: 'r1',
        },
      }),
    });
    await expect(adapter().send(CODE_MESSAGE)).rejects.not.toBeInstanceOf(PermanentDeliveryError);
    fake.answer({
      status: 200,
      body: JSON.stringify({
        Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad' }, RequestId: 'r2' },
      }),
    });
    await expect(adapter().send(CODE_MESSAGE)).rejects.toBeInstanceOf(PermanentDeliveryError);
    fake.answer({
      status: 200,
      body: JSON.stringify({
        Response: { SendStatusSet: [{ Code: 'InvalidParameterValue.IncorrectPhoneNumber' }], RequestId: 'r3' },
      }),
    });
    await expect(adapter().send(CODE_MESSAGE)).rejects.toBeInstanceOf(PermanentDeliveryError);
  });

  it("reads the number's flow-control window: 30 seconds, an hour, the rest of Beijing's day", async () => {
    const windowOf = async (code: string) => {
      fake.answer({
        status: 200,
        body: JSON.stringify({ Response: { SendStatusSet: [{ Code: code, Message: '频率限制' }], RequestId: 'r4' } }),
      });
      const refused: unknown = await adapter()
        .send(CODE_MESSAGE)
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DeliveryRateLimitedError);
      return (refused as DeliveryRateLimitedError).retryAfterSeconds;
    };
    expect(await windowOf('LimitExceeded.PhoneNumberThirtySecondLimit')).toBe(30);
    expect(await windowOf('LimitExceeded.PhoneNumberOneHourLimit')).toBe(3600);
    // A natural day in Beijing time (UTC+8, no daylight saving): until the next 00:00 there.
    const now = testClock.now().getTime();
    const day = 24 * 3600_000;
    const beijing = 8 * 3600_000;
    const nextMidnight = Math.floor((now + beijing) / day) * day + day - beijing;
    for (const code of ['LimitExceeded.PhoneNumberDailyLimit', 'LimitExceeded.PhoneNumberSameContentDailyLimit']) {
      expect(Math.abs((await windowOf(code)) - (nextMidnight - now) / 1000)).toBeLessThan(3);
    }
  });
});

describe('the outbox through a real SMS adapter', () => {
  let testApp: TestApp;
  let org: ActivityOrganization;
  let fake: FakeSmsProvider;

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await activityOrganization(testApp, 2);
    fake = await FakeSmsProvider.start(ALIYUN_OK);
  });
  afterAll(async () => {
    await fake.close();
    await testApp.close();
  });

  const deliveries = () =>
    withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx.select().from(notificationDeliveries).orderBy(notificationDeliveries.id),
    );

  it('retries after an error answer and a hang past the timeout, each attempt with the same OutId; gives up at once on a permanent refusal', async () => {
    const adapter = aliyunSmsAdapter(
      {
        accessKeyId: 'LTAI5tQicaiTestKeyId',
        accessKeySecret: 'qicai-test-access-key-secret',
        signName: '七彩志愿',
        region: 'cn-hangzhou',
        templates: { ACTIVITY_CANCELLED: 'SMS_465391023' },
        endpoint: fake.url,
        timeoutMs: 300,
      },
      testClock,
    );
    const activity = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '' });
    for (const { client } of org.members) expectNoErrors(await client.gql(SIGN_UP, { id: activity.id }));
    expectNoErrors(
      await org.lead.gql(`mutation ($id: ID!) { cancelActivity(id: $id, reason: "暴雨预警") { status } }`, {
        id: activity.id,
      }),
    );
    const [first, second] = await deliveries();
    if (!first || !second) throw new Error('two deliveries expected');
    const log = testApp.app.log;
    let now = testClock.now();

    // The first delivery: the provider fails (HTTP 500); the second: it hangs past the timeout.
    fake.answer({ status: 500, body: 'upstream error' }, 'hang');
    expect(await deliverDueNotifications(testApp.database.db, adapter, { log, now })).toEqual({
      sent: 0,
      retrying: 2,
      gaveUp: 0,
    });
    expect((await deliveries()).map((row) => row.attempts)).toEqual([1, 1]);

    // Due again after the backoff: the provider now refuses the first with its minute's flow control
    // (due again in a minute, as the next backoff says too), accepts the second.
    now = new Date(now.getTime() + 31_000);
    fake.answer({
      status: 200,
      body: JSON.stringify({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控Permits:1' }),
    });
    expect(await deliverDueNotifications(testApp.database.db, adapter, { log, now })).toEqual({
      sent: 1,
      retrying: 1,
      gaveUp: 0,
    });
    now = new Date(now.getTime() + 61_000);
    expect(await deliverDueNotifications(testApp.database.db, adapter, { log, now })).toEqual({
      sent: 1,
      retrying: 0,
      gaveUp: 0,
    });
    expect((await deliveries()).every((row) => row.sentAt !== null)).toBe(true);

    // Every attempt at one delivery carried that delivery's key, and only its own.
    const attempts = fake.requests.map((request) => formFields(request.body));
    const keysByPhone = new Map<string, Set<string>>();
    for (const fields of attempts) {
      const phone = fields.get('PhoneNumbers') ?? '';
      keysByPhone.set(phone, new Set([...(keysByPhone.get(phone) ?? []), fields.get('OutId') ?? '']));
    }
    expect(attempts).toHaveLength(5);
    expect([...keysByPhone.values()].map((keys) => keys.size)).toEqual([1, 1]);
    expect(new Set([...keysByPhone.values()].flatMap((keys) => [...keys])).size).toBe(2);
    // Never the same nonce twice (the provider refuses a replayed one).
    expect(new Set(attempts.map((fields) => fields.get('SignatureNonce'))).size).toBe(5);

    // A permanent refusal: given up after one attempt.
    const another = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '' });
    const member = org.members[0];
    if (!member) throw new Error('a member expected');
    expectNoErrors(await member.client.gql(SIGN_UP, { id: another.id }));
    expectNoErrors(
      await org.lead.gql(`mutation ($id: ID!) { cancelActivity(id: $id) { status } }`, { id: another.id }),
    );
    fake.answer({ status: 200, body: JSON.stringify({ Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' }) });
    expect(await deliverDueNotifications(testApp.database.db, adapter, { log, now })).toEqual({
      sent: 0,
      retrying: 0,
      gaveUp: 1,
    });
  });

  it("waits out the provider's flow control for a number, holding its other messages, and drops what would come too late", async () => {
    const adapter = aliyunSmsAdapter(
      {
        accessKeyId: 'LTAI5tQicaiTestKeyId',
        accessKeySecret: 'qicai-test-access-key-secret',
        signName: '七彩志愿',
        region: 'cn-hangzhou',
        templates: { ACTIVITY_CANCELLED: 'SMS_465391023' },
        endpoint: fake.url,
        timeoutMs: 2000,
      },
      testClock,
    );
    const log = testApp.app.log;
    const member = org.members[0];
    if (!member) throw new Error('a member expected');
    const cancel = async (fields: { startsAt?: string; endsAt?: string } = {}) => {
      const activity = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '', ...fields });
      expectNoErrors(await member.client.gql(SIGN_UP, { id: activity.id }));
      expectNoErrors(
        await org.lead.gql(`mutation ($id: ID!) { cancelActivity(id: $id, reason: "河水上涨") { status } }`, {
          id: activity.id,
        }),
      );
      return activity;
    };
    const pending = async () => (await deliveries()).filter((row) => row.sentAt === null && row.failedAt === null);

    // Two cancellations for one number; the provider's hourly flow control refuses the first.
    await cancel();
    await cancel();
    const queued = await pending();
    expect(queued.map((row) => row.recipient)).toEqual([queued[0]?.recipient, queued[0]?.recipient]);
    fake.requests.length = 0;
    fake.answer({
      status: 200,
      body: JSON.stringify({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发小时级流控Permits:5' }),
    });
    const now = testClock.now();
    expect(await deliverDueNotifications(testApp.database.db, adapter, { log, now })).toEqual({
      sent: 0,
      retrying: 2,
      gaveUp: 0,
    });
    // One call: the second message to the number was held without asking the provider again.
    expect(fake.requests).toHaveLength(1);
    const anHourOn = new Date(now.getTime() + 3600_000);
    expect((await pending()).map(({ attempts, nextAttemptAt }) => ({ attempts, nextAttemptAt }))).toEqual([
      { attempts: 1, nextAttemptAt: anHourOn },
      { attempts: 0, nextAttemptAt: anHourOn },
    ]);
    // The backoff alone would try again after 30 s: not before the provider's hour.
    const later = new Date(now.getTime() + 31_000);
    expect(await deliverDueNotifications(testApp.database.db, adapter, { log, now: later })).toEqual({
      sent: 0,
      retrying: 0,
      gaveUp: 0,
    });
    expect(fake.requests).toHaveLength(1);
    expect(await deliverDueNotifications(testApp.database.db, adapter, { log, now: anHourOn })).toEqual({
      sent: 2,
      retrying: 0,
      gaveUp: 0,
    });
    expect(fake.requests).toHaveLength(3);

    // An activity three hours away: a retry after the provider's day would come after its start.
    await cancel({ startsAt: localIn(180), endsAt: localIn(240) });
    fake.answer({
      status: 200,
      body: JSON.stringify({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发天级流控Permits:10' }),
    });
    expect(await deliverDueNotifications(testApp.database.db, adapter, { log, now: testClock.now() })).toEqual({
      sent: 0,
      retrying: 0,
      gaveUp: 1,
    });
    expect((await deliveries()).at(-1)).toMatchObject({
      attempts: 1,
      nextAttemptAt: expect.any(Date) as unknown,
      failedAt: expect.any(Date) as unknown,
      lastError: expect.stringContaining('too late') as unknown,
    });
    // Due once the activity has started (an outbox that was down): given up, the provider not called.
    const started = await cancel({ startsAt: localIn(120), endsAt: localIn(180) });
    const requests = fake.requests.length;
    const afterStart = new Date(new Date(started.startsAt).getTime() + 60_000);
    expect(await deliverDueNotifications(testApp.database.db, adapter, { log, now: afterStart })).toEqual({
      sent: 0,
      retrying: 0,
      gaveUp: 1,
    });
    expect(fake.requests).toHaveLength(requests);
    expect((await deliveries()).at(-1)).toMatchObject({ attempts: 0, sentAt: null });
  });
});

describe('the configured SMS provider, chosen by the settings', () => {
  let fake: FakeSmsProvider;
  let testApp: TestApp;
  beforeAll(async () => {
    fake = await FakeSmsProvider.start(TENCENT_OK);
    testApp = await TestApp.start(
      {
        SMS_PROVIDER: 'tencent',
        SMS_ACCESS_KEY_ID: 'AKIDqicaiTestSecretId',
        SMS_ACCESS_KEY_SECRET: 'qicai-test-secret-key',
        SMS_SDK_APP_ID: '1400787878',
        SMS_SIGN_NAME: '七彩志愿',
        SMS_ENDPOINT: fake.url,
        SMS_TEMPLATE_VERIFICATION_CODE: '1893461',
        DELIVERY_TIMEOUT_SECONDS: '0.5',
      },
      { delivery: 'configured' },
    );
  });
  afterAll(async () => {
    await testApp.close();
    await fake.close();
  });

  it('sends a registration code through it, retrying a failure and a hang with the same SessionContext', async () => {
    fake.answer({ status: 502, body: '<html>Bad Gateway</html>' }, 'hang');
    const started = await testApp
      .anonymous()
      .gql(`mutation ($input: RegisterInput!) { startRegistration(input: $input) { channel sentTo } }`, {
        input: { displayName: '彭志强', phone: '13973001234', password: '岳阳楼上看洞庭 2026' },
      });
    expectNoErrors(started);
    expect(fake.requests).toHaveLength(3);
    const bodies = fake.requests.map(
      (request) => JSON.parse(request.body) as { SessionContext: string; TemplateParamSet: string[] },
    );
    expect(new Set(bodies.map((body) => body.SessionContext)).size).toBe(1);
    const code = testApp.sent.code('13973001234');
    expect(bodies.every((body) => JSON.stringify(body.TemplateParamSet) === JSON.stringify([code, '10']))).toBe(true);
    for (const request of fake.requests) {
      expect(request.headers['authorization']).toBe(
        expectedTencentAuthorization(request, 'AKIDqicaiTestSecretId', 'qicai-test-secret-key'),
      );
    }
  });

  it('answers DELIVERY_FAILED when every attempt fails', async () => {
    fake.requests.length = 0;
    fake.answer({ status: 500, body: '' }, { status: 500, body: '' }, { status: 500, body: '' });
    const failed = await testApp
      .anonymous()
      .gql(`mutation ($input: RegisterInput!) { startRegistration(input: $input) { sentTo } }`, {
        input: { displayName: '彭志强', phone: '13973005678', password: '岳阳楼上看洞庭 2026' },
      });
    expect(errorCode(failed)).toBe('DELIVERY_FAILED');
    expect(fake.requests).toHaveLength(3);
  });

  it("answers RATE_LIMITED with the provider's window when its flow control refuses the number, asking once", async () => {
    fake.requests.length = 0;
    fake.answer({
      status: 200,
      body: JSON.stringify({
        Response: {
          SendStatusSet: [{ Code: 'LimitExceeded.PhoneNumberOneHourLimit', Message: '1小时' }],
          RequestId: 'r5',
        },
      }),
    });
    const refused = await testApp
      .anonymous()
      .gql(`mutation ($input: RegisterInput!) { startRegistration(input: $input) { sentTo } }`, {
        input: { displayName: '易晓婷', phone: '13973009876', password: '岳阳楼上看洞庭 2026' },
      });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 3600 });
    expect(fake.requests).toHaveLength(1);
  });

  it('says, as pnpm start prints it, which channels only write to the log without their settings', () => {
    expect(logOnlyNotice(loadConfig({ NODE_ENV: 'test' }))).toBe(
      'Messages: SMS (set SMS_PROVIDER) and email (set SMTP_URL and MAIL_FROM) are only written to the log, not sent (see README, Settings).',
    );
    const sms = {
      NODE_ENV: 'test',
      SMS_PROVIDER: 'tencent',
      SMS_ACCESS_KEY_ID: 'AKIDqicaiTestSecretId',
      SMS_ACCESS_KEY_SECRET: 'qicai-test-secret-key',
      SMS_SDK_APP_ID: '1400787878',
      SMS_SIGN_NAME: '七彩志愿',
    };
    expect(logOnlyNotice(loadConfig(sms))).toBe(
      'Messages: email (set SMTP_URL and MAIL_FROM) are only written to the log, not sent (see README, Settings).',
    );
    const both = { ...sms, SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: '七彩志愿 <no-reply@qicai.example.cn>' };
    expect(logOnlyNotice(loadConfig(both))).toBe('');
  });

  it('refuses to start without the keys a provider needs', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', SMS_PROVIDER: 'aliyun', SMS_SIGN_NAME: '七彩志愿' })).toThrow(
      /SMS_ACCESS_KEY_ID: required with SMS_PROVIDER=aliyun[\s\S]*SMS_ACCESS_KEY_SECRET/,
    );
    expect(loadConfig({ NODE_ENV: 'test' }).delivery.sms).toEqual({ provider: 'log' });
  });
});
