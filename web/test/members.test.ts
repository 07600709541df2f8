import * as XLSX from '@e965/xlsx';
import { readFile } from 'node:fs/promises';
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

  it('says which row was the header and which columns were left out, and gives the rejected rows back as .xlsx', async () => {
    const page = await newPage(browser);
    await signIn(page, admin.phone);
    await page.goto(`/o/${demo.slug}/members/import`);
    const sheet = XLSX.utils.aoa_to_sheet([
      ['岳阳县七彩之光志愿者协会会员花名册（2018年）'],
      [],
      ['序号', '姓名', '联系电话', '政治面貌', '所属队伍', '入会时间', '身份证号'],
      [
        '1',
        '表头测试甲',
        '１３９１２３４０００３',
        '共青团员',
        '红色旗帜志愿服务队、白队',
        '2018年4月16日',
        '430621199001011234',
      ],
      ['2', '表头测试乙', '13912340004', '党外人士', '红队', '2018-04-16', '430621199001015678'],
    ]);
    sheet['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 6 } }];
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, '花名册');
    const bytes: unknown = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' });
    if (!Buffer.isBuffer(bytes)) throw new Error('no workbook');
    await page.getByLabel('选择文件').setInputFiles({
      name: '县花名册.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: bytes,
    });
    await page.getByRole('button', { name: '上传并预览' }).click();
    await page.waitForURL(/\/members\/import\/[0-9a-f-]{36}/);
    const note = page.getByTestId('header-note');
    expect(await note.textContent()).toContain('表头取自第 3 行');
    expect(await note.textContent()).toContain('未导入的列：“序号”、“身份证号”');
    expect(await page.getByTestId('id-number-note').textContent()).toContain('“身份证号”列已识别，但不导入');
    expect(await page.getByTestId('count-create').textContent()).toBe('1');
    const reason = page.locator('tbody tr.reject td').nth(2);
    expect(await reason.textContent()).toBe('政治面貌无法识别（政治面貌：“党外人士”）');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-rejected').click(),
    ]);
    expect(download.suggestedFilename()).toBe('县花名册-未导入.xlsx');
    const saved = await download.path();
    const back = XLSX.read(await readFile(saved), { type: 'buffer' });
    const rows: string[][] = XLSX.utils.sheet_to_json(back.Sheets[back.SheetNames[0] ?? ''] ?? {}, {
      header: 1,
      raw: false,
      defval: '',
    });
    expect(rows).toEqual([
      ['序号', '姓名', '联系电话', '政治面貌', '所属队伍', '入会时间', '未导入原因'],
      ['2', '表头测试乙', '13912340004', '党外人士', '红队', '2018-04-16', '政治面貌无法识别：党外人士'],
    ]);
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
