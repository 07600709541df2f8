/**
 * Qicai as `HOST=0.0.0.0 pnpm start` runs it for phones on the LAN: pages
 * opened at the machine's own addresses (http://127.0.0.1:<port>, the LAN
 * address) sign in and submit forms — SvelteKit's origin check accepts them —
 * while a post from any other origin is still refused.
 */
import { lanAddresses, loadConfig, startServer } from '@qicai/api';
import { createTestDatabase, type TestDatabase } from '@qicai/db/testing';
import { seedDemo } from '@qicai/scripts/demo';
import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn, testClock } from './browser';

/** A phone held upright. */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '0.0.0.0', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

describe('on the LAN (HOST=0.0.0.0)', () => {
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startServer>>;
  let testDatabase: TestDatabase;
  let port: number;
  let member: string;

  beforeAll(async () => {
    port = await freePort();
    // This worker inherited the shared test server's API_URL (global-setup.ts): this server reaches its own API.
    delete process.env['API_URL'];
    testDatabase = await createTestDatabase();
    const database = await testDatabase.open();
    // PUBLIC_URL is left to its default, http://localhost:<port>: the case the issue met.
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', HOST: '0.0.0.0', PORT: String(port) });
    app = await startServer({
      config,
      database,
      clock: testClock,
      handleSignals: false,
      beforeListen: async (server) => {
        const demo = await seedDemo(server.database.db, { copy: 90, slug: 'web-lan', now: testClock.now() });
        member = demo.signIns[2].phone;
      },
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser.close();
    await app.close();
    await testDatabase.drop();
  });

  /** Signs in at `origin` on a phone and switches the language with the page's form (a POST). */
  async function signInAndSubmit(origin: string) {
    const context = await browser.newContext({ ...PHONE, baseURL: origin });
    const page = await context.newPage();
    await signIn(page, member);
    expect(new URL(page.url()).origin).toBe(origin);
    // The language is kept with the account: whichever it is, the form switches it.
    const before = await page.locator('html').getAttribute('lang');
    await page.getByRole('button', { name: /^(English|中文)$/ }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(before === 'en' ? 'zh-CN' : 'en');
    expect(new URL(page.url()).origin).toBe(origin);
    await context.close();
  }

  it('signs in and submits forms at http://127.0.0.1:<port>', async () => {
    await signInAndSubmit(`http://127.0.0.1:${port}`);
  });

  it('does the same at the machine’s LAN address, if it has one', async () => {
    const [lan] = lanAddresses();
    if (!lan) return;
    await signInAndSubmit(`http://${lan}:${port}`);
  });

  it('refuses a form post from another origin', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/locale`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://192.0.2.99:3000' },
      body: 'locale=en&redirectTo=%2F',
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
    // Naming a foreign host does not make it one of ours either (DNS rebinding).
    const rebound = await fetch(`http://127.0.0.1:${port}/locale`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://attacker.example',
        host: 'attacker.example',
        'x-qicai-origin-host': 'attacker.example',
      },
      body: 'locale=en&redirectTo=%2F',
      redirect: 'manual',
    });
    expect(rebound.status).toBe(403);
  });
});
