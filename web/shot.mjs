import { chromium } from 'playwright-core';
const base = 'http://localhost:3791';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
async function session(login, opts = {}) {
  const context = await browser.newContext({
    baseURL: base,
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    ...opts,
  });
  const page = await context.newPage();
  await page.goto('/signin');
  await page.getByLabel(/手机号或邮箱/).fill(login);
  await page.getByLabel(/^密码$/).fill('qicai-demo-2026');
  await page.locator('form.card button[type=submit]').click();
  await page.waitForURL((url) => url.pathname !== '/signin', { waitUntil: 'commit' });
  await page.waitForLoadState();
  return page;
}
const member = await session('13800000003', {
  geolocation: { latitude: 29.1456, longitude: 113.1287 },
  permissions: ['geolocation'],
});
await member.goto('/o/yueyang-qicai/activities?view=list');
const link = member.getByRole('link', { name: '党员志愿者集中服务日' });
const href = await link.getAttribute('href');
await member.goto(href);
await member.getByRole('button', { name: /报名|加入候补/ }).click();
await member.waitForTimeout(1500);
await member.screenshot({ path: '/tmp/shots/p-detail.png', fullPage: true });
await member.goto(href + '/check-in');
await member.screenshot({ path: '/tmp/shots/p-checkin.png', fullPage: true });
const lead = await session('13800000002');
await lead.goto(href + '/attendance');
await lead.waitForTimeout(1500);
await lead.screenshot({ path: '/tmp/shots/p-attendance.png', fullPage: true });
await lead.goto(href + '/qr');
await lead.screenshot({ path: '/tmp/shots/p-qr.png', fullPage: true });
await lead.goto(href);
await lead.screenshot({ path: '/tmp/shots/p-lead-detail.png', fullPage: true });
await member.goto('/o/yueyang-qicai/notifications');
await member.screenshot({ path: '/tmp/shots/p-notifications.png', fullPage: true });
const anon = await (await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } })).newPage();
await anon.goto('/o/yueyang-qicai');
await anon.screenshot({ path: '/tmp/shots/public.png' });
await browser.close();
