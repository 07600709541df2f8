/**
 * Getting back into an account in a browser (issue 18): forgot password →
 * the code texted to the phone → a new password → signed in, with the old
 * password refused and another device signed out; and the account page
 * lists the devices and signs the others out. Signed in, a person changes
 * their password, their email (the code mailed through a real SMTP server)
 * and their phone (the code texted), and signs in with what they chose.
 */
import { DEMO_PASSWORD } from '@qicai/scripts/demo';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, mailCode, newPage, signIn, smsCode, testClock } from './browser';

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

  it('signed in: changes the password, then the email and the phone, each proven by a code sent there', async () => {
    const { lead } = demo;
    const stamp = String(testClock.now().getTime() % 1_000_000).padStart(6, '0');
    const newEmail = `yi.xiaoting.${stamp}@example.cn`;
    const newPhone = `1397${stamp}0`;
    const newPassword = '君山岛上 茶园新绿 二〇二六';
    const other = await newPage(browser);
    await signIn(other, lead.phone);
    const page = await newPage(browser, { locale: 'zh-CN' });
    await signIn(page, lead.phone);
    await page.goto('/account');
    const passwordForm = page.locator('form[action="?/password"]');

    // A wrong current password is refused, and nothing changes.
    await passwordForm.getByLabel('当前密码').fill('不是这个密码');
    await passwordForm.getByLabel('新密码').fill(newPassword);
    await passwordForm.getByRole('button', { name: '修改密码' }).click();
    await expect.poll(() => passwordForm.getByText('账号或密码错误。').isVisible()).toBe(true);
    await passwordForm.getByLabel('当前密码').fill(DEMO_PASSWORD);
    await passwordForm.getByLabel('新密码').fill(newPassword);
    await passwordForm.getByRole('button', { name: '修改密码' }).click();
    await page.waitForURL(/changed=password/);
    expect(await page.getByText('密码已修改，其他设备上的登录已退出。').isVisible()).toBe(true);
    // This device stays signed in; the other is signed out.
    await other.goto('/account');
    await other.waitForURL(/\/signin/);
    await other.context().close();

    // A new email: the current password, then the code mailed there.
    const emailForm = page.locator('form[action="?/email"]');
    await emailForm.getByLabel('新邮箱').fill(newEmail);
    await emailForm.getByLabel('当前密码').fill(newPassword);
    await emailForm.getByRole('button', { name: '发送验证码' }).click();
    await page.waitForURL(/\/account\/confirm/);
    const confirmEmail = page.url();
    // Asked again at once: refused, saying how long to wait (what is left of the throttle's minute: in
    // seconds, or the whole minute when the page asked within the second the first code was sent).
    await page.goto('/account');
    await emailForm.getByLabel('新邮箱').fill(newEmail);
    await emailForm.getByLabel('当前密码').fill(newPassword);
    await emailForm.getByRole('button', { name: '发送验证码' }).click();
    await expect
      .poll(() => emailForm.getByRole('alert').textContent())
      .toMatch(/^尝试次数过多，请 (\d{1,2} 秒|1 分钟)后再试。$/);
    expect(await emailForm.getByLabel('新邮箱').inputValue()).toBe(newEmail);
    await page.goto(confirmEmail);
    await page.getByLabel('6 位验证码').fill(await mailCode(newEmail));
    await page.getByRole('button', { name: '确认' }).click();
    await page.waitForURL(/changed=login/);
    const logins = page.locator('dl');
    await expect.poll(() => logins.textContent()).toContain(newEmail);

    // A new phone: the code texted to it.
    const phoneForm = page.locator('form[action="?/phone"]');
    await phoneForm.getByLabel('新手机号（添加、更换或验证）').fill(newPhone);
    await phoneForm.getByRole('button', { name: '发送验证码' }).click();
    await page.waitForURL(/\/account\/confirm/);
    await page.getByLabel('6 位验证码').fill(await smsCode(newPhone));
    await page.getByRole('button', { name: '确认' }).click();
    await page.waitForURL(/changed=login/);
    await expect.poll(() => logins.textContent()).toContain(newPhone);
    expect(await logins.getByText('未验证').count()).toBe(0);
    await page.context().close();

    // Signs in by the new email and by the new phone with the new password; the old phone is nobody's login.
    for (const login of [newEmail, newPhone]) {
      const fresh = await newPage(browser);
      await signIn(fresh, login, newPassword);
      await fresh.goto('/account');
      await expect.poll(() => fresh.locator('dl').textContent()).toContain(newEmail);
      await fresh.context().close();
    }
    const old = await newPage(browser, { locale: 'zh-CN' });
    await old.goto('/signin');
    await old.getByLabel('手机号或邮箱').fill(lead.phone);
    await old.getByLabel(/^(密码|Password)$/).fill(newPassword);
    await old.locator('form.card button[type=submit]').click();
    await expect.poll(() => old.getByText('账号或密码错误。').isVisible()).toBe(true);
    await old.context().close();
  });
});
