/**
 * A big screen when its instance restarts: two instances behind a load
 * balancer (a TCP proxy the test points at one, then the other), sharing the
 * database and Redis. The screen's instance drains (SIGTERM): the screen's
 * WebSocket is closed with 1012, it reconnects through the balancer to the
 * other instance, without a reload, reads its figures afresh — again after a
 * few seconds if its first read met the draining instance on a kept-alive
 * connection (a 503) — and shows the next check-in.
 */
import { drain, loadConfig, startServer } from '@qicai/api';
import { createTestDatabase, type TestDatabase } from '@qicai/db/testing';
import { seedDemo } from '@qicai/scripts/demo';
import net from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, signIn, testClock, saveActivity } from './browser';

/** An API instance, as startServer gives it. */
type FastifyInstance = Awaited<ReturnType<typeof startServer>>;

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Whether Redis answers PING, asked once over its own protocol (the web package has no Redis client). */
function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port || 6379), hostname, () => {
      socket.write('PING\r\n');
    });
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('data', (data) => {
      socket.end();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}
const redisUp = await redisAnswers(REDIS_URL);
if (!redisUp && !process.env['CI'])
  console.warn('\n  SKIPPED: the restart test needs Redis at TEST_REDIS_URL. CI fails here.\n');
const SITE = { latitude: 29.1446, longitude: 113.1287 };
const NEAR = { latitude: SITE.latitude + 100 / 111_195, longitude: SITE.longitude, accuracy: 20 };

/** A load balancer with one backend at a time: new connections go to `target`; open ones stay where they are. */
class Balancer {
  target = 0;
  private readonly server = net.createServer((client) => {
    const backend = net.connect(this.target, '127.0.0.1');
    client.pipe(backend).pipe(client);
    const end = () => {
      client.destroy();
      backend.destroy();
    };
    client.on('error', end).on('close', end);
    backend.on('error', end).on('close', end);
  });
  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('not listening');
    return address.port;
  }
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}

function portOf(app: FastifyInstance): number {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('not listening');
  return address.port;
}

async function checkedInNow(screen: Page): Promise<number> {
  return Number((await screen.locator('[data-testid=board-checked-in-now]').textContent())?.replace(/\D/g, ''));
}

describe.skipIf(!redisUp && !process.env['CI'])('the big screen when its instance restarts', () => {
  let database: TestDatabase;
  let balancer: Balancer;
  let first: FastifyInstance;
  let second: FastifyInstance;
  let browser: Browser;
  let base = '';
  let slug = '';
  let adminPhone = '';

  beforeAll(async () => {
    balancer = new Balancer();
    base = `http://127.0.0.1:${String(await balancer.listen())}`;
    // Both instances share this process, and the web app's server side reads where the API is once:
    // through the balancer, as it would from a third machine.
    process.env['API_URL'] = base;
    process.env['ORIGIN'] = base;
    database = await createTestDatabase();
    const start = async () =>
      startServer({
        config: loadConfig({
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          HOST: '127.0.0.1',
          PORT: '0',
          PUBLIC_URL: base,
          REDIS_URL,
        }),
        database: await database.open(),
        clock: testClock,
        handleSignals: false,
      });
    first = await start();
    second = await start();
    const demo = await seedDemo(first.database.db, { copy: 1, slug: 'web-restart', now: testClock.now() });
    slug = demo.slug;
    adminPhone = demo.signIns[0].phone;
    balancer.target = portOf(first);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await second.close();
    await first.close();
    await balancer.close();
    await database.drop();
  });

  it('reconnects to the other instance after a drain and shows the next check-in', async () => {
    const person = await newPage(browser, { baseURL: base, geolocation: NEAR, permissions: ['geolocation'] });
    await signIn(person, adminPhone);
    // The admin's activity, starting in five minutes (check-in open), with the admin signed up.
    await person.goto(`/o/${slug}/activities/new`);
    const activityPath = await saveActivity(person, {
      title: `重启测试 ${String(testClock.now().getTime() % 100_000)}`,
      category: 'ENVIRONMENT',
      site: SITE,
      startsIn: 5,
      endsIn: 65,
    });
    await person.getByRole('button', { name: '报名' }).click();
    await expect.poll(() => person.getByRole('status').first().textContent()).toBe('报名成功。');

    // The big screen, a member's view of it, connected to the first instance.
    const screen = await newPage(browser, { baseURL: base, viewport: { width: 1920, height: 1080 } });
    // Every WebSocket's close code, as the page's own code sees it.
    await screen.addInitScript(() => {
      const Native = window.WebSocket;
      const codes: number[] = [];
      Object.assign(window, { closeCodes: codes });
      window.WebSocket = class extends Native {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          this.addEventListener('close', (event) => {
            codes.push(event.code);
          });
        }
      };
    });
    await signIn(screen, adminPhone);
    await screen.goto(`/o/${slug}/board`);
    await screen.waitForSelector('html[data-hydrated]');
    await expect.poll(() => screen.locator('[data-testid=board-status]').textContent()).toContain('实时');
    await expect.poll(() => first.liveSockets.size).toBe(1);
    const before = await checkedInNow(screen);
    await screen.evaluate(() => {
      document.body.dataset['marker'] = 'still-here';
    });

    // The first instance is restarted: new connections go to the second, and the first drains.
    balancer.target = portOf(second);
    await drain(first);
    // The close reaches the page's script a moment after the server has let the socket go.
    await expect.poll(() => screen.evaluate(() => Reflect.get(window, 'closeCodes') as unknown)).toEqual([1012]);
    await expect.poll(() => second.liveSockets.size, { timeout: 10_000 }).toBe(1);
    await expect
      .poll(() => screen.locator('[data-testid=board-status]').textContent(), { timeout: 10_000 })
      .toContain('实时');

    // The next check-in, through the second instance, reaches the screen.
    await person.goto(`${activityPath}/check-in`);
    await person.getByRole('button', { name: '用定位打卡' }).click();
    await expect.poll(() => person.locator('.notice').first().textContent()).toMatch(/^打卡成功/);
    await expect.poll(() => checkedInNow(screen), { timeout: 10_000 }).toBe(before + 1);
    expect(await screen.evaluate(() => document.body.dataset['marker'])).toBe('still-here');
    await screen.context().close();
    await person.context().close();
  });
});
