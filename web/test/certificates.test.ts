import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfImages } from '../../api/test/pdf-images';
import { pdfText } from '../../api/test/pdf-text';
import { jpegNamedPng, sealPng } from '../../api/test/seal-png';
import { demoAssociation, launchBrowser, localDateIn, newPage, signIn } from './browser';

const demo = demoAssociation('certificates');
const { lead, member } = demo;

/** Pages answer slower while other test files run beside these. */
const POLL = { timeout: 15_000 };

describe('certificates and reports in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('a member gets a certificate on my hours, downloads the PDF, and the public page confirms its number', async () => {
    const page = await newPage(browser, { acceptDownloads: true });
    await signIn(page, member.phone);
    await page.goto(`/o/${demo.slug}/hours`);
    const slot = page.locator('[data-slot=certificate]');
    // The demo member's year of approved service.
    await slot.getByLabel('开始日期').fill(localDateIn(-400));
    await slot.getByLabel('结束日期').fill(localDateIn(0));
    await slot.getByRole('button', { name: '生成证明' }).click();

    await page.waitForURL(/\/hours\/certificates\?issued=/, POLL);
    const number = new URL(page.url()).searchParams.get('issued') ?? '';
    expect(number).toMatch(/^QC-\d{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    await expect.poll(() => page.getByRole('status').textContent(), POLL).toContain(number);
    const row = page.locator(`tr[data-certificate="${number}"]`);
    const hours = ((await row.locator('td').nth(2).textContent()) ?? '').replace(/\s*小时/, '').trim();
    expect(Number(hours)).toBeGreaterThan(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: `下载证明 ${number}（PDF）` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${number}.pdf`);
    const path = await download.path();
    const { text } = await pdfText(await readFile(path));
    expect(text).toContain('王小红');
    expect(text).toContain(`累计志愿服务时长 ${hours.replace(/,/g, '')} 小时`);
    expect(text).toContain(number);

    // Anyone, not signed in, types the number (as a person might: lower case, spaces).
    const visitor = await newPage(browser, { locale: 'zh-CN' });
    await visitor.goto('/verify');
    await visitor.getByLabel('证明编号').fill(number.toLowerCase().replace(/-/g, ' '));
    await visitor.getByRole('button', { name: '核验' }).click();
    await visitor.waitForURL(`**/verify/${number}`, POLL);
    await expect.poll(() => visitor.getByRole('heading', { level: 2 }).textContent(), POLL).toContain('证明有效');
    expect(await visitor.locator('[data-field=memberName]').textContent()).toBe('王小红');
    expect(await visitor.locator('[data-field=hours]').textContent()).toBe(`${hours} 小时`);
    expect(await visitor.locator('[data-field=organization]').textContent()).toBe('岳阳县七彩之光志愿者协会');

    // A made-up number is not confirmed.
    await visitor.goto('/verify/QC-2026-AAAA-BBBB-CCCC');
    await expect.poll(() => visitor.getByRole('alert').textContent(), POLL).toContain('未找到该证明');
    await visitor.context().close();
    await page.context().close();
  });

  it('an admin sets the seal in both languages; a certificate issued then carries it and verifies as sealed', async () => {
    const admin = await newPage(browser);
    await signIn(admin, demo.admin.phone);
    await admin.goto(`/o/${demo.slug}/hours/certificates`);
    await admin.getByRole('link', { name: '证明上的公章' }).click();
    await admin.getByRole('heading', { name: '证明上的公章', level: 1 }).waitFor(POLL);
    expect(await admin.getByTestId('seal-none').textContent()).toContain('尚未上传公章');

    // A photographed seal saved as 公章.png: refused at the field, with why.
    const file = admin.getByLabel('公章图片（PNG）');
    await file.setInputFiles({ name: '公章.png', mimeType: 'image/png', buffer: jpegNamedPng });
    await admin.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => file.getAttribute('aria-invalid'), POLL).toBe('true');
    expect(await admin.locator('#seal-file-error').textContent()).toContain('这不是 PNG 图片');

    const seal = sealPng({ size: 200 });
    await admin
      .getByLabel('公章图片（PNG）')
      .setInputFiles({ name: '公章.png', mimeType: 'image/png', buffer: seal.png });
    await admin.getByLabel('签发人职务').fill('会长');
    await admin.getByRole('button', { name: '保存' }).click();
    await expect
      .poll(() => admin.getByRole('status').first().textContent(), POLL)
      .toContain('此后出具的证明将盖上此公章');
    expect(await admin.getByTestId('seal-title').textContent()).toBe('会长');
    expect(await admin.getByTestId('seal-preview').evaluate((image) => (image as HTMLImageElement).naturalWidth)).toBe(
      200,
    );
    await admin.getByRole('button', { name: 'English', exact: true }).click();
    await admin.getByRole('heading', { name: 'Seal on certificates', level: 1 }).waitFor(POLL);
    expect(await admin.getByRole('button', { name: 'Remove the seal' }).count()).toBe(1);
    await admin.context().close();

    const page = await newPage(browser, { acceptDownloads: true });
    await signIn(page, member.phone);
    await page.goto(`/o/${demo.slug}/hours`);
    const slot = page.locator('[data-slot=certificate]');
    await slot.getByLabel('开始日期').fill(localDateIn(-400));
    await slot.getByLabel('结束日期').fill(localDateIn(0));
    await slot.getByRole('button', { name: '生成证明' }).click();
    await page.waitForURL(/\/hours\/certificates\?issued=/, POLL);
    const number = new URL(page.url()).searchParams.get('issued') ?? '';
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .locator(`tr[data-certificate="${number}"]`)
        .getByRole('link', { name: `下载证明 ${number}（PDF）` })
        .click(),
    ]);
    const pdf = await readFile(await download.path());
    const printed = pdfImages(pdf).find((image) => image.width === 200 && image.softMask !== null);
    expect(printed?.samples.equals(seal.rgb)).toBe(true);
    expect((await pdfText(pdf)).text).toContain('签发人 Signed by：会长');
    await page.context().close();

    const visitor = await newPage(browser, { locale: 'zh-CN' });
    await visitor.goto(`/verify/${number}`);
    await expect.poll(() => visitor.locator('[data-field=seal]').textContent(), POLL).toBe('已加盖本会公章');
    await visitor.getByRole('button', { name: 'English', exact: true }).click();
    await expect
      .poll(() => visitor.locator('[data-field=seal]').textContent(), POLL)
      .toBe('Bears the association’s seal');
    await visitor.context().close();
  });

  it('a lead reads the hours report of their team with a chart, and exports it', async () => {
    const page = await newPage(browser, { acceptDownloads: true });
    await signIn(page, lead.phone);
    await page.goto(`/o/${demo.slug}/home`);
    await page.getByRole('link', { name: '时长报表' }).first().click();
    await page.waitForURL(/\/reports/, POLL);
    await page.getByLabel('开始日期').fill(localDateIn(-400));
    await page.getByLabel('结束日期').fill(localDateIn(0));
    await page.getByRole('button', { name: '查看' }).click();
    await page.waitForURL(/from=/, POLL);

    const byTeam = page.locator('[data-report=TEAM]');
    // A lead sees their own team only: the red team, drawn in its colour.
    await expect.poll(() => byTeam.locator('tbody tr').count(), POLL).toBe(1);
    expect(await byTeam.locator('tbody th').textContent()).toContain('红色旗帜');
    expect(await byTeam.locator('svg rect').first().getAttribute('fill')).toBe('#c8102e');
    expect(await byTeam.locator('svg').getAttribute('aria-label')).toMatch(/红色旗帜 [\d.]+ 小时/);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      byTeam.getByRole('link', { name: 'Excel (.xlsx)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^hours-by-team-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);

    // People served by the red team's completed activities (the demo records them), by team, month and year.
    const served = page.locator('[data-report=BENEFICIARIES]');
    const number = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));
    const column = async (grouping: string) =>
      (await served.locator(`[data-served=${grouping}] tbody td:nth-of-type(1)`).allTextContents()).map(number);
    const total = (await served.getByTestId('served-total').textContent()) ?? '';
    expect(total).toMatch(/^共服务 [\d,]+ 人次，[\d,]+ 场活动记录了受益人数。$/);
    const people = number(/共服务 ([\d,]+) 人次/.exec(total)?.[1] ?? '');
    expect(people).toBeGreaterThan(0);
    expect(await served.locator('[data-served=TEAM] tbody th').allTextContents()).toEqual([
      expect.stringContaining('红色旗帜'),
    ]);
    for (const grouping of ['TEAM', 'MONTH', 'YEAR'])
      expect((await column(grouping)).reduce((sum, value) => sum + value, 0)).toBe(people);
    expect(await served.locator('[data-served=YEAR] tbody th').first().textContent()).toMatch(/^\s*\d{4} 年\s*$/);
    await page.context().close();
  });
});
