/**
 * Sign-in throttling that strangers cannot turn against the owner (issue 17):
 * failures count per login and address, per address and per login; the
 * owner's known device (a cookie set at a successful sign-in) gets through
 * them, with a growing delay after its own failures.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { movableClock } from './clock.ts';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';

const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { account { id } } }`;
const PASSWORD = 'correct horse battery';

describe('sign-in throttling', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    // X-Forwarded-For from the test's own (loopback) connection stands for the client's address.
    testApp = await TestApp.start({ TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await testApp.close();
  });

  const attempt = (client: Client, login: string, password: string, address: string) =>
    client.gql(SIGN_IN, { input: { login, password } }, { 'x-forwarded-for': address });

  it("does not let a stranger's failures stop the owner's known device", async () => {
    const owner = await testApp.signUp({ email: 'owner@example.cn' });
    await owner.gql('mutation { signOut }');
    expect(owner.cookieHeader()).toContain('qicai_device=');

    // A stranger on the owner's own network (the same address) guesses until refused…
    const stranger = testApp.anonymous();
    for (let i = 0; i < 5; i++)
      expect(errorCode(await attempt(stranger, 'owner@example.cn', `guess ${i}`, '198.51.100.7'))).toBe(
        'INVALID_CREDENTIALS',
      );
    expect(errorCode(await attempt(stranger, 'owner@example.cn', PASSWORD, '198.51.100.7'))).toBe('RATE_LIMITED');
    // … and from a hundred other addresses, until the login itself is refused to new devices.
    for (let i = 0; i < 100; i++)
      await attempt(testApp.anonymous(), 'owner@example.cn', `guess ${i}`, `203.0.113.${i}`);
    expect(errorCode(await attempt(testApp.anonymous(), 'owner@example.cn', PASSWORD, '192.0.2.1'))).toBe(
      'RATE_LIMITED',
    );

    // The owner's device signs in all the same, from the stranger's address too.
    expectNoErrors(await attempt(owner, 'owner@example.cn', PASSWORD, '198.51.100.7'));
  });

  it('gives a known device a growing delay after its own wrong passwords, never a lockout', async () => {
    const owner = await testApp.signUp({ email: 'forgetful@example.cn' });
    const address = '198.51.100.20';
    expect(errorCode(await attempt(owner, 'forgetful@example.cn', 'wrong one', address))).toBe('INVALID_CREDENTIALS');
    const first = await attempt(owner, 'forgetful@example.cn', PASSWORD, address);
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
    await sleep(1_100);
    expect(errorCode(await attempt(owner, 'forgetful@example.cn', 'wrong two', address))).toBe('INVALID_CREDENTIALS');
    const second = await attempt(owner, 'forgetful@example.cn', PASSWORD, address);
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 2 });
    await sleep(2_100);
    expectNoErrors(await attempt(owner, 'forgetful@example.cn', PASSWORD, address));
  });

  it("treats another account's device cookie as a stranger's", async () => {
    const other = await testApp.signUp({ email: 'other@example.cn' });
    await testApp.signUp({ email: 'victim@example.cn' });
    for (let i = 0; i < 5; i++) await attempt(other, 'victim@example.cn', `guess ${i}`, '198.51.100.30');
    expect(errorCode(await attempt(other, 'victim@example.cn', PASSWORD, '198.51.100.30'))).toBe('RATE_LIMITED');
  });
});

describe('registration', () => {
  let testApp: TestApp;
  const clock = movableClock();
  beforeAll(async () => {
    testApp = await TestApp.start({ TRUST_PROXY: 'loopback' }, { clock });
  });
  afterAll(async () => {
    await testApp.close();
  });

  const register = (email: string, address: string) =>
    testApp
      .anonymous()
      .gql(
        `mutation ($input: RegisterInput!) { startRegistration(input: $input) { channel sentTo expiresInMinutes } }`,
        { input: { displayName: '志愿者', email, password: PASSWORD } },
        { 'x-forwarded-for': address },
      );

  it('answers a taken and a free login alike, and throttles both alike per address', async () => {
    const address = '198.51.100.99';
    await testApp.signUp({ email: 'exists@example.cn' });
    await testApp.signUp({ email: 'exists2@example.cn' });
    // Past the minute between two codes to one address.
    clock.forward(2);
    const taken = await register('exists@example.cn', address);
    const free = await register('nobody@example.cn', address);
    expectNoErrors(taken);
    expect(JSON.stringify(free).replace('nobody', 'exists').replace('"n***', '"e***')).toEqual(JSON.stringify(taken));
    // The difference is only in what reaches the login's owner.
    expect(testApp.sent.latest('exists@example.cn')?.kind).toBe('ACCOUNT_EXISTS');
    expect(testApp.sent.latest('nobody@example.cn')?.kind).toBe('VERIFICATION_CODE');
    for (let i = 2; i < 20; i++) expectNoErrors(await register(`probe${String(i)}@example.cn`, address));
    const afterTwenty = [await register('exists2@example.cn', address), await register('nobody2@example.cn', address)];
    expect(afterTwenty.map(errorCode)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    // Another address registers as before.
    expectNoErrors(await register('nobody3@example.cn', '198.51.100.100'));
  });

  it('answers a password reset for a taken and a free login alike, by email and by phone', async () => {
    const forgot = (login: string) =>
      testApp
        .anonymous()
        .gql(`mutation ($login: String!) { requestPasswordReset(login: $login) { channel sentTo expiresInMinutes } }`, {
          login,
        });
    await testApp.signUp({ email: 'resets@example.cn' });
    await testApp.signUp({ displayName: '欧阳晓明', phone: '13900001111' });
    clock.forward(2);
    const before = testApp.sent.all.length;
    const taken = await forgot('resets@example.cn');
    const free = await forgot('rnobody@example.cn');
    expectNoErrors(taken);
    // The masked address keeps the first letter only: the two answers are the same text.
    expect(JSON.stringify(free)).toEqual(JSON.stringify(taken));
    // A phone typed with full-width digits and spaces, as people do, and a number no account has.
    const takenPhone = await forgot('１３９ ００００ １１１１');
    const freePhone = await forgot('13900002222');
    expectNoErrors(takenPhone);
    expect(JSON.stringify(freePhone).replace('2222', '1111')).toEqual(JSON.stringify(takenPhone));
    // Only the owners hear of it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(testApp.sent.all.slice(before).map((message) => message.kind)).toEqual([
      'PASSWORD_RESET_LINK',
      'PASSWORD_RESET_CODE',
    ]);
  });
});
