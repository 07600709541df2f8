/**
 * Messages read in both languages: a tracking code that finds nothing is not
 * said in a success's green; the empty list of requests to join has its own
 * text, not the public requests'; a count of one is singular in English; and
 * declining hours without a reason marks the reason's field with what it needs.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, localDateIn, newPage, signIn } from './browser';

const demo = demoAssociation('messages');

const toEnglish = (page: Page) => page.getByRole('button', { name: 'English', exact: true }).click();

describe('messages in both languages', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('says a tracking code found nothing as a problem, not as a success', async () => {
    const page = await newPage(browser);
    await page.goto(`/o/${demo.slug}/help/QC7K2M9X`);
    const notFound = page.getByRole('alert').filter({ hasText: '没有找到这个查询码对应的需求' });
    await notFound.waitFor({ timeout: 15_000 });
    const colours = (locator: typeof notFound) =>
      locator.evaluate((element) => {
        const style = getComputedStyle(element);
        return { colour: style.color, background: style.backgroundColor };
      });
    const root = await page.evaluate(() => {
      const style = getComputedStyle(document.documentElement);
      return { success: style.getPropertyValue('--success').trim(), danger: style.getPropertyValue('--danger').trim() };
    });
    const rgb = (hex: string) =>
      `rgb(${[1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16)).join(', ')})`;
    expect((await colours(notFound)).colour).toBe(rgb(root.danger));
    expect((await colours(notFound)).colour).not.toBe(rgb(root.success));
    expect(await page.locator('.notice').count()).toBe(0);
    await toEnglish(page);
    const english = page.getByRole('alert').filter({ hasText: 'No request has this tracking code' });
    await english.waitFor({ timeout: 15_000 });
    expect((await colours(english)).colour).toBe(rgb(root.danger));
    await page.context().close();
  });

  it('gives the empty list of requests to join its own text', async () => {
    const page = await newPage(browser);
    await signIn(page, demo.admin.phone);
    await page.goto(`/o/${demo.slug}/members/requests`);
    await page.getByRole('heading', { name: '入会申请', level: 1 }).waitFor({ timeout: 15_000 });
    const main = page.locator('main');
    expect(await main.textContent()).toContain('没有待处理的申请。');
    expect(await main.textContent()).not.toContain('没有需求');
    await toEnglish(page);
    await page.getByRole('heading', { name: 'Requests to join', level: 1 }).waitFor({ timeout: 15_000 });
    expect(await main.textContent()).toContain('No request waits for a decision.');
    expect(await main.textContent()).not.toContain('No requests.');
    await page.context().close();
  });

  it('marks the reason when hours are declined without one, and counts one record in the singular', async () => {
    const activityName = '社区夜间巡逻（消息测试）';
    const memberPage = await newPage(browser);
    await signIn(memberPage, demo.member.phone);
    await memberPage.goto(`/o/${demo.slug}/hours`);
    const form = memberPage.locator('#report');
    await form.getByLabel('活动名称').fill(activityName);
    await form.getByLabel('所属队伍').selectOption({ label: '红色旗帜' });
    const date = localDateIn(-2);
    await form.getByLabel('开始时间').fill(`${date}T21:00`);
    await form.getByLabel('结束时间').fill(`${date}T22:00`);
    await form.getByLabel('服务地点').fill('荣家湾镇新华社区');
    await form.getByLabel('服务内容').fill('夜间安全巡逻');
    await form.getByLabel('组织单位').fill('荣家湾镇新华社区居委会');
    await form.getByLabel('活动负责人').fill('张主任');
    await form.getByRole('button', { name: '提交' }).click();
    await expect.poll(() => memberPage.getByRole('status').first().textContent()).toBe('已提交，等待队长审核。');
    await memberPage.context().close();

    const page = await newPage(browser);
    await signIn(page, demo.lead.phone);
    await page.goto(`/o/${demo.slug}/approvals`);
    await page.getByTestId('queue-record').filter({ hasText: activityName }).getByRole('checkbox').check();
    await page.getByRole('button', { name: '退回所选' }).click();
    const reason = page.getByRole('textbox', { name: '退回理由' });
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await reason.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('请写明理由：队员会收到它。');
    // Not the generic "please check what you entered", and nothing was declined.
    expect(await page.getByRole('alert').filter({ hasText: '请检查填写的内容' }).count()).toBe(0);
    expect(await page.getByTestId('queue-record').filter({ hasText: activityName }).count()).toBe(1);

    await toEnglish(page);
    await page.getByRole('heading', { name: 'Approve hours', level: 1 }).waitFor({ timeout: 15_000 });
    await page.getByTestId('queue-record').filter({ hasText: activityName }).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Decline selected' }).click();
    const englishReason = page.getByRole('textbox', { name: 'Reason for declining' });
    await expect.poll(() => englishReason.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#decline-reason-error').textContent()).toBe('Give a reason: the member is sent it.');

    await englishReason.fill('时间与社区登记不符，请核对后重新提交');
    await page.getByTestId('queue-record').filter({ hasText: activityName }).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Decline selected' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('1 record declined.');
    await page.context().close();
  });
});
