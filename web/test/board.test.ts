/**
 * The big screen in a browser: opened on a wall screen with a display token
 * an admin made, it shows a check-in made in another browser without a
 * reload; after a network drop it says it is reconnecting, then shows fresh
 * figures (a check-out made while it was offline).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, newPage, signIn, testClock, saveActivity } from './browser';

const demo = demoAssociation('board');
const { admin } = demo;
const SITE = { latitude: 29.1446, longitude: 113.1287 };
const NEAR = { latitude: SITE.latitude + 100 / 111_195, longitude: SITE.longitude, accuracy: 20 };

async function checkedInNow(screen: Page): Promise<number> {
  return Number((await screen.locator('[data-testid=board-checked-in-now]').textContent())?.replace(/\D/g, ''));
}

describe('the big screen in a browser', () => {
  let browser: Browser;
  let screen: Page;
  let person: Page;
  let activityPath: string;
  let before: number;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('opens on a wall screen with a display token an admin made', async () => {
    person = await newPage(browser, { geolocation: NEAR, permissions: ['geolocation'] });
    await signIn(person, admin.phone);
    await person.goto(`/o/${demo.slug}/display-tokens`);
    await person.getByLabel('屏幕名称（如“一楼大厅”）').fill('浏览器测试大屏');
    await person.getByRole('button', { name: '生成令牌' }).click();
    const url = await person.locator('[data-testid=display-token-url]').inputValue({ timeout: 10_000 });
    expect(url).toMatch(new RegExp(`/o/${demo.slug}/board\\?display=[A-Za-z0-9_-]{43}$`));

    // The wall screen: nobody signed in, 1920×1080.
    screen = await newPage(browser, { viewport: { width: 1920, height: 1080 } });
    await screen.goto(new URL(url).pathname + new URL(url).search);
    // The token went into a cookie and out of the address.
    expect(new URL(screen.url()).search).toBe('');
    await screen.waitForSelector('html[data-hydrated]');
    await expect.poll(() => screen.locator('[data-testid=board-status]').textContent()).toContain('实时');
    expect(await screen.locator('[data-team]').count()).toBe(7);
    // Nothing scrolls.
    const overflow = await screen.evaluate(() => {
      const board = document.querySelector('[data-testid=board]');
      return board ? board.scrollHeight - board.clientHeight : -1;
    });
    expect(overflow).toBe(0);
    // People served this year: the association's figure is its seven teams'.
    const served = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));
    const teamsServed = (await screen.getByTestId('board-team-served').allTextContents()).map(served);
    expect(teamsServed).toHaveLength(7);
    expect(served(await screen.getByTestId('board-served-year').textContent())).toBe(
      teamsServed.reduce((sum, value) => sum + value, 0),
    );
    expect(served(await screen.getByTestId('board-served-month').textContent())).toBeLessThanOrEqual(
      served(await screen.getByTestId('board-served-year').textContent()),
    );
    before = await checkedInNow(screen);
    await screen.evaluate(() => {
      // Survives only if the page is not reloaded.
      document.body.dataset['marker'] = 'still-here';
    });
  });

  it('shows a check-in made in another browser, without a reload', async () => {
    // The admin schedules an activity starting in five minutes (check-in open), signs up and checks in.
    await person.goto(`/o/${demo.slug}/activities/new`);
    activityPath = await saveActivity(person, {
      title: `大屏测试 ${testClock.now().getTime() % 100_000}`,
      category: 'ENVIRONMENT',
      site: SITE,
      startsIn: 5,
      endsIn: 65,
    });
    await person.getByRole('button', { name: '报名' }).click();
    await expect.poll(() => person.getByRole('status').first().textContent()).toBe('报名成功。');
    await person.goto(`${activityPath}/check-in`);
    await person.getByRole('button', { name: '用定位打卡' }).click();
    await expect.poll(() => person.locator('.notice').first().textContent()).toMatch(/^打卡成功/);

    await expect.poll(() => checkedInNow(screen), { timeout: 10_000 }).toBe(before + 1);
    // The feed names the admin masked (周丽华 → 周*华), never in full.
    await expect.poll(() => screen.locator('[data-testid=board-feed] li').first().textContent()).toContain('周*华');
    expect(await screen.locator('[data-testid=board]').textContent()).not.toContain(admin.name);
    expect(await screen.evaluate(() => document.body.dataset['marker'])).toBe('still-here');
    await screen.screenshot({ path: '/tmp/qicai-board-1920.png' });
  });

  it('says it is reconnecting after a network drop, then shows fresh figures', async () => {
    await screen.context().setOffline(true);
    await expect.poll(() => screen.locator('[data-testid=board-reconnecting]').count(), { timeout: 10_000 }).toBe(1);
    // While the screen is offline the admin checks out: the screen cannot hear it.
    await person.goto(`${activityPath}/check-in`);
    await person.getByRole('button', { name: '用定位签退' }).click();
    // Before the activity starts a check-out counts no time, so the page asks first.
    await person.locator('form.confirm').getByRole('button', { name: '仍然签退' }).click();
    await expect.poll(() => person.locator('.notice').first().textContent()).toMatch(/签退成功/);
    expect(await checkedInNow(screen)).toBe(before + 1);

    await screen.context().setOffline(false);
    await expect.poll(() => checkedInNow(screen), { timeout: 20_000 }).toBe(before);
    await expect.poll(() => screen.locator('[data-testid=board-reconnecting]').count(), { timeout: 10_000 }).toBe(0);
    expect(await screen.locator('[data-testid=board-status]').textContent()).toContain('实时');
    expect(await screen.evaluate(() => document.body.dataset['marker'])).toBe('still-here');

    // Still without scrolling at 1280×720.
    await screen.setViewportSize({ width: 1280, height: 720 });
    const overflow = await screen.evaluate(() => {
      const board = document.querySelector('[data-testid=board]');
      return board ? board.scrollHeight - board.clientHeight : -1;
    });
    expect(overflow).toBe(0);
    await screen.screenshot({ path: '/tmp/qicai-board-1280.png' });
    await screen.context().close();
    await person.context().close();
  });
});
