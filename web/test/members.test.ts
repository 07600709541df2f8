import * as XLSX from '@e965/xlsx';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, newPage, signIn } from './browser';

const demo = demoAssociation('members');
const { admin, member } = demo;

function workbook(rows: string[][]): Buffer {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), '花名册');
  const written: unknown = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' });
  if (!Buffer.isBuffer(written)) throw new Error('no workbook');
  return written;
}

describe('members and roster in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('lets an admin import a small workbook through the wizard and find the new members in the roster', async () => {
    const page = await newPage(browser);
    await signIn(page, admin.phone);
    await page.goto(`/o/${demo.slug}/members`);
    await page.getByRole('link', { name: '导入花名册' }).click();
    await page.getByLabel('选择文件').setInputFiles({
      name: '新队员.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: workbook([
        ['姓名', '手机号', '性别', '政治面貌', '工作单位', '所属队伍', '技能'],
        ['浏览器导入甲', '13912340001', '女', '党员', '县人民医院', '白队', '急救'],
        ['浏览器导入乙', '13912340002', '男', '群众', '县教育局', 'Green', '教学、驾驶'],
        ['浏览器导入丙', '1391234', '男', '群众', '县教育局', '红队', ''],
      ]),
    });
    await page.getByRole('button', { name: '上传并预览' }).click();
    await page.waitForURL(/\/members\/import\/[0-9a-f-]{36}/);
    expect(await page.getByTestId('count-create').textContent()).toBe('2');
    expect(await page.getByTestId('count-reject').textContent()).toBe('1');
    // The rejected row, with its row number and why.
    const rejected = page.locator('tbody tr.reject');
    expect(await rejected.locator('td').first().textContent()).toBe('4');
    expect(await rejected.locator('td').nth(2).textContent()).toContain('手机号不正确');

    await page.getByRole('button', { name: '确认导入' }).click();
    await expect.poll(() => page.locator('.notice').first().textContent()).toContain('导入完成：新增 2 人');

    await page.goto(`/o/${demo.slug}/members?q=${encodeURIComponent('浏览器导入')}`);
    const names = await page.locator('.roster .name').allTextContents();
    expect(names.sort()).toEqual(['浏览器导入乙', '浏览器导入甲']);
    expect(await page.getByTestId('roster-count').textContent()).toContain('2');
    await page.context().close();
  });

  it('lets a member edit their own profile', async () => {
    const page = await newPage(browser);
    await signIn(page, member.phone);
    await page.getByRole('link', { name: '我的资料' }).click();
    await page.waitForURL(/\/members\/[0-9a-f-]{36}\/edit$/);
    expect(await page.locator('h1').textContent()).toBe('我的资料');
    // What only admins set is not in a member's form.
    expect(await page.getByLabel('政治面貌').count()).toBe(0);
    await page.getByLabel('工作单位 / 职能部门').fill('县人民医院急诊科');
    await page.getByLabel('技能', { exact: true }).fill('护理');
    await page.getByRole('button', { name: '添加“心理疏导”' }).click();
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/members\/[0-9a-f-]{36}\?saved=1$/);
    const details = await page.locator('dl').textContent();
    expect(details).toContain('县人民医院急诊科');
    expect(details).toContain('护理、心理疏导');
    expect(details).toContain(member.phone);
    await page.context().close();
  });

  it('hides other members’ phone numbers from a member', async () => {
    const page = await newPage(browser);
    await signIn(page, member.phone);
    await page.goto(`/o/${demo.slug}/members`);
    const text = await page.locator('.roster').textContent();
    expect(text).toContain(member.phone);
    expect(text).not.toContain(admin.phone);
    expect(await page.getByRole('link', { name: '导入花名册' }).count()).toBe(0);
    await page.context().close();
  });
});
