import { accounts } from '@qicai/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, expectNoErrors, TestApp } from './helper.ts';

const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { account { id displayName } } }`;
const VIEWER = `{ viewer { account { id displayName email phone } memberships { organization { slug } member { role } } } }`;

describe('accounts and sessions', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await TestApp.start();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('registers, signs out and signs in again with email or phone', async () => {
    const client = await testApp.signUp({ displayName: '欧阳晓明', phone: '138 0013 8000' });
    // The email is added once signed in, with a code sent to it.
    expectNoErrors(
      await client.gql(`mutation ($input: RequestEmailChangeInput!) { requestEmailChange(input: $input) { sentTo } }`, {
        input: { email: 'Xiaoming@Example.cn', password: 'correct horse battery' },
      }),
    );
    expectNoErrors(
      await client.gql(
        `mutation ($input: ConfirmCodeInput!) { confirmEmailChange(input: $input) { account { id } } }`,
        {
          input: { login: 'xiaoming@example.cn', code: testApp.sent.code('xiaoming@example.cn') },
        },
      ),
    );
    const viewer = await client.gql<{ viewer: { account: { displayName: string; email: string; phone: string } } }>(
      VIEWER,
    );
    expect(viewer.data?.viewer.account).toMatchObject({
      displayName: '欧阳晓明',
      email: 'xiaoming@example.cn',
      phone: '13800138000',
    });

    expect((await client.gql<{ signOut: boolean }>('mutation { signOut }')).data?.signOut).toBe(true);
    expect((await client.gql<{ viewer: null }>(VIEWER)).data?.viewer).toBeNull();

    for (const login of ['xiaoming@example.cn', '+86 138-0013-8000']) {
      const again = testApp.anonymous();
      const signedIn = await again.gql(SIGN_IN, { input: { login, password: 'correct horse battery' } });
      expectNoErrors(signedIn);
      const me = await again.gql<{ viewer: { account: { displayName: string } } }>(VIEWER);
      expect(me.data?.viewer.account.displayName).toBe('欧阳晓明');
    }
  });

  it('stores only an argon2id hash of the password', async () => {
    await testApp.signUp({ email: 'hash.check@example.cn', password: 'a secret phrase' });
    const [row] = await testApp.database.db
      .select({ passwordHash: accounts.passwordHash })
      .from(accounts)
      .where(eq(accounts.email, 'hash.check@example.cn'));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row?.passwordHash).not.toContain('a secret phrase');
  });

  it('gives the same error for a wrong password and an unknown account', async () => {
    await testApp.signUp({ email: 'known@example.cn' });
    const wrongPassword = await testApp
      .anonymous()
      .gql(SIGN_IN, { input: { login: 'known@example.cn', password: 'wrong password' } });
    const unknown = await testApp
      .anonymous()
      .gql(SIGN_IN, { input: { login: 'nobody@example.cn', password: 'wrong password' } });
    expect(errorCode(wrongPassword)).toBe('INVALID_CREDENTIALS');
    expect(unknown.errors).toEqual(wrongPassword.errors);
  });

  it('sets an httpOnly, SameSite=Lax session cookie', async () => {
    await testApp.signUp({ email: 'cookie@example.cn' });
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: {
        query: SIGN_IN,
        variables: { input: { login: 'cookie@example.cn', password: 'correct horse battery' } },
      },
    });
    const cookie = response.cookies.find((set) => set.name === 'qicai_session');
    expect(cookie).toMatchObject({ name: 'qicai_session', httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
  });

  it('throttles repeated wrong passwords for a login, without saying whether it exists', async () => {
    await testApp.signUp({ email: 'target@example.cn' });
    const attempt = (login: string, password: string) =>
      testApp.anonymous().gql(SIGN_IN, { input: { login, password } }, {}, '203.0.113.9');
    for (let i = 0; i < 5; i++)
      expect(errorCode(await attempt('target@example.cn', `guess ${i}`))).toBe('INVALID_CREDENTIALS');
    // Now even the right password is refused for a while.
    expect(errorCode(await attempt('target@example.cn', 'correct horse battery'))).toBe('RATE_LIMITED');
    for (let i = 0; i < 5; i++) await attempt('ghost@example.cn', `guess ${i}`);
    expect(errorCode(await attempt('ghost@example.cn', 'anything'))).toBe('RATE_LIMITED');
  });

  it('refuses bad registrations field by field (a taken login is not one of them: accounts.test.ts)', async () => {
    const result = await testApp
      .anonymous()
      .gql(`mutation ($input: RegisterInput!) { startRegistration(input: $input) { sentTo } }`, {
        input: { displayName: ' ', phone: '12345', password: 'short' },
      });
    expect(errorCode(result)).toBe('VALIDATION');
    expect(result.errors?.[0]?.extensions?.fields).toEqual({
      displayName: 'REQUIRED',
      phone: 'INVALID_PHONE',
      password: 'TOO_SHORT',
    });
    const both = await testApp
      .anonymous()
      .gql(`mutation ($input: RegisterInput!) { startRegistration(input: $input) { sentTo } }`, {
        input: {
          displayName: '张三',
          phone: '13800138001',
          email: 'zhang@example.cn',
          password: '洞庭湖畔 long enough',
        },
      });
    expect(both.errors?.[0]?.extensions?.fields).toEqual({ email: 'ONE_LOGIN_ONLY' });
  });
});

describe('request safety', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await TestApp.start();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('refuses cross-site and form-encoded GraphQL posts (CSRF)', async () => {
    const crossSite = await testApp.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', host: 'localhost:3000' },
      payload: { query: 'mutation { signOut }' },
    });
    expect(crossSite.statusCode).toBe(403);
    const formPost = await testApp.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ query: 'mutation { signOut }' }),
    });
    expect(formPost.statusCode).toBe(403);
    const sameSite = await testApp.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3000', host: 'localhost:3000' },
      payload: { query: 'mutation { signOut }' },
    });
    expect(sameSite.json()).toEqual({ data: { signOut: true } });
  });

  it('refuses a deeply nested query before running it, and batched queries', async () => {
    const deep = await testApp
      .anonymous()
      .gql(`{ organization { teams { leads { teams { leads { teams { leads { teams { leads { id } } } } } } } } } }`);
    expect(deep.data ?? null).toBeNull();
    // Its lists multiply: the cost limit (checked before mercurius' depth limit) refuses it, naming the measure.
    expect(deep.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', measure: 'cost' });

    const batched = await testApp.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: [{ query: '{ health }' }, { query: '{ health }' }],
    });
    expect(batched.json()).not.toEqual([{ data: { health: true } }, { data: { health: true } }]);
  });

  it('sends security headers', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  });
});

describe('in production', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await TestApp.start({
      NODE_ENV: 'production',
      APP_SECRET: 'a-production-secret-of-32-characters-or-more',
    });
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('has no introspection and no GraphiQL', async () => {
    const result = await testApp.anonymous().gql('{ __schema { types { name } } }');
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);
    const graphiql = await testApp.app.inject({ method: 'GET', url: '/graphiql' });
    expect(graphiql.statusCode).toBe(404);
  });
});
