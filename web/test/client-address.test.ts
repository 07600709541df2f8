/**
 * Whose address the sign-in limit counts when the sign-in form is posted to
 * the web server (issue 17, "Proxies"): the pages pass the browser's address
 * to the API signed with the process's key, so by default a rotated
 * X-Forwarded-For changes nothing, and with TRUST_PROXY naming the proxy the
 * address it forwards is what counts. The API alone: api/test/client-address.test.ts.
 */
import { loadConfig, startServer } from '@qicai/api';
import { createTestDatabase } from '@qicai/db/testing';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, testClock } from './browser';

/** Posts the sign-in form as a browser without JavaScript does; answers the page's status (429: refused). */
function postSignInForm(
  base: string,
  login: string,
  headers: Record<string, string>,
  localAddress = '127.0.0.1',
): Promise<number> {
  const url = new URL('/signin', base);
  const body = new URLSearchParams({ login, password: '错误的密码 wrong' }).toString();
  return new Promise((resolve, reject) => {
    const posted = request(
      url,
      {
        method: 'POST',
        localAddress,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
          'content-length': String(Buffer.byteLength(body)),
          origin: url.origin,
          ...headers,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          resolve(response.statusCode ?? 0);
        });
      },
    );
    posted.on('error', reject);
    posted.end(body);
  });
}

async function wrongPasswords(
  base: string,
  login: string,
  headers: Record<string, string>[],
  localAddress?: string,
): Promise<number[]> {
  const statuses: number[] = [];
  for (const header of headers) statuses.push(await postSignInForm(base, login, header, localAddress));
  return statuses;
}

const rotated = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ 'x-forwarded-for': `203.0.113.${String(i + 1)}` }));
/** Five wrong passwords (400), then the limit for one login from one address (429). */
const LIMITED = [400, 400, 400, 400, 400, 429];
/** A login no account has (so no other test's sign-in is touched): throttled all the same. */
const unknownLogin = (name: string) => `${name}-${String(testClock.now().getTime())}@example.cn`;

describe('the sign-in form with the default TRUST_PROXY', () => {
  it('does not let a rotated X-Forwarded-For, or a forged client-address header, escape the limit', async () => {
    expect(await wrongPasswords(baseUrl(), unknownLogin('rotating'), rotated(6))).toEqual(LIMITED);
    const forged = Array.from({ length: 6 }, (_, i) => ({ 'x-qicai-client-address': `203.0.113.${String(i)} AAAA` }));
    expect(await wrongPasswords(baseUrl(), unknownLogin('forging'), forged)).toEqual(LIMITED);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

describe('the sign-in form behind a proxy named in TRUST_PROXY', () => {
  // The proxy connects from 127.0.0.2; anyone else on the machine from 127.0.0.1.
  const PROXY = '127.0.0.2';
  let app: Awaited<ReturnType<typeof startServer>>;
  let base: string;
  let dropDatabase: () => Promise<void>;
  beforeAll(async () => {
    const port = await freePort();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      TRUST_PROXY: PROXY,
    });
    // This process serves these pages: their API and origin are this server's (not the shared one's).
    process.env['ORIGIN'] = config.publicUrl.origin;
    process.env['API_URL'] = `http://127.0.0.1:${String(port)}`;
    process.env['WEB_FORWARDING_KEY'] = config.webForwardingKey;
    const testDatabase = await createTestDatabase();
    dropDatabase = () => testDatabase.drop();
    app = await startServer({ config, database: await testDatabase.open(), clock: testClock, handleSignals: false });
    base = config.publicUrl.origin;
  });
  afterAll(async () => {
    await app.close();
    await dropDatabase();
  });

  it('counts each address the proxy forwards on its own', async () => {
    const login = unknownLogin('behind-proxy');
    expect(await wrongPasswords(base, login, rotated(6), PROXY)).toEqual(Array<number>(6).fill(400));
    const same = Array.from({ length: 6 }, () => ({ 'x-forwarded-for': '198.51.100.200' }));
    expect(await wrongPasswords(base, login, same, PROXY)).toEqual(LIMITED);
  });

  it('believes no X-Forwarded-For from anyone but the proxy', async () => {
    expect(await wrongPasswords(base, unknownLogin('beside-proxy'), rotated(6), '127.0.0.1')).toEqual(LIMITED);
  });
});
