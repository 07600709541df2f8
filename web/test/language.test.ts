/**
 * Which language a page speaks — the one chosen with the switch, else the
 * signed-in account's, else the association's, else the browser's — error
 * pages included; and the association's navigation: within a 1280 px window in
 * both languages, and on a phone one row that scrolls to its last section.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, newPage, signIn } from './browser';

const demo = demoAssociation('language');

async function heading(page: Page, path: string): Promise<{ status: number | undefined; text: string | null }> {
  const response = await page.goto(path);
  return { status: response?.status(), text: await page.locator('h1').first().textContent() };
}

describe('languages and the navigation', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('gives a Chinese account Chinese error pages in an English browser', async () => {
    const page = await newPage(browser, { locale: 'en-US' });
    await signIn(page, demo.admin.phone);
    expect(await heading(page, '/no-such-page')).toEqual({ status: 404, text: '页面不存在' });
    expect(await heading(page, `/o/${demo.slug}/no-such-section`)).toEqual({ status: 404, text: '页面不存在' });
    expect(await heading(page, `/o/${demo.slug}/activities/00000000-0000-4000-8000-000000000000`)).toMatchObject({
      status: 404,
    });
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.context().close();
  });

  it('signed out, follows the association, else the browser; the switch wins over both', async () => {
    const page = await newPage(browser, { locale: 'en-US' });
    expect(await heading(page, `/o/${demo.slug}/no-such-section`)).toEqual({ status: 404, text: '页面不存在' });
    expect(await heading(page, '/no-such-page')).toEqual({ status: 404, text: 'This page does not exist' });
    await page.goto('/');
    await page.getByRole('button', { name: '中文' }).click();
    expect(await heading(page, '/no-such-page')).toEqual({ status: 404, text: '页面不存在' });
    await page.context().close();
  });

  for (const language of ['zh', 'en'] as const) {
    it(`fits the association's navigation in a 1280 px window (${language})`, async () => {
      const page = await newPage(browser, { viewport: { width: 1280, height: 800 } });
      await signIn(page, demo.admin.phone);
      if (language === 'en') {
        await page.goto(`/o/${demo.slug}/home`);
        await page.getByRole('button', { name: 'English' }).click();
        await page.waitForURL(/\/home$/);
      }
      await page.goto(`/o/${demo.slug}/home`);
      const nav = page.getByRole('navigation', { name: language === 'zh' ? '协会导航' : 'Association' });
      const list = nav.locator('ul');
      expect(await list.evaluate((ul) => ul.scrollWidth <= ul.clientWidth)).toBe(true);
      const box = await list.boundingBox();
      for (const link of await nav.getByRole('link').all()) {
        const linkBox = await link.boundingBox();
        expect(
          linkBox && box && linkBox.x + linkBox.width <= box.x + box.width + 0.5,
          (await link.textContent()) ?? '',
        ).toBe(true);
      }
      expect(await nav.getByRole('link', { name: language === 'zh' ? '我的资料' : 'My profile' }).isVisible()).toBe(
        true,
      );
      await page.context().close();
    });
  }

  it('scrolls the navigation on a phone to its last section, shown whole', async () => {
    const page = await newPage(browser, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await signIn(page, demo.admin.phone);
    await page.goto(`/o/${demo.slug}/home`);
    const list = page.getByRole('navigation', { name: '协会导航' }).locator('ul');
    expect(await list.evaluate((ul) => ul.scrollWidth > ul.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await list.evaluate((ul) => {
      ul.scrollLeft = ul.scrollWidth;
    });
    const last = list.getByRole('link').last();
    const box = await last.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
    await page.context().close();
  });
});
