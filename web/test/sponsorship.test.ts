import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, localDateIn, newPage, signIn, testClock } from './browser';

const demo = demoAssociation('sponsorship');
const { admin, member, sponsor } = demo;

/** A date this many years before today, as YYYY-MM-DD (away from the birthday). */
function yearsAgo(years: number): string {
  const date = testClock.now();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  date.setUTCDate(date.getUTCDate() - 40);
  return date.toISOString().slice(0, 10);
}

/** Pages answer slower while other test files run beside these. */
const POLL = { timeout: 15_000 };

describe('one-to-one sponsorship in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('an admin registers a child, opens the suggestions, confirms a sponsor and records a visit; the sponsor sees only the minimal view', async () => {
    const child = {
      familyName: '司徒',
      givenName: '晓晴',
      village: '浏览器测试村',
      guardianName: '测试监护人',
      guardianPhone: '13911112222',
      visitNotes: '孩子在读绘本，家中整洁。',
      update: '晓晴读完了三本绘本。',
    };
    const page = await newPage(browser);
    await signIn(page, admin.phone);
    await page.getByRole('link', { name: '一对一帮扶' }).first().click();
    await page.getByRole('link', { name: '儿童', exact: true }).click();
    await page.getByRole('link', { name: '登记儿童' }).click();

    await page.getByLabel('姓', { exact: true }).fill(child.familyName);
    await page.getByLabel('名', { exact: true }).fill(child.givenName);
    await page.getByLabel('女', { exact: true }).check();
    await page.getByLabel('出生日期').fill(yearsAgo(10));
    await page.getByLabel('年级').selectOption({ label: '小学4年级' });
    await page.getByLabel('学校').fill('荣家湾镇中心小学');
    // 刘爱华 (the demo sponsor) is in 荣家湾镇 and asked for ages 8–12.
    await page.getByLabel('乡镇（街道）').fill('荣家湾镇');
    await page.getByLabel('村（社区）').fill(child.village);
    await page.getByLabel('留守', { exact: true }).check();
    await page.getByLabel('需要的帮助').fill('绘本和文具');
    await page.getByLabel('监护人姓名').fill(child.guardianName);
    await page.getByLabel('与儿童关系').fill('祖母');
    await page.getByLabel('监护人电话').fill(child.guardianPhone);
    await page.getByLabel('签署日期').fill(localDateIn(0));
    await page.getByRole('button', { name: '登记', exact: true }).click();

    await page.waitForURL(/\/sponsorship\/children\/[0-9a-f-]{36}\?registered=1$/);
    await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('司徒晓晴');
    const suggestions = page.locator('section', { has: page.locator('#suggestions-heading') });
    const first = suggestions.locator('ol > li').first();
    expect(await first.textContent()).toContain(sponsor.name);
    expect(await first.textContent()).toContain('同乡镇（荣家湾镇）');
    expect(await first.textContent()).toContain('偏好 8–12 岁');

    await page.getByRole('button', { name: `提议结对: ${sponsor.name}` }).click();
    await expect.poll(() => page.getByRole('status').textContent(), POLL).toContain('已提议');
    await page.getByRole('button', { name: '确认结对' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), POLL).toBe('已确认结对。');
    expect(await page.locator('.heading .badge').textContent()).toBe('已结对');

    await page.getByRole('link', { name: sponsor.name }).click();
    await page.waitForURL(/\/sponsorship\/sponsorships\//);
    const visit = page.locator('form[action="?/visit"]');
    // The admin who records it is ticked as a volunteer already.
    expect(await visit.getByLabel(admin.name).isChecked()).toBe(true);
    await visit.getByLabel('走访情况').fill(child.visitNotes);
    await visit.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('.timeline').textContent(), POLL).toContain(child.visitNotes);
    const update = page.locator('form[action="?/update"]');
    await update.getByLabel('近况', { exact: true }).fill(child.update);
    await update.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('.timeline').textContent(), POLL).toContain(child.update);
    const childUrl = new URL(
      (await page.getByRole('link', { name: '司徒晓晴' }).first().getAttribute('href')) ?? '',
      page.url(),
    ).pathname;
    await page.context().close();

    // The sponsor, who is not a member, signs in straight to their own view.
    const sponsorPage = await newPage(browser);
    await signIn(sponsorPage, sponsor.phone);
    expect(new URL(sponsorPage.url()).pathname).toBe(`/o/${demo.slug}/sponsor`);
    const card = sponsorPage.locator('[data-testid=sponsored-child]', { hasText: child.givenName });
    await expect.poll(() => card.locator('h2').textContent(), POLL).toBe(child.givenName);
    const text = (await card.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('10 岁');
    expect(text).toContain('小学4年级');
    expect(text).toContain('绘本和文具');
    expect(text).toContain(child.update);
    const everything = await sponsorPage.locator('body').innerText();
    for (const hidden of [
      child.familyName,
      child.village,
      '荣家湾镇中心小学',
      child.guardianName,
      child.guardianPhone,
      child.visitNotes,
    ]) {
      expect(everything).not.toContain(hidden);
    }
    // The admin's page of the child is not theirs to open.
    const response = await sponsorPage.goto(childUrl);
    expect(response?.status()).toBe(403);
    expect(await sponsorPage.locator('body').innerText()).not.toContain(child.guardianPhone);
    await sponsorPage.context().close();
  });

  it('keeps members out of the children’s pages, without JavaScript too', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await signIn(page, member.phone);
    expect(await page.getByRole('link', { name: '一对一帮扶', exact: true }).count()).toBe(0);
    for (const path of ['sponsorship', 'sponsorship/children', 'sponsorship/matching']) {
      const response = await page.goto(`/o/${demo.slug}/${path}`);
      expect(response?.status(), path).toBe(403);
    }
    // The programme's figures on the home page are for every member.
    await page.goto(`/o/${demo.slug}/home`);
    expect(await page.locator('#sponsorship-heading').textContent()).toBe('一对一帮扶');
    await page.context().close();
  });
});
