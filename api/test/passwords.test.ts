/**
 * Password rules at registration (issue 17; checked before any code is sent): strength by zxcvbn-ts, and no
 * password containing the account's own phone, email or name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, expectNoErrors, TestApp } from './helper.ts';

/** The demo's password (scripts/demo, which seeds its hash directly): people type it in the README's sign-ins. */
const DEMO_PASSWORD = 'qicai-demo-2026';
const REGISTER = `mutation ($input: RegisterInput!) { startRegistration(input: $input) { sentTo } }`;

describe('passwords', () => {
  let testApp: TestApp;
  let n = 0;
  const register = (password: string, fields: { displayName?: string; email?: string; phone?: string } = {}) => {
    n++;
    return testApp.anonymous().gql(REGISTER, {
      input: {
        displayName: fields.displayName ?? `志愿者${n}`,
        email: fields.email ?? (fields.phone ? undefined : `someone${n}@example.cn`),
        phone: fields.phone,
        password,
      },
    });
  };
  beforeAll(async () => {
    testApp = await TestApp.start();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it.each(['12345678', 'password', '        ', 'qwertyuiop', 'P@ssw0rd!', 'woaini1314', 'aaaaaaaaaaaa', '11111111'])(
    'refuses the guessable %j as WEAK_PASSWORD',
    async (password) => {
      const result = await register(password);
      expect(errorCode(result)).toBe('VALIDATION');
      expect(result.errors?.[0]?.extensions?.fields).toEqual({ password: 'WEAK_PASSWORD' });
    },
  );

  it.each([
    ['its phone number', '13912345678', { phone: '139 1234 5678' }],
    ['its phone number among words', 'my number 13912345678 ok', { phone: '13912345678' }],
    ["its email's local part", 'zhang.xiaoming-rocks-42', { email: 'zhangxiaoming@example.cn' }],
    ['its name', '欧阳晓明的志愿服务密码', { displayName: '欧阳晓明' }],
    ['its name in Latin letters', 'Wendy Thornbury wins again', { displayName: 'Wendy Thornbury' }],
  ])('refuses a password containing %s as PASSWORD_HAS_PERSONAL_DATA', async (_what, password, fields) => {
    const result = await register(password, fields);
    expect(result.errors?.[0]?.extensions?.fields).toEqual({ password: 'PASSWORD_HAS_PERSONAL_DATA' });
  });

  it.each([
    'correct horse battery',
    'bench-password-1',
    DEMO_PASSWORD,
    'blue kettle on the hill',
    '河边的柳树绿了三次',
  ])('accepts %j', async (password) => {
    expectNoErrors(await register(password));
  });

  it('still says TOO_SHORT first for a short password', async () => {
    const result = await register('1234');
    expect(result.errors?.[0]?.extensions?.fields).toEqual({ password: 'TOO_SHORT' });
  });
});
