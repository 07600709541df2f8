/**
 * A new association's admin sees the first steps on the home page, each ticked
 * off from the data as it is done (issue 19, "Onboarding"), in both languages.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, smsCode, testClock } from './browser';

describe('onboarding in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it("a new association's admin follows the checklist, which ticks itself off", async () => {
    const page = await newPage(browser, { viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const suffix = String(testClock.now().getTime()).slice(-8);
    await page.goto('/register');
    await page.getByLabel('姓名').fill('何秀英');
    await page.getByLabel('手机号').fill(`139${suffix}`);
    await page.getByLabel('密码').fill('洞庭湖畔 qicai volunteers 2026!');
    await page.getByRole('button', { name: '发送验证码' }).click();
    await page.waitForURL(/\/register\/confirm/);
    await page.getByLabel('6 位验证码').fill(await smsCode(`139${suffix}`));
    await page.getByRole('button', { name: '确认' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/register'));

    await page.goto('/orgs/new');
    await page.getByLabel('协会名称').fill('华容县七彩之光志愿者协会');
    await page.getByLabel('网址标识').fill(`huarong-${suffix}`);
    await page.getByRole('button', { name: '创建' }).click();
    await page.waitForURL(/\/home$/);

    const checklist = page.getByTestId('onboarding');
    await expect.poll(() => checklist.getByRole('heading', { level: 2 }).textContent()).toBe('开始使用');
    const done = () =>
      checklist.locator('li').evaluateAll((items) => items.map((item) => item.getAttribute('data-done')));
    expect(await done()).toEqual(['false', 'false', 'false', 'false']);
    expect(await checklist.locator('[data-step=leads]').textContent()).toContain('为每支队伍任命队长（0/7）');
    expect(await checklist.textContent()).toContain('已完成 0/4');

    // The big screen's step: a display token, then back home.
    await checklist.getByRole('link', { name: '为大屏生成显示令牌' }).click();
    await page.waitForURL(/\/display-tokens$/);
    await page.getByLabel('屏幕名称（如“一楼大厅”）').fill('一楼大厅');
    await page.getByRole('button', { name: '生成令牌' }).click();
    await page.locator('[data-testid=display-token-url]').waitFor({ timeout: 15_000 });
    await page.goto(`/o/huarong-${suffix}/home`);
    await expect.poll(done).toEqual(['false', 'false', 'false', 'true']);
    expect(await checklist.locator('[data-step=display]').textContent()).toContain('已完成');
    expect(await checklist.textContent()).toContain('已完成 1/4');

    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => checklist.getByRole('heading', { level: 2 }).textContent()).toBe('Getting started');
    expect(await checklist.locator('[data-step=leads]').textContent()).toContain(
      'Appoint a lead for each team (0 of 7)',
    );
    expect(await checklist.textContent()).toContain('1 of 4 done');
    await page.context().close();
  });
});
