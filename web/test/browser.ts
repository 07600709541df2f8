import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { localTimesOn, testClockIsSet, testClockStartedAt } from '@qicai/api/testing';
import { DEMO_PASSWORD } from '@qicai/scripts/demo';
import { latestMailCode } from './fake-mail';
import { latestSmsCode } from './fake-sms';

/** Debian's Chromium: browsers cannot be downloaded on this machine. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const baseUrl = () => inject('baseUrl');

/** The code last texted to a phone by the server under test (through the fake SMS provider). */
export const smsCode = (phone: string) => latestSmsCode(inject('smsInboxUrl'), phone);

/** The code last mailed to an address by the server under test (through the SMTP server in the tests). */
export const mailCode = (address: string) => latestMailCode(inject('mailInboxUrl'), address);

/** The server's test clock (see api/test/clock.ts): what the browser tests build their data from. */
export const testClock = testClockStartedAt(inject('clockStartedAt'));

/** Local times and dates in the demo association's zone (Asia/Shanghai) on the server's test clock. */
export const { localTimeIn, localDateIn, timeOfDayAt } = localTimesOn(testClock);

/** The test file's own copy of the demo association (see global-setup.ts): its slug and who signs in. */
export function demoAssociation(file: string) {
  const demo = inject('demos')[file];
  if (!demo) throw new Error(`no demo association for ${file}`);
  const [admin, lead, member, sponsor] = demo.signIns;
  return { slug: demo.slug, admin, lead, member, sponsor };
}

export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl(), locale: 'en-US', ...options });
  // The page's clock is the tests' (TEST_NOW), as the server's is: it runs on from there.
  if (testClockIsSet) await context.clock.install({ time: testClock.now() });
  return context.newPage();
}

/** Signs in through the sign-in form, as a person would. */
export async function signIn(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel(/手机号或邮箱|Mobile number or email/).fill(login);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.locator('form.card button[type=submit]').click();
  await page.waitForURL((url) => url.pathname !== '/signin');
}

/**
 * Fills the activity form open on `page` — at 荣家湾镇党群服务中心 (`site`), 5 places, starting and
 * ending so many minutes from now — and saves it; returns the new activity's path.
 */
export async function saveActivity(
  page: Page,
  activity: {
    title: string;
    category: string;
    site: { latitude: number; longitude: number };
    startsIn: number;
    endsIn: number;
  },
): Promise<string> {
  await page.getByLabel('活动名称').fill(activity.title);
  await page.getByLabel('类别').selectOption(activity.category);
  await page.getByRole('textbox', { name: '地点名称' }).fill('荣家湾镇党群服务中心');
  await page.getByLabel('纬度').fill(String(activity.site.latitude));
  await page.getByLabel('经度').fill(String(activity.site.longitude));
  await page.getByLabel('开始时间').fill(localTimeIn(activity.startsIn));
  await page.getByLabel('结束时间').fill(localTimeIn(activity.endsIn));
  await page.getByLabel('名额').fill('5');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/\/activities\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname;
}
