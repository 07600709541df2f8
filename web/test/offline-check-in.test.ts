/**
 * Check-in with no signal, on a phone (离线打卡): the app is installable
 * (manifest, icons, a service worker); the check-in page, opened once,
 * opens again with the network cut; a check-in tapped offline is kept on the
 * phone and sent when the network returns, and recorded at the time it was
 * taken — or refused, and the page says why, when that time was outside the
 * window or too long ago. The phone's clock is moved to take the check-ins
 * at chosen times; the server's is the tests' clock.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baseUrl,
  demoAssociation,
  launchBrowser,
  newPage,
  saveActivity,
  signIn,
  testClock,
  timeOfDayAt,
} from './browser';

const demo = demoAssociation('offline-check-in');
const { lead, member } = demo;
/** 荣家湾镇党群服务中心, where the test activity takes place. */
const SITE = { latitude: 29.1446, longitude: 113.1287 };
const NEAR = { latitude: SITE.latitude + 80 / 111_195, longitude: SITE.longitude, accuracy: 20 };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe('check-in with no signal', () => {
  let browser: Browser;
  const title = `浏览器测试：离线打卡 ${testClock.now().getTime() % 100_000}`;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('is installable: a manifest with bundled icons, and a service worker', async () => {
    const page = await newPage(browser, PHONE);
    await page.goto('/');
    const href = await page.locator('link[rel=manifest]').getAttribute('href');
    const manifest = (await (await page.request.get(new URL(href ?? '', baseUrl()).toString())).json()) as {
      display: string;
      start_url: string;
      icons: { src: string; sizes: string; purpose?: string }[];
    };
    expect(manifest).toMatchObject({ display: 'standalone', start_url: '/' });
    expect(manifest.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const response = await page.request.get(new URL(icon.src, baseUrl()).toString());
      expect(response.ok(), icon.src).toBe(true);
    }
    // Every icon from this origin: nothing comes from elsewhere.
    expect(manifest.icons.every((icon) => icon.src.startsWith('/'))).toBe(true);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${baseUrl()}/`);
    await page.context().close();
  });

  /** A phone of the member's whose clock the test sets, signed in, with the service worker in control. */
  async function memberPhone(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      baseURL: baseUrl(),
      ...PHONE,
      geolocation: NEAR,
      permissions: ['geolocation'],
    });
    await context.clock.install({ time: testClock.now() });
    const page = await context.newPage();
    await signIn(page, member.phone);
    return { context, page };
  }

  /**
   * A second into the minute `minutesAgo` before now: the tap that follows on a busy machine stays
   * in the minute the page is expected to show, however long it takes (not 59 seconds).
   */
  const minuteStartingAgo = (minutesAgo: number) =>
    new Date(Math.floor(testClock.now().getTime() / 60_000 - minutesAgo) * 60_000 + 1_000);

  /** Taps check-in with the network cut, the phone's clock at `takenAt`; the page says it is kept. */
  async function checkInOffline(context: BrowserContext, page: Page, takenAt: Date): Promise<void> {
    await page.clock.setSystemTime(takenAt);
    await context.setOffline(true);
    await page.getByRole('button', { name: '用定位打卡' }).click();
    await expect
      .poll(() => page.locator('.notice.queued').textContent())
      .toContain(`没有网络：签到已保存在这部手机上（`);
    expect(await page.locator('.notice.queued').textContent()).toContain(timeOfDayAt(takenAt));
  }

  it('opens the check-in page with no signal, keeps a check-in tapped there and records it at that time when the network returns', async () => {
    const leadPage = await newPage(browser, PHONE);
    await signIn(leadPage, lead.phone);
    await leadPage.goto(`/o/${demo.slug}/activities/new`);
    // Starts in 10 minutes: check-in opened 20 minutes ago (30 minutes before the start).
    const activityPath = await saveActivity(leadPage, {
      title,
      category: 'ENVIRONMENT',
      site: SITE,
      startsIn: 10,
      endsIn: 130,
    });
    await leadPage.context().close();

    const { context, page } = await memberPhone();
    await page.goto(activityPath);
    await page.getByRole('button', { name: '报名' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('报名成功。');
    // The activities list asks the service worker to keep the check-in page of each place the member has.
    await page.goto(`/o/${demo.slug}/activities`);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const checkInPath = `${activityPath}/check-in`;
    await expect
      .poll(() =>
        page.evaluate(async (path) => {
          const names = await caches.keys();
          for (const name of names) if (await (await caches.open(name)).match(path)) return true;
          return false;
        }, checkInPath),
      )
      .toBe(true);

    // No signal at the site: the check-in page opens all the same, from what was kept.
    await context.setOffline(true);
    await page.goto(checkInPath);
    await page.waitForSelector('html[data-hydrated]');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('到场打卡');

    // Taken 40 minutes ago by the phone's clock, before check-in opened: refused when it arrives, and said why.
    await checkInOffline(context, page, minuteStartingAgo(40));
    await context.setOffline(false);
    const refusals = page.locator('.offline-outcomes .refused');
    await expect.poll(() => refusals.first().textContent()).toMatch(/离线时的签到（.+）未被记录：/);
    expect(await refusals.first().textContent()).toContain('不在打卡时间内');
    expect(await page.locator('.notice.queued').count()).toBe(0);

    // Taken 13 hours ago: past the 12 hours a check-in taken offline may take to arrive.
    await checkInOffline(context, page, minuteStartingAgo(13 * 60));
    await context.setOffline(false);
    await expect.poll(() => refusals.nth(1).textContent()).toContain('离线打卡须在 12 小时内送达，这次已超时');

    // Taken 8 minutes ago, in the window and at the site: recorded at that time, marked as sent later.
    const takenAt = minuteStartingAgo(8);
    await checkInOffline(context, page, takenAt);
    // Still no signal: it waits on the phone, and stays there across a reload.
    await page.reload();
    await page.waitForSelector('html[data-hydrated]');
    await expect.poll(() => page.locator('.notice.queued').count()).toBe(1);
    await page.clock.setSystemTime(testClock.now());
    await context.setOffline(false);
    const sent = page.locator('.offline-outcomes .sent');
    await expect.poll(() => sent.textContent()).toMatch(/离线时的签到（.+）已送达，按当时的时间记录。/);
    expect(await sent.textContent()).toContain(timeOfDayAt(takenAt));
    expect(await page.locator('.notice.queued').count()).toBe(0);
    // The check-in stands at the time taken, eight minutes before it arrived.
    const card = page.locator('.card', { hasText: '已于' }).first();
    await expect.poll(() => card.textContent()).toContain('（离线打卡，');
    expect(await card.textContent()).toMatch(new RegExp(`已于 .*${timeOfDayAt(takenAt)} 打卡`));
    expect(await page.getByRole('button', { name: '用定位签退' }).count()).toBe(1);
    await context.close();
  });
});
