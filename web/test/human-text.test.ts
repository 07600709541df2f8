/**
 * Text people read: a recurring activity says its rule in words (the demo's
 * weekly lecture series: FREQ=WEEKLY;BYDAY=WE;COUNT=4), and a display token's
 * address has a button that copies it; the demo's missing check-out (yesterday's
 * river clean-up, relative to the demo's now) is on the lead's list.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, newPage, signIn } from './browser';

const demo = demoAssociation('human-text');

describe('text people read', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('describes a recurring activity in words, in both languages', async () => {
    const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true });
    await signIn(page, demo.member.phone);
    await page.goto(`/o/${demo.slug}/activities`);
    await page.getByRole('link', { name: '红色旗帜周三党课' }).first().click();
    await page.waitForURL(/\/activities\/[0-9a-f-]{36}$/);
    const recurrence = page.locator('[data-testid=recurrence]');
    expect(await recurrence.textContent()).toBe('每周三，共 4 次');
    expect(await page.getByText('FREQ=').count()).toBe(0);
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => recurrence.textContent()).toBe('Every Wednesday, 4 times');
    await page.context().close();
  });

  it('copies a new display token’s address', async () => {
    const page = await newPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    await signIn(page, demo.admin.phone);
    await page.goto(`/o/${demo.slug}/display-tokens`);
    await page.getByLabel('屏幕名称（如“一楼大厅”）').fill('一楼大厅');
    await page.getByRole('button', { name: '生成令牌' }).click();
    const url = await page.locator('[data-testid=display-token-url]').inputValue();
    expect(url).toContain(`/o/${demo.slug}/board`);
    await page.locator('[data-testid=copy-display-token-url]').click();
    await expect.poll(() => page.getByText('已复制。').count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await page.context().close();
  });

  it('lists the demo member’s missing check-out from yesterday for the lead', async () => {
    const page = await newPage(browser);
    await signIn(page, demo.lead.phone);
    await page.goto(`/o/${demo.slug}/approvals`);
    // In its own list: the two cleaners who checked out may wait in the approval queue above it.
    const missingCheckOuts = page.locator('section', { has: page.getByRole('heading', { name: '未签退', level: 2 }) });
    const missing = missingCheckOuts.locator('li', { hasText: '新墙河岸垃圾清理' });
    expect(await missing.count()).toBe(1);
    expect(await missing.textContent()).toContain(demo.member.name);
    await page.context().close();
  });
});
