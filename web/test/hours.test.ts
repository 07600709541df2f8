/**
 * Service hours in a browser: a member reports hours for service outside the
 * platform, the red team's lead approves them in the queue, and the member's
 * total and star progress move by exactly those hours.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, localDateIn, newPage, signIn, testClock } from './browser';

const demo = demoAssociation('hours');
const { lead, member } = demo;

/** "123.5 小时" → 123.5 */
function hoursIn(text: string | null): number {
  const match = /([\d,.]+)/.exec(text ?? '');
  return match?.[1] ? Number(match[1].replace(/,/g, '')) : Number.NaN;
}

async function readFigures(page: Page) {
  await page.goto(`/o/${demo.slug}/hours`);
  return {
    allTime: hoursIn(await page.getByTestId('hours-all-time').textContent()),
    thisYear: hoursIn(await page.getByTestId('hours-this-year').textContent()),
    progress: await page.getByTestId('star-progress').textContent(),
  };
}

describe('service hours in a browser', () => {
  let browser: Browser;
  const activityName = `浏览器测试：社区夜间巡逻 ${testClock.now().getTime() % 100_000}`;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('a member reports hours, the lead approves them, the member’s total and star progress change', async () => {
    const memberPage = await newPage(browser);
    await signIn(memberPage, member.phone);
    const before = await readFigures(memberPage);
    expect(before.allTime).toBeGreaterThan(0);

    const form = memberPage.locator('#report');
    await form.getByLabel('活动名称').fill(activityName);
    await form.getByLabel('所属队伍').selectOption({ label: '红色旗帜' });
    // Evening, yesterday: 90 minutes that overlap none of the demo's daytime service.
    const date = localDateIn(-1);
    await form.getByLabel('开始时间').fill(`${date}T21:00`);
    await form.getByLabel('结束时间').fill(`${date}T22:30`);
    await form.getByLabel('服务地点').fill('荣家湾镇新华社区');
    await form.getByLabel('服务内容').fill('夜间安全巡逻，提醒居民关好门窗');
    await form.getByLabel('组织单位').fill('荣家湾镇新华社区居委会');
    await form.getByLabel('活动负责人').fill('张主任');
    await form.getByRole('button', { name: '提交' }).click();
    await expect.poll(() => memberPage.getByRole('status').first().textContent()).toBe('已提交，等待队长审核。');
    const reported = memberPage.getByTestId('service-record').filter({ hasText: activityName });
    expect(await reported.textContent()).toContain('待审核');

    const leadPage = await newPage(browser);
    await signIn(leadPage, lead.phone);
    await leadPage.goto(`/o/${demo.slug}/approvals`);
    const row = leadPage.getByTestId('queue-record').filter({ hasText: activityName });
    expect(await row.textContent()).toContain('1.5 小时');
    await row.getByRole('checkbox').check();
    await leadPage.getByRole('button', { name: '通过所选' }).click();
    await expect.poll(() => leadPage.getByRole('status').first().textContent()).toBe('已通过 1 条记录。');
    expect(await leadPage.getByTestId('queue-record').filter({ hasText: activityName }).count()).toBe(0);

    const after = await readFigures(memberPage);
    expect(after.allTime).toBeCloseTo(before.allTime + 1.5, 1);
    expect(after.thisYear).toBeCloseTo(before.thisYear + 1.5, 1);
    expect(after.progress).not.toBe(before.progress);
    expect(await memberPage.getByTestId('service-record').filter({ hasText: activityName }).textContent()).toContain(
      '已认定',
    );
    await leadPage.context().close();
    await memberPage.context().close();
  });

  it('a member reports hours for an activity they attended; longer than the activity is refused', async () => {
    const page = await newPage(browser);
    await signIn(page, member.phone);
    await page.goto(`/o/${demo.slug}/hours`);
    const form = page.locator('#report-activity');
    const select = form.getByLabel('参加过的活动');
    const chosen = await select.locator('option').first().textContent();
    const title = (chosen ?? '').split(' · ')[0] ?? '';
    expect(title.length).toBeGreaterThan(0);
    // Twenty hours: longer than any demo activity.
    const date = localDateIn(-1);
    await form.getByLabel('开始时间').fill(`${date}T01:00`);
    await form.getByLabel('结束时间').fill(`${date}T21:00`);
    await form.getByRole('button', { name: '提交' }).click();
    await page.locator('#report-activity').getByText('不能超过活动时长。').waitFor({ timeout: 15_000 });

    // Without times: the activity's own start and end.
    await page.locator('#report-activity').getByLabel('开始时间').fill('');
    await page.locator('#report-activity').getByLabel('结束时间').fill('');
    await page.locator('#report-activity').getByRole('button', { name: '提交' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('已提交，等待队长审核。');
    const records = page.getByTestId('service-record').filter({ hasText: title });
    expect(await records.first().textContent()).toContain('待审核');
    // Reported: no longer offered.
    const offered = await page.locator('#report-activity option').allTextContents();
    expect(offered.filter((text) => text === chosen)).toEqual([]);
    await page.context().close();
  });

  it('the leaderboard ranks members by period with team colours and stars, the viewer’s own row highlighted', async () => {
    const page = await newPage(browser);
    await signIn(page, member.phone);
    await page.goto(`/o/${demo.slug}/hours`);
    await page.getByRole('link', { name: '查看排行榜' }).click();
    await page.getByRole('heading', { name: '时长排行榜' }).waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: '累计' }).click();
    await page.waitForURL(/period=ALL_TIME/);
    await expect.poll(() => page.locator('.periods [aria-current="page"]').textContent()).toBe('累计');
    const rows = page.getByTestId('leaderboard-row');
    expect(await rows.count()).toBeGreaterThan(1);
    const first = (await rows.first().textContent()) ?? '';
    expect(first).toMatch(/^\s*1\b/);
    expect(first).toMatch(/小时/);
    const mine = page.locator('[data-testid="leaderboard-row"][aria-current="true"]');
    expect(await mine.count()).toBe(1);
    expect(await mine.textContent()).toContain(member.name);
    // The demo member has served for a year: at least one star, and the team's swatch.
    expect(await mine.textContent()).toContain('★');
    expect(await mine.locator('.team').count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it('an admin changes the star thresholds, own days off and working days and travel time; mistakes are explained', async () => {
    const { admin } = demo;
    const page = await newPage(browser);
    await signIn(page, admin.phone);
    await page.goto(`/o/${demo.slug}/approvals`);
    await page.getByRole('link', { name: '时长设置' }).click();
    await page.getByRole('heading', { name: '时长设置', level: 1 }).waitFor({ timeout: 15_000 });
    const star = (level: number) => page.getByLabel(`${level} 星志愿者`);
    const original = await Promise.all([1, 2, 3, 4, 5].map((level) => star(level).inputValue()));
    // The State Council's calendar of a year, with its make-up working days (调休上班).
    await page.goto(`/o/${demo.slug}/hours/settings?year=2026`);
    const nationalDay = page.getByTestId('official-holidays').getByRole('row', { name: /国庆节/ });
    expect(await nationalDay.textContent()).toContain('2026年10月1日至2026年10月7日');
    expect(await nationalDay.textContent()).toContain('2026年9月20日、2026年10月10日');
    const springFestival = page.getByTestId('official-holidays').getByRole('row', { name: /春节/ });
    expect(await springFestival.textContent()).toContain('2026年2月14日、2026年2月28日');
    const ownDaysOff = page.getByLabel('本会另加的休息日');
    const ownWorkingDays = page.getByLabel('本会另加的工作日');
    const originalHolidays = await ownDaysOff.inputValue();
    const originalWorkingDays = await ownWorkingDays.inputValue();
    const travel = page.getByLabel('路途时间不计入服务时长');
    const originalTravel = await travel.isChecked();

    // Not ascending, and a date written the wrong way: both explained, what was typed kept.
    await star(1).fill('100');
    await star(2).fill('50');
    await ownDaysOff.fill('2026/10/01');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByTestId('holidays-error').waitFor({ timeout: 15_000 });
    expect(await ownDaysOff.inputValue()).toBe('2026/10/01');
    await ownDaysOff.fill('2026-10-09');
    await ownWorkingDays.fill('2026-10-09');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByTestId('stars-error').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('working-days-error').textContent()).toContain('同一天不能既是休息日又是工作日');
    await ownWorkingDays.fill('2026-10-11');
    expect(await page.getByTestId('stars-error').textContent()).toContain('后一级大于前一级');

    const thresholds = ['10', '50', '100', '300', '600'];
    for (const [index, hours] of thresholds.entries()) await star(index + 1).fill(hours);
    await travel.setChecked(!originalTravel);
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('设置已保存。');
    await page.reload();
    expect(await Promise.all([1, 2, 3, 4, 5].map((level) => star(level).inputValue()))).toEqual(thresholds);
    expect(await ownDaysOff.inputValue()).toBe('2026-10-09');
    expect(await ownWorkingDays.inputValue()).toBe('2026-10-11');
    expect(await travel.isChecked()).toBe(!originalTravel);

    // Put them back: other browser tests read star levels.
    for (const [index, hours] of original.entries()) await star(index + 1).fill(hours);
    await ownDaysOff.fill(originalHolidays);
    await ownWorkingDays.fill(originalWorkingDays);
    await travel.setChecked(originalTravel);
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('设置已保存。');
    await page.context().close();
  });

  it('my hours shows the same figure as a certificate for the same approved minutes', async () => {
    const page = await newPage(browser);
    await signIn(page, member.phone);
    await page.goto(`/o/${demo.slug}/hours`);
    const allTime = ((await page.getByTestId('hours-all-time').textContent()) ?? '').trim();
    // Every approved record the demo member has: a certificate from long before the first.
    const slot = page.locator('[data-slot=certificate]');
    await slot.getByLabel('开始日期').fill('2000-01-01');
    await slot.getByLabel('结束日期').fill(localDateIn(-1));
    await slot.getByRole('button', { name: '生成证明' }).click();
    await page.waitForURL(/\/hours\/certificates\?issued=/, { timeout: 15_000 });
    const number = new URL(page.url()).searchParams.get('issued') ?? '';
    const certificate = ((await page.locator(`tr[data-certificate="${number}"] td`).nth(2).textContent()) ?? '').trim();
    expect(certificate).toMatch(/^[\d,]+(\.\d{1,2})? 小时$/);
    expect(certificate).toBe(allTime);
    await page.context().close();
  });
});
