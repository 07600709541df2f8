/**
 * Activities in a browser: a lead schedules one; a member signs up and checks
 * in with the browser's position — refused outside the radius, accepted
 * inside — and the lead's live view shows the check-in without a reload.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, newPage, signIn, testClock, saveActivity } from './browser';

const demo = demoAssociation('activities');
const { lead, member } = demo;
/** 荣家湾镇党群服务中心, where the test activity takes place. */
const SITE = { latitude: 29.1446, longitude: 113.1287 };
const NEAR = { latitude: SITE.latitude + 150 / 111_195, longitude: SITE.longitude, accuracy: 20 };
const FAR = { latitude: SITE.latitude + 3000 / 111_195, longitude: SITE.longitude, accuracy: 20 };

describe('activities in a browser', () => {
  let browser: Browser;
  const title = `浏览器测试：河岸清理 ${testClock.now().getTime() % 100_000}`;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  /**
   * The lead schedules the activity through the form, once, for whichever test
   * needs it first: each test can run alone, in any order.
   */
  let scheduled: Promise<string> | undefined;
  const scheduledActivity = () => (scheduled ??= scheduleActivity());
  async function scheduleActivity(): Promise<string> {
    const page = await newPage(browser);
    await signIn(page, lead.phone);
    await page.goto(`/o/${demo.slug}/activities`);
    await page.getByRole('link', { name: '安排活动' }).click();
    // Starting in five minutes: check-in is already open (from 30 minutes before).
    const path = await saveActivity(page, {
      title,
      category: 'ENVIRONMENT',
      site: SITE,
      startsIn: 5,
      endsIn: 35,
    });
    await page.context().close();
    return path;
  }

  it('lets a lead schedule an activity', async () => {
    const page = await newPage(browser);
    await signIn(page, lead.phone);
    await page.goto(await scheduledActivity());
    await expect.poll(() => page.locator('h1').textContent()).toBe(title);
    expect(await page.getByText('0/5 人').count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it('lets a member sign up and check in by position inside the radius, not outside; the lead sees it live', async () => {
    const activityPath = await scheduledActivity();
    // The lead watches the live view.
    const leadPage = await newPage(browser);
    await signIn(leadPage, lead.phone);
    await leadPage.goto(`${activityPath}/attendance`);
    await expect.poll(() => leadPage.getByRole('status').first().textContent()).toContain('实时更新中');
    await leadPage.evaluate(() => {
      // Survives only if the page is not reloaded.
      document.body.dataset['marker'] = 'still-here';
    });

    const memberPage = await newPage(browser, { geolocation: FAR, permissions: ['geolocation'] });
    await signIn(memberPage, member.phone);
    await memberPage.goto(activityPath);
    await memberPage.getByRole('button', { name: '报名' }).click();
    await expect.poll(() => memberPage.getByRole('status').first().textContent()).toBe('报名成功。');

    await memberPage.getByRole('link', { name: '到场打卡' }).click();
    await memberPage.getByRole('button', { name: '用定位打卡' }).click();
    // How far, and the radius allowed.
    await expect
      .poll(() => memberPage.getByRole('alert').first().textContent())
      .toBe('您离活动地点 3.0 公里，超出了 500 米的打卡范围，无法打卡。');

    await memberPage.context().setGeolocation(NEAR);
    await memberPage.getByRole('button', { name: '用定位打卡' }).click();
    await expect
      .poll(() => memberPage.locator('.notice').first().textContent())
      .toMatch(/^打卡成功！距活动地点 1[45]\d 米。$/);

    // On the lead's screen, without a reload: the member, the time and the distance.
    const row = leadPage.locator('tbody tr', { hasText: member.name });
    await expect.poll(() => row.locator('td').nth(0).textContent(), { timeout: 10_000 }).toMatch(/\d{2}:\d{2}/);
    expect(await row.locator('td').nth(1).textContent()).toMatch(/1[45]\d 米/);
    expect(await leadPage.locator('[data-testid=attendance-summary]').textContent()).toContain('已打卡 1 / 1');
    expect(await leadPage.evaluate(() => document.body.dataset['marker'])).toBe('still-here');

    await leadPage.context().close();
    await memberPage.context().close();
  });

  it('shows the lead a QR code for check-in, and the public the public activities', async () => {
    const activityPath = await scheduledActivity();
    const page: Page = await newPage(browser);
    await signIn(page, lead.phone);
    await page.goto(`${activityPath}/qr`);
    const code = await page.locator('[data-testid=check-in-code]').textContent();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await page.locator('svg.qr').getAttribute('data-qr-text')).toContain(
      `${activityPath}/check-in?code=${code?.replace('-', '')}`,
    );
    await page.context().close();

    const visitor = await newPage(browser);
    await visitor.goto(`/o/${demo.slug}`);
    await expect.poll(() => visitor.locator('#public-activities-heading').textContent()).toBe('公开活动');
    expect(await visitor.locator('article.activity').count()).toBeGreaterThan(0);
    // The test's activity is for members only.
    expect(await visitor.getByText(title).count()).toBe(0);
    await visitor.context().close();
  });
});
