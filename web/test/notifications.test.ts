/**
 * Notification settings in a browser: a member turns one kind off on every
 * channel and is told nothing of it, while a member who left it on is told;
 * a member makes a calendar feed and the address serves their sign-ups, and
 * an activity's page gives it as one .ics file.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, newPage, saveActivity, signIn, testClock } from './browser';

const demo = demoAssociation('notifications');
const { admin, lead, member } = demo;
const SITE = { latitude: 29.1446, longitude: 113.1287 };

describe('notification settings in a browser', () => {
  let browser: Browser;
  const title = `浏览器测试：敬老院慰问 ${testClock.now().getTime() % 100_000}`;
  /** The page of the activity the first test makes (and cancels). */
  let activityPath = '';

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  async function signedIn(login: string): Promise<Page> {
    const page = await newPage(browser);
    await signIn(page, login);
    return page;
  }

  it('a member who turns cancellations off gets none of it; a member who left them on is told', async () => {
    const memberPage = await signedIn(member.phone);
    await memberPage.goto(`/o/${demo.slug}/notifications`);
    await memberPage.getByRole('link', { name: '通知设置' }).click();
    await memberPage.waitForURL(/\/notifications\/settings$/);
    for (const channel of ['站内', '短信', '邮件']) await memberPage.getByLabel(`活动取消 · ${channel}`).uncheck();
    await memberPage.getByRole('button', { name: '保存通知设置' }).click();
    await expect.poll(() => memberPage.getByRole('status').textContent()).toBe('通知设置已保存。');
    // Kept: shown so after a reload, and only that kind changed.
    await memberPage.reload();
    expect(await memberPage.getByLabel('活动取消 · 站内').isChecked()).toBe(false);
    expect(await memberPage.getByLabel('活动取消 · 短信').isChecked()).toBe(false);
    expect(await memberPage.getByLabel('活动改时间或地点 · 站内').isChecked()).toBe(true);

    const leadPage = await signedIn(lead.phone);
    await leadPage.goto(`/o/${demo.slug}/activities`);
    await leadPage.getByRole('link', { name: '安排活动' }).click();
    const path = await saveActivity(leadPage, {
      title,
      category: 'HOME_VISIT',
      site: SITE,
      startsIn: 3 * 24 * 60,
      endsIn: 3 * 24 * 60 + 90,
    });
    activityPath = path;

    const adminPage = await signedIn(admin.phone);
    for (const page of [memberPage, adminPage]) {
      await page.goto(path);
      await page.getByRole('button', { name: '报名' }).click();
      await expect.poll(() => page.getByRole('button', { name: '取消报名' }).count()).toBe(1);
    }

    await leadPage.goto(path);
    await leadPage.getByLabel('取消原因').fill('敬老院临时封闭');
    await leadPage.getByRole('button', { name: '取消活动' }).click();
    await expect.poll(() => leadPage.getByRole('button', { name: '取消活动' }).count()).toBe(0);

    // The admin left cancellations on: told in the app.
    await adminPage.goto(`/o/${demo.slug}/notifications`);
    await expect.poll(() => adminPage.getByText(`活动“${title}”`, { exact: false }).count()).toBe(1);
    // The member turned them off: nothing, though the activity they signed up for is cancelled.
    await memberPage.goto(`/o/${demo.slug}/notifications`);
    expect(await memberPage.locator('main').textContent()).not.toContain(title);

    for (const page of [memberPage, leadPage, adminPage]) await page.context().close();
  });

  // After the first test: the activity it cancelled is among the member's sign-ups.
  it('a member makes a calendar feed; its address serves their sign-ups as iCalendar, until turned off; an activity is one .ics', async () => {
    const page = await signedIn(member.phone);
    await page.goto(`/o/${demo.slug}/calendars`);
    await page.getByLabel('订阅内容').selectOption({ label: '我报名的活动' });
    await page.getByRole('button', { name: '生成订阅地址' }).click();
    const url = await page.getByTestId('feed-url').inputValue();
    expect(url).toMatch(new RegExp(`/o/${demo.slug}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
    // A calendar app has no session: fetched without the page's cookies.
    const feed = await fetch(new URL(new URL(url).pathname, page.url()));
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await feed.text();
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain(`SUMMARY:${title}`);
    expect(text).toContain('STATUS:CANCELLED');

    // The activity's own page offers it as one .ics file, to a signed-in member, not to anyone with the address.
    await page.goto(activityPath);
    const link = page.getByRole('link', { name: '添加到日历（.ics）' });
    const href = await link.getAttribute('href');
    expect(href).toBe(`${activityPath}/calendar.ics`);
    const download = await page.request.get(href ?? '');
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toBe('text/calendar; charset=utf-8');
    expect(download.headers()['content-disposition']).toMatch(
      /^attachment; filename="activity-[0-9a-f-]{36}\.ics"; filename\*=UTF-8''activity-[0-9a-f-]{36}\.ics$/,
    );
    const single = await download.text();
    expect(single.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(single).toContain(`SUMMARY:${title}`);
    expect(single).toMatch(/DTSTART;TZID=Asia\/Shanghai:\d{8}T\d{6}/);
    expect(single).toContain('STATUS:CANCELLED');
    const stranger = await fetch(new URL(href ?? '', page.url()));
    expect(stranger.status).not.toBe(200);
    expect(await stranger.text()).not.toContain('BEGIN:VCALENDAR');

    await page.goto(`/o/${demo.slug}/calendars`);
    await page.getByRole('button', { name: '停用' }).first().click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('已停用：这个地址不再可用。');
    expect((await fetch(new URL(new URL(url).pathname, page.url()))).status).toBe(404);
    await page.context().close();
  });
});
