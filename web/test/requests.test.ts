import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, newPage, signIn, testClock } from './browser';

const demo = demoAssociation('requests');
const { admin, lead } = demo;

/** Pages answer slower while other test files run beside these. */
const POLL = { timeout: 15_000 };

describe('requests from the public in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('a person asks for help, the admin assigns it to the red team, its lead resolves it and the status page shows the feedback', async () => {
    const place = `浏览器测试村${testClock.now().getTime() % 100_000}组`;
    const feedback = '红色旗帜志愿者已上门帮忙修好了水管，并留下了联系电话。';

    // The public: no sign-in, from the organization's public page.
    const requester = await newPage(browser);
    await requester.goto(`/o/${demo.slug}`);
    await requester.getByRole('link', { name: '提交需求' }).click();
    await requester.getByLabel('需求类别').selectOption({ label: '居家帮扶' });
    await requester.getByLabel('地点').fill(place);
    await requester.getByLabel('需求描述').fill('家中水管漏水，老人行动不便，希望有人帮忙维修。');
    await requester.getByLabel('联系电话').fill('13912340000');
    await requester.getByLabel('我同意志愿者通过此电话与我联系。').check();
    await requester.getByRole('button', { name: '提交', exact: true }).click();
    await requester.getByRole('heading', { name: '需求已提交' }).waitFor(POLL);
    const code = (await requester.getByTestId('tracking-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(await requester.getByTestId('request-status').textContent()).toContain('已受理');

    // The admin finds it in the triage queue and assigns it to the red team (orange is suggested for help at home).
    const adminPage = await newPage(browser);
    await signIn(adminPage, admin.phone);
    await adminPage.goto(`/o/${demo.slug}/home`);
    await adminPage.getByRole('link', { name: '群众需求', exact: true }).first().click();
    await adminPage.getByRole('link', { name: new RegExp(place) }).click();
    // Another test may have renamed the orange team: the suggestion is read by its prefix.
    await adminPage.getByText(/^建议：/).waitFor(POLL);
    await adminPage.getByLabel('服务队').selectOption({ label: '红色旗帜' });
    await adminPage.getByRole('button', { name: '分派', exact: true }).click();
    await adminPage.getByRole('status').waitFor(POLL);
    expect(await adminPage.getByTestId('request-status').textContent()).toBe('已分派');

    // The red team's lead sees it among the team's requests and resolves it with feedback.
    const leadPage = await newPage(browser);
    await signIn(leadPage, lead.phone);
    await leadPage.goto(`/o/${demo.slug}/requests`);
    await leadPage.getByRole('link', { name: new RegExp(place) }).click();
    await leadPage.getByRole('heading', { name: '办结并反馈' }).waitFor(POLL);
    await leadPage.getByLabel('反馈（群众可见）').fill(feedback);
    await leadPage.getByRole('button', { name: '办结', exact: true }).click();
    await leadPage.getByRole('status').waitFor(POLL);
    expect(await leadPage.getByTestId('request-status').textContent()).toBe('已解决');

    // The requester types the code in the status page's field and reads the feedback.
    await requester.goto(`/o/${demo.slug}/help`);
    await requester.getByLabel('查询码').fill(code.toLowerCase());
    await requester.getByRole('button', { name: '查询' }).click();
    await requester.getByTestId('request-feedback').waitFor(POLL);
    expect(await requester.getByTestId('request-feedback').textContent()).toBe(feedback);
    expect(await requester.getByTestId('request-status').textContent()).toContain('已解决');
    // No phone, description or names on the public page.
    const text = (await requester.locator('main, body').first().textContent()) ?? '';
    expect(text).not.toContain('13912340000');
    expect(text).not.toContain('水管漏水');
    expect(text).not.toContain(lead.name);

    // A wrong code shows nothing.
    await requester.goto(`/o/${demo.slug}/help/00000-00000`);
    await requester.getByText('没有找到这个查询码对应的需求').waitFor(POLL);
  });
  it('the red team lead turns an assigned request into an activity, lands on it, and the request links to it', async () => {
    const place = `转活动测试村${testClock.now().getTime() % 100_000}组`;
    const requester = await newPage(browser);
    await requester.goto(`/o/${demo.slug}`);
    await requester.getByRole('link', { name: '提交需求' }).click();
    await requester.getByLabel('需求类别').selectOption({ label: '环境保护' });
    await requester.getByLabel('地点').fill(place);
    await requester.getByLabel('需求描述').fill('河岸边堆满了垃圾，希望志愿者组织一次清理。');
    await requester.getByLabel('联系电话').fill('13912340001');
    await requester.getByLabel('我同意志愿者通过此电话与我联系。').check();
    await requester.getByRole('button', { name: '提交', exact: true }).click();
    await requester.getByRole('heading', { name: '需求已提交' }).waitFor(POLL);

    const adminPage = await newPage(browser);
    await signIn(adminPage, admin.phone);
    await adminPage.goto(`/o/${demo.slug}/requests`);
    await adminPage.getByRole('link', { name: new RegExp(place) }).click();
    await adminPage.getByLabel('服务队').selectOption({ label: '红色旗帜' });
    await adminPage.getByRole('button', { name: '分派', exact: true }).click();
    await adminPage.getByRole('status').waitFor(POLL);

    const leadPage = await newPage(browser);
    await signIn(leadPage, lead.phone);
    await leadPage.goto(`/o/${demo.slug}/requests`);
    await leadPage.getByRole('link', { name: new RegExp(place) }).click();
    await leadPage.getByRole('link', { name: '转为活动' }).click();
    await leadPage.getByRole('heading', { name: '把需求转为活动' }).waitFor(POLL);
    // Prefilled from the request.
    expect(await leadPage.getByRole('textbox', { name: '地点名称' }).inputValue()).toBe(place);
    const title = `${place}河岸清理`;
    await leadPage.getByLabel('活动名称').fill(title);
    await leadPage.getByLabel('纬度').fill('29.1446');
    await leadPage.getByLabel('经度').fill('113.1287');
    // The end before the start: the API's field error is shown and what was typed stays.
    await leadPage.getByLabel('开始时间').fill('2031-05-10T09:00');
    await leadPage.getByLabel('结束时间').fill('2031-05-10T08:00');
    await leadPage.getByLabel('名额').fill('8');
    await leadPage.getByRole('button', { name: '保存' }).click();
    await leadPage.getByText('结束时间须晚于开始时间。').waitFor(POLL);
    expect(await leadPage.getByLabel('活动名称').inputValue()).toBe(title);
    await leadPage.getByLabel('结束时间').fill('2031-05-10T11:30');
    await leadPage.getByRole('button', { name: '保存' }).click();
    await leadPage.waitForURL(/\/activities\/[0-9a-f-]{36}$/, POLL);
    const activityPath = new URL(leadPage.url()).pathname;
    await expect.poll(() => leadPage.locator('h1').textContent(), POLL).toBe(title);

    // The request is in progress and links to the activity.
    await leadPage.goto(`/o/${demo.slug}/requests`);
    await leadPage.getByRole('link', { name: new RegExp(place) }).click();
    await expect.poll(() => leadPage.getByTestId('request-status').textContent(), POLL).toBe('处理中');
    const link = leadPage.getByRole('link', { name: title });
    expect(await link.getAttribute('href')).toBe(activityPath);
    expect(await leadPage.getByRole('link', { name: '转为活动' }).count()).toBe(0);
  });
});
