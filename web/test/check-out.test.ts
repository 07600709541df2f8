/**
 * Check-out on a phone, before the activity has started: the page asks
 * first and says no hours will count; once checked out the member can undo
 * it, and is checked in again (and may check out again).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, newPage, signIn, testClock, saveActivity } from './browser';

const demo = demoAssociation('check-out');
const { lead, member } = demo;
/** 荣家湾镇党群服务中心, where the test activity takes place. */
const SITE = { latitude: 29.1446, longitude: 113.1287 };
const NEAR = { latitude: SITE.latitude + 120 / 111_195, longitude: SITE.longitude, accuracy: 15 };
/** A phone held upright (iPhone 13-sized). */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe('check-out on a phone', () => {
  let browser: Browser;
  const title = `浏览器测试：敬老院探访 ${testClock.now().getTime() % 100_000}`;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  async function scheduleActivity(): Promise<string> {
    const page = await newPage(browser, PHONE);
    await signIn(page, lead.phone);
    await page.goto(`/o/${demo.slug}/activities/new`);
    // Starts in 20 minutes: check-in is open (from 30 minutes before), the activity has not begun.
    const path = await saveActivity(page, {
      title,
      category: 'HOME_VISIT',
      site: SITE,
      startsIn: 20,
      endsIn: 140,
    });
    await page.context().close();
    return path;
  }

  it('asks before an early check-out that counts no hours, and lets the member undo it', async () => {
    const activityPath = await scheduleActivity();
    const page = await newPage(browser, { ...PHONE, geolocation: NEAR, permissions: ['geolocation'] });
    await signIn(page, member.phone);
    await page.goto(activityPath);
    await page.getByRole('button', { name: '报名' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('报名成功。');
    await page.getByRole('link', { name: '到场打卡' }).click();
    await page.getByRole('button', { name: '用定位打卡' }).click();
    await expect.poll(() => page.locator('.notice').first().textContent()).toMatch(/^打卡成功！/);

    // Tapped where the check-in button was: asked first, and told why.
    await page.getByRole('button', { name: '用定位签退' }).click();
    const confirmation = page.locator('form.confirm');
    await expect.poll(() => confirmation.getByRole('heading').textContent()).toBe('现在签退不计时长');
    expect(await confirmation.getByRole('alert').textContent()).toContain('不会计入任何服务时长');
    expect(await page.locator('.notice').count()).toBe(0);
    // The confirmation fits the phone's width.
    const box = await confirmation.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= PHONE.viewport.width).toBe(true);

    await confirmation.getByRole('button', { name: '仍然签退' }).click();
    await expect.poll(() => page.locator('.notice').first().textContent()).toBe('签退成功。本次签退不计服务时长。');
    expect(await page.locator('.card', { hasText: '签退' }).first().textContent()).toMatch(/已于 .+ 签退。/);
    expect(await page.getByText(/前可以自己撤销（签退后 5 分钟内）/).count()).toBe(1);
    expect(await page.getByRole('button', { name: '用定位签退' }).count()).toBe(0);

    await page.getByRole('button', { name: '撤销签退' }).click();
    await expect.poll(() => page.locator('.notice').first().textContent()).toBe('已撤销签退，签到已恢复。');
    expect(await page.getByRole('button', { name: '撤销签退' }).count()).toBe(0);
    // Checked in again: the check-out button is back, and still asks first.
    await page.getByRole('button', { name: '用定位签退' }).click();
    await expect.poll(() => page.locator('form.confirm').count()).toBe(1);
    await page.getByRole('link', { name: '先不签退' }).click();
    await expect.poll(() => page.locator('form.confirm').count()).toBe(0);
    expect(await page.getByRole('button', { name: '用定位签退' }).count()).toBe(1);
    await page.context().close();

    // The lead's list shows the member checked in, not out.
    const leadPage = await newPage(browser, PHONE);
    await signIn(leadPage, lead.phone);
    await leadPage.goto(`${activityPath}/attendance`);
    const row = leadPage.locator('tbody tr', { hasText: member.name });
    expect(await row.locator('td').nth(0).textContent()).toMatch(/\d{2}:\d{2}/);
    expect((await row.locator('td').nth(2).textContent())?.trim()).toBe('—');
    await leadPage.context().close();
  });
});
