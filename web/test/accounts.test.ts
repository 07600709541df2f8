/**
 * Getting back into an account in a browser (issue 18): forgot password →
 * the code texted to the phone → a new password → signed in, with the old
 * password refused and another device signed out; and the account page
 * lists the devices and signs the others out.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, newPage, signIn, smsCode } from './browser';

describe('account recovery in a browser', () => {
  let browser: Browser;
  const demo = demoAssociation('accounts');
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('forgot password → code → new password → signed in; the other device is signed out', async () => {
    const other = await newPage(browser);
    await signIn(other, demo.member.phone);

    const page = await newPage(browser, { viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await page.goto('/signin');
    await page.getByRole('link', { name: '忘记密码？' }).click();
    await page.waitForURL(/\/forgot$/);
    await page.getByLabel('手机号或邮箱').fill(demo.member.phone);
    await page.getByRole('button', { name: '发送' }).click();
    await page.waitForURL(/\/forgot\/code/);
    expect(await page.getByRole('status').textContent()).toContain(
      `${demo.member.phone.slice(0, 3)}****${demo.member.phone.slice(-4)}`,
    );

    // A weak password is refused and says why; the code still works for a good one.
    const code = await smsCode(demo.member.phone);
    await page.getByLabel('6 位验证码').fill(code);
    await page.getByLabel('新密码').fill('12345678');
    await page.getByRole('button', { name: '设置新密码并登录' }).click();
    await expect.poll(() => page.locator('.field.invalid').textContent()).toContain('太容易被猜到');
    await page.getByLabel('6 位验证码').fill(code);
    await page.getByLabel('新密码').fill('岳阳楼下 洞庭湖水 新密码');
    await page.getByRole('button', { name: '设置新密码并登录' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/forgot'));
    expect(await page.locator('header .who').textContent()).toBe(demo.member.name);

    // The other device is out; the old password no longer works, the new one does.
    await other.goto('/account');
    await other.waitForURL(/\/signin/);
    const fresh = await newPage(browser);
    await signIn(fresh, demo.member.phone, '岳阳楼下 洞庭湖水 新密码');
    await fresh.goto('/account');
    await expect.poll(() => fresh.getByRole('heading', { name: '登录设备' }).isVisible()).toBe(true);
    expect(await fresh.locator('.sessions li').count()).toBe(2);
    await fresh.getByRole('button', { name: '退出其他所有设备' }).click();
    await expect.poll(() => fresh.getByText('已退出 1 个其他设备。').isVisible()).toBe(true);
    await page.reload();
    await page.waitForURL(/\/signin|\/$/);
    expect(await page.locator('header .who').count()).toBe(0);
  });
});
