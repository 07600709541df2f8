/**
 * Whose address the per-address limits count (issue 17, "Proxies"): by
 * default no forwarded header is believed, so rotating X-Forwarded-For does
 * not walk around the sign-in limit; with TRUST_PROXY naming the proxy, the
 * address it forwards is used; the web server's own signed header is believed
 * only with our key. The same through the web server's form posts:
 * web/test/client-address.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { signClientAddress } from '../src/plugins/client-address.ts';
import { errorCode, TestApp } from './helper.ts';

const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { account { id } } }`;
/** The sign-in limit for one login from one address (people/service.ts): the sixth try is refused. */
const TRIES_BEFORE_LIMIT = 5;
/** The key this process's apps sign and check with (made once per process). */
const OUR_KEY = loadConfig({ NODE_ENV: 'test' }).webForwardingKey;

/** Wrong passwords for one login, each with the next of `headers`, from `remoteAddress`; their error codes. */
async function wrongPasswords(
  testApp: TestApp,
  login: string,
  headers: Record<string, string>[],
  remoteAddress?: string,
): Promise<(string | undefined)[]> {
  const codes: (string | undefined)[] = [];
  for (const header of headers)
    codes.push(
      errorCode(
        await testApp
          .anonymous()
          .gql(SIGN_IN, { input: { login, password: '错误的密码 wrong' } }, header, remoteAddress),
      ),
    );
  return codes;
}

const rotated = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ 'x-forwarded-for': `203.0.113.${String(i + 1)}` }));
const limited = [...Array<string>(TRIES_BEFORE_LIMIT).fill('INVALID_CREDENTIALS'), 'RATE_LIMITED'];

describe('client address with the default TRUST_PROXY (no forwarded header believed)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await TestApp.start();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('does not let a rotated X-Forwarded-For escape the per-address sign-in limit', async () => {
    expect(await wrongPasswords(testApp, '13912345601', rotated(6), '198.51.100.40')).toEqual(limited);
  });

  it('ignores a client-address header not signed with our key, or signed for another address', async () => {
    const forged = Array.from({ length: 6 }, (_, i) => ({
      'x-qicai-client-address': signClientAddress('not-our-key-not-our-key-not-our-key', `203.0.113.${String(i)}`),
    }));
    expect(await wrongPasswords(testApp, '13912345602', forged, '198.51.100.41')).toEqual(limited);
    const reused = signClientAddress(OUR_KEY, '203.0.113.77').split(' ')[1] ?? '';
    const swapped = Array.from({ length: 6 }, (_, i) => ({
      'x-qicai-client-address': `203.0.113.${String(100 + i)} ${reused}`,
    }));
    expect(await wrongPasswords(testApp, '13912345603', swapped, '198.51.100.42')).toEqual(limited);
  });

  it("believes the address our own web server signs, and counts each browser's address apart", async () => {
    const browsers = Array.from({ length: 6 }, (_, i) => ({
      'x-qicai-client-address': signClientAddress(OUR_KEY, `2001:db8::${String(i + 1)}`),
    }));
    // Six browsers behind our web server (one loopback address): none is refused for the others' tries.
    expect(await wrongPasswords(testApp, '13912345604', browsers, '127.0.0.1')).toEqual(
      Array<string>(6).fill('INVALID_CREDENTIALS'),
    );
    const oneBrowser = Array.from({ length: 6 }, () => ({
      'x-qicai-client-address': signClientAddress(OUR_KEY, '2001:db8::99'),
    }));
    expect(await wrongPasswords(testApp, '13912345604', oneBrowser, '127.0.0.1')).toEqual(limited);
  });
});

describe('client address with TRUST_PROXY set to the proxy', () => {
  const PROXY = '10.0.0.2';
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await TestApp.start({ TRUST_PROXY: PROXY });
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('uses the address the proxy forwards', async () => {
    // Six people behind the proxy: each is counted on their own.
    expect(await wrongPasswords(testApp, '13912345605', rotated(6), PROXY)).toEqual(
      Array<string>(6).fill('INVALID_CREDENTIALS'),
    );
    // One of them, six times: refused at the sixth, whatever the proxy's other clients do.
    const same = Array.from({ length: 6 }, () => ({ 'x-forwarded-for': '198.51.100.200' }));
    expect(await wrongPasswords(testApp, '13912345605', same, PROXY)).toEqual(limited);
  });

  it('believes no X-Forwarded-For from anyone but the proxy', async () => {
    expect(await wrongPasswords(testApp, '13912345606', rotated(6), '10.0.0.3')).toEqual(limited);
  });

  it('takes the address the proxy saw, not one a client prepended', async () => {
    const prepended = Array.from({ length: 6 }, (_, i) => ({
      'x-forwarded-for': `203.0.113.${String(i + 1)}, 198.51.100.201`,
    }));
    expect(await wrongPasswords(testApp, '13912345607', prepended, PROXY)).toEqual(limited);
  });
});
