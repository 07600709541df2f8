/**
 * The roster table over a county-sized roster (the demo's sixty and 3,000
 * more, global-setup.ts): sorted by a column and filtered on the server with
 * the address as the state, moved through with the keyboard, a selection
 * changed in bulk and exported; the cards on a phone.
 */
import * as XLSX from '@e965/xlsx';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, newPage, signIn } from './browser';

const demo = demoAssociation('roster-table');

/** The count line's number: "共 3,060 人" → 3060. */
async function rosterCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('roster-count').textContent()) ?? '';
  return Number(text.replace(/[^\d]/g, ''));
}

/** The table's column of this header, top to bottom. */
async function column(page: Page, header: string): Promise<string[]> {
  const headers = await page.locator('.roster-table thead th').allTextContents();
  const index = headers.findIndex((text) => text.startsWith(header));
  if (index < 0) throw new Error(`no column ${header}`);
  return page.locator(`.roster-table tbody tr > :nth-child(${index + 1})`).allTextContents();
}

describe('the roster table in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('sorts and filters thousands of members on the server, keeping the view in the address', async () => {
    const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await signIn(page, demo.admin.phone);
    await page.goto(`/o/${demo.slug}/members`);
    expect(await rosterCount(page)).toBe(3060);
    expect(await page.locator('.roster-table tbody tr').count()).toBe(50);

    // A column header sorts (the whole roster, on the server); again, the other way.
    await page.getByRole('link', { name: /^工作单位/ }).click();
    await page.waitForURL(/sort=WORK_UNIT$/);
    expect(await page.locator('th[aria-sort=ascending]').textContent()).toContain('工作单位');
    const ascending = await column(page, '工作单位');
    expect(ascending).toEqual([...ascending].sort((a, b) => a.localeCompare(b, 'en')));
    await page.getByRole('link', { name: /^工作单位/ }).click();
    await page.waitForURL(/sort=WORK_UNIT_DESC/);
    const descending = await column(page, '工作单位');
    expect((descending[0] ?? '') >= (ascending.at(-1) ?? '')).toBe(true);

    // Filters go to the server too, and into the address: a reload shows the same.
    await page.locator('select[name=team]').selectOption({ label: '绿色卫士' });
    await page.locator('select[name=political]').selectOption({ label: '中共党员' });
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.waitForURL(/team=.*political=CPC_MEMBER.*sort=WORK_UNIT_DESC/);
    const filtered = await rosterCount(page);
    expect(filtered).toBeGreaterThan(100);
    expect(filtered).toBeLessThan(3060 / 7);
    for (const teams of await column(page, '队伍')) expect(teams).toContain('绿色卫士');
    for (const status of await column(page, '政治面貌')) expect(status).toMatch(/^中共党员/);
    const shared = page.url();
    await page.reload();
    expect(page.url()).toBe(shared);
    expect(await rosterCount(page)).toBe(filtered);
    expect(await page.locator('select[name=team]').inputValue()).not.toBe('');
    await page.context().close();
  });

  it('moves through the rows with the keyboard and applies a bulk team change to a selection, then exports it', async () => {
    const page = await newPage(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await signIn(page, demo.admin.phone);
    const gold = '金色童心';
    await page.goto(`/o/${demo.slug}/members?sort=JOINED_OLDEST`);
    await page.locator('select[name=team]').selectOption({ label: gold });
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.waitForURL(/team=/);
    const goldBefore = await rosterCount(page);
    await page.goto(`/o/${demo.slug}/members?sort=JOINED_OLDEST`);

    // ↓ goes to the next row's checkbox, → to its name, Space ticks.
    const boxes = page.locator('.roster-table tbody input[type=checkbox]');
    await boxes.first().focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await boxes.nth(2).evaluate((box) => box === document.activeElement)).toBe(true);
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    const names = page.locator('.roster-table tbody th a');
    expect(await names.nth(2).evaluate((link) => link === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowUp');
    expect(await names.nth(1).evaluate((link) => link === document.activeElement)).toBe(true);
    expect(await page.getByTestId('selected-count').textContent()).toBe('已选 2 人');

    // The whole page ticked, then added to the gold team in one go.
    await page.getByLabel('选择本页全部队员').check();
    expect(await page.getByTestId('selected-count').textContent()).toBe('已选 50 人');
    const selectedNames = await names.allTextContents();
    await page.getByLabel('操作').selectOption({ label: '加入队伍' });
    await page.getByLabel('队伍（加入或移出时）').selectOption({ label: gold });
    await page.getByRole('button', { name: '应用到所选' }).click();
    const notice = page.getByRole('status').filter({ hasText: '已更新' });
    await notice.waitFor();
    const changed = Number(((await notice.textContent()) ?? '').replace(/[^\d]/g, ''));
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThanOrEqual(50);
    expect(page.url()).toContain('sort=JOINED_OLDEST');

    await page.locator('select[name=team]').selectOption({ label: gold });
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.waitForURL(/team=/);
    expect(await rosterCount(page)).toBe(goldBefore + changed);

    // Export the selection: exactly the ticked members, in a workbook.
    await page.goto(`/o/${demo.slug}/members?sort=JOINED_OLDEST`);
    for (const index of [0, 1, 2]) await boxes.nth(index).check();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出所选（Excel）' }).click(),
    ]);
    const path = await download.path();
    const book = XLSX.read(await readFile(path));
    const sheet = book.Sheets[book.SheetNames[0] ?? ''];
    if (!sheet) throw new Error('no sheet');
    const rows: string[][] = XLSX.utils.sheet_to_json(sheet, { header: 1 });
    expect(rows.slice(1).map((row) => row[0])).toEqual(selectedNames.slice(0, 3));
    await page.context().close();
  });

  it('shows the cards on a phone', async () => {
    const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, demo.admin.phone);
    await page.goto(`/o/${demo.slug}/members`);
    expect(await page.locator('.roster-table').isVisible()).toBe(false);
    expect(await page.locator('.roster .card').first().isVisible()).toBe(true);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.context().close();
  });
});
