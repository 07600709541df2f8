/**
 * The whole-association export in a browser: an admin starts it from the
 * audit log's page, sees its progress, downloads the .zip; every file in it
 * holds this association's rows only. Children's personal data needs the
 * association's name typed.
 */
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../api/test/csv';
import { demoAssociation, launchBrowser, newPage, signIn } from './browser';

const demo = demoAssociation('export');
const POLL = { timeout: 60_000 };

/** The column `name` of a CSV file of the archive. */
const column = (csv: string, name: string) => parseCsv(csv).map((row) => row[name] ?? '');

describe('exporting the whole association', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('an admin starts it, follows its progress and downloads this association’s tables', async () => {
    const page = await newPage(browser, { acceptDownloads: true });
    await signIn(page, demo.admin.phone);
    await page.goto(`/o/${demo.slug}/audit`);
    await page.getByRole('link', { name: '导出本会全部数据' }).click();
    await page.getByRole('heading', { name: '导出全部数据', level: 1 }).waitFor(POLL);
    expect(await page.locator('main').textContent()).toContain('还没有导出过。');

    // Children's data asked for with the wrong name: refused at the field, nothing started.
    await page.getByLabel('同时导出儿童的个人信息').check();
    await page.getByLabel(/请输入本会名称/).fill('七彩');
    await page.getByRole('button', { name: '开始导出' }).click();
    const confirmation = page.getByLabel(/请输入本会名称/);
    await expect.poll(() => confirmation.getAttribute('aria-invalid'), POLL).toBe('true');
    expect(await page.locator('#export-confirmation-error').textContent()).toContain('与本会名称不一致');
    expect(await page.getByTestId('export').count()).toBe(0);

    await page.getByLabel('同时导出儿童的个人信息').uncheck();
    await page.getByRole('button', { name: '开始导出' }).click();
    const entry = page.getByTestId('export').first();
    await expect.poll(() => entry.getAttribute('data-status'), POLL).toBe('READY');
    expect(await entry.textContent()).toContain('不含儿童个人信息');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      entry.getByRole('link', { name: '下载 .zip' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${demo.slug}-export-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
    const files = unzipSync(new Uint8Array(await readFile(await download.path())));
    const text = (name: string) => strFromU8(files[name] ?? new Uint8Array());
    expect(Object.keys(files)).toContain('README.txt');
    const [orgId] = column(text('organizations.csv'), 'id');
    expect(column(text('organizations.csv'), 'slug')).toEqual([demo.slug]);
    // The demo's roster, activities and hours; every row of every table this association's.
    expect(text('members.csv')).toContain(demo.member.name);
    for (const name of Object.keys(files).filter((file) => file.endsWith('.csv') && file !== 'organizations.csv')) {
      expect(
        column(text(name), 'org_id').filter((id) => id !== orgId),
        name,
      ).toEqual([]);
    }
    expect(text('children.csv')).not.toContain('guardian_phone');

    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { name: 'Export all data', level: 1 }).waitFor(POLL);
    expect(await page.getByTestId('export').first().textContent()).toContain('without children’s personal data');
    await page.context().close();
  });
});
